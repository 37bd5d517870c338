package dev.panic.detection;

import dev.panic.StopRule;
import dev.panic.exception.ValidationException;
import dev.panic.internal.detect.CycleCheck;
import dev.panic.internal.detect.DriftCheck;
import dev.panic.internal.detect.FixedPointCheck;
import dev.panic.internal.rules.ExactRepeat;
import dev.panic.internal.rules.Rules;
import java.util.List;

/**
 * The detectors of fixed points, cycles and drift, as {@link StopRule}s: pass one to
 * {@link dev.panic.Run.Builder#stopWhen} to end the run when it fires, or to
 * {@link dev.panic.Run.Builder#observe} to record where it would have (the run goes on).
 *
 * <pre>{@code
 * Run run = Run.builder(network, prompt)
 *         .embedWith(textEmbedder, imageEmbedder)
 *         .stopWhen(Detectors.fixedPoint().threshold(0.97).window(4).build())
 *         .observe(Detectors.cycle().build())
 *         .observe(Detectors.drift().build())
 *         .maxSteps(200)
 *         .start();
 * }</pre>
 *
 * <p>The embedding detectors work on the vectors of {@link dev.panic.Run.Builder#embedWith} and
 * compare only <em>comparable</em> outputs: those of the same network position (the same model)
 * one lap apart, in the space of one embedder (see {@link dev.panic.Similarity}). Each series of
 * comparable outputs is watched on its own, and a detector fires when its pattern shows in any of
 * them; {@code embedder(id)} restricts it to one embedder's vectors. Similarities are cosines in
 * [-1, 1]. A {@link dev.panic.StopReason} from a detector names it ({@code rule}), says where the
 * pattern began ({@code patternStart}, a sequence number), its {@code period} in predictions
 * (for a fixed point, the size of the network) and a {@code similarity}.
 *
 * <p>Cost: a detector keeps a fixed amount of state per series (rings of the last few vectors and
 * numbers), so a step costs a few cosines whatever the length of the run: a few microseconds for
 * all of them together on 384-dimension vectors, even with windows of 64 (see the README's
 * benchmarks).
 *
 * <p>The builders are not thread-safe; the rules they build are immutable and can be shared by any
 * number of runs.
 */
public final class Detectors {

    private Detectors() {
    }

    /** A builder for the fixed-point detector; see {@link FixedPoint}. */
    public static FixedPoint fixedPoint() {
        return new FixedPoint();
    }

    /** A builder for the cycle detector; see {@link Cycle}. */
    public static Cycle cycle() {
        return new Cycle();
    }

    /** A builder for the drift ("conveyor belt") detector; see {@link Drift}. */
    public static Drift drift() {
        return new Drift();
    }

    /**
     * The strict case: an output repeats an earlier output of the same model byte for byte (or
     * character for character). The same rule as {@link StopRule#exactRepeat()}. Needs no vectors.
     */
    public static StopRule exactRepeat() {
        return StopRule.exactRepeat();
    }

    /**
     * Like {@link #exactRepeat()}, but texts are compared after normalising them: lower case,
     * punctuation and symbols removed, white space collapsed, so "A red circle." repeats
     * "a red  circle". Images and sounds are still compared byte for byte. Named
     * {@code normalised-repeat}. Needs no vectors.
     */
    public static StopRule normalisedRepeat() {
        return Rules.repeat(true);
    }

    /**
     * Every detector with its default settings: fixed point, cycle, drift, exact and normalised
     * repeats. What the analysis runs over a finished run by default; also handy to {@code observe}
     * them all.
     */
    public static List<StopRule> defaults() {
        return List.of(fixedPoint().build(), cycle().build(), drift().build(), exactRepeat(), normalisedRepeat());
    }

    /**
     * A fixed point: {@link #window(int) window} consecutive comparable outputs each at least
     * {@link #threshold(double) threshold} similar to the one before — and to the first output of
     * the streak, so that a slow drift, whose every step is small, is not taken for a fixed point.
     * The stop reason's {@code patternStart} is the first output of the streak, its {@code period}
     * the size of the network (one lap), its {@code similarity} the lowest similarity in the streak.
     * Named {@code fixed-point}.
     *
     * <p>With the defaults, a drift whose steps are about 0.97 similar or less is never taken for a
     * fixed point, since three such steps leave the streak's first output below 0.95; a drift slower
     * than about 0.98 per step does look like a fixed point over three steps (use a longer window or
     * a higher threshold to tell them apart).
     */
    public static final class FixedPoint {
        /**
         * 0.95: close enough to call two outputs "the same, give or take a detail", beyond the 0.8–0.9
         * that text embedders typically give paraphrases and near-variants, yet below 1 so that a model
         * that re-renders the same content with a fresh random seed still counts as settled.
         */
        public static final double DEFAULT_THRESHOLD = FixedPointCheck.DEFAULT_THRESHOLD;
        /**
         * 3: one high similarity happens by chance (a model briefly repeats itself); three in a row, each
         * also close to the first, is a settled state. Each extra step delays the stop by one lap, which
         * costs real time and money with hosted models.
         */
        public static final int DEFAULT_WINDOW = FixedPointCheck.DEFAULT_WINDOW;

