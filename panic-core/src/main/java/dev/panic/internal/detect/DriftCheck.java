package dev.panic.internal.detect;

import dev.panic.Network;
import dev.panic.StopReason;
import java.util.Locale;
import java.util.Optional;

/**
 * A slow drift, the "conveyor belt": over the last {@code window} comparable outputs every step
 * stays at least {@code stepThreshold} similar to the one before, while the similarity to the
 * series' first output (its origin) falls — its least-squares line over the window drops by at
 * least {@code minDrop} — and is now below {@code originThreshold}.
 *
 * <p>The falling trend is what tells drift from a fixed point far from the origin (whose similarity
 * to the origin is flat); the origin threshold keeps the first few steps, which always move away
 * from the prompt a little, from counting as drift. Per step: two cosines, and a line fitted to
 * {@code window} numbers only when the other conditions hold.
 */
public final class DriftCheck extends SeriesCheck<DriftCheck.State> {

    /** The rule's name. */
    public static final String NAME = "drift";

    private final int window;
    private final double stepThreshold;
    private final double originThreshold;
    private final double minDrop;

    /** A check with the given settings (already validated by the builder). */
    public DriftCheck(Network network, String embedder, int window, double stepThreshold, double originThreshold,
                      double minDrop) {
        super(network, embedder);
        this.window = window;
        this.stepThreshold = stepThreshold;
        this.originThreshold = originThreshold;
        this.minDrop = minDrop;
    }

    /** Per series: the origin, the previous output, the recent similarities to the origin and the streak. */
    final class State extends SeriesCheck.Series {
        float[] origin;
        double originNorm;
        int originLap;
        float[] previous;
        double previousNorm;
        final double[] toOrigin = new double[window];
        int newest = -1;
        int count;
        int streak;
        int streakStartLap;
        double lowestStep;
    }

    @Override
    protected State newSeries() {
        return new State();
    }

    @Override
    protected Optional<StopReason> observe(State s, float[] v, int gap, At at) {
        double norm = Vectors.norm(v);
        if (s.origin == null) {
            s.origin = v;
            s.originNorm = norm;
            s.originLap = at.lap();
        }
        double toOrigin = Vectors.cosine(v, norm, s.origin, s.originNorm);
        double toPrevious = gap == 0 && s.previous != null
                ? Vectors.cosine(v, norm, s.previous, s.previousNorm) : Double.NaN;
        if (gap > 0) {
            s.count = 0; // the trend is fitted to consecutive outputs only
        }
        s.newest = (s.newest + 1) % window;
        s.toOrigin[s.newest] = toOrigin;
        s.count = Math.min(s.count + 1, window);
        if (toPrevious >= stepThreshold) {
            if (s.streak == 0) {
                s.streakStartLap = at.lap() - 1;
                s.lowestStep = toPrevious;
            }
            s.streak++;
            s.lowestStep = Math.min(s.lowestStep, toPrevious);
        } else {
            s.streak = 0;
        }
        s.previous = v;
        s.previousNorm = norm;
        if (s.streak < window || s.count < window || !(toOrigin < originThreshold)) {
            return Optional.empty();
        }
        double drop = -slope(s) * (window - 1);
        if (!(drop >= minDrop)) {
            return Optional.empty();
        }
        int start = at.sequenceAt(s.streakStartLap);
        String message = String.format(Locale.ROOT,
                "outputs %d to %d of model %s drift away from output %d in small steps: their similarity to it fell "
                        + "by %.2f over the last %d to %.3f, while every step stayed within %.2f of the one before "
                        + "(lowest %.3f, %s vectors)", start, at.prediction().sequence(),
                at.prediction().modelId(), at.sequenceAt(s.originLap), drop, window, toOrigin, stepThreshold,
                s.lowestStep, at.embedderId());
        return Optional.of(StopReason.pattern(NAME, message, at.prediction().sequence(), start, at.networkSize(),
                toOrigin));
    }

    /** The least-squares slope of the similarity to the origin against the step, over the window. */
    private double slope(State s) {
        int n = window;
        double meanX = (n - 1) / 2.0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            meanY += s.toOrigin[i];
        }
        meanY /= n;
        double sxy = 0;
        double sxx = 0;
        for (int x = 0; x < n; x++) {
            double y = s.toOrigin[Math.floorMod(s.newest - (n - 1 - x), n)];
            sxy += (x - meanX) * (y - meanY);
            sxx += (x - meanX) * (x - meanX);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }

    @Override
    public String toString() {
        return NAME + "(window=" + window + ", stepThreshold=" + stepThreshold + ", originThreshold="
                + originThreshold + ", minDrop=" + minDrop + ")";
    }
}
