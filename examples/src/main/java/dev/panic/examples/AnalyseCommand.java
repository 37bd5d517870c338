package dev.panic.examples;

import dev.panic.Embedding;
import dev.panic.ModelId;
import dev.panic.Prediction;
import dev.panic.StopReason;
import dev.panic.analysis.Analyzer;
import dev.panic.analysis.Attractor;
import dev.panic.analysis.AttractorReport;
import dev.panic.analysis.Attractors;
import dev.panic.analysis.DecayFit;
import dev.panic.analysis.RunAnalysis;
import dev.panic.analysis.SeriesAnalysis;
import dev.panic.analysis.Trajectory;
import dev.panic.Embedder;
import dev.panic.embeddings.OfflineEmbedders;
import dev.panic.exception.NotFoundException;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code panic analyse}: what saved runs did, one by one and together. */
@Command(name = "analyse", aliases = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Analyses saved runs: for each, how similar each output is to the one before and to the "
                + "first (drift), a fit of that drift to a*exp(-b*lap)+c (a lap is one pass through the network, so b "
                + "is per lap), and where a fixed point, cycle, drift or "
                + "repeat was found; for several runs, the attractors their final states fall into.",
                "Each analysis is also saved beside its run as analysis.json. Outputs saved without vectors are "
                        + "embedded with the offline embedders first."})
