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
import dev.panic.store.RunStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

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
     * @param total    the step limit for the counter, or null if the run has none
     * @param storeDir where it is saved, or null
     * @return the exit code: 1 if the run failed
     */
    static int follow(Run.Builder builder, Console console, Integer total, Path storeDir) {
        return follow(builder, console, total, storeDir, run -> { });
    }

    /**
     * Like {@link #follow(Run.Builder, Console, Integer, Path)}, handing the run to {@code started}
     * as soon as it runs (to steer it while it is followed).
     */
    static int follow(Run.Builder builder, Console console, Integer total, Path storeDir, Consumer<Run> started) {
        Run run = builder.listener(new Progress(console, total, "")).start();
        console.line("run:     " + run.id());
        started.accept(run);
        return watch(List.of(run), console, storeDir);
    }

    /**
     * Starts several runs at once, shows their steps as they complete (each line labelled with its
     * run's number), follows them to their end and reports each.
     *
     * @return the exit code: 1 if a run failed
     */
    static int followAll(List<Run.Builder> builders, Console console, Integer total, Path storeDir) {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < builders.size(); i++) {
            String label = "#" + (i + 1) + " ";
            Run run = builders.get(i).listener(new Progress(console, total, label)).start();
            console.line("run " + label + run.id());
            runs.add(run);
        }
        return watch(runs, console, storeDir);
    }

    private static int watch(List<Run> runs, Console console, Path storeDir) {
        AtomicBoolean analysed = new AtomicBoolean();
        // Ctrl-C (or a TERM signal): the JVM stops once its hooks have run, so the hook itself cancels the
        // runs, waits for their ends to be saved, and saves their analyses.
        Thread onInterrupt = new Thread(() -> {
            runs.forEach(Run::cancel);
            runs.forEach(r -> r.await(Duration.ofSeconds(10)));
            if (analysed.compareAndSet(false, true)) {
                runs.forEach(r -> saveAnalysis(r, storeDir, console));
            }
        }, "panic-cancel-on-exit");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        boolean shuttingDown = false;
        try {
            runs.forEach(Run::await);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException e) {
                // The hook is running: it saves what is left to save, and the JVM ends when it is done, so
                // this thread must not start saving too (it would be cut off half-way).
                shuttingDown = true;
                runs.forEach(r -> r.await(Duration.ofSeconds(10)));
            }
        }
        for (Run run : runs) {
            if (runs.size() > 1) {
                console.line("run " + run.id() + ":");
            }
            report(run, console, storeDir);
        }
        if (!shuttingDown && analysed.compareAndSet(false, true)) {
            runs.forEach(r -> saveAnalysis(r, storeDir, console));
        }
        return runs.stream().anyMatch(r -> r.status() == RunStatus.FAILED) ? PanicCli.FAILED : 0;
    }

    /** The step limit a spec sets, if any: the counter's total. */
    static Integer stepLimit(dev.panic.RunSpec spec) {
        return spec.stopRules().stream().filter(r -> r.kind().equals("max-steps")).findFirst()
                .flatMap(r -> r.settings().getNumber("steps")).map(Double::intValue).orElse(null);
    }

    private static void saveAnalysis(Run run, Path storeDir, Console console) {
        if (storeDir == null || run.size() == 0 || run.spec().embedders().isEmpty()) {
            return;
        }
        try {
            RunStore.directory(storeDir).saveAnalysis(Analyzer.defaults().analyse(run));
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

    private static void report(Run run, Console console, Path storeDir) {
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
        if (storeDir != null && reason.rule().equals("store")) {
            console.line("not saved completely: " + storeDir.resolve(run.id()) + " holds the " + run.size()
                    + " predictions saved before the store failed; free some space and 'panic resume " + run.id()
                    + "' to go on");
        } else if (storeDir != null) {
            console.line("saved:   " + storeDir.resolve(run.id()));
        }
    }

    /** Prints a line per step, and on terminals a transient line while a model works. */
    static final class Progress implements dev.panic.RunListener {
        private final Console console;
        private final Integer total;
        private final int width;
        private final String label;

        Progress(Console console, Integer total, String label) {
            this.console = console;
            this.total = total;
            this.width = total == null ? 1 : String.valueOf(total).length();
            this.label = label;
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
            return label + (total == null ? String.format(Locale.ROOT, "[%d] ", sequence + 1)
                    : String.format(Locale.ROOT, "[%" + width + "d/%d] ", sequence + 1, total));
        }

        private String step(Prediction p, String what) {
            // "#n" is the output's sequence number, as stop reasons and saved runs count (from 0).
            return String.format(Locale.ROOT, "%s%-22s #%-3d %7s  %s", counter(p.sequence()), p.modelId(), p.sequence(),
                    DurationConverter.format(p.duration()), what);
        }
    }
}
