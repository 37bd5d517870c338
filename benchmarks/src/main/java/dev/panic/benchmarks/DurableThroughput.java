package dev.panic.benchmarks;

import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.RunSpec;
import dev.panic.RunStatus;
import dev.panic.postgres.PostgresCluster;
import dev.panic.postgres.PostgresRunStore;
import dev.panic.simulator.SimulatorPlatform;
import dev.panic.RunStore;
import dev.panic.temporal.JavaProcess;
import dev.panic.temporal.TemporalRun;
import dev.panic.temporal.TemporalRuns;
import dev.panic.temporal.TemporalTestServer;
import dev.panic.temporal.WorkerMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Durable runs on 1, 2 and 4 worker processes against the same runs in this JVM: N runs of the
 * simulator's painter/describer loop, each call taking a simulated latency, all started together,
 * saved in one PostgreSQL store either way (a throwaway server this program starts, as the tests
 * do). Prints, per setup, the wall time, predictions a second, and the per-step overhead: the
 * mean gap between a prediction's end and the next one's start in the same run (the workflow's
 * round trip, the save and the media read for a durable run; for a run in one JVM, the engine's),
 * and the mean model call as measured around it (the simulated latency, plus the simulator's own
 * drawing and measuring, which takes CPU time).
 * The Temporal service is the official test server in a process of its own: Temporal's production
 * service is faster and spreads over machines, so these figures bound the overhead from above.
 *
 * <p>Run: {@code java -cp benchmarks/target/panic-benchmarks.jar dev.panic.benchmarks.DurableThroughput [runs] [steps] [latencyMs]}
 */
public final class DurableThroughput {

    private DurableThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long latencyMs = args.length > 2 ? Long.parseLong(args[2]) : 200;
        PostgresCluster cluster = PostgresCluster.shared();
        Path logs = Files.createTempDirectory("panic-bench-");
        System.out.printf(Locale.ROOT, "%d runs x %d steps of sim:painter,sim:describer at %d ms a call (ideal wall %.1f s)%n",
                runs, steps, latencyMs, steps * latencyMs / 1000.0);
        System.out.println("setup                 wall     predictions/s   per-step overhead (mean, p95)   mean call");
        inJvm(cluster.newDatabase(), runs, steps, latencyMs);
        for (int workers : List.of(1, 2, 4)) {
            durable(cluster.newDatabase(), logs, workers, runs, steps, latencyMs);
        }
    }

    private static RunSpec spec(Platforms platforms, int steps, int i) {
        return Run.builder(platforms.network("sim:painter", "sim:describer"),
                Payload.text("a small red circle and a big blue square, number " + i)).maxSteps(steps).spec();
    }

    private static void inJvm(String db, int runs, int steps, long latencyMs) {
        SimulatorPlatform sim = SimulatorPlatform.builder().latency(Duration.ofMillis(latencyMs)).build();
        Platforms platforms = Platforms.builder().register(sim).build();
        try (PostgresRunStore store = PostgresRunStore.builder(db).poolSize(16).build()) {
            long start = System.nanoTime();
            List<Run> started = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                started.add(Run.builder(spec(platforms, steps, i), platforms).store(store).start());
            }
            started.forEach(Run::await);
            double wall = (System.nanoTime() - start) / 1e9;
            report("in one JVM", store, started.stream().map(Run::id).toList(), wall, runs * steps,
                    started.stream().allMatch(r -> r.status() == RunStatus.COMPLETED));
        }
    }

    private static void durable(String db, Path logs, int workers, int runs, int steps, long latencyMs)
            throws Exception {
        Platforms platforms = Platforms.discover();
        List<Process> processes = new ArrayList<>();
        try (TemporalTestServer server = TemporalTestServer.start(logs.resolve("server-" + workers + ".log"));
             PostgresRunStore store = PostgresRunStore.builder(db).poolSize(16).build()) {
            for (int w = 0; w < workers; w++) {
                Path log = logs.resolve("worker-" + workers + "-" + w + ".log");
                processes.add(JavaProcess.start(log, WorkerMain.class.getName(),
                        List.of(server.target(), db + "?pool_size=8", String.valueOf(latencyMs), "all")));
                awaitLine(log, "worker ");
            }
            try (TemporalRuns client = TemporalRuns.builder(server.target()).store(store).platforms(platforms).build()) {
                // One warm-up run, so that workers have loaded their classes before the clock starts.
                client.start(spec(platforms, 2, -1)).await(Duration.ofMinutes(2));
                long start = System.nanoTime();
                List<TemporalRun> started = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    started.add(client.start(spec(platforms, steps, i)));
                }
                boolean all = true;
                for (TemporalRun r : started) {
                    all &= r.await(Duration.ofMinutes(10)) && r.status() == RunStatus.COMPLETED;
                }
                double wall = (System.nanoTime() - start) / 1e9;
                report(workers + " worker process" + (workers == 1 ? "" : "es"), store,
                        started.stream().map(TemporalRun::id).toList(), wall, runs * steps, all);
            }
        } finally {
            for (Process p : processes) {
                p.destroy();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void report(String setup, RunStore store, List<String> ids, double wall, int predictions,
                               boolean completed) {
        List<Long> gaps = new ArrayList<>();
        List<Long> calls = new ArrayList<>();
        for (String id : ids) {
            try (Stream<Prediction> s = store.predictions(id, 0)) {
                Prediction previous = null;
                for (Prediction p : (Iterable<Prediction>) s::iterator) {
                    calls.add(p.duration().toMillis());
                    if (previous != null) {
                        gaps.add(Duration.between(previous.finishedAt(), p.startedAt()).toMillis());
                    }
                    previous = p;
                }
            }
        }
        gaps.sort(null);
        double mean = gaps.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
        long p95 = gaps.isEmpty() ? -1 : gaps.get((int) Math.min(gaps.size() - 1, Math.round(gaps.size() * 0.95)));
        double call = calls.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "%-20s %6.2f s   %8.1f         %6.1f ms, %4d ms            %5.0f ms%s%n", setup,
                wall, predictions / wall, mean, p95, call, completed ? "" : "   (NOT ALL COMPLETED)");
    }

    private static void awaitLine(Path log, String prefix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readAllLines(log).stream().anyMatch(l -> l.startsWith(prefix))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("a worker did not start: " + Files.readString(log));
    }
}
