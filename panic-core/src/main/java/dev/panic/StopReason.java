package dev.panic;

import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Why a run ended, or where an observe-only rule would have ended it.
 *
 * <p>Build one with {@link #of} or {@link #pattern}; the canonical constructor also accepts {@code null}
 * for an absent part and stores it as empty.
 *
 * @param rule         the name of the rule or event, e.g. {@code max-steps}, {@code exact-repeat}, {@code stop}
 * @param message      one sentence for people, e.g. "output 5 repeats output 3: a loop of period 2"
 * @param sequence     the prediction after which it fired; empty if it fired before any prediction
 * @param patternStart where a detected pattern (loop, fixed point) began, if the rule found one
 * @param period       the pattern's period in predictions (1 for a fixed point), if the rule found one
 * @param similarity   the similarity that triggered it, for similarity-based rules
 */
public record StopReason(String rule, String message, OptionalInt sequence, OptionalInt patternStart, OptionalInt period,
                         OptionalDouble similarity) {

    /** Stores a {@code null} part as empty. */
    public StopReason {
        sequence = sequence == null ? OptionalInt.empty() : sequence;
        if (sequence.isPresent() && sequence.getAsInt() < 0) {
            throw new IllegalArgumentException("a stop reason's sequence is a prediction's (0 or more), not "
                    + sequence.getAsInt() + "; leave it empty for a reason before any prediction");
        }
        patternStart = patternStart == null ? OptionalInt.empty() : patternStart;
        period = period == null ? OptionalInt.empty() : period;
        similarity = similarity == null ? OptionalDouble.empty() : similarity;
    }

    /** A reason with no pattern, fired after prediction {@code sequence} (0 or more). */
    public static StopReason of(String rule, String message, int sequence) {
        return of(rule, message, OptionalInt.of(sequence));
    }

    /** A reason with no pattern, fired after the given prediction or, if empty, before any prediction. */
    public static StopReason of(String rule, String message, OptionalInt sequence) {
        return new StopReason(rule, message, sequence, OptionalInt.empty(), OptionalInt.empty(),
                OptionalDouble.empty());
    }

    /** A reason that reports a pattern found without a similarity (an exact repeat, say): where it began and its period. */
    public static StopReason pattern(String rule, String message, int sequence, int patternStart, int period) {
        return new StopReason(rule, message, OptionalInt.of(sequence), OptionalInt.of(patternStart),
                OptionalInt.of(period),
                OptionalDouble.empty());
    }

    /** A reason that reports a pattern: where it began, its period and the similarity that showed it. */
    public static StopReason pattern(String rule, String message, int sequence, int patternStart, int period,
                                     double similarity) {
        return new StopReason(rule, message, OptionalInt.of(sequence), OptionalInt.of(patternStart),
                OptionalInt.of(period),
                OptionalDouble.of(similarity));
    }
}
