package dev.panic.simulator.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sonifier's rule: it reads the picture left to right in {@value #COLUMNS} columns and plays,
 * for each, the {@linkplain Tones tone} of the name of its main colour: the most common palette
 * colour other than the background (the most common colour along the border) if it covers at
 * least 2% of the column, else the background's. The listener hears those tones as colour words.
 */
public final class Sonify {

    /** How many columns, hence tones, per picture. */
    public static final int COLUMNS = 8;

    private Sonify() {
    }

    /** The colour words of the columns, left to right. */
    public static List<NamedColour> columnColours(Raster r) {
        int w = r.width();
        int h = r.height();
        NamedColour[] snapped = new NamedColour[w * h];
        Map<Integer, NamedColour> cache = new HashMap<>();
        int[] border = new int[NamedColour.values().length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                NamedColour c = cache.computeIfAbsent(r.at(x, y), NamedColour::nearest);
                snapped[y * w + x] = c;
                if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
                    border[c.ordinal()]++;
                }
            }
        }
        int bg = 0;
        for (int c = 1; c < border.length; c++) {
            if (border[c] > border[bg]) {
                bg = c;
            }
        }
        List<NamedColour> out = new ArrayList<>();
        for (int k = 0; k < COLUMNS; k++) {
            int x0 = k * w / COLUMNS;
            int x1 = Math.max(x0 + 1, (k + 1) * w / COLUMNS);
            if (x0 >= w) {
                out.add(NamedColour.values()[bg]);
                continue;
            }
            int[] counts = new int[NamedColour.values().length];
            for (int y = 0; y < h; y++) {
                for (int x = x0; x < Math.min(x1, w); x++) {
                    counts[snapped[y * w + x].ordinal()]++;
                }
            }
            int best = -1;
            for (int c = 0; c < counts.length; c++) {
                if (c != bg && counts[c] > 0 && (best < 0 || counts[c] > counts[best])) {
                    best = c;
                }
            }
            long columnPixels = (long) (Math.min(x1, w) - x0) * h;
            boolean shows = best >= 0 && counts[best] * 50L >= columnPixels;
            out.add(NamedColour.values()[shows ? best : bg]);
        }
        return out;
    }

    /** The picture as tones. */
    public static short[] play(Raster r, int sampleRate) {
        List<Double> freqs = columnColours(r).stream().map(c -> Tones.frequency(c.word())).toList();
        return Tones.play(freqs, sampleRate);
    }
}
