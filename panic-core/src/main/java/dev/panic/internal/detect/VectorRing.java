package dev.panic.internal.detect;

import dev.panic.Embedding;

/**
 * The last few vectors of a series, newest first; a fixed array, so memory and time per step do
 * not grow with the run. A missing vector is kept as a hole (null).
 */
final class VectorRing {

    private final Embedding[] vectors;
    private int newest = -1;
    private int count;

    VectorRing(int capacity) {
        vectors = new Embedding[capacity];
    }

    /** Adds {@code v} (null for a hole) as the newest. */
    void push(Embedding v) {
        newest = newest + 1 == vectors.length ? 0 : newest + 1;
        vectors[newest] = v;
        count = Math.min(count + 1, vectors.length);
    }

    /** Adds {@code n} holes, at most a ring's worth (more would change nothing). */
    void holes(int n) {
        for (int i = 0; i < Math.min(n, vectors.length); i++) {
            push(null);
        }
    }

    /** The vector {@code back} places before the newest (0 = the newest), or null. */
    Embedding get(int back) {
        if (back >= count) {
            return null;
        }
        int i = newest - back;
        return vectors[i < 0 ? i + vectors.length : i];
    }

    /** Cosine of {@code v} with the vector {@code back} places before the newest; NaN if there is none. */
    double cosine(Embedding v, int back) {
        return Vectors.cosine(v, get(back));
    }
}
