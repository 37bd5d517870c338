package dev.panic.testing;

import dev.panic.Embedding;
import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.Embedder;
import dev.panic.exception.UnavailableException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.imageio.ImageIO;

/**
 * Small hand-made embedders for tests, so that run and detector tests depend neither on the real
 * embedders of panic-embeddings nor on their numbers.
 */
public final class TestEmbedders {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestEmbedders() {
    }

    /** An embedder from a function, answering at once. */
    public static Embedder of(String id, Set<Modality> modalities, int dimension, Function<Payload, float[]> f) {
        return new Embedder() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Set<Modality> modalities() {
                return modalities;
            }

            @Override
            public int dimension() {
                return dimension;
            }

            @Override
            public CompletableFuture<List<Embedding>> embedAll(List<? extends Payload> inputs) {
                checkInputs(inputs);
                List<Embedding> out = new ArrayList<>();
                for (Payload p : inputs) {
                    out.add(Embedding.of(f.apply(p)));
                }
                return CompletableFuture.completedFuture(out);
            }

            @Override
            public String toString() {
                return "TestEmbedder[" + id + "]";
            }
        };
    }

    /**
     * TEXT: a bag of words, each lower-cased word hashed into one of {@code dimension} buckets.
     * Equal word multisets give equal vectors; texts sharing most words are close.
     */
    public static Embedder words(String id, int dimension) {
        return of(id, Set.of(Modality.TEXT), dimension, p -> {
            float[] v = new float[dimension];
            for (String w : ((Payload.Text) p).text().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                if (!w.isEmpty()) {
                    v[Math.floorMod(fnv(w), dimension)] += 1;
                }
            }
            v[0] += 0.01f; // never all zeros, so the empty text still has a direction
            return v;
        });
    }

    /** IMAGE: a 4x4x4 colour histogram of the decoded picture; equal pictures give equal vectors. */
    public static Embedder colours(String id) {
        return of(id, Set.of(Modality.IMAGE), 64, p -> {
            BufferedImage img;
            try {
                img = ImageIO.read(((Payload.Image) p).data().newInputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            float[] v = new float[64];
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int rgb = img.getRGB(x, y);
                    int bin = ((rgb >> 22) & 3) * 16 + ((rgb >> 14) & 3) * 4 + ((rgb >> 6) & 3);
                    v[bin] += 1;
                }
            }
            return v;
        });
    }

    /** An embedder whose every call fails. */
    public static Embedder failing(String id, Set<Modality> modalities, String message) {
        return new Embedder() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Set<Modality> modalities() {
                return modalities;
            }

            @Override
            public int dimension() {
                return 4;
            }

            @Override
            public CompletableFuture<List<Embedding>> embedAll(List<? extends Payload> inputs) {
                return CompletableFuture.failedFuture(new UnavailableException(message));
            }
        };
    }

    /** An embedder whose answers the test gives, call by call, so tests can order events without timing. */
    public static final class Gated implements Embedder {
        private final String id;
        private final Set<Modality> modalities;
        private final int dimension;
        /** The payloads asked for, in order. */
        public final List<Payload> inputs = new CopyOnWriteArrayList<>();
        /** One future per call, in order. */
        public final List<CompletableFuture<List<Embedding>>> calls = new CopyOnWriteArrayList<>();

        public Gated(String id, Set<Modality> modalities, int dimension) {
            this.id = id;
            this.modalities = modalities;
            this.dimension = dimension;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Set<Modality> modalities() {
            return modalities;
        }

        @Override
        public int dimension() {
            return dimension;
        }

        @Override
        public CompletableFuture<List<Embedding>> embedAll(List<? extends Payload> in) {
            checkInputs(in);
            CompletableFuture<List<Embedding>> f = new CompletableFuture<>();
            inputs.addAll(in);
            calls.add(f);
            return f;
        }

        /** Waits until call {@code n} (from 0) has been made and returns its future. */
        public CompletableFuture<List<Embedding>> awaitCall(int n) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (calls.size() <= n) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("embedding call " + n + " never came");
                }
                Thread.sleep(2);
            }
            return calls.get(n);
        }

        /** Completes call {@code n} with {@code vector}. */
        public void answer(int n, float... vector) throws InterruptedException {
            awaitCall(n).complete(List.of(Embedding.of(vector)));
        }
    }

    private static int fnv(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x01000193;
        }
        return h;
    }
}
