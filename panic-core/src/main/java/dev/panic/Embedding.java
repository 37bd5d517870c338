package dev.panic;

import dev.panic.exception.ValidationException;
import dev.panic.internal.detect.Vectors;
import java.util.Arrays;

/**
 * An immutable float32 vector produced by an embedder for one output. Equality is bit-exact.
 *
 * <p>Its length is computed once, when it is made, since detectors compare every vector with
 * several others; {@link #dot} and {@link #cosine} work on the vector in place, without copying it.
 */
public final class Embedding {

    private final float[] vector;
    private final double norm;

    private Embedding(float[] vector) {
        this.vector = vector;
        this.norm = Vectors.norm(vector);
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

    /** The Euclidean length (NaN if a component is). */
    public double norm() {
        return norm;
    }

    /**
     * The dot product with {@code other}, accumulated in double.
     *
     * @throws ValidationException if the dimensions differ
     */
    public double dot(Embedding other) {
        checkDimension(other);
        return Vectors.dot(vector, other.vector);
    }

    /**
     * Cosine similarity with {@code other}, in [-1, 1]; 0 if either vector is all zeros.
     *
     * @throws ValidationException if the dimensions differ
     */
    public double cosine(Embedding other) {
        checkDimension(other);
        return Vectors.cosine(vector, norm, other.vector, other.norm);
    }

    private void checkDimension(Embedding other) {
        if (other.vector.length != vector.length) {
            throw new ValidationException("cannot compare embeddings of dimension " + vector.length
                    + " and " + other.vector.length + "; were they made by different embedders?");
        }
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
