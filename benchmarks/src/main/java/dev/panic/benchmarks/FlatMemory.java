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
import dev.panic.RunStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * <p>A thread of its own forces a collection every three seconds; every twentieth of the run it
 * prints the least and most heap in use after those collections, with the distinct pictures so far.
 * Consecutive pictures always differ; over a long run they come back (the painter's nine-cell grid
 * has only so many variants), so the count levels off.
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
        List<long[]> samples = new ArrayList<>();
        // The namer adds a made-up word to each description, new every lap; the painter draws an unknown
        // word as a shape of its own, so each picture differs from the one before.
        AtomicLong laps = new AtomicLong();
        Model namer = Model.of(new ModelInfo(ModelId.parse("bench:namer"), Modality.TEXT, Modality.TEXT,
                "adds a new made-up word"), Parameters.empty(), (in, p) -> CompletableFuture.completedFuture(
                new ModelOutput(Payload.text(((Payload.Text) in).text() + ", " + word(laps.incrementAndGet())), null)));
        Network net = Network.builder()
                .add(namer)
                .add(platforms.model("sim:painter", Parameters.of("size", size)))
                .add(platforms.model("sim:describer"))
                .build();
        List<dev.panic.Embedder> embedders = minilm
                ? List.of(OfflineEmbedders.text(), OfflineEmbedders.image()) : List.of(OfflineEmbedders.image());
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Set<String> pictures = java.util.concurrent.ConcurrentHashMap.newKeySet();
        long start = System.nanoTime();
        Run run = Run.builder(net, Payload.text("a small red circle at the top on a blue background"))
                .maxSteps(steps)
                .embedWith(embedders.toArray(dev.panic.Embedder[]::new))
                .observe(StopRule.exactRepeat())
                .observe(Detectors.normalisedRepeat())
                .observe(Detectors.fixedPoint().build())
                .observe(Detectors.cycle().build())
                .observe(Detectors.drift().build())
                .store(RunStore.directory(folder))
                .listener(e -> {
                    if (e instanceof dev.panic.RunEvent.PredictionMade m
                            && m.prediction().output() instanceof Payload.Image image) {
                        pictures.add(image.data().sha256().substring(0, 12));
                    }
                })
                .start();
        // A collection every few seconds from a thread of its own, so the run is never held up by it. The
        // heap then holds the run's own state plus whatever pictures are being drawn, described or
        // embedded at that moment (a 1024 px picture is 4 MB decoded), so each window reports its least
        // and most.
        List<long[]> window = new ArrayList<>();
        int reported = 0;
        int next = every;
        while (!run.await(java.time.Duration.ofSeconds(3))) {
            System.gc();
            window.add(new long[] {run.size(), memory.getHeapMemoryUsage().getUsed()});
            if (run.size() >= next || run.size() >= 1000 && reported == 0) {
                long min = window.stream().mapToLong(w -> w[1]).min().orElse(0);
                long max = window.stream().mapToLong(w -> w[1]).max().orElse(0);
                samples.add(new long[] {run.size(), min, max});
                System.out.printf(Locale.ROOT, "step %7d: heap after GC %6.1f to %6.1f MB over the last %d samples,"
                                + " %6d distinct pictures, %.1f steps/s%n", run.size(), min / 1e6, max / 1e6,
                        window.size(), pictures.size(), run.size() / ((System.nanoTime() - start) / 1e9));
                window.clear();
                reported++;
                while (next <= run.size()) {
                    next += every;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%s after %d predictions in %.0f s (%s); max heap %.0f MB%n",
                run.status(), run.size(), seconds, run.stopReason().map(r -> r.rule()).orElse("?"),
                Runtime.getRuntime().maxMemory() / 1e6);
        if (samples.size() >= 2) {
            long[] first = samples.get(0);
            long[] last = samples.get(samples.size() - 1);
            System.out.printf(Locale.ROOT, "heap after GC: least %.1f MB around step %d, least %.1f MB around step %d;"
                            + " most of any sample %.1f MB%n", first[1] / 1e6, first[0], last[1] / 1e6, last[0],
                    samples.stream().mapToLong(x -> x[2]).max().orElse(0) / 1e6);
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
