package dev.panic.internal.detect;

import dev.panic.Embedding;
import dev.panic.StopReason;
import java.util.Locale;
import java.util.Optional;

/**
 * A slow drift, the "conveyor belt": the outputs move in small steps — the last {@code window}
 * steps at least {@code stepThreshold} similar on average, and none of the last {@code 2 * window - 1}
 * a jump (below {@code 2 * stepThreshold - 1}, 0.6 by default) — yet keep moving
 * on — over the last {@code window} outputs, outputs {@code window} steps apart are on average at
 * least {@code minDrop} less similar than neighbours are — and the current output is now less than
 * {@code originThreshold} similar to the series' first output (its origin). Every output compared
 * lies inside the run of small steps, so a jump followed by a noisy fixed point does not count.
 *
 * <p>Small steps are judged on average, with only jumps ruled out one by one, because real loops
 * are noisy: a caption loop whose words change one at a time measures about 0.85 per step with
 * MiniLM, and every few steps dips below 0.8, so demanding every step clear the threshold would
 * never see it drift.
 *
 * <p>"Keep moving on" is judged against outputs a window back rather than from a trend in the
 * similarity to the origin: far from the origin that similarity is small and its noise is of the
 * same size as a real trend over a short window, so a noisy fixed point there would, now and then,
 * look like it is falling. Outputs scattered around a point are as alike a window apart as next to
 * each other, whereas along a drift the similarity decays with the distance in steps. The origin
 * threshold keeps the first steps, which always move away from the prompt a little, from counting.
 *
 * <p>Per step: three cosines (to the previous output, the one a window back, the origin), rings of
 * {@code window} vectors and numbers, and two means over the window only when the other conditions
 * hold; nothing grows with the run.
 */
public final class DriftCheck extends SeriesCheck<DriftCheck.State> {

    /** The rule's name. */
    public static final String NAME = "drift";
    /** See {@link dev.panic.detection.Detectors.Drift#DEFAULT_WINDOW}. */
    public static final int DEFAULT_WINDOW = 8;
    /** See {@link dev.panic.detection.Detectors.Drift#DEFAULT_STEP_THRESHOLD}. */
    public static final double DEFAULT_STEP_THRESHOLD = 0.8;
    /** See {@link dev.panic.detection.Detectors.Drift#DEFAULT_ORIGIN_THRESHOLD}. */
    public static final double DEFAULT_ORIGIN_THRESHOLD = 0.5;
    /** See {@link dev.panic.detection.Detectors.Drift#DEFAULT_MIN_DROP}. */
    public static final double DEFAULT_MIN_DROP = 0.05;

    private final int window;
    private final double stepThreshold;
    private final double originThreshold;
    private final double minDrop;
    // A step less similar than this is a jump, not part of a drift.
    private final double jumpBelow;

    /** A check with the given settings (already validated by the builder). */
    public DriftCheck(String embedder, int window, double stepThreshold, double originThreshold, double minDrop) {
        super(embedder);
        this.window = window;
        this.stepThreshold = stepThreshold;
        this.originThreshold = originThreshold;
        this.minDrop = minDrop;
        this.jumpBelow = 2 * stepThreshold - 1;
    }

    /** Per series: the origin, the last {@code window} vectors and the recent similarities. */
    final class State extends SeriesCheck.Series {
        Embedding origin;
        int originSequence;
        final VectorRing recent = new VectorRing(window);
        // Similarity of each recent output to its predecessor, and to the output a window before it.
        final double[] steps = new double[window];
        final double[] far = new double[window];
        int newest = -1;
        int farCount;
        int streak;
        int streakStartSequence;
    }

    @Override
    protected State newSeries() {
        return new State();
    }

    @Override
    protected Optional<StopReason> observe(State s, Embedding v, int gap, At at) {
        if (s.origin == null) {
            s.origin = v;
            s.originSequence = at.sequence();
        }
        if (gap > 0) {
            s.recent.holes(gap);
            s.farCount = 0;
        }
        double toOrigin = Vectors.cosine(v, s.origin);
        double toPrevious = s.recent.cosine(v, 0);
        double toFar = s.recent.cosine(v, window - 1);
        s.recent.push(v);
        s.newest = s.newest + 1 == window ? 0 : s.newest + 1;
        s.steps[s.newest] = toPrevious;
        s.far[s.newest] = toFar;
        s.farCount = Double.isNaN(toFar) ? 0 : Math.min(s.farCount + 1, window);
        if (toPrevious >= jumpBelow) {
            if (s.streak == 0) {
                s.streakStartSequence = at.previousSequence();
            }
            s.streak++;
        } else {
            s.streak = 0;
        }
        // Every output compared, a window back included, must be inside the run of small steps: a
        // jump followed by a noisy fixed point is not a drift.
        if (s.streak < 2 * window - 1 || s.farCount < window || !(toOrigin < originThreshold)) {
            return Optional.empty();
        }
        double near = mean(s.steps);
        double apart = mean(s.far);
        if (!(near >= stepThreshold) || !(near - apart >= minDrop)) {
            return Optional.empty();
        }
        int start = s.streakStartSequence;
        String message = String.format(Locale.ROOT,
                "outputs %d to %d of model %s drift away from output %d in small steps: on average %.3f similar "
                        + "to the one before (at least %.2f), %.3f on average from the one %d before, and now %.3f from "
                        + "output %d (%s vectors)", start, at.prediction().sequence(), at.prediction().modelId(),
                s.originSequence, near, stepThreshold, apart, window, toOrigin, s.originSequence,
                at.embedderId());
        return Optional.of(StopReason.pattern(NAME, message, at.prediction().sequence(), start, at.lapLength(),
                toOrigin));
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    @Override
    public String toString() {
        return NAME + "(window=" + window + ", stepThreshold=" + stepThreshold + ", originThreshold="
                + originThreshold + ", minDrop=" + minDrop + ")";
    }
}
