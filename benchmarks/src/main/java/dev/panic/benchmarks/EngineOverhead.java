package dev.panic.benchmarks;

import dev.panic.Model;
import dev.panic.Network;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Run;
import dev.panic.RunStatus;
import dev.panic.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What the run engine costs over calling the models by hand: the simulator's painter and
 * describer, called in turn for {@code steps} steps by a bare loop ({@code model.invoke} in a
 * {@code for} loop) and as a {@link Run} (with its default in-memory store, and with a directory
 * store), taking turns round by round so that both meet the same load. Reports each round's ratio
 * of throughputs, run over bare: 1.00 means the engine costs nothing.
 *
 * <p>Run: {@code java -cp benchmarks/target/panic-benchmarks.jar dev.panic.benchmarks.EngineOverhead [steps] [rounds]}
 */
public final class EngineOverhead {

    private EngineOverhead() {
    }

    /** Runs the benchmark and prints its figures. */
    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        Platforms platforms = Platforms.discover();
        Model painter = platforms.model("sim:painter");
        Model describer = platforms.model("sim:describer");
        Network net = Network.of(painter, describer);
        Payload prompt = Payload.text("a red circle at the top and a small blue square on the left, on a white background");
        Path folder = Files.createTempDirectory("panic-overhead");

        // Warm up both paths, so that neither pays for class loading or the JIT.
        bare(painter, describer, prompt, steps / 4);
        run(net, prompt, steps / 4, null);

        List<double[]> ratios = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            double bare = bare(painter, describer, prompt, steps);
            double memory = run(net, prompt, steps, null);
            double directory = run(net, prompt, steps, RunStore.directory(folder.resolve("round" + round)));
            ratios.add(new double[] {bare / memory, bare / directory});
            System.out.printf(Locale.ROOT, "round %d: bare %.0f steps/s, run %.0f steps/s (ratio %.3f), run saved to"
                            + " a folder %.0f steps/s (ratio %.3f)%n", round + 1, steps / bare, steps / memory,
                    bare / memory, steps / directory, bare / directory);
        }
        System.out.printf(Locale.ROOT, "median ratio of a run to the bare loop: %.3f in memory, %.3f saved to a folder"
                + " (%d rounds of %d steps)%n", median(ratios, 0), median(ratios, 1), rounds, steps);
        try (var files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static double bare(Model painter, Model describer, Payload prompt, int steps) {
        long start = System.nanoTime();
        Payload next = prompt;
        for (int i = 0; i < steps; i++) {
            next = (i % 2 == 0 ? painter : describer).invoke(next).payload();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double run(Network net, Payload prompt, int steps, RunStore store) {
        long start = System.nanoTime();
        Run.Builder b = Run.builder(net, prompt).maxSteps(steps);
        if (store != null) {
            b.store(store);
        }
        Run run = b.start().await();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (run.status() != RunStatus.COMPLETED || run.size() != steps) {
            throw new IllegalStateException("the run ended early: " + run.stopReason());
        }
        return seconds;
    }

    private static double median(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v[v.length / 2];
    }
}