        private double threshold = DEFAULT_THRESHOLD;
        private int window = DEFAULT_WINDOW;
        private String embedder;

        private FixedPoint() {
        }

        /** The least cosine similarity that counts as "the same"; {@value #DEFAULT_THRESHOLD} by default. */
        public FixedPoint threshold(double threshold) {
            this.threshold = checkSimilarity(threshold, "fixed-point threshold");
            return this;
        }

        /** How many consecutive similar steps confirm a fixed point; {@value #DEFAULT_WINDOW} by default. */
        public FixedPoint window(int steps) {
            this.window = checkAtLeast(steps, 1, "fixed-point window");
            return this;
        }

        /** Looks only at the vectors of this embedder; every embedder by default. */
        public FixedPoint embedder(String embedderId) {
            this.embedder = checkEmbedder(embedderId);
            return this;
        }

        /** The rule. */
        public StopRule build() {
            double t = threshold;
            int w = window;
            String e = embedder;
            return Rules.fixedPoint(t, w, e);
        }
    }

    /**
     * A cycle of period {@code k} comparable outputs, {@code 2 <= k <=} {@link #maxPeriod(int) maxPeriod}:
     * each of the last {@code max(matches, k)} comparable outputs at least
     * {@link #threshold(double) threshold} similar to the one {@code k} before it — so every phase of
     * the cycle has come back at least once, and even a short cycle has as many confirmations as a
     * fixed point. The smallest period that holds is reported, and a fixed point (whose outputs are
     * all alike) is never reported as a cycle: the phases of a cycle must be told apart clearly, the
     * mean similarity of consecutive outputs in the window being below {@code 2 * threshold - 1}
     * (0.90 by default: neighbours in the cycle at least twice as far apart as a repeat may be from
     * its original). Two states closer than that are neither a cycle nor, unless they pass the
     * fixed-point threshold, a fixed point. The stop reason's {@code patternStart} is the
     * first output of the first repetition's model, its {@code period} is {@code k} times the size of
     * the network (in predictions), its {@code similarity} the lowest confirming similarity. Named
     * {@code cycle}.
     */
    public static final class Cycle {
        /** 0.95, as for {@link FixedPoint#DEFAULT_THRESHOLD}: "comes back" means what "stays" means there. */
        public static final double DEFAULT_THRESHOLD = FixedPoint.DEFAULT_THRESHOLD;
        /**
         * 8: the cycles closed loops fall into are short (2 for a model that swaps words for their
         * opposites, a few for caption and image loops), and each period watched costs one cosine per step.
         */
        public static final int DEFAULT_MAX_PERIOD = CycleCheck.DEFAULT_MAX_PERIOD;
        /** 3, as for {@link FixedPoint#DEFAULT_WINDOW}: the least number of confirmations for any period. */
        public static final int DEFAULT_MATCHES = CycleCheck.DEFAULT_MATCHES;

        private double threshold = DEFAULT_THRESHOLD;
        private int maxPeriod = DEFAULT_MAX_PERIOD;
        private int matches = DEFAULT_MATCHES;
        private String embedder;

        private Cycle() {
        }

        /** The least cosine similarity that counts as "came back"; {@value #DEFAULT_THRESHOLD} by default. */
        public Cycle threshold(double threshold) {
            this.threshold = checkSimilarity(threshold, "cycle threshold");
            return this;
        }

        /**
         * The longest period looked for, in comparable outputs, from 2 to 1024; {@value #DEFAULT_MAX_PERIOD}
         * by default. The cost per step grows with it (one cosine per period).
         */
        public Cycle maxPeriod(int period) {
            this.maxPeriod = checkAtLeast(period, 2, "cycle max period");
            if (period > 1024) {
                throw new ValidationException("cycle max period must be at most 1024, got " + period);
            }
            return this;
        }

        /** The least number of consecutive matches that confirms a cycle; {@value #DEFAULT_MATCHES} by default. */
        public Cycle matches(int matches) {
            this.matches = checkAtLeast(matches, 1, "cycle matches");
            return this;
        }

        /** Looks only at the vectors of this embedder; every embedder by default. */
        public Cycle embedder(String embedderId) {
            this.embedder = checkEmbedder(embedderId);
            return this;
        }

        /** The rule. */
        public StopRule build() {
            double t = threshold;
            int k = maxPeriod;
            int m = matches;
            String e = embedder;
            return Rules.cycle(t, k, m, e);
        }
    }

