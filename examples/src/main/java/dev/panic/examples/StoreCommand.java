package dev.panic.examples;

import dev.panic.store.RunStores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code panic store}: what concerns whole stores; {@code panic store copy FROM TO} moves runs between them. */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Works on run stores: folders, or URLs such as postgresql://user@host:5432/db.")
final class StoreCommand implements Runnable {

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code panic store copy FROM TO}. */
    @Command(name = "copy", mixinStandardHelpOptions = true,
            description = {"Copies runs from one store to another: a folder to PostgreSQL, PostgreSQL to a folder, or "
                    + "between two of either. Each run comes with its predictions, vectors, media and revisions; a "
                    + "fork's parents come along. Runs the target holds already are skipped, so a copy that was cut "
                    + "short can be run again. A live run is copied as far as it has got. Analyses are not copied "
                    + "(run panic analyse there)."})
    static final class Copy implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "FROM", description = "The store to copy from.")
        String from;

        @Parameters(index = "1", paramLabel = "TO", description = "The store to copy into (created if it is a folder).")
        String to;

        @Option(names = "--run", paramLabel = "RUN", description = "Copy this run (and its parents); every run if none.")
        List<String> runs = new ArrayList<>();

        private final Console console;

        Copy(Console console) {
            this.console = console;
        }

        @Override
        public Integer call() {
            try (OpenStore source = OpenStore.open(from); OpenStore target = OpenStore.open(to)) {
                RunStores.CopyReport report = RunStores.copy(source.store(), target.store(), runs);
                report.copied().forEach(id -> console.line("copied  " + id));
                report.skipped().forEach(id -> console.line("skipped " + id + " (already in " + target.location()
                        + ")"));
                report.warnings().forEach(w -> console.error("warning: " + w));
                console.line("copied " + report.copied().size() + " run(s) from " + source.location() + " to "
                        + target.location() + (report.skipped().isEmpty() ? ""
                        : "; " + report.skipped().size() + " were there already"));
                return 0;
            }
        }
    }
}
