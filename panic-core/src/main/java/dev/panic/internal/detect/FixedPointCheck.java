package dev.panic.internal.detect;

import dev.panic.Embedding;
import dev.panic.StopReason;
import java.util.Locale;
import java.util.Optional;

/**
 * A fixed point: {@code window} consecutive comparable outputs each at least {@code threshold}
 * similar to the one before <em>and</em> to the first output of the streak (its anchor).
 *
 * <p>The anchor is what tells a fixed point from a slow drift: outputs that move a little every
 * step stay close to their predecessors for ever, but soon leave the anchor behind, and the streak
 * then starts again from the previous output. One cosine to the previous output and one to the
 * anchor per step, whatever the window.
 */
public final class FixedPointCheck extends SeriesCheck<FixedPointCheck.State> {

    /** The rule's name. */
    public static final String NAME = "fixed-point";
    /** The default least similarity; see {@link dev.panic.detection.Detectors.FixedPoint#DEFAULT_THRESHOLD}. */
    public static final double DEFAULT_THRESHOLD = 0.95;
    /** The default window; see {@link dev.panic.detection.Detectors.FixedPoint#DEFAULT_WINDOW}. */
    public static final int DEFAULT_WINDOW = 3;

    private final double threshold;
    private final int window;

    /** A check with the given settings (already validated by the builder). */
    public FixedPointCheck(String embedder, double threshold, int window) {
        super(embedder);
        this.threshold = threshold;
        this.window = window;
    }

    /** Per series: the previous output, and the streak's anchor, length and lowest similarity. */
    static final class State extends SeriesCheck.Series {
        Embedding previous;
        Embedding anchor;
        int anchorSequence;
        int lapLength;
        int streak;
        double lowest;
    }

    @Override
    protected State newSeries() {
        return new State();
    }

    @Override
    protected Optional<StopReason> observe(State s, Embedding v, int gap, At at) {
        double toPrevious = gap == 0 ? Vectors.cosine(v, s.previous) : Double.NaN;
        if (toPrevious >= threshold) {
            double toAnchor = s.streak > 0 ? Vectors.cosine(v, s.anchor) : toPrevious;
            if (s.streak > 0 && toAnchor >= threshold) {
                s.streak++;
                s.lowest = Math.min(s.lowest, Math.min(toPrevious, toAnchor));
            } else {
                // A new streak, or the old one drifted away from its anchor: start again from the previous output.
                s.anchor = s.previous;
                s.anchorSequence = at.previousSequence();
                s.streak = 1;
                s.lowest = toPrevious;
            }
        } else {
            s.streak = 0;
        }
        s.previous = v;
        if (s.streak < window) {
            return Optional.empty();
        }
        int start = s.anchorSequence;
        String message = String.format(Locale.ROOT,
                "outputs %d to %d of model %s stay within %.2f of each other (lowest similarity %.3f, %s vectors): "
                        + "a fixed point", start, at.prediction().sequence(), at.prediction().modelId(), threshold,
                s.lowest, at.embedderId());
        return Optional.of(StopReason.pattern(NAME, message, at.prediction().sequence(), start, at.lapLength(),
                s.lowest));
    }

    @Override
    public String toString() {
        return NAME + "(threshold=" + threshold + ", window=" + window + ")";
    }
}