    /**
     * A slow drift, the "conveyor belt": the comparable outputs move in small steps — over the last
     * {@link #window(int) window} steps at least {@link #stepThreshold(double) stepThreshold} similar
     * to the one before on average, with no jump (a step below {@code 2 * stepThreshold - 1}) among
     * the last {@code 2 * window - 1}; real loops are noisy, and a caption loop that changes a word a
     * step measures about 0.85 per step with dips below 0.8 — yet keep moving on — over the last {@link #window(int) window} outputs, outputs a
     * window apart are on average at least {@link #minDrop(double) minDrop} less similar than
     * neighbours — and the latest is now less than
     * {@link #originThreshold(double) originThreshold} similar to the first comparable output (the
     * origin): its similarity to the origin has fallen. A fixed point, even a noisy one far from the
     * origin, does not count: its outputs are as alike a window apart as next to each other. The
     * stop reason's {@code patternStart} is where the run of small steps began, its {@code period}
     * the size of the network, its {@code similarity} the current similarity to the origin. Named
     * {@code drift}.
     *
     * <p>The window should be long enough for the drift to show: along a drift whose steps are
     * {@code s} similar, outputs {@code w} apart are about {@code s^w} similar, so the default window
     * sees drifts of up to about 0.99 per step; use a longer one for slower drifts.
     */
    public static final class Drift {
        /**
         * 8 comparable outputs: long enough for a drift of 0.99 per step to show, short enough to flag a
         * drift within about 15 laps of small steps.
         */
        public static final int DEFAULT_WINDOW = DriftCheck.DEFAULT_WINDOW;
        /** 0.8: each output a close variant of the one before; below the fixed-point threshold, so a belt that visibly moves counts. */
        public static final double DEFAULT_STEP_THRESHOLD = DriftCheck.DEFAULT_STEP_THRESHOLD;
        /** 0.5: the output has become a different thing from where the series started, not just a rewording of it. */
        public static final double DEFAULT_ORIGIN_THRESHOLD = DriftCheck.DEFAULT_ORIGIN_THRESHOLD;
        /**
         * 0.05: a drift of 0.99 per step shows about 0.07 over the default window, a drift of 0.97 about
         * 0.2; scattered outputs around a fixed point show none, give or take their noise.
         */
        public static final double DEFAULT_MIN_DROP = DriftCheck.DEFAULT_MIN_DROP;

        private int window = DEFAULT_WINDOW;
        private double stepThreshold = DEFAULT_STEP_THRESHOLD;
        private double originThreshold = DEFAULT_ORIGIN_THRESHOLD;
        private double minDrop = DEFAULT_MIN_DROP;
        private String embedder;

        private Drift() {
        }

        /** How many consecutive comparable steps the drift is judged over, at least 2; {@value #DEFAULT_WINDOW} by default. */
        public Drift window(int steps) {
            this.window = checkAtLeast(steps, 2, "drift window");
            return this;
        }

        /**
         * The least average similarity of a step to the one before, over the window;
         * {@value #DEFAULT_STEP_THRESHOLD} by default. A single step below {@code 2 * threshold - 1}
         * is a jump and restarts the judgement.
         */
        public Drift stepThreshold(double threshold) {
            this.stepThreshold = checkSimilarity(threshold, "drift step threshold");
            return this;
        }

        /**
         * The similarity to the origin below which moving on counts as drift;
         * {@value #DEFAULT_ORIGIN_THRESHOLD} by default. 1 makes any steady move count.
         */
        public Drift originThreshold(double threshold) {
            this.originThreshold = checkSimilarity(threshold, "drift origin threshold");
            return this;
        }

        /**
         * How much less similar, on average, outputs a window apart must be than neighbouring ones;
         * {@value #DEFAULT_MIN_DROP} by default.
         */
        public Drift minDrop(double drop) {
            if (!(drop >= 0 && drop <= 2)) {
                throw new ValidationException("drift min drop must be between 0 and 2, got " + drop);
            }
            this.minDrop = drop;
            return this;
        }

        /** Looks only at the vectors of this embedder; every embedder by default. */
        public Drift embedder(String embedderId) {
            this.embedder = checkEmbedder(embedderId);
            return this;
        }

        /** The rule. */
        public StopRule build() {
            int w = window;
            double s = stepThreshold;
            double o = originThreshold;
            double d = minDrop;
            String e = embedder;
            return Rules.drift(w, s, o, d, e);
        }
    }

    private static double checkSimilarity(double t, String what) {
        if (!(t >= -1 && t <= 1)) {
            throw new ValidationException(what + " must be a cosine similarity between -1 and 1, got " + t);
        }
        return t;
    }

    private static int checkAtLeast(int n, int least, String what) {
        if (n < least) {
            throw new ValidationException(what + " must be at least " + least + ", got " + n);
        }
        return n;
    }

    private static String checkEmbedder(String id) {
        if (id == null || id.isBlank()) {
            throw new ValidationException("embedder id is empty; give the id of one of the run's embedders");
        }
        return id;
    }

}
