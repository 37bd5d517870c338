package dev.panic.embeddings.internal;

import dev.panic.spi.media.AudioDecoder;

/**
 * The perceptual audio descriptor: how the spectrum of a clip sits and moves over time.
 *
 * <p>The clip is cut into {@value #FRAME_MS} ms frames overlapping by half, each Hann-windowed and
 * transformed; the power spectrum is gathered into {@value #BANDS} triangular bands evenly spaced
 * on the mel scale from {@value #LOW_HZ} to {@value #HIGH_HZ} Hz, and each band's power is taken in
 * decibels against full scale and mapped from [{@value #FLOOR_DB}, 0] dB to [0, 1], so silence is 0
 * and a loud tone near 1. Frames are fixed in time and bands in hertz, so the same sound at another
 * sample rate gives nearly the same vector (bands above the Nyquist frequency stay at 0: there is
 * nothing there). Four blocks, joined by {@link Blocks}:
 * <ol>
 *   <li>spectrum, {@value #BANDS}: each band's mean over the clip;
 *   <li>variation, {@value #BANDS}: each band's standard deviation over the clip, which tells
 *       steady sound from changing sound;
 *   <li>time course, {@value #SEGMENTS} x {@value #GROUPS}: the mean of each group of
 *       {@value #BANDS_PER_GROUP} neighbouring bands in each quarter of the clip, so that the same
 *       notes in another order differ;
 *   <li>loudness, {@value #LEVELS}: the fractions of frames that are silent, quiet, moderate and
 *       loud, as square roots; for silence this is all there is, so silence has a vector of its
 *       own rather than none.
 * </ol>
 *
 * <p>Transcendental functions come from {@link StrictMath}, so a clip gives the same bits on every
 * JVM.
 */
public final class AudioDescriptor {

    /** Frame length. */
    public static final int FRAME_MS = 32;
    /** Number of mel bands. */
    public static final int BANDS = 24;
    /** Lowest band edge, Hz. */
    public static final int LOW_HZ = 50;
    /** Highest band edge, Hz. */
    public static final int HIGH_HZ = 8000;
    /** Band power that maps to 0, dB against full scale. */
    public static final int FLOOR_DB = -60;
    /** Time segments of the time-course block. */
    public static final int SEGMENTS = 4;
    /** Neighbouring bands pooled in the time-course block. */
    public static final int BANDS_PER_GROUP = 4;
    /** Band groups of the time-course block. */
    public static final int GROUPS = BANDS / BANDS_PER_GROUP;
    /** Loudness levels of the loudness block. */
    public static final int LEVELS = 4;
    /** The length of every descriptor. */
    public static final int DIMENSION = BANDS + BANDS + SEGMENTS * GROUPS + LEVELS;

    /** Frame power, dB against full scale, that separates silent, quiet, moderate and loud frames. */
    private static final double[] LEVEL_LIMITS_DB = {-60, -40, -20};

    /** Shares of the spectrum, variation, time-course and loudness blocks in the cosine. */
    private static final double[] SHARES = {0.35, 0.15, 0.35, 0.15};

    /** Keeps log10 finite for digital silence; far below the floor, so it always maps to 0. */
    private static final double TINY = 1e-20;

    private AudioDescriptor() {
    }

