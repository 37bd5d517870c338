package dev.panic;

import dev.panic.exception.ValidationException;
import dev.panic.internal.rules.Paced;
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

    /**
     * This pacing as data, saved with the run: {@code none}, {@code fixed} ({@code delay}) or
     * {@code slowing-down} ({@code first}, {@code growth}, {@code max}), durations as ISO-8601
     * strings. A pacing of your own is {@link Spec#custom custom}: give it again when resuming.
     */
    default Spec spec() {
        return Spec.custom("custom-pacing");
    }

    /** No wait: each prediction starts when the previous one ends. */
    static Pacing none() {
        return Paced.NONE;
    }

    /** The same wait before every prediction. */
    static Pacing fixed(Duration delay) {
        requireNotNegative(delay, "delay");
        return new Paced(Spec.of("fixed", Parameters.of("delay", delay.toString())), delay, 1.0, delay);
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
        return new Paced(Spec.of("slowing-down", Parameters.of("first", first.toString())
                .with("growth", growth).with("max", max.toString())), first, growth, max);
    }

    /**
     * The pacing a {@link #spec()} describes.
     *
     * @throws ValidationException if the kind is unknown or custom, or a setting is missing or malformed
     */
    static Pacing of(Spec spec) {
        if (spec == null) {
            throw new ValidationException("pacing spec is null");
        }
        if (spec.custom()) {
            throw new ValidationException("the pacing '" + spec.kind() + "' was made in code and cannot be rebuilt"
                    + " from its description; give it again");
        }
        switch (spec.kind()) {
            case "none":
                return none();
            case "fixed":
                return fixed(duration(spec, "delay"));
            case "slowing-down":
                return slowingDown(duration(spec, "first"), spec.settings().getNumber("growth").orElseThrow(
                        () -> new ValidationException("slowing-down pacing needs 'growth'")), duration(spec, "max"));
            default:
                throw new ValidationException("unknown pacing '" + spec.kind() + "'; use none, fixed or slowing-down");
        }
    }

    private static Duration duration(Spec spec, String name) {
        String text = spec.settings().getString(name).orElseThrow(() -> new ValidationException(spec.kind()
                + " pacing needs '" + name + "', an ISO-8601 duration such as PT1.5S"));
        try {
            return Duration.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new ValidationException("pacing setting '" + name + "' is '" + text
                    + "', not an ISO-8601 duration such as PT1.5S");
        }
    }

    private static void requireNotNegative(Duration d, String what) {
        if (d == null || d.isNegative()) {
            throw new ValidationException(what + " must be zero or more, got " + d);
        }
    }
}
