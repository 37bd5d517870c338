package dev.panic.benchmarks;

import dev.panic.Embedding;
import dev.panic.Metadata;
import dev.panic.ModelId;
import dev.panic.Payload;
import dev.panic.Prediction;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

/** Synthetic unit vectors and predictions for the benchmarks: no models, no embedders, known shapes. */
final class Synthetic {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final ModelId MODEL = ModelId.parse("bench:model");

    private final int dim;
    private final Random random;

    Synthetic(int dim, long seed) {
        this.dim = dim;
        this.random = new Random(seed);
    }

    /** A random unit vector. */
    float[] random() {
        float[] v = new float[dim];
        double n = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
            n += (double) v[i] * v[i];
        }
        double inv = 1 / Math.sqrt(n);
        for (int i = 0; i < dim; i++) {
            v[i] = (float) (v[i] * inv);
        }
        return v;
    }

    /** A unit vector at cosine {@code cos} from the unit vector {@code v}, in a random direction. */
    float[] turn(float[] v, double cos) {
        float[] u = random();
        double dot = 0;
        for (int i = 0; i < dim; i++) {
            dot += (double) u[i] * v[i];
        }
        double[] w = new double[dim];
        double n = 0;
        for (int i = 0; i < dim; i++) {
            w[i] = u[i] - dot * v[i];
            n += w[i] * w[i];
        }
        double sin = Math.sqrt(1 - cos * cos) / Math.sqrt(n);
        float[] out = new float[dim];
        for (int i = 0; i < dim; i++) {
            out[i] = (float) (cos * v[i] + sin * w[i]);
        }
        return out;
    }

    /** Output {@code n} of a one-model run, a short text with the vector {@code v} from embedder "bench". */
    static Prediction prediction(int n, float[] v) {
        return new Prediction("bench", n, "model", MODEL, Payload.text("input " + n), Payload.text("output number " + n),
                T0.plusMillis(n), T0.plusMillis(n + 1), Metadata.empty(), Map.of("bench", Embedding.of(v)), null, 0);
    }
}
