package dev.panic.benchmarks;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.panic.Embedding;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.embeddings.AudioDescriptorEmbedder;
import dev.panic.embeddings.ImageDescriptorEmbedder;
import dev.panic.embeddings.MiniLmEmbedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * How fast the offline embedders run in process, and what {@link MiniLmEmbedder} costs on top of
 * the langchain4j model it wraps.
 *
 * <p>Text: {@value #CAPTIONS} short synthetic captions, embedded in batches of 32 and of 64 and one
 * at a time, by the wrapper and by the model called directly, after a warm-up, {@value #REPETITIONS}
 * times each. The two take turns every batch (every {@value #SINGLES_PER_TURN} captions one at a
 * time), alternating which goes first, so that both meet the same load on a shared machine and
 * neither always meets a cold cache or a pending garbage collection. Rates are captions over the
 * total time of all repetitions; the wrapper's overhead is how much lower its rate is than the
 * model's, in percent (negative when it came out faster: that is noise), followed by its range
 * over the repetitions. Image and audio rates are medians.
 * Image and audio: the descriptors over pictures and clips from the simulator platform.
 *
 * <p>On a shared machine absolute rates follow the load of whatever else runs; the overhead,
 * measured in turns, does not.
 *
 * <pre>
 * mvn -B -q -ntp package -DskipTests
 * java -cp benchmarks/target/panic-benchmarks.jar dev.panic.benchmarks.EmbeddingThroughput [repetitions]
 * </pre>
 */
public final class EmbeddingThroughput {

    private static final int CAPTIONS = 1000;
    private static final int REPETITIONS = 5;
    private static final int[] BATCH_SIZES = {32, 64};
    private static final int PICTURES = 40;
    private static final int CLIPS = 40;
    private static final int SINGLES_PER_TURN = 50;

    /** Keeps the JIT from dropping work whose result nobody reads. */
    private static volatile double sink;

    private EmbeddingThroughput() {
    }

    /**
     * Runs the benchmark and prints its figures.
     *
     * @param args optionally the number of repetitions, {@value #REPETITIONS} by default
     */
    public static void main(String[] args) {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : REPETITIONS;
        System.out.printf(Locale.ROOT, "JDK %s, %d cores, max heap %d MB, %d repetitions%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, repetitions);

        text(repetitions);
        images(repetitions);
        audio(repetitions);
        if (sink == Double.MIN_VALUE) {
            System.out.println(); // never in practice; reading the sink is what matters
        }
    }

    private static void text(int repetitions) {
        List<String> captions = captions(CAPTIONS, 42);
        List<Payload> payloads = captions.stream().<Payload>map(Payload::text).toList();
        List<TextSegment> segments = captions.stream().map(TextSegment::from).toList();

        long t0 = System.nanoTime();
        MiniLmEmbedder ours = new MiniLmEmbedder().load();
        AllMiniLmL6V2QuantizedEmbeddingModel direct = new AllMiniLmL6V2QuantizedEmbeddingModel();
        System.out.printf(Locale.ROOT, "%nMiniLM loaded in %.0f ms; %d captions, e.g. \"%s\"%n",
                (System.nanoTime() - t0) / 1e6, CAPTIONS, captions.get(0));

        // Warm-up: both ways, batched and single, until the JIT has compiled them and ONNX has sized its buffers.
        for (int i = 0; i < 2; i++) {
            warmUp(ours, direct, payloads, segments);
        }

        System.out.printf(Locale.ROOT, "%-16s %20s %22s %11s %16s%n", "text, MiniLM", "MiniLmEmbedder /s",
                "langchain4j direct /s", "overhead", "per repetition");
        for (int size : BATCH_SIZES) {
            compare("batches of " + size, payloads.size(), size, repetitions,
                    (from, to) -> sink += ours.embedAll(payloads.subList(from, to)).join().get(0).get(0),
                    (from, to) -> sink += direct.embedAll(segments.subList(from, to)).content().get(0).vector()[0]);
        }
        compare("one at a time", payloads.size(), SINGLES_PER_TURN, repetitions,
                (from, to) -> {
                    for (int i = from; i < to; i++) {
                        sink += ours.embed(payloads.get(i)).join().get(0);
                    }
                },
                (from, to) -> {
                    for (int i = from; i < to; i++) {
                        sink += direct.embed(segments.get(i)).content().vector()[0];
                    }
                });
    }

    /** Embeds the items from {@code from} (inclusive) to {@code to} (exclusive), one way or the other. */
    @FunctionalInterface
    private interface Span {
        void run(int from, int to);
    }

    /**
     * Times both ways over all items, {@code repetitions} times. The machine may be shared, and its
     * load changes over seconds, so the two take turns every {@code turn} items (alternating which
     * goes first) rather than every pass: both then meet the same load.
     */
    private static void compare(String mode, int items, int turn, int repetitions, Span ours, Span direct) {
        long oursTotal = 0;
        long directTotal = 0;
        double[] overheads = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long oursNanos = 0;
            long directNanos = 0;
            for (int from = 0, k = 0; from < items; from += turn, k++) {
                int to = Math.min(items, from + turn);
                if ((k + r) % 2 == 0) {
                    oursNanos += time(ours, from, to);
                    directNanos += time(direct, from, to);
                } else {
                    directNanos += time(direct, from, to);
                    oursNanos += time(ours, from, to);
                }
            }
            oursTotal += oursNanos;
            directTotal += directNanos;
            overheads[r] = overhead(oursNanos, directNanos);
        }
        double[] sorted = overheads.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%-16s %20.1f %22.1f %10.1f%% %9.1f..%.1f%%%n", mode,
                (double) items * repetitions * 1e9 / oursTotal, (double) items * repetitions * 1e9 / directTotal,
                overhead(oursTotal, directTotal), sorted[0], sorted[sorted.length - 1]);
    }

    /** How much lower the wrapper's rate is than the model's, in percent. */
    private static double overhead(long oursNanos, long directNanos) {
        return (1 - (double) directNanos / oursNanos) * 100;
    }

    private static long time(Span span, int from, int to) {
        long start = System.nanoTime();
        span.run(from, to);
        return System.nanoTime() - start;
    }

    private static void warmUp(MiniLmEmbedder ours, AllMiniLmL6V2QuantizedEmbeddingModel direct,
                               List<Payload> payloads, List<TextSegment> segments) {
        for (int i = 0; i < payloads.size(); i += 64) {
            int to = Math.min(payloads.size(), i + 64);
            sink += ours.embedAll(payloads.subList(i, to)).join().get(0).get(0);
            sink += direct.embedAll(segments.subList(i, to)).content().get(0).vector()[0];
        }
        for (int i = 0; i < 200; i++) {
            sink += ours.embed(payloads.get(i)).join().get(0);
            sink += direct.embed(segments.get(i)).content().vector()[0];
        }
    }

    private static void images(int repetitions) {
        Platforms platforms = Platforms.discover();
        List<String> prompts = captions(PICTURES, 7);
        ImageDescriptorEmbedder embedder = new ImageDescriptorEmbedder();
        System.out.printf(Locale.ROOT, "%n%-28s %22s%n", "image descriptor, sim:painter", "decoded+described /s");
        for (int size : new int[] {128, 512, 1024}) {
            List<Payload> pictures = new ArrayList<>();
            for (String p : prompts) {
                pictures.add(platforms.model("sim:painter").invoke(Payload.text(p), Parameters.of("size", size)).payload());
            }
            double rate = rate(pictures.size(), repetitions, () -> {
                long start = System.nanoTime();
                sink += embedder.embedAll(pictures).join().get(0).get(0);
                return System.nanoTime() - start;
            });
            System.out.printf(Locale.ROOT, "%-28s %22.1f%n", size + " x " + size + " PNG", rate);
        }
    }

    private static void audio(int repetitions) {
        Platforms platforms = Platforms.discover();
        List<String> prompts = captions(CLIPS, 11);
        AudioDescriptorEmbedder embedder = new AudioDescriptorEmbedder();
        System.out.printf(Locale.ROOT, "%n%-28s %14s %18s%n", "audio descriptor, sim:synth", "clips /s",
                "x real time");
        for (int rate : new int[] {8000, 44100}) {
            List<Payload> clips = new ArrayList<>();
            double seconds = 0;
            for (String p : prompts) {
                Payload.Audio clip = (Payload.Audio) platforms.model("sim:synth")
                        .invoke(Payload.text(p), Parameters.of("sample_rate", rate)).payload();
                seconds += clip.duration().orElseThrow().toNanos() / 1e9;
                clips.add(clip);
            }
            double perSecond = rate(clips.size(), repetitions, () -> {
                long start = System.nanoTime();
                sink += embedder.embedAll(clips).join().get(0).get(0);
                return System.nanoTime() - start;
            });
            System.out.printf(Locale.ROOT, "%-28s %14.1f %18.0f%n",
                    String.format(Locale.ROOT, "%d Hz WAV, %.1f s each", rate, seconds / clips.size()),
                    perSecond, perSecond * seconds / clips.size());
        }
    }

    /** Items per second, median over the repetitions after one warm-up run. */
    private static double rate(int items, int repetitions, LongSupplier run) {
        run.getAsLong();
        double[] rates = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            rates[r] = items * 1e9 / run.getAsLong();
        }
        return median(rates);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Short captions in the painter's vocabulary, as a painter/describer loop makes them. */
    static List<String> captions(int count, long seed) {
        String[] tone = {"bright", "dark", "muted", "pale", "vivid"};
        String[] size = {"small", "medium", "large"};
        String[] colour = {"red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "black", "white",
            "grey", "cyan"};
        String[] shape = {"circle", "square", "triangle", "stripe"};
        String[] place = {"on the left", "on the right", "at the top", "at the bottom", "in the centre"};
        SplittableRandom random = new SplittableRandom(seed);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder s = new StringBuilder("a ").append(pick(tone, random)).append(" image of a ")
                    .append(pick(size, random)).append(' ').append(pick(colour, random)).append(' ')
                    .append(pick(shape, random)).append(' ').append(pick(place, random));
            if (random.nextInt(3) == 0) {
                s.append(" and a ").append(pick(colour, random)).append(' ').append(pick(shape, random)).append(' ')
                        .append(pick(place, random));
            }
            out.add(s.toString());
        }
        return out;
    }

    private static String pick(String[] words, SplittableRandom random) {
        return words[random.nextInt(words.length)];
    }
}
