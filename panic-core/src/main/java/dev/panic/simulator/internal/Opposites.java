package dev.panic.simulator.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The contrarian's table of opposites. Every word belongs to exactly one pair, so swapping is its
 * own inverse: the contrarian applied twice gives its input back (for lower-case, capitalised or
 * all-capital words).
 */
public final class Opposites {

    private static final String PAIRS = """
            hot cold, light dark, day night, up down, big small, black white, left right, top bottom,
            good bad, happy sad, open closed, fast slow, high low, early late, full empty, wet dry,
            hard soft, loud quiet, love hate, yes no, sun moon, summer winter, north south, east west,
            inside outside, above below, before after, first last, always never, everything nothing,
            begin end, win lose, rich poor, strong weak, long short, wide narrow, thick thin, sweet sour,
            asleep awake, friend enemy, true false, push pull, give take, come go, rise fall, laugh cry,
            war peace, heaven hell, front back, king queen, man woman, boy girl, clean dirty, near far,
            alive dead, start stop, inner outer, upper lower, more less, many few, positive negative,
            large tiny, bright dim, old new, in out, on off, over under, smooth rough, warm cool,
            fire ice, land sea, question answer, laughter tears, noise silence, beginning ending,
            days nights, men women, boys girls, kings queens, friends enemies, red green, blue orange,
            yellow purple, sunrise sunset, morning evening, heavy weightless, calm stormy
            """;

    private static final Map<String, String> OPPOSITE = new HashMap<>();

    static {
        for (String pair : PAIRS.split(",")) {
            String[] w = pair.trim().split("\\s+");
            if (w.length != 2 || OPPOSITE.containsKey(w[0]) || OPPOSITE.containsKey(w[1])) {
                throw new IllegalStateException("bad or repeated opposite pair '" + pair.trim() + "'");
            }
            OPPOSITE.put(w[0], w[1]);
            OPPOSITE.put(w[1], w[0]);
        }
    }

    private Opposites() {
    }

    /** The opposite of a lower-case word, or null if it has none. */
    public static String of(String word) {
        return OPPOSITE.get(word);
    }

    /** Every word the table knows, each mapped to its opposite. */
    public static Map<String, String> table() {
        return Map.copyOf(OPPOSITE);
    }

    /** Swaps every word that has an opposite, keeping case, spacing and punctuation. */
    public static String swap(String text) {
        return Words.rewrite(text, Opposites::of);
    }
}
