package dev.panic.examples;

import dev.panic.analysis.Analyzer;
import dev.panic.analysis.RunAnalysis;
import dev.panic.analysis.Trajectory;
import dev.panic.exception.NotFoundException;
import dev.panic.report.ContactSheet;
import dev.panic.report.Report;
import dev.panic.report.ReportIndex;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code panic report}: saved runs as self-contained HTML pages and contact sheets. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes a self-contained HTML page per saved run (opens with no network and no server): the "
                + "outputs in order, the similarity curves with their decay fit and the patterns found, the "
                + "similarity matrices, cost and provenance; and a contact sheet, one PNG of the run's images in "
                + "order, numbered.",
                "For a run's folder: report.html and contact-sheet.png in it (or in --output). For a folder of "
                        + "runs: index.html with the attractors the runs fell into, linking to RUN/report.html for "
                        + "each run. Runs that cannot be read are skipped with a warning. Outputs saved without "
                        + "vectors are embedded with the offline embedders first."})
final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN|DIR", arity = "0..1",
            description = "A run's folder, or a folder of runs (default: panic-runs); with --store, a run id "
                    + "(default: every run in it).")
    String target = "panic-runs";

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "The folder to write into. Default: the run's folder, or the folder of runs; with --store, "
                    + "a folder named after the run, or panic-reports.")
    Path output;

    @Option(names = "--store", paramLabel = "STORE",
            description = "Report on the runs of this store, a folder or a URL such as postgresql://user@host:5432/db.")
    String store;

    private final Console console;

    ReportCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        if (store != null) {
            boolean one = !target.equals("panic-runs");
            try (OpenStore saved = OpenStore.open(store)) {
                return one ? single(saved.store(), target, output == null ? Path.of(target) : output)
                        : all(saved.store(), saved.location(), output == null ? Path.of("panic-reports") : output);
            }
        }
        Path folder = Path.of(target);
        if (Files.isRegularFile(folder.resolve("run.json"))) {
            Path dir = folder.toAbsolutePath().normalize();
            return single(RunStore.directory(dir.getParent()), dir.getFileName().toString(),
                    output == null ? folder : output);
        }
        if (!Files.isDirectory(folder)) {
            throw new NotFoundException("'" + target + "' is neither a run folder (with run.json) nor a folder of runs");
        }
        return all(RunStore.directory(folder), target, output == null ? folder : output);
    }

    private int single(RunStore runs, String runId, Path out) {
        StoredRun run = read(runs, runId);
        Path page = report(run).writeTo(out.resolve(Report.FILE_NAME));
        console.line("wrote " + page);
        ContactSheet sheet = ContactSheet.of(run);
        if (sheet.size() > 0) {
            console.line("wrote " + sheet.writeTo(out.resolve(ContactSheet.FILE_NAME)) + " (" + sheet.size()
                    + " images)");
        }
        return 0;
    }

    private int all(RunStore store, String where, Path out) {
        List<Report> reports = new ArrayList<>();
        List<Trajectory> trajectories = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String id : store.runIds()) {
            try {
                StoredRun run = read(store, id);
                Trajectory t = AnalyseCommand.withVectors(run);
                reports.add(Report.of(run, Analyzer.defaults().analyse(t)));
                trajectories.add(t);
            } catch (RuntimeException e) {
                // One damaged run must not cost the others their pages.
                String why = "run '" + id + "' skipped: " + e.getMessage();
                console.error("warning: " + why);
                skipped.add(why);
            }
        }
        if (reports.isEmpty() && skipped.isEmpty()) {
            throw new NotFoundException("no saved runs in '" + where + "'; run 'panic run' first");
        }
        ReportIndex.Written written = ReportIndex.of(reports).skipped(skipped)
                .attractors(ReportIndex.findAttractors(trajectories)).writeTo(out);
        console.line("wrote " + written.index() + ": " + reports.size() + " run report(s), "
                + written.contactSheets().size() + " contact sheet(s)"
                + (skipped.isEmpty() ? "" : ", " + skipped.size() + " run(s) skipped"));
        return 0;
    }

    private StoredRun read(RunStore store, String id) {
        StoredRun run = store.read(id);
        run.warnings().forEach(w -> console.error("warning: " + w));
        return run;
    }

    private static Report report(StoredRun run) {
        RunAnalysis analysis = Analyzer.defaults().analyse(AnalyseCommand.withVectors(run));
        return Report.of(run, analysis);
    }
}