    /** The unit-length descriptor of the samples, {@value #DIMENSION} dimensions. */
    public static float[] describe(AudioDecoder.Samples pcm) {
        int rate = pcm.sampleRate();
        float[] x = pcm.samples();
        int window = Math.max(2, (int) Math.round(rate * FRAME_MS / 1000.0));
        int hop = Math.max(1, window / 2);
        Fft fft = new Fft(Integer.highestOneBit(window - 1) << 1);
        int n = fft.size();
        double[] hann = new double[window];
        double sumSquares = 0;
        for (int i = 0; i < window; i++) {
            hann[i] = 0.5 - 0.5 * StrictMath.cos(2 * Math.PI * i / (window - 1));
            sumSquares += hann[i] * hann[i];
        }
        // Scales |X|^2 so that the bins of a frame add up to its mean power: a full-scale sine reads
        // about -3 dB whatever the window and transform sizes.
        double powerScale = 1 / (n * sumSquares);
        double[][] filters = melFilters(rate, n);

        int frames = x.length <= window ? 1 : 1 + (x.length - window) / hop;
        double[][] bands = new double[frames][BANDS];
        int[] levels = new int[LEVELS];
        double[] re = new double[n];
        double[] im = new double[n];
        double[] power = new double[n / 2 + 1];
        for (int f = 0; f < frames; f++) {
            int start = f * hop;
            java.util.Arrays.fill(re, 0);
            java.util.Arrays.fill(im, 0);
            for (int i = 0; i < window && start + i < x.length; i++) {
                re[i] = x[start + i] * hann[i];
            }
            fft.transform(re, im);
            double total = 0;
            for (int k = 0; k <= n / 2; k++) {
                double p = (re[k] * re[k] + im[k] * im[k]) * powerScale;
                power[k] = k == 0 || k == n / 2 ? p : 2 * p;
                total += power[k];
            }
            for (int b = 0; b < BANDS; b++) {
                double[] w = filters[b];
                double e = 0;
                for (int k = 0; k < w.length; k++) {
                    e += w[k] * power[k];
                }
                bands[f][b] = scaled(e);
            }
            double db = 10 * StrictMath.log10(total + TINY);
            int level = 0;
            while (level < LEVEL_LIMITS_DB.length && db >= LEVEL_LIMITS_DB[level]) {
                level++;
            }
            levels[level]++;
        }

        double[] mean = new double[BANDS];
        double[] std = new double[BANDS];
        for (int b = 0; b < BANDS; b++) {
            double s = 0;
            for (int f = 0; f < frames; f++) {
                s += bands[f][b];
            }
            double m = s / frames;
            double v = 0;
            for (int f = 0; f < frames; f++) {
                double d = bands[f][b] - m;
                v += d * d;
            }
            mean[b] = m;
            std[b] = Math.sqrt(v / frames);
        }
        double[] course = timeCourse(bands);
        double[] loudness = new double[LEVELS];
        for (int i = 0; i < LEVELS; i++) {
            loudness[i] = levels[i];
        }
        Blocks.sqrtFractions(loudness);
        return Blocks.join(new double[][] {mean, std, course, loudness}, SHARES);
    }

    private static double scaled(double energy) {
        double db = 10 * StrictMath.log10(energy + TINY);
        return Math.max(0, Math.min(1, (db - FLOOR_DB) / -FLOOR_DB));
    }

    private static double[] timeCourse(double[][] bands) {
        int frames = bands.length;
        double[] out = new double[SEGMENTS * GROUPS];
        int[] count = new int[SEGMENTS];
        for (int f = 0; f < frames; f++) {
            add(out, bands[f], segmentOf(f, frames), count);
        }
        for (int s = 0; s < SEGMENTS; s++) {
            if (count[s] == 0) {
                // A clip shorter than four frames: the segment takes the frame nearest its middle.
                int f = Math.min(frames - 1, (int) ((s + 0.5) * frames / SEGMENTS));
                add(out, bands[f], s, count);
            }
            for (int g = 0; g < GROUPS; g++) {
                out[s * GROUPS + g] /= count[s] * (double) BANDS_PER_GROUP;
            }
        }
        return out;
    }

    private static int segmentOf(int frame, int frames) {
        return Math.min(SEGMENTS - 1, (int) ((frame + 0.5) * SEGMENTS / frames));
    }

    private static void add(double[] out, double[] frame, int segment, int[] count) {
        for (int b = 0; b < BANDS; b++) {
            out[segment * GROUPS + b / BANDS_PER_GROUP] += frame[b];
        }
        count[segment]++;
    }

    /**
     * Triangular filters, one per band, over the bins 0..n/2 of an {@code n}-point transform at
     * {@code rate} Hz; adjacent filters overlap so that each bin's weights add up to 1 inside the
     * range. A band so narrow that no bin falls inside its triangle takes its nearest bin whole,
     * so that no band is deaf at low sample rates.
     */
    static double[][] melFilters(int rate, int n) {
        double lowMel = mel(LOW_HZ);
        double highMel = mel(HIGH_HZ);
        double[] edges = new double[BANDS + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = hertz(lowMel + (highMel - lowMel) * i / (BANDS + 1));
        }
        double binHz = (double) rate / n;
        double nyquist = rate / 2.0;
        double[][] filters = new double[BANDS][n / 2 + 1];
        for (int b = 0; b < BANDS; b++) {
            double lo = edges[b];
            double mid = edges[b + 1];
            double hi = edges[b + 2];
            boolean any = false;
            for (int k = 0; k <= n / 2; k++) {
                double hz = k * binHz;
                double w = hz <= lo || hz >= hi ? 0 : hz <= mid ? (hz - lo) / (mid - lo) : (hi - hz) / (hi - mid);
                filters[b][k] = w;
                any |= w > 0;
            }
            if (!any && mid < nyquist) {
                filters[b][(int) Math.min(n / 2, Math.round(mid / binHz))] = 1;
            }
        }
        return filters;
    }

    private static double mel(double hz) {
        return 2595 * StrictMath.log10(1 + hz / 700);
    }

    private static double hertz(double mel) {
        return 700 * (StrictMath.pow(10, mel / 2595) - 1);
    }
}
