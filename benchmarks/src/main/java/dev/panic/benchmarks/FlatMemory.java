package dev.panic.benchmarks;

import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Network;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Run;
import dev.panic.RunStatus;
import dev.panic.StopRule;
import dev.panic.detection.Detectors;
import dev.panic.embeddings.OfflineEmbedders;
import dev.panic.store.RunStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A long image loop in a small heap: the simulator's painter at 1024 x 1024 pixels and its
 * describer in a ring with a namer that adds a new made-up word each lap (so the texts and the
 * pictures keep changing: no output is ever stored only once), every output embedded (MiniLM for
 * texts, the image descriptor for pictures), every detector observing, the run saved to a folder. A run keeps only its last few predictions and
 * reads older ones back from its store, so the heap left after a full collection should stay flat
 * however long the run; run it with a small {@code -Xmx} to see that it completes at all.
 *
 * <p>Every {@code every} steps it forces a collection and prints the heap then in use, with the
 * distinct pictures so far (to show the loop is still moving).
 *
 * <p>Run: {@code java -Xmx64m -cp benchmarks/target/panic-benchmarks.jar dev.panic.benchmarks.FlatMemory [steps] [size] [minilm|no-minilm] [folder]}
 * (defaults 100000 steps, 1024 px, MiniLM on, a temporary folder that is deleted afterwards). MiniLM
 * alone needs about 80 MB of heap to load its weights, so {@code -Xmx64m} runs take {@code no-minilm}:
 * the pictures are still embedded, by the image descriptor.
 */
public final class FlatMemory {

    private FlatMemory() {
    }

    /** A word of letters only (the painter reads letters): n in base 26, from "b" on. */
    private static String word(long n) {
        StringBuilder sb = new StringBuilder();
        for (long v = n; v > 0; v /= 26) {
            sb.append((char) ('a' + v % 26));
        }
        return sb.append("ish").toString();
    }

    /** Runs the benchmark and prints its figures. */
    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        boolean minilm = args.length <= 2 || !args[2].equals("no-minilm");
        Path folder = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("panic-flat-memory");
        boolean deleteAfter = args.length <= 3;
        int every = Math.max(1, steps / 20);

        Platforms platforms = Platforms.discover();
        // The namer adds a made-up word to each description, new every lap; the painter draws an unknown
        // word as a shape of its own, so the pictures never repeat and no media is stored only once.
        AtomicLong laps = new AtomicLong();
        Model namer = Model.of(new ModelInfo(ModelId.parse("bench:namer"), Modality.TEXT, Modality.TEXT,
                "adds a new made-up word"), Parameters.empty(), (in, p) -> CompletableFuture.completedFuture(
                new ModelOutput(Payload.text(((Payload.Text) in).text() + ", " + word(laps.incrementAndGet())), null)));
        Network net = Network.builder()
                .add(namer)
                .add(platforms.model("sim:painter", Parameters.of("size", size)))
                .add(platforms.model("sim:describer"))
                .build();
        List<dev.panic.embedding.Embedder> embedders = minilm
                ? List.of(OfflineEmbedders.text(), OfflineEmbedders.image()) : List.of(OfflineEmbedders.image());
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Set<String> pictures = new HashSet<>();
        List<long[]> samples = new ArrayList<>();
        long start = System.nanoTime();
        Run run = Run.builder(net, Payload.text("a small red circle at the top on a blue background"))
                .maxSteps(steps)
                .embedWith(embedders.toArray(dev.panic.embedding.Embedder[]::new))
                .observe(StopRule.exactRepeat())
                .observe(Detectors.normalisedRepeat())
                .observe(Detectors.fixedPoint().build())
                .observe(Detectors.cycle().build())
                .observe(Detectors.drift().build())
                .store(RunStore.directory(folder))
                .listener(e -> {
                    if (e instanceof dev.panic.RunEvent.PredictionMade m) {
                        int n = m.prediction().sequence() + 1;
                        if (m.prediction().output() instanceof Payload.Image image) {
                            // Eight hex digits a picture: a small set even over a long run.
                            pictures.add(image.data().sha256().substring(0, 8));
                        }
                        if (n % every == 0 || n == 1000) {
                            System.gc();
                            long used = memory.getHeapMemoryUsage().getUsed();
                            samples.add(new long[] {n, used});
                            System.out.printf(Locale.ROOT, "step %7d: heap after GC %6.1f MB, %6d distinct pictures,"
                                            + " %.1f steps/s%n", n, used / 1e6, pictures.size(),
                                    n / ((System.nanoTime() - start) / 1e9));
                        }
                    }
                })
                .start();
        run.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%s after %d predictions in %.0f s (%s); max heap %.0f MB%n",
                run.status(), run.size(), seconds, run.stopReason().map(r -> r.rule()).orElse("?"),
                Runtime.getRuntime().maxMemory() / 1e6);
        if (samples.size() >= 2) {
            long[] first = samples.get(0);
            long[] last = samples.get(samples.size() - 1);
            long max = samples.stream().mapToLong(s -> s[1]).max().orElse(0);
            System.out.printf(Locale.ROOT, "heap after GC: %.1f MB at step %d, %.1f MB at step %d, at most %.1f MB%n",
                    first[1] / 1e6, first[0], last[1] / 1e6, last[0], max / 1e6);
        }
        if (run.status() != RunStatus.COMPLETED) {
            System.out.println(run.stopReason().map(r -> r.message()).orElse(""));
            System.exit(1);
        }
        if (deleteAfter) {
            try (var files = Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
