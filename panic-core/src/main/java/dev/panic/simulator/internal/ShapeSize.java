package dev.panic.simulator.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The three sizes the painter draws, as a share of a grid cell (a third of the picture's side),
 * and the thresholds the describer uses to name a measured size. Every size fits in its cell, so
 * painted shapes never touch.
 */
public enum ShapeSize {
    /** 40% of a cell. */
    SMALL("small", 0.40),
    /** 60% of a cell; the painter's default. */
    MEDIUM("medium", 0.60),
    /** 85% of a cell. */
    LARGE("large", 0.85);

    private static final Map<String, ShapeSize> WORDS = Map.of(
            "small", SMALL, "tiny", SMALL, "little", SMALL,
            "medium", MEDIUM,
            "large", LARGE, "big", LARGE, "huge", LARGE, "giant", LARGE, "enormous", LARGE);

    private final String word;
    private final double ofCell;

    ShapeSize(String word, double ofCell) {
        this.word = word;
        this.ofCell = ofCell;
    }

    /** The size's name as the simulators write it. */
    public String word() {
        return word;
    }

    /** The shape's extent as a share of a cell's side. */
    public double ofCell() {
        return ofCell;
    }

    /** The size a word names (also "big", "tiny"...), or null. */
    public static ShapeSize parse(String word) {
        return WORDS.get(word.toLowerCase(Locale.ROOT));
    }

    /** The size word for an extent measured as a share of a cell's side (thresholds half-way between sizes). */
    public static ShapeSize classify(double ofCell) {
        if (ofCell < (SMALL.ofCell + MEDIUM.ofCell) / 2) {
            return SMALL;
        }
        return ofCell < (MEDIUM.ofCell + LARGE.ofCell) / 2 ? MEDIUM : LARGE;
    }
}
