package dev.panic.embeddings.internal;

import dev.panic.spi.media.ImageDecoder;

/**
 * The perceptual image descriptor: colours, where they are, and edges, from the pixels alone.
 *
 * <p>The picture is first resampled by area averaging to {@value #SIDE} x {@value #SIDE}, so that
 * the same picture at another size gives nearly the same vector and the cost does not grow with
 * the size; the aspect ratio is not kept. Then four blocks, joined by {@link Blocks}:
 * <ol>
 *   <li>colour, {@value #COLOUR_BINS}: a joint RGB histogram of {@value #LEVELS} levels per
 *       channel, each pixel shared between the 8 nearest bins (trilinear), so a slight change of
 *       shade moves weight between bins instead of jumping; as square roots of fractions.
 *   <li>layout, {@value #LAYOUT_DIMS}: the mean colour of each cell of a {@value #GRID} x
 *       {@value #GRID} grid, less the mean colour of the picture, so that it says where colours
 *       are rather than repeating which colours there are.
 *   <li>edge orientation, {@value #ORIENTATIONS}: a histogram of gradient orientations (unsigned,
 *       0 to 180 degrees) over the whole picture, weighted by gradient strength, from a Sobel
 *       filter on luminance; as square roots of fractions. It is taken over the whole picture on
 *       purpose: where things are is the layout's business, and a shape that only moved should
 *       keep its edges' signature.
 *   <li>edge strength, {@value #STRENGTH_BINS}: the fractions of pixels that are flat, weakly,
 *       moderately and strongly textured, as square roots; this tells a busy picture from a plain
 *       one, which orientations alone, being fractions, cannot.
 * </ol>
 *
 * <p>Transcendental functions come from {@link StrictMath}, and Java's float arithmetic is the
 * same everywhere, so a picture gives the same bits on every JVM: vectors saved by one machine
 * compare exactly with vectors made by another.
 */
public final class ImageDescriptor {

    /** The side of the working picture, in pixels. */
    public static final int SIDE = 128;
    /** Levels per channel in the colour histogram. */
    public static final int LEVELS = 4;
    /** Bins of the colour histogram. */
    public static final int COLOUR_BINS = LEVELS * LEVELS * LEVELS;
    /** Cells per side of the layout grid. */
    public static final int GRID = 4;
    /** Dimensions of the layout block. */
    public static final int LAYOUT_DIMS = GRID * GRID * 3;
    /** Bins of the edge orientation histogram. */
    public static final int ORIENTATIONS = 8;
    /** Bins of the edge strength block. */
    public static final int STRENGTH_BINS = 4;
    /** The length of every descriptor. */
    public static final int DIMENSION = COLOUR_BINS + LAYOUT_DIMS + ORIENTATIONS + STRENGTH_BINS;

    /**
     * Gradient magnitudes (luminance 0 to 1 per pixel) that separate flat, weak, moderate and
     * strong. Below the first, orientation is mostly noise (JPEG ringing, dithering), so such
     * pixels do not vote on it.
     */
    private static final double[] STRENGTH_LIMITS = {0.02, 0.08, 0.25};

    /** Shares of the colour, layout, orientation and strength blocks in the cosine. */
    private static final double[] SHARES = {0.30, 0.30, 0.30, 0.10};

    private ImageDescriptor() {
    }

    /** The unit-length descriptor of the pixels, {@value #DIMENSION} dimensions. */
    public static float[] describe(ImageDecoder.Pixels pixels) {
        double[][] rgb = resample(pixels);
        double[] r = rgb[0];
        double[] g = rgb[1];
        double[] b = rgb[2];
        double[] colour = colourHistogram(r, g, b);
        double[] layout = layout(r, g, b);
        double[] luma = new double[r.length];
        for (int i = 0; i < luma.length; i++) {
            luma[i] = 0.299 * r[i] + 0.587 * g[i] + 0.114 * b[i];
        }
        double[] orientation = new double[ORIENTATIONS];
        double[] strength = new double[STRENGTH_BINS];
        edges(luma, orientation, strength);
        return Blocks.join(new double[][] {colour, layout, orientation, strength}, SHARES);
    }

    private static double[] colourHistogram(double[] r, double[] g, double[] b) {
        double[] h = new double[COLOUR_BINS];
        int top = LEVELS - 1;
        for (int i = 0; i < r.length; i++) {
            double pr = r[i] * top;
            double pg = g[i] * top;
            double pb = b[i] * top;
            int ir = Math.min((int) pr, top - 1);
            int ig = Math.min((int) pg, top - 1);
            int ib = Math.min((int) pb, top - 1);
            double fr = pr - ir;
            double fg = pg - ig;
            double fb = pb - ib;
            for (int dr = 0; dr < 2; dr++) {
                double wr = dr == 0 ? 1 - fr : fr;
                for (int dg = 0; dg < 2; dg++) {
                    double wg = dg == 0 ? 1 - fg : fg;
                    for (int db = 0; db < 2; db++) {
                        double wb = db == 0 ? 1 - fb : fb;
                        h[((ir + dr) * LEVELS + ig + dg) * LEVELS + ib + db] += wr * wg * wb;
                    }
                }
            }
        }
        Blocks.sqrtFractions(h);
        return h;
    }

