package dev.panic.testing;

import dev.panic.Embedding;
import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Network;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.StopReason;
import dev.panic.StopRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/** Constructed trajectories of vectors with known patterns, and a way to run a rule over them. */
public final class Trajectories {

    public static final int DIM = 384;
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private Trajectories() {
    }

    /** A random unit vector. */
    public static float[] random(Random r) {
        float[] v = new float[DIM];
        double n = 0;
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) r.nextGaussian();
            n += v[i] * v[i];
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < DIM; i++) {
            v[i] *= inv;
        }
        return v;
    }

    /** A unit vector whose cosine with the unit vector {@code v} is exactly {@code cos}, in a random direction. */
    public static float[] turn(float[] v, double cos, Random r) {
        float[] u = random(r);
        double dot = 0;
        for (int i = 0; i < DIM; i++) {
            dot += u[i] * v[i];
        }
        double n = 0;
        double[] w = new double[DIM];
        for (int i = 0; i < DIM; i++) {
            w[i] = u[i] - dot * v[i];
            n += w[i] * w[i];
        }
        double sin = Math.sqrt(1 - cos * cos);
        float[] out = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            out[i] = (float) (cos * v[i] + sin * w[i] / Math.sqrt(n));
        }
        return out;
    }

    /** {@code n} vectors made by {@code f}. */
    public static List<float[]> of(int n, IntFunction<float[]> f) {
        List<float[]> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(f.apply(i));
        }
        return list;
    }

    /** A network of {@code size} TEXT->TEXT models t:m0, t:m1...; never called. */
    public static Network network(int size) {
        List<Model> models = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            models.add(Model.of(new ModelInfo(ModelId.parse("t:m" + i), Modality.TEXT, Modality.TEXT, ""),
                    Parameters.empty(), (in, p) -> CompletableFuture.<ModelOutput>failedFuture(
                            new IllegalStateException("not for calling"))));
        }
        return Network.builder().addAll(models).build();
    }

    /** Predictions of a network of {@code size}, output {@code n} carrying {@code vectors.get(n)} from {@code embedder}. */
    public static List<Prediction> predictions(int size, String embedder, List<float[]> vectors) {
        List<Prediction> out = new ArrayList<>();
        for (int n = 0; n < vectors.size(); n++) {
            out.add(prediction(n, size, Map.of(embedder, Embedding.of(vectors.get(n))), "output " + n));
        }
        return out;
    }

    public static Prediction prediction(int n, int size, Map<String, Embedding> embeddings, String text) {
        return prediction("run", n, size, embeddings, text);
    }

    public static Prediction prediction(String runId, int n, int size, Map<String, Embedding> embeddings, String text) {
        return new Prediction(runId, n, "m" + (n % size), ModelId.parse("t:m" + (n % size)), Payload.text("in " + n),
                Payload.text(text), T0.plusSeconds(n), T0.plusSeconds(n + 1), Metadata.empty(), embeddings, null, 0);
    }

    /** The model ids of {@link #network(int)}. */
    public static List<ModelId> ids(int size) {
        List<ModelId> ids = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ids.add(ModelId.parse("t:m" + i));
        }
        return ids;
    }

    /** Where {@code rule} first fires over {@code predictions}, as an observe-only rule records it. */
    public static Optional<StopReason> firstFiring(StopRule rule, int size, List<Prediction> predictions) {
        StopRule.Check check = rule.start(network(size));
        for (Prediction p : predictions) {
            Optional<StopReason> r = check.afterPrediction(p, Duration.ofSeconds(p.sequence()));
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }
}
