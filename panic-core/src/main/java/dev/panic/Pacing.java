package dev.panic;

import dev.panic.exception.ValidationException;
import java.time.Duration;

/**
 * How long a run waits before each prediction. The wait is a timer, not a sleeping thread, so a
 * slowly paced run costs nothing while it waits.
 *
 * <p>The original PANIC slowed its runs down as they aged, so that a long-running installation
 * does not spend its budget at the same rate forever: {@link #slowingDown(Duration, double, Duration)}.
 */
@FunctionalInterface
public interface Pacing {

    /**
     * The wait before prediction {@code sequence} (never called for 0: the first prediction starts at once).
     *
     * @param sequence the prediction about to be made, 1 or more
     * @param elapsed  time since the run started
     */
    Duration delayBefore(int sequence, Duration elapsed);

    /** No wait: each prediction starts when the previous one ends. */
    static Pacing none() {
        return (sequence, elapsed) -> Duration.ZERO;
    }

    /** The same wait before every prediction. */
    static Pacing fixed(Duration delay) {
        requireNotNegative(delay, "delay");
        return (sequence, elapsed) -> delay;
    }

    /**
     * A wait that starts at {@code first} and is multiplied by {@code growth} before each
     * further prediction, up to {@code max}.
     *
     * @throws ValidationException if a duration is negative, {@code growth < 1} or {@code max < first}
     */
    static Pacing slowingDown(Duration first, double growth, Duration max) {
        requireNotNegative(first, "first delay");
        requireNotNegative(max, "max delay");
        if (!(growth >= 1.0) || Double.isInfinite(growth)) {
            throw new ValidationException("growth must be a finite number of at least 1, got " + growth);
        }
        if (max.compareTo(first) < 0) {
            throw new ValidationException("max delay " + max + " is shorter than the first delay " + first);
        }
        double firstNanos = first.toNanos();
        double maxNanos = max.toNanos();
        return (sequence, elapsed) -> {
            double nanos = firstNanos * Math.pow(growth, Math.max(0, sequence - 1));
            return Duration.ofNanos((long) Math.min(nanos, maxNanos));
        };
    }

    private static void requireNotNegative(Duration d, String what) {
        if (d == null || d.isNegative()) {
            throw new ValidationException(what + " must be zero or more, got " + d);
        }
    }
}
