package dev.panic;

import dev.panic.exception.ValidationException;
import java.util.Arrays;

/**
 * An immutable float32 vector produced by an embedder for one output. Equality is bit-exact.
 */
public final class Embedding {

    private final float[] vector;

    private Embedding(float[] vector) {
        this.vector = vector;
    }

    /** Copies {@code vector}. */
    public static Embedding of(float[] vector) {
        if (vector == null || vector.length == 0) {
            throw new ValidationException("an embedding needs at least one dimension");
        }
        return new Embedding(vector.clone());
    }

    /** Number of dimensions. */
    public int dimension() {
        return vector.length;
    }

    /** Component {@code i}. */
    public float get(int i) {
        return vector[i];
    }

    /** A fresh copy of the components. */
    public float[] toArray() {
        return vector.clone();
    }

    /**
     * Cosine similarity with {@code other}, in [-1, 1]; 0 if either vector is all zeros.
     *
     * @throws ValidationException if the dimensions differ
     */
    public double cosine(Embedding other) {
        if (other.vector.length != vector.length) {
            throw new ValidationException("cannot compare embeddings of dimension " + vector.length
                    + " and " + other.vector.length + "; were they made by different embedders?");
        }
        double dot = 0;
        double a = 0;
        double b = 0;
        for (int i = 0; i < vector.length; i++) {
            dot += (double) vector[i] * other.vector[i];
            a += (double) vector[i] * vector[i];
            b += (double) other.vector[i] * other.vector[i];
        }
        return a == 0 || b == 0 ? 0 : dot / Math.sqrt(a * b);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Embedding e && Arrays.equals(vector, e.vector));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(vector);
    }

    @Override
    public String toString() {
        return "Embedding[dim=" + vector.length + "]";
    }
}
