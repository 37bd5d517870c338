package dev.panic;

/**
 * Why a run ended, or where an observe-only rule would have ended it.
 *
 * @param rule         the name of the rule or event, e.g. {@code max-steps}, {@code exact-repeat}, {@code stop}
 * @param message      one sentence for people, e.g. "output 5 repeats output 3: a loop of period 2"
 * @param sequence     the prediction after which it fired (-1 if before any prediction)
 * @param patternStart where a detected pattern (loop, fixed point) began, or null
 * @param period       the pattern's period in predictions (1 for a fixed point), or null
 * @param similarity   the similarity that triggered it, for embedding-based rules, or null
 */
public record StopReason(String rule, String message, int sequence, Integer patternStart, Integer period,
                         Double similarity) {

    /** A reason with no pattern. */
    public static StopReason of(String rule, String message, int sequence) {
        return new StopReason(rule, message, sequence, null, null, null);
    }

    /** A reason that reports a pattern: where it began and its period. */
    public static StopReason pattern(String rule, String message, int sequence, int patternStart, int period,
                                     Double similarity) {
        return new StopReason(rule, message, sequence, patternStart, period, similarity);
    }
}
