package dev.panic.simulator.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The fixed palette shared by the painter, the describer, the sonifier and the spectrograph: the
 * painter draws only these exact colours and the describer snaps every pixel to the nearest one,
 * which is what lets a painter/describer loop settle exactly.
 */
public enum NamedColour {
    /** Black. */
    BLACK("black", 0x000000),
    /** White. */
    WHITE("white", 0xffffff),
    /** Mid grey. */
    GREY("grey", 0x808080),
    /** Red. */
    RED("red", 0xdc141e),
    /** Orange. */
    ORANGE("orange", 0xff8c00),
    /** Yellow. */
    YELLOW("yellow", 0xffdc00),
    /** Green. */
    GREEN("green", 0x1ea032),
    /** Blue. */
    BLUE("blue", 0x1e46dc),
    /** Purple. */
    PURPLE("purple", 0x8228aa),
    /** Pink. */
    PINK("pink", 0xff78be),
    /** Brown. */
    BROWN("brown", 0x78461e),
    /** Cyan. */
    CYAN("cyan", 0x00bed2);

    private static final Map<String, NamedColour> WORDS = new HashMap<>();

    static {
        for (NamedColour c : values()) {
            WORDS.put(c.word, c);
        }
        String[][] synonyms = {
                {"gray", "grey"}, {"silver", "grey"}, {"scarlet", "red"}, {"crimson", "red"},
                {"gold", "yellow"}, {"golden", "yellow"}, {"lime", "green"}, {"navy", "blue"},
                {"azure", "blue"}, {"violet", "purple"}, {"magenta", "pink"}, {"teal", "cyan"},
                {"turquoise", "cyan"}, {"aqua", "cyan"}, {"tan", "brown"},
        };
        for (String[] s : synonyms) {
            WORDS.put(s[0], WORDS.get(s[1]));
        }
    }

    private final String word;
    private final int rgb;

    NamedColour(String word, int rgb) {
        this.word = word;
        this.rgb = rgb;
    }

    /** The colour's name as the simulators write it, e.g. {@code "red"}. */
    public String word() {
        return word;
    }

    /** The exact colour as {@code 0xRRGGBB}. */
    public int rgb() {
        return rgb;
    }

    /** The colour a lower-case word names (including a few synonyms such as "gray"), or null. */
    public static NamedColour parse(String word) {
        return WORDS.get(word.toLowerCase(Locale.ROOT));
    }

    /**
     * The palette colour nearest to {@code rgb} ({@code 0xRRGGBB}), by a weighted RGB distance
     * that counts green most, as the eye does; ties go to the earlier colour.
     */
    public static NamedColour nearest(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        NamedColour best = BLACK;
        long bestDistance = Long.MAX_VALUE;
        for (NamedColour c : values()) {
            int dr = r - ((c.rgb >> 16) & 0xff);
            int dg = g - ((c.rgb >> 8) & 0xff);
            int db = b - (c.rgb & 0xff);
            long d = 2L * dr * dr + 4L * dg * dg + 3L * db * db;
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }
}