final class AnalyseCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH|RUN", arity = "0..*",
            description = "A run's folder, or a folder of runs (default: panic-runs); with --store, run ids "
                    + "(default: every run in it).")
    List<String> paths = new ArrayList<>();

    @Option(names = "--store", paramLabel = "STORE",
            description = "Analyse the runs of this store, a folder or a URL such as postgresql://user@host:5432/db.")
    String store;

    @Option(names = "--attractor-threshold", paramLabel = "SIMILARITY",
            description = "How similar two final states must be to share an attractor, 0 to 1. Default: "
                    + Attractors.DEFAULT_THRESHOLD + ".")
    double attractorThreshold = Attractors.DEFAULT_THRESHOLD;

    private final Console console;

    AnalyseCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        List<Trajectory> trajectories = new ArrayList<>();
        int skipped = 0;
        int unsaved = 0;
        List<StoredRunIn> found = new ArrayList<>();
        OpenStore saved = store == null ? null : OpenStore.open(store);
        try {
            if (saved != null) {
                List<String> ids = paths.isEmpty() ? saved.store().runIds() : paths;
                if (ids.isEmpty()) {
                    throw new NotFoundException("no saved runs in " + saved.location() + "; run 'panic run' first");
                }
                for (String id : ids) {
                    StoredRun run = read(saved.store(), id);
                    if (run == null) {
                        skipped++;
                    } else {
                        found.add(new StoredRunIn(saved.store(), run));
                    }
                }
            } else {
                for (String target : paths.isEmpty() ? List.of("panic-runs") : paths) {
                    RunsAt runs = runsAt(Path.of(target));
                    skipped += runs.skipped();
                    found.addAll(runs.runs());
                }
            }
            for (StoredRunIn run : found) {
                Trajectory t;
                RunAnalysis analysis;
                try {
                    t = withVectors(run.stored());
                    analysis = Analyzer.defaults().analyse(t);
                } catch (RuntimeException e) {
                    console.error("warning: skipped run " + run.stored().info().id() + ": " + e.getMessage());
                    skipped++;
                    continue;
                }
                // Printed first: a store that cannot be written (read-only, full) must not hide the analysis.
                print(analysis);
                trajectories.add(t);
                try {
                    analysis.saveTo(run.store());
                } catch (RuntimeException e) {
                    console.error("warning: could not save the analysis of run " + analysis.runId() + ": "
                            + e.getMessage());
                    unsaved++;
                }
            }
        } finally {
            if (saved != null) {
                saved.close();
            }
        }
        if (trajectories.size() > 1) {
            attractors(trajectories);
        }
        if (skipped > 0) {
            console.line(skipped + " run(s) could not be read and were skipped (see the warnings)");
        }
        if (unsaved > 0) {
            console.line(unsaved + " analysis file(s) could not be saved (see the warnings)");
        }
        return trajectories.isEmpty() && skipped > 0 ? PanicCli.FAILED : 0;
    }

    private record StoredRunIn(RunStore store, StoredRun stored) {
    }

    private record RunsAt(List<StoredRunIn> runs, int skipped) {
    }

    /** A run folder (it has run.json) or a folder of them; runs that cannot be read are skipped with a warning. */
    private RunsAt runsAt(Path target) {
        if (Files.isRegularFile(target.resolve("run.json"))) {
            Path parent = target.toAbsolutePath().getParent();
            RunStore store = RunStore.directory(parent);
            StoredRun run = read(store, target.getFileName().toString());
            return run == null ? new RunsAt(List.of(), 1) : new RunsAt(List.of(new StoredRunIn(store, run)), 0);
        }
        if (!Files.isDirectory(target)) {
            throw new NotFoundException("'" + target + "' is neither a run folder (with run.json) nor a folder of runs");
        }
        RunStore store = RunStore.directory(target);
        List<StoredRunIn> runs = new ArrayList<>();
        int skipped = 0;
        for (String id : store.runIds()) {
            StoredRun run = read(store, id);
            if (run == null) {
                skipped++;
            } else {
                runs.add(new StoredRunIn(store, run));
            }
        }
        if (runs.isEmpty() && skipped == 0) {
            console.line("no saved runs in " + target);
        }
        return new RunsAt(runs, skipped);
    }

    /** The run, or null (with a warning) if it cannot be read at all. */
    private StoredRun read(RunStore store, String id) {
        StoredRun run;
        try {
            run = store.read(id);
        } catch (RuntimeException e) {
            console.error("warning: skipped run " + id + ": " + e.getMessage());
            return null;
        }
        run.warnings().forEach(w -> console.error("warning: run " + id + ": " + w));
        return run;
    }

    /** The run's predictions, with offline vectors added where an output has none. */
    static Trajectory withVectors(StoredRun run) {
        List<Prediction> out = new ArrayList<>();
        for (Prediction p : run.predictions()) {
            if (p.succeeded() && p.embeddings().isEmpty()) {
                Embedder e = OfflineEmbedders.forModality(p.output().modality());
                Embedding v = e.embed(p.output()).join();
                p = p.withEmbedding(e.id(), v);
            }
            out.add(p);
        }
        List<ModelId> network = run.info().network();
        return new Trajectory(run.info().id(), network, out);
    }

    private void print(RunAnalysis a) {
        console.line("run " + a.runId() + ": " + a.predictions() + " predictions");
        for (SeriesAnalysis s : a.series()) {
            double[] drift = s.driftCurve();
            double[] steps = s.stepSimilarities();
            DecayFit fit = s.decay();
            console.line(String.format(Locale.ROOT, "  %s outputs (%s): last similarity to previous %s, to first %s",
                    s.modality().wireName(), s.embedderId(), last(steps), last(drift)));
            if (fit != null) {
                console.line(String.format(Locale.ROOT, "    drift fit a*exp(-b*lap)+c: b=%.4f per lap, floor c=%.3f "
                        + "(a=%.3f, rmse %.4f over %d points)", fit.rate(), fit.floor(), fit.amplitude(), fit.rmse(),
                        fit.points()));
            }
        }
        if (a.events().isEmpty()) {
            console.line("  no fixed point, cycle, drift or repeat found");
        }
        for (StopReason e : a.events()) {
            console.line("  found " + e.rule() + ": " + e.message());
        }
        a.warnings().forEach(w -> console.line("  note: " + w));
    }

    private static String last(double[] values) {
        for (int i = values.length - 1; i >= 0; i--) {
            if (!Double.isNaN(values[i])) {
                return String.format(Locale.ROOT, "%.3f", values[i]);
            }
        }
        return "n/a";
    }

    private void attractors(List<Trajectory> runs) {
        Set<String> embedders = new LinkedHashSet<>();
        runs.forEach(t -> t.predictions().forEach(p -> embedders.addAll(p.embeddings().keySet())));
        for (String embedder : embedders) {
            AttractorReport report = Attractors.defaults().embedder(embedder).threshold(attractorThreshold).find(runs);
            if (report.attractors().isEmpty()) {
                continue;
            }
            console.line(String.format(Locale.ROOT, "attractors by %s (similarity at least %.2f): %d",
                    embedder, report.threshold(), report.attractors().size()));
            int n = 1;
            for (Attractor at : report.attractors()) {
                console.line(String.format(Locale.ROOT, "  %d. %d run(s), cohesion %.3f, e.g. %s #%d: %s", n++,
                        at.size(), at.cohesion(), at.representativeRunId(), at.representativeSequence(),
                        at.representativeOutput().summary(80)));
            }
        }
    }
}
