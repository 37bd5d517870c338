package dev.panic.examples;

import dev.panic.ModelId;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.RunEvent;
import dev.panic.RunStatus;
import dev.panic.Similarity;
import dev.panic.StopReason;
import dev.panic.analysis.Analyzer;
import dev.panic.spi.Readiness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code run}, {@code resume} and {@code fork} share: they start a run, show each step as
 * it completes, cancel it on Ctrl-C (saving what it made), and report how it ended.
 */
final class RunWatch {

    private RunWatch() {
    }

    /**
     * Starts the run the builder describes, follows it to its end and reports it.
     *
     * @param total the step limit for the counter, or null if the run has none
     * @param store where it is saved, or null
     * @return the exit code: 1 if the run failed
     */
    static int follow(Run.Builder builder, Console console, Integer total, OpenStore store) {
        Progress progress = new Progress(console, total);
        Run run = builder.listener(progress).start();
        console.line("run:     " + run.id());
        Thread onInterrupt = new Thread(run::cancel, "panic-cancel-on-exit");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            run.await();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and cancels the run, which saves its end; save its analysis too.
                run.await(Duration.ofSeconds(5));
                saveAnalysis(run, store, console);
            }
        }
        report(run, console, store);
        saveAnalysis(run, store, console);
        return run.status() == RunStatus.FAILED ? PanicCli.FAILED : 0;
    }

    /**
     * Starts a durable run on Temporal workers and shows its steps as they are saved, with the same
     * lines as a run in this process. Ctrl-C only stops watching: the run goes on on the workers.
     *
     * @return the exit code: 1 if the run failed
     */
    static int followDurable(dev.panic.temporal.TemporalRuns runs, dev.panic.RunSpec spec, Console console,
                             Integer total, OpenStore store) {
        Progress progress = new Progress(console, total);
        java.util.concurrent.CompletableFuture<RunEvent.Finished> finished = new java.util.concurrent.CompletableFuture<>();
        dev.panic.temporal.TemporalRun run = runs.start(spec, event -> {
            progress.onEvent(event);
            if (event instanceof RunEvent.Observed o) {
                console.line("    observed: " + o.reason().message() + " (" + o.reason().rule() + ")");
            } else if (event instanceof RunEvent.Finished f) {
                finished.complete(f);
            }
        });
        console.line("run:     " + run.id() + " (durable: carried on by the workers; Ctrl-C stops watching, not the run)");
        RunEvent.Finished end = finished.join();
        StopReason reason = end.reason();
        console.line(String.format(Locale.ROOT, "%s after %d predictions: %s (%s)",
                end.status().name().toLowerCase(Locale.ROOT), store.store().info(run.id()).predictions(),
                reason == null ? "" : reason.message(), reason == null ? "" : reason.rule()));
        console.line("saved:   " + store.where(run.id()));
        return end.status() == RunStatus.FAILED ? PanicCli.FAILED : 0;
    }

    /** The step limit a spec sets, if any: the counter's total. */
    static Integer stepLimit(dev.panic.RunSpec spec) {
        return spec.stopRules().stream().filter(r -> r.kind().equals("max-steps")).findFirst()
                .flatMap(r -> r.settings().getNumber("steps")).map(Double::intValue).orElse(null);
    }

    private static void saveAnalysis(Run run, OpenStore store, Console console) {
        if (store == null || run.size() == 0 || run.spec().embedders().isEmpty()) {
            return;
        }
        try {
            store.store().saveAnalysis(Analyzer.defaults().analyse(run));
        } catch (RuntimeException e) {
            console.error("could not save the analysis of run " + run.id() + ": " + e.getMessage());
        }
    }

    /**
     * Says which platform cannot serve the network (no API key, server down) and what to do,
     * instead of starting a run whose first call would fail.
     */
    static boolean platformsReady(Platforms registry, List<ModelId> models, Console console) {
        Map<String, List<String>> modelsByPlatform = new LinkedHashMap<>();
        for (ModelId m : models) {
            modelsByPlatform.computeIfAbsent(m.platform(), p -> new ArrayList<>()).add(m.toString());
        }
        boolean ready = true;
        for (Map.Entry<String, List<String>> e : modelsByPlatform.entrySet()) {
            Readiness r = registry.platform(e.getKey()).readiness();
            if (!r.ready()) {
                console.error("platform '" + e.getKey() + "' is not ready: " + r.detail() + " (needed by "
                        + String.join(", ", new LinkedHashSet<>(e.getValue())) + ")");
                ready = false;
            }
        }
        return ready;
    }

    private static void report(Run run, Console console, OpenStore store) {
        StopReason reason = run.stopReason().orElseThrow();
        console.line(String.format(Locale.ROOT, "%s after %d predictions: %s (%s)",
                run.status().name().toLowerCase(Locale.ROOT), run.size(), reason.message(), reason.rule()));
        for (StopReason seen : run.observations()) {
            console.line("observed: " + seen.message() + " (" + seen.rule() + ")");
        }
        for (Run branch : run.branches()) {
            console.line("branch:  " + branch.id() + " from prediction " + branch.parent().orElseThrow().sequence()
                    + ", " + branch.status().name().toLowerCase(Locale.ROOT) + " after " + branch.size()
                    + " predictions");
        }
        if (store != null) {
            console.line("saved:   " + store.where(run.id()));
        }
    }

    /** Prints a line per step, and on terminals a transient line while a model works. */
    static final class Progress implements dev.panic.RunListener {
        private final Console console;
        private final Integer total;
        private final int width;

        Progress(Console console, Integer total) {
            this.console = console;
            this.total = total;
            this.width = total == null ? 1 : String.valueOf(total).length();
        }

        @Override
        public void onEvent(RunEvent event) {
            if (event instanceof RunEvent.PredictionStarted s) {
                console.status(counter(s.sequence()) + s.modelId() + " …");
            } else if (event instanceof RunEvent.PredictionMade m) {
                console.line(step(m.prediction(), m.prediction().output().summary(70)));
            } else if (event instanceof RunEvent.Measured m) {
                for (Similarity sim : m.similarities()) {
                    if (sim.toPrevious() != null) {
                        console.line(String.format(Locale.ROOT, "%" + (width * 2 + 4) + "s similarity %.3f to output %d,"
                                        + " %.3f to output %d (%s)", "", sim.toPrevious(), sim.previous(),
                                sim.toOrigin() == null ? Double.NaN : sim.toOrigin(), sim.origin(), sim.embedderId()));
                    }
                }
            } else if (event instanceof RunEvent.EmbeddingFailed f) {
                console.line("    could not embed step " + (f.sequence() + 1) + " with " + f.embedderId() + ": "
                        + f.message());
            } else if (event instanceof RunEvent.PredictionFailed f) {
                console.line(step(f.prediction(), "FAILED: " + f.prediction().error().message()));
            } else if (event instanceof RunEvent.Branched b) {
                console.line("    branch " + b.branchId() + " goes on from output " + b.sequence() + " at node "
                        + b.toNode());
            } else if (event instanceof RunEvent.Steered s) {
                console.line("    revision " + s.revision().number() + ": " + s.revision().changes());
            }
        }

        private String counter(int sequence) {
            return total == null ? String.format(Locale.ROOT, "[%d] ", sequence + 1)
                    : String.format(Locale.ROOT, "[%" + width + "d/%d] ", sequence + 1, total);
        }

        private String step(Prediction p, String what) {
            // "#n" is the output's sequence number, as stop reasons and saved runs count (from 0).
            return String.format(Locale.ROOT, "%s%-22s #%-3d %7s  %s", counter(p.sequence()), p.modelId(), p.sequence(),
                    DurationConverter.format(p.duration()), what);
        }
    }
}
