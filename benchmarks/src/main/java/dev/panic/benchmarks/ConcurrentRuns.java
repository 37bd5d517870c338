package dev.panic.benchmarks;

import dev.panic.Network;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Run;
import dev.panic.RunStatus;
import dev.panic.simulator.SimulatorPlatform;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Many runs at once against a slow platform: N runs of the simulator's contrarian (TEXT -> TEXT)
 * with a simulated latency per call, all started together. If each run held a thread while its
 * model worked, the thread count would grow with N and the wall time would grow with N / threads;
 * with the asynchronous engine the wall time stays near steps × latency and the thread count flat.
 *
 * <p>Run: {@code java -cp benchmarks/target/panic-benchmarks.jar dev.panic.benchmarks.ConcurrentRuns [runs] [steps] [latencyMs]}
 */
public final class ConcurrentRuns {

    private ConcurrentRuns() {
    }

    /** Runs the benchmark and prints its figures. */
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long latencyMs = args.length > 2 ? Long.parseLong(args[2]) : 200;
        SimulatorPlatform sim = SimulatorPlatform.builder().latency(Duration.ofMillis(latencyMs)).seed(1).build();
        Platforms platforms = Platforms.builder().register(sim).build();
        Network net = platforms.network("sim:contrarian");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        for (int round = 0; round < 3; round++) {
            int threadsBefore = threads.getThreadCount();
            threads.resetPeakThreadCount();
            long start = System.nanoTime();
            List<Run> started = new ArrayList<>(runs);
            for (int i = 0; i < runs; i++) {
                started.add(Run.builder(net, Payload.text("a hot day and a cold night, number " + i))
                        .maxSteps(steps).start());
            }
            long completed = started.stream().map(Run::await).filter(r -> r.status() == RunStatus.COMPLETED).count();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT,
                    "round %d: %d runs x %d steps at %d ms latency: %.2f s wall (ideal %.2f s), %d completed, "
                            + "%.0f predictions/s, threads %d before, peak %d%n",
                    round + 1, runs, steps, latencyMs, seconds, steps * latencyMs / 1000.0, completed,
                    runs * steps / seconds, threadsBefore, threads.getPeakThreadCount());
        }
    }
}
