package dev.panic.embeddings.internal;

/**
 * Joins the blocks of a descriptor into one vector.
 *
 * <p>Each block is scaled to unit length and then by the square root of its share, and the whole
 * is scaled to unit length. So when no block is all zeros, the cosine of two descriptors is
 * exactly the share-weighted mean of their blocks' cosines: a block's share is how much of the
 * similarity it decides, whatever its number of dimensions. A block that is all zeros (no edges
 * in a flat picture, no spectrum in silence) stays zero and the others make up the vector.
 */
final class Blocks {

    private Blocks() {
    }

    /**
     * @param blocks the blocks, in order
     * @param shares each block's share, positive, summing to 1
     * @return the unit-length concatenation, or all zeros if every block is
     */
    static float[] join(double[][] blocks, double[] shares) {
        int n = 0;
        for (double[] b : blocks) {
            n += b.length;
        }
        double[] out = new double[n];
        int at = 0;
        for (int k = 0; k < blocks.length; k++) {
            double[] b = blocks[k];
            double norm = norm(b);
            if (norm > 0) {
                double scale = Math.sqrt(shares[k]) / norm;
                for (int i = 0; i < b.length; i++) {
                    out[at + i] = b[i] * scale;
                }
            }
            at += b.length;
        }
        double norm = norm(out);
        float[] v = new float[n];
        if (norm > 0) {
            for (int i = 0; i < n; i++) {
                v[i] = (float) (out[i] / norm);
            }
        }
        return v;
    }

    /**
     * Replaces a histogram of non-negative weights by the square roots of its fractions. The
     * result has unit length, and the cosine of two such blocks is their Bhattacharyya
     * coefficient, which keeps a dominant bin (a plain background) from deciding the cosine alone.
     */
    static void sqrtFractions(double[] histogram) {
        double sum = 0;
        for (double h : histogram) {
            sum += h;
        }
        if (sum <= 0) {
            return;
        }
        for (int i = 0; i < histogram.length; i++) {
            histogram[i] = Math.sqrt(histogram[i] / sum);
        }
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
