package dev.panic.internal.detect;

import dev.panic.Embedding;
import dev.panic.StopReason;
import java.util.Locale;
import java.util.Optional;

/**
 * A cycle of period {@code k} comparable steps, {@code 2 <= k <= maxPeriod}: each of the last
 * {@code max(matches, k)} comparable outputs at least {@code threshold} similar to the one
 * {@code k} steps before it. Requiring at least {@code k} matches means every phase of the cycle
 * has come back once; requiring at least {@code matches} gives short cycles the same evidence as
 * a fixed point.
 *
 * <p>The smallest period that holds wins (a cycle of period 2 also repeats every 4 steps, but
 * confirms sooner). A fixed point repeats at every period, so a period {@code k > 1} is reported
 * only if the phases of the cycle are told apart clearly: the mean similarity of each output in
 * the window to its predecessor must be below {@code 2 * threshold - 1} (0.90 for a threshold of
 * 0.95), i.e. neighbours in the cycle at least twice as far apart as a repeat may be from its
 * original. A noisy fixed point, whose similarities at every lag hover around the threshold, would
 * otherwise now and then string together a few matches at some lag and pass for a cycle.
 *
 * <p>Per step: {@code maxPeriod} cosines against a ring of the last {@code maxPeriod} vectors, and
 * a counter per period; nothing grows with the run.
 */
public final class CycleCheck extends SeriesCheck<CycleCheck.State> {

    /** The rule's name. */
    public static final String NAME = "cycle";
    /** See {@link dev.panic.detection.Detectors.Cycle#DEFAULT_THRESHOLD}. */
    public static final double DEFAULT_THRESHOLD = FixedPointCheck.DEFAULT_THRESHOLD;
    /** See {@link dev.panic.detection.Detectors.Cycle#DEFAULT_MAX_PERIOD}. */
    public static final int DEFAULT_MAX_PERIOD = 8;
    /** See {@link dev.panic.detection.Detectors.Cycle#DEFAULT_MATCHES}. */
    public static final int DEFAULT_MATCHES = 3;

    private final double threshold;
    private final int maxPeriod;
    private final int matches;

    /** A check with the given settings (already validated by the builder). */
    public CycleCheck(String embedder, double threshold, int maxPeriod, int matches) {
        super(embedder);
        this.threshold = threshold;
        this.maxPeriod = maxPeriod;
        this.matches = matches;
    }

    /** Per series: the recent vectors, a streak per period, and the recent step similarities. */
    final class State extends SeriesCheck.Series {
        final VectorRing ring = new VectorRing(maxPeriod);
        final int[] streak = new int[maxPeriod + 1];
        final double[] lowest = new double[maxPeriod + 1];
        // The similarity of each recent output to its predecessor (index 1 of the cosines), newest last.
        final double[] steps = new double[Math.max(matches, maxPeriod)];
        int stepsNewest = -1;
        // The sequence numbers of the recent outputs, newest at sequencesNewest; -1 for a lap with no vector.
        final int[] sequences = new int[2 * maxPeriod + matches + 1];
        int sequencesNewest = -1;

        void pushSequence(int sequence) {
            sequencesNewest = (sequencesNewest + 1) % sequences.length;
            sequences[sequencesNewest] = sequence;
        }

        /** The sequence of the output {@code lapsBack} laps before the newest. */
        int sequenceBack(int lapsBack) {
            return sequences[Math.floorMod(sequencesNewest - lapsBack, sequences.length)];
        }
    }

    @Override
    protected State newSeries() {
        return new State();
    }

    @Override
    protected Optional<StopReason> observe(State s, Embedding v, int gap, At at) {
        if (gap > 0) {
            s.ring.holes(gap);
            java.util.Arrays.fill(s.streak, 0);
            for (int i = 0; i < Math.min(gap, s.sequences.length); i++) {
                s.pushSequence(-1);
            }
        }
        double stepSimilarity = Double.NaN;
        for (int k = 1; k <= maxPeriod; k++) {
            double sim = s.ring.cosine(v, k - 1);
            if (k == 1) {
                stepSimilarity = sim;
            }
            if (sim >= threshold) {
                s.lowest[k] = s.streak[k] == 0 ? sim : Math.min(s.lowest[k], sim);
                s.streak[k]++;
            } else {
                s.streak[k] = 0;
            }
        }
        s.ring.push(v);
        s.pushSequence(at.sequence());
        s.stepsNewest = (s.stepsNewest + 1) % s.steps.length;
        s.steps[s.stepsNewest] = stepSimilarity;
        if (s.streak[1] >= matches) {
            return Optional.empty(); // a fixed point, the other detector's business
        }
        for (int k = 2; k <= maxPeriod; k++) {
            int need = Math.max(matches, k);
            if (s.streak[k] >= need && meanStep(s, need) < 2 * threshold - 1) {
                return Optional.of(reason(s, k, at));
            }
        }
        return Optional.empty();
    }

    /** The mean similarity of the last {@code n} outputs to their predecessors; NaN counts as no similarity. */
    private static double meanStep(State s, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = s.steps[Math.floorMod(s.stepsNewest - i, s.steps.length)];
            sum += Double.isNaN(d) ? 0 : d;
        }
        return sum / n;
    }

    private StopReason reason(State s, int k, At at) {
        // The first match was streak - 1 laps back; what it matched, k laps before that.
        int start = s.sequenceBack(s.streak[k] - 1 + k);
        int period = at.sequence() - s.sequenceBack(k);
        String message = String.format(Locale.ROOT,
                "outputs %d to %d of model %s come back every %d comparable outputs, each within %.2f of the one a "
                        + "period before (lowest similarity %.3f, %s vectors): a cycle of period %d",
                start, at.prediction().sequence(), at.prediction().modelId(), k, threshold, s.lowest[k],
                at.embedderId(), period);
        return StopReason.pattern(NAME, message, at.prediction().sequence(), start, period, s.lowest[k]);
    }

    @Override
    public String toString() {
        return NAME + "(threshold=" + threshold + ", maxPeriod=" + maxPeriod + ", matches=" + matches + ")";
    }
}
