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
import dev.panic.Readiness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
     * @param total the step limit for the counter, or null if the run has none
     * @param store where it is saved, or null
     * @return the exit code: 1 if the run failed
     */
    static int follow(Run.Builder builder, Console console, Integer total, OpenStore store) {
        return follow(builder, console, total, store, run -> { });
    }

    /** Like {@link #follow(Run.Builder, Console, Integer, OpenStore)}, for a run saved in a folder (or null). */
    static int follow(Run.Builder builder, Console console, Integer total, Path storeDir, Consumer<Run> started) {
        return follow(builder, console, total, storeDir == null ? null : OpenStore.folder(storeDir), started);
    }

    /**
     * Like {@link #follow(Run.Builder, Console, Integer, OpenStore)}, handing the run to {@code started}
     * as soon as it runs (to steer it while it is followed).
     */
    static int follow(Run.Builder builder, Console console, Integer total, OpenStore store, Consumer<Run> started) {
        Progress progress = new Progress(console, total, "");
        Run run;
        try {
            run = builder.listener(progress).start();
        } catch (RuntimeException e) {
            progress.close();
            throw e;
        }
        console.line("run:     " + run.id());
        if (total != null) {
            console.line("limit:   " + total + " outputs, #0 to #" + (total - 1));
        }
        started.accept(run);
        return watch(List.of(run), List.of(progress), console, store);
    }

    /**
     * Starts several runs at once, shows their steps as they complete (each line labelled with its
     * run's number), follows them to their end and reports each.
     *
     * @return the exit code: 1 if a run failed
     */
    static int followAll(List<Run.Builder> builders, Console console, Integer total, OpenStore store) {
        List<Run> runs = new ArrayList<>();
        List<Progress> progresses = new ArrayList<>();
        if (total != null) {
            console.line("limit:   " + total + " outputs per run, #0 to #" + (total - 1));
        }
        try {
            for (int i = 0; i < builders.size(); i++) {
                String label = "run " + (i + 1) + " ";
                Progress progress = new Progress(console, total, label);
                progresses.add(progress);
                Run run = builders.get(i).listener(progress).start();
                console.line(label + "is " + run.id());
                runs.add(run);
            }
        } catch (RuntimeException e) {
            runs.forEach(Run::cancel);
            progresses.forEach(Progress::close);
            throw e;
        }
        return watch(runs, progresses, console, store);
    }

    private static int watch(List<Run> runs, List<Progress> progresses, Console console, OpenStore store) {
        AtomicBoolean analysing = new AtomicBoolean();
        CountDownLatch analysed = new CountDownLatch(1);
        // Saves the analyses once, whoever gets there first; the other waits for it, since on Ctrl-C (or a
        // TERM signal) the JVM stops as soon as its hooks have run.
        Runnable analyseOnce = () -> {
            if (analysing.compareAndSet(false, true)) {
                try {
                    runs.forEach(r -> saveAnalysis(r, store, console));
                } finally {
                    analysed.countDown();
                }
            } else {
                try {
                    analysed.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Thread onInterrupt = new Thread(() -> {
            runs.forEach(Run::cancel);
            runs.forEach(r -> r.await(Duration.ofSeconds(10)));
            analyseOnce.run();
        }, "panic-cancel-on-exit");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            runs.forEach(Run::await);
        } finally {
            progresses.forEach(Progress::close);
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it saves what is left to save.
                runs.forEach(r -> r.await(Duration.ofSeconds(10)));
            }
        }
        for (Run run : runs) {
            if (runs.size() > 1) {
                console.line("run " + run.id() + ":");
            }
            report(run, console, store);
        }
        analyseOnce.run();
        return runs.stream().anyMatch(r -> r.status() == RunStatus.FAILED) ? PanicCli.FAILED : 0;
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
            if (event instanceof RunEvent.Finished f) {
                finished.complete(f);
            }
        });
        console.line("run:     " + run.id() + " (durable: carried on by the workers; Ctrl-C stops watching, not the run)");
        RunEvent.Finished end;
        try {
            end = finished.join();
        } finally {
            progress.close();
        }
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
            Analyzer.defaults().analyse(run).saveTo(store.store());
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
        for (Run branch : run.branches()) {
            console.line("branch:  " + branch.id() + " from #" + branch.parent().orElseThrow().sequence()
                    + ", " + branch.status().name().toLowerCase(Locale.ROOT) + " after " + branch.size()
                    + " predictions");
        }
        if (store != null && reason.rule().equals("store")) {
            console.line("not saved completely: " + store.where(run.id()) + " holds the " + run.size()
                    + " predictions saved before the store failed; free some space and 'panic resume " + run.id()
                    + "' to go on");
        } else if (store != null) {
            console.line("saved:   " + store.where(run.id()));
        }
    }

    /**
     * Prints a line per output as it is made, and on terminals a status line under them naming the
     * call at work, for how long, and the text it has streamed so far. Numbers are the outputs'
     * sequence numbers ({@code #0} first), as stop reasons, saved runs and {@code fork --at} count.
     */
    static final class Progress implements dev.panic.RunListener, AutoCloseable {
        /** A model call at work: which model, since when, what it has streamed. */
        private record Call(ModelId model, long startedNanos, StringBuilder streamed) {
        }

        private final Console console;
        private final int width;
        private final String label;
        private final java.util.NavigableMap<Integer, Call> atWork = new java.util.TreeMap<>();
        private final java.util.concurrent.ScheduledExecutorService ticker;

        Progress(Console console, Integer total) {
            this(console, total, "");
        }

        Progress(Console console, Integer total, String label) {
            this.console = console;
            this.label = label;
            this.width = total == null ? 1 : String.valueOf(Math.max(0, total - 1)).length();
            if (console.interactive()) {
                ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "panic-status-line");
                    t.setDaemon(true);
                    return t;
                });
                ticker.scheduleAtFixedRate(this::showStatus, 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
            } else {
                ticker = null;
            }
        }

        @Override
        public synchronized void onEvent(RunEvent event) {
            if (event instanceof RunEvent.PredictionStarted s) {
                atWork.put(s.sequence(), new Call(s.modelId(), System.nanoTime(), new StringBuilder()));
            } else if (event instanceof RunEvent.PartialOutput p) {
                Call c = atWork.get(p.sequence());
                if (c != null) {
                    c.streamed().append(p.piece());
                }
            } else if (event instanceof RunEvent.PredictionMade m) {
                atWork.remove(m.prediction().sequence());
                console.line(step(m.prediction(), m.prediction().output().summary(70)));
            } else if (event instanceof RunEvent.Measured m) {
                for (Similarity sim : m.similarities()) {
                    if (sim.toPrevious().isPresent()) {
                        int previous = sim.previous().orElseThrow();
                        // The second output of a node compares with its first only: say that once.
                        String toOrigin = previous == sim.origin() ? "" : String.format(Locale.ROOT, ", %.3f to #%d",
                                sim.toOrigin().orElse(Double.NaN), sim.origin());
                        console.line(label + String.format(Locale.ROOT, "%" + (width + 2) + "s similarity %.3f to #%d%s (%s)",
                                "", sim.toPrevious().getAsDouble(), previous, toOrigin, sim.embedderId()));
                    }
                }
            } else if (event instanceof RunEvent.EmbeddingFailed f) {
                console.line(label + "    could not embed #" + f.sequence() + " with " + f.embedderId() + ": " + f.message());
            } else if (event instanceof RunEvent.PredictionFailed f) {
                atWork.remove(f.prediction().sequence());
                console.line(step(f.prediction(), "FAILED: " + f.prediction().error().message()));
            } else if (event instanceof RunEvent.Observed o) {
                console.line(label + "observed: " + o.reason().message() + " (" + o.reason().rule() + ")");
            } else if (event instanceof RunEvent.Branched b) {
                console.line(label + "    branch " + b.branchId() + " goes on from #" + b.sequence() + " at node " + b.toNode());
            } else if (event instanceof RunEvent.BranchSkipped b) {
                console.line(label + "    no branch from #" + b.sequence() + " to node " + b.toNode() + ": " + b.reason());
            } else if (event instanceof RunEvent.Steered s) {
                console.line(label + "    revision " + s.revision().number() + " from #" + (s.revision().afterSequence() + 1)
                        + ": " + s.revision().changes());
            } else if (event instanceof RunEvent.Finished) {
                atWork.clear();
            }
            showStatus();
        }

        /** The latest call at work, for how long, and the tail of what it has streamed. */
        private synchronized void showStatus() {
            if (!console.interactive()) {
                return;
            }
            Map.Entry<Integer, Call> latest = atWork.lastEntry();
            if (latest == null) {
                console.status("");
                return;
            }
            Call c = latest.getValue();
            double seconds = (System.nanoTime() - c.startedNanos()) / 1e9;
            String streamed = c.streamed().toString().replaceAll("\\s+", " ").strip();
            if (streamed.length() > 48) {
                streamed = "…" + streamed.substring(streamed.length() - 47);
            }
            console.status(label + String.format(Locale.ROOT, "#%-" + width + "d %s working %.1f s%s", latest.getKey(),
                    c.model(), seconds, streamed.isEmpty() ? " …" : ": " + streamed));
        }

        private String step(Prediction p, String what) {
            return label + String.format(Locale.ROOT, "#%-" + width + "d %-22s %7s  %s", p.sequence(), p.modelId(),
                    DurationConverter.format(p.duration()), what);
        }

        /** Stops redrawing the status line and clears it. */
        @Override
        public void close() {
            if (ticker != null) {
                ticker.shutdownNow();
            }
            synchronized (this) {
                atWork.clear();
                console.status("");
            }
        }
    }
}
