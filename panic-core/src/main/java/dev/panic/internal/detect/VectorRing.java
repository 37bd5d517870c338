package dev.panic.internal.detect;

/**
 * The last few vectors of a series with their lengths, newest first; a fixed array, so memory and
 * time per step do not grow with the run. A missing vector is kept as a hole (null).
 */
final class VectorRing {

    private final float[][] vectors;
    private final double[] norms;
    private int newest = -1;
    private int count;

    VectorRing(int capacity) {
        vectors = new float[capacity][];
        norms = new double[capacity];
    }

    int capacity() {
        return vectors.length;
    }

    /** Adds {@code v} (null for a hole) as the newest. */
    void push(float[] v, double norm) {
        newest = (newest + 1) % vectors.length;
        vectors[newest] = v;
        norms[newest] = norm;
        count = Math.min(count + 1, vectors.length);
    }

    /** Adds {@code n} holes, at most a ring's worth (more would change nothing). */
    void holes(int n) {
        for (int i = 0; i < Math.min(n, vectors.length); i++) {
            push(null, 0);
        }
    }

    /** The vector {@code back} places before the newest (0 = the newest), or null. */
    float[] get(int back) {
        return back >= count ? null : vectors[Math.floorMod(newest - back, vectors.length)];
    }

    double norm(int back) {
        return back >= count ? 0 : norms[Math.floorMod(newest - back, vectors.length)];
    }

    /** Cosine of {@code v} with the vector {@code back} places before the newest; NaN if there is none. */
    double cosine(float[] v, double norm, int back) {
        float[] u = get(back);
        return u == null ? Double.NaN : Vectors.cosine(v, norm, u, norm(back));
    }
}
