package dev.panic.embeddings.internal;

/**
 * An iterative radix-2 FFT of one size, with its twiddle factors and bit-reversal order computed
 * once so that the many frames of a clip share them. Twiddles come from {@link StrictMath} so that
 * spectra, and the descriptors made from them, are the same bits on every JVM.
 *
 * <p>Immutable after construction and thread-safe; {@link #transform} works in the caller's arrays.
 */
public final class Fft {

    private final int n;
    private final double[] cos;
    private final double[] sin;
    private final int[] reversed;

    /**
     * @param n the transform size, a power of two, at least 2
     * @throws IllegalArgumentException otherwise
     */
    public Fft(int n) {
        if (n < 2 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("FFT size must be a power of two of at least 2, got " + n);
        }
        this.n = n;
        cos = new double[n / 2];
        sin = new double[n / 2];
        for (int k = 0; k < n / 2; k++) {
            double angle = -2 * Math.PI * k / n;
            cos[k] = StrictMath.cos(angle);
            sin[k] = StrictMath.sin(angle);
        }
        reversed = new int[n];
        int bits = Integer.numberOfTrailingZeros(n);
        for (int i = 0; i < n; i++) {
            reversed[i] = Integer.reverse(i) >>> (32 - bits);
        }
    }

    /** The transform size. */
    public int size() {
        return n;
    }

    /**
     * Replaces {@code re + i im} by its discrete Fourier transform, {@code X[k] = sum x[t] e^(-2 pi i k t / n)},
     * unscaled.
     *
     * @throws IllegalArgumentException if either array is not of the transform size
     */
    public void transform(double[] re, double[] im) {
        if (re.length != n || im.length != n) {
            throw new IllegalArgumentException("FFT of size " + n + " given arrays of " + re.length + " and " + im.length);
        }
        for (int i = 0; i < n; i++) {
            int j = reversed[i];
            if (j > i) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            int half = len >>> 1;
            int stride = n / len;
            for (int start = 0; start < n; start += len) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * stride];
                    double wi = sin[k * stride];
                    int a = start + k;
                    int b = a + half;
                    double xr = re[b] * wr - im[b] * wi;
                    double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }
}
