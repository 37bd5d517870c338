package dev.panic.internal.rules;

import dev.panic.Pacing;
import dev.panic.Spec;
import java.time.Duration;

/**
 * The built-in pacings: a wait that starts at {@code first} and is multiplied by {@code growth}
 * before each further prediction, up to {@code max}, described by {@code spec}.
 *
 * @param spec   how the pacing is saved
 * @param first  the first wait
 * @param growth the factor between waits (1 for a fixed wait)
 * @param max    the longest wait
 */
public record Paced(Spec spec, Duration first, double growth, Duration max) implements Pacing {

    /** No wait at all. */
    public static final Paced NONE = new Paced(Spec.of("none"), Duration.ZERO, 1.0, Duration.ZERO);

    @Override
    public Duration delayBefore(int sequence, Duration elapsed) {
        if (growth == 1.0) {
            return first;
        }
        double nanos = first.toNanos() * Math.pow(growth, Math.max(0, sequence - 1));
        return Duration.ofNanos((long) Math.min(nanos, max.toNanos()));
    }
}
