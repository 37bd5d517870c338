package dev.panic.analysis;

import java.util.Arrays;
import java.util.List;

/**
 * Cosine similarities between outputs of one modality in one embedder's space: entry
 * {@code (i, j)} compares output {@code sequences().get(i)} with output {@code sequences().get(j)}.
 * Symmetric, with 1 on the diagonal (0 for an all-zero vector). When a series has more outputs than
 * the analysis' matrix size, the matrix covers an evenly spaced sample of them that includes the
 * first and the last ({@link #sampled()}). Immutable.
 */
public final class SimilarityMatrix {

    private final List<Integer> sequences;
    private final double[] values;
    private final boolean sampled;

    /**
     * @param sequences the outputs compared, in order
     * @param values    the n x n similarities, row by row (copied)
     * @param sampled   whether the outputs are a sample of the series
     */
    public SimilarityMatrix(List<Integer> sequences, double[] values, boolean sampled) {
        int n = sequences.size();
        if (values.length != n * n) {
            throw new IllegalArgumentException("a matrix of " + n + " outputs needs " + n * n + " values, got "
                    + values.length);
        }
        this.sequences = List.copyOf(sequences);
        this.values = values.clone();
        this.sampled = sampled;
    }

    /** The sequence numbers of the outputs compared, in order. */
    public List<Integer> sequences() {
        return sequences;
    }

    /** The number of outputs compared. */
    public int size() {
        return sequences.size();
    }

    /** The similarity of the {@code i}-th and {@code j}-th outputs compared. */
    public double get(int i, int j) {
        int n = sequences.size();
        if (i < 0 || j < 0 || i >= n || j >= n) {
            throw new IndexOutOfBoundsException("(" + i + ", " + j + ") is outside a " + n + " x " + n + " matrix");
        }
        return values[i * n + j];
    }

    /** True if the outputs are a sample of the series rather than all of it. */
    public boolean sampled() {
        return sampled;
    }

    /** A fresh copy as rows. */
    public double[][] toArray() {
        int n = sequences.size();
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(values, i * n, (i + 1) * n);
        }
        return rows;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof SimilarityMatrix m && sampled == m.sampled && sequences.equals(m.sequences)
                && Arrays.equals(values, m.values));
    }

    @Override
    public int hashCode() {
        return 31 * sequences.hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "SimilarityMatrix[" + size() + " outputs" + (sampled ? ", sampled" : "") + "]";
    }
}
