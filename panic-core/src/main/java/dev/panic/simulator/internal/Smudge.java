package dev.panic.simulator.internal;

/**
 * The smudger's rule, in integer arithmetic so that a loop ends in an exact fixed point: the
 * picture runs one pixel downwards (the top row stays, as if paint ran down the canvas), is
 * blurred with a 3 x 3 box (edges repeated, rounded to nearest), and each channel moves a quarter
 * of the way towards the pixel's grey. Repeated, the picture smears into soft, greyish horizontal
 * bands and then stops changing once the rounding no longer moves any pixel.
 */
public final class Smudge {

    private Smudge() {
    }

    /** One smudge step. */
    public static Raster step(Raster in) {
        int w = in.width();
        int h = in.height();
        int[] src = in.rgb();
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = 0;
                int g = 0;
                int b = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    // Row y of the shifted picture is row y - 1 of the input (row 0 repeats).
                    int sy = clamp(y + dy - 1, h);
                    for (int dx = -1; dx <= 1; dx++) {
                        int p = src[sy * w + clamp(x + dx, w)];
                        r += (p >> 16) & 0xff;
                        g += (p >> 8) & 0xff;
                        b += p & 0xff;
                    }
                }
                r = (r + 4) / 9;
                g = (g + 4) / 9;
                b = (b + 4) / 9;
                int grey = (299 * r + 587 * g + 114 * b + 500) / 1000;
                r = (3 * r + grey + 2) / 4;
                g = (3 * g + grey + 2) / 4;
                b = (3 * b + grey + 2) / 4;
                out[y * w + x] = r << 16 | g << 8 | b;
            }
        }
        return new Raster(w, h, out);
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : v >= n ? n - 1 : v;
    }
}
