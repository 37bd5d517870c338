package dev.panic.examples;

import dev.panic.store.FakePanicExport;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code panic export}: saved runs as one Fake Panic JSON document, for its analysis scripts. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes saved runs in the Fake Panic JSON shape: one object keyed by each run's ISO-8601 "
                + "start time, each an array of {seq_no, type, input, embedding}.")
final class ExportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_ID", arity = "0..*", description = "Runs to export; all saved runs if none.")
    List<String> runIds = new ArrayList<>();

    @Option(names = {"--store", "-d", "--runs-dir"}, paramLabel = "STORE", defaultValue = "panic-runs",
            description = OpenStore.HELP)
    String location;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output.")
    Path output;

    @Option(names = "--embedder", paramLabel = "ID",
            description = "Whose vectors fill 'embedding'; by default the first embedder of each prediction.")
    String embedder;

    private final Console console;

    ExportCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        if (OpenStore.isMissingFolder(location)) {
            throw new dev.panic.exception.NotFoundException("no runs folder '" + location
                    + "'; run 'panic run' first or point --store at your runs");
        }
        try (OpenStore saved = OpenStore.open(location)) {
            return export(saved.store());
        }
    }

    private int export(RunStore store) throws IOException {
        List<String> ids = runIds.isEmpty() ? store.runIds() : runIds;
        List<StoredRun> runs = new ArrayList<>();
        int skipped = 0;
        for (String id : ids) {
            StoredRun run;
            try {
                run = store.read(id);
            } catch (dev.panic.exception.NotFoundException e) {
                throw e;
            } catch (RuntimeException e) {
                console.error("warning: skipped run " + id + ": " + e.getMessage());
                skipped++;
                continue;
            }
            run.warnings().forEach(w -> console.error("warning: run " + id + ": " + w));
            runs.add(run);
        }
        if (runs.isEmpty() && skipped == 0) {
            console.line("no saved runs in " + location);
            return 0;
        }
        if (embedder != null) {
            Set<String> known = new TreeSet<>();
            runs.forEach(r -> r.predictions().forEach(p -> known.addAll(p.embeddings().keySet())));
            if (!known.contains(embedder)) {
                throw new dev.panic.exception.ValidationException("no prediction of these runs has vectors from '"
                        + embedder + "'; their embedders are " + (known.isEmpty() ? "none (run 'panic analyse' to"
                        + " embed them)" : String.join(", ", known)));
            }
        }
        if (output != null) {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new dev.panic.exception.ValidationException("cannot write '" + output + "': the folder " + parent
                        + " does not exist; create it first or give another --output");
            }
        }
        if (skipped > 0) {
            console.error(skipped + " run(s) could not be read and were left out");
        }
        if (output == null) {
            // Whole, so that a multi-byte character is never split between writes.
            java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
            FakePanicExport.write(runs, embedder, buffer);
            console.line(buffer.toString(java.nio.charset.StandardCharsets.UTF_8));
        } else {
            try (OutputStream out = Files.newOutputStream(output)) {
                FakePanicExport.write(runs, embedder, out);
            } catch (IOException e) {
                throw new dev.panic.exception.PanicException("could not write '" + output + "': " + e, e);
            } catch (UncheckedIOException e) {
                throw new dev.panic.exception.PanicException("could not write '" + output + "': " + e.getCause(), e);
            }
            console.line("exported " + runs.size() + " run(s) to " + output);
        }
        return 0;
    }
}