    private static double[] layout(double[] r, double[] g, double[] b) {
        double[] cells = new double[LAYOUT_DIMS];
        double[] mean = new double[3];
        int cell = SIDE / GRID;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int i = y * SIDE + x;
                int c = ((y / cell) * GRID + x / cell) * 3;
                cells[c] += r[i];
                cells[c + 1] += g[i];
                cells[c + 2] += b[i];
                mean[0] += r[i];
                mean[1] += g[i];
                mean[2] += b[i];
            }
        }
        double perCell = (double) cell * cell;
        double all = (double) SIDE * SIDE;
        for (int c = 0; c < cells.length; c++) {
            cells[c] = cells[c] / perCell - mean[c % 3] / all;
        }
        return cells;
    }

    private static void edges(double[] luma, double[] orientation, double[] strength) {
        double binWidth = Math.PI / ORIENTATIONS;
        for (int y = 0; y < SIDE; y++) {
            int up = Math.max(0, y - 1) * SIDE;
            int row = y * SIDE;
            int down = Math.min(SIDE - 1, y + 1) * SIDE;
            for (int x = 0; x < SIDE; x++) {
                int left = Math.max(0, x - 1);
                int right = Math.min(SIDE - 1, x + 1);
                // Sobel, divided by 4 so that a full black-to-white step reads 1.
                double gx = (luma[up + right] + 2 * luma[row + right] + luma[down + right]
                        - luma[up + left] - 2 * luma[row + left] - luma[down + left]) / 4;
                double gy = (luma[down + left] + 2 * luma[down + x] + luma[down + right]
                        - luma[up + left] - 2 * luma[up + x] - luma[up + right]) / 4;
                double m = Math.sqrt(gx * gx + gy * gy);
                int level = 0;
                while (level < STRENGTH_LIMITS.length && m >= STRENGTH_LIMITS[level]) {
                    level++;
                }
                strength[level]++;
                if (level == 0) {
                    continue;
                }
                double theta = StrictMath.atan2(gy, gx);
                if (theta < 0) {
                    theta += Math.PI;
                }
                // Share the vote between the two nearest bin centres, wrapping at 180 degrees. Bins
                // are centred on 0 and 90 degrees, so the horizontal and vertical edges common in
                // drawn and man-made pictures fall in one bin each rather than straddling two.
                double pos = theta / binWidth;
                int lower = (int) Math.floor(pos);
                double frac = pos - lower;
                orientation[Math.floorMod(lower, ORIENTATIONS)] += (1 - frac) * m;
                orientation[Math.floorMod(lower + 1, ORIENTATIONS)] += frac * m;
            }
        }
        Blocks.sqrtFractions(orientation);
        Blocks.sqrtFractions(strength);
    }

    /** Area-averaging resample to {@value #SIDE} x {@value #SIDE}, channels 0 to 1, rows then columns. */
    private static double[][] resample(ImageDecoder.Pixels p) {
        int w = p.width();
        int h = p.height();
        Taps across = Taps.of(w, SIDE);
        Taps down = Taps.of(h, SIDE);
        double[][] rows = new double[3][h * SIDE];
        int[] rgb = p.rgb();
        for (int y = 0; y < h; y++) {
            int src = y * w;
            for (int t = 0; t < SIDE; t++) {
                int first = across.first[t];
                double[] wt = across.weights[t];
                double sr = 0;
                double sg = 0;
                double sb = 0;
                for (int k = 0; k < wt.length; k++) {
                    int px = rgb[src + first + k];
                    sr += wt[k] * (px >> 16 & 0xff);
                    sg += wt[k] * (px >> 8 & 0xff);
                    sb += wt[k] * (px & 0xff);
                }
                rows[0][y * SIDE + t] = sr / 255;
                rows[1][y * SIDE + t] = sg / 255;
                rows[2][y * SIDE + t] = sb / 255;
            }
        }
        double[][] out = new double[3][SIDE * SIDE];
        for (int c = 0; c < 3; c++) {
            double[] in = rows[c];
            double[] o = out[c];
            for (int t = 0; t < SIDE; t++) {
                int first = down.first[t];
                double[] wt = down.weights[t];
                for (int x = 0; x < SIDE; x++) {
                    double s = 0;
                    for (int k = 0; k < wt.length; k++) {
                        s += wt[k] * in[(first + k) * SIDE + x];
                    }
                    o[t * SIDE + x] = s;
                }
            }
        }
        return out;
    }

    /** For each target pixel along one axis, the source pixels it covers and by how much. */
    private static final class Taps {
        final int[] first;
        final double[][] weights;

        private Taps(int[] first, double[][] weights) {
            this.first = first;
            this.weights = weights;
        }

        static Taps of(int source, int target) {
            int[] first = new int[target];
            double[][] weights = new double[target][];
            double scale = (double) source / target;
            for (int t = 0; t < target; t++) {
                double lo = t * scale;
                double hi = (t + 1) * scale;
                int a = Math.min(source - 1, (int) Math.floor(lo));
                int b = Math.max(a + 1, Math.min(source, (int) Math.ceil(hi)));
                double[] wt = new double[b - a];
                double sum = 0;
                for (int i = a; i < b; i++) {
                    wt[i - a] = Math.max(0, Math.min(i + 1, hi) - Math.max(i, lo));
                    sum += wt[i - a];
                }
                for (int i = 0; i < wt.length; i++) {
                    wt[i] = sum > 0 ? wt[i] / sum : 1.0 / wt.length;
                }
                first[t] = a;
                weights[t] = wt;
            }
            return new Taps(first, weights);
        }
    }
}
