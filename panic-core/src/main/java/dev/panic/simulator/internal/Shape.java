package dev.panic.simulator.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The shapes the painter draws and the describer recognises. */
public enum Shape {
    /** A filled disc; fills about 0.785 of its bounding box. */
    CIRCLE("circle"),
    /** A filled square; fills all of its bounding box. */
    SQUARE("square"),
    /** A filled triangle, point up; fills about half of its bounding box. */
    TRIANGLE("triangle"),
    /** A filled bar three times as wide as it is tall. */
    STRIPE("stripe");

    private static final Map<String, Shape> WORDS = new HashMap<>();

    static {
        String[][] words = {
                {"circle", "circles", "disc", "discs", "disk", "disks", "dot", "dots", "ball", "balls", "round"},
                {"square", "squares", "box", "boxes", "block", "blocks", "cube", "cubes", "rectangle", "rectangles"},
                {"triangle", "triangles", "pyramid", "pyramids", "wedge"},
                {"stripe", "stripes", "line", "lines", "bar", "bars", "band", "bands", "strip"},
        };
        for (int i = 0; i < words.length; i++) {
            for (String w : words[i]) {
                WORDS.put(w, values()[i]);
            }
        }
    }

    private final String word;

    Shape(String word) {
        this.word = word;
    }

    /** The shape's name as the simulators write it. */
    public String word() {
        return word;
    }

    /** The shape a word names (including plurals and a few synonyms such as "box"), or null. */
    public static Shape parse(String word) {
        return WORDS.get(word.toLowerCase(Locale.ROOT));
    }

    /**
     * The shape a region most resembles, from its bounding box and the share of the box it fills.
     *
     * @param width  bounding-box width in pixels
     * @param height bounding-box height in pixels
     * @param fill   the region's area divided by the box's area
     */
    public static Shape classify(int width, int height, double fill) {
        double aspect = (double) Math.max(width, height) / Math.min(width, height);
        if (aspect >= 2.0) {
            return STRIPE;
        }
        if (fill >= 0.9) {
            return SQUARE;
        }
        return fill >= 0.65 ? CIRCLE : TRIANGLE;
    }
}
