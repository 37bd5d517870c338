package dev.panic.report.internal;

import java.util.ArrayList;
import java.util.List;

/** "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten. */
public final class Ticks {
    private Ticks() {
    }

    /** The tick step that gives at most about {@code target} ticks over {@code [min, max]}. */
    public static double step(double min, double max, int target) {
        double span = max - min;
        if (!(span > 0)) {
            return 1;
        }
        double raw = span / Math.max(1, target);
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double[] nice = {1, 2, 5, 10};
        for (double n : nice) {
            if (n * magnitude >= raw - 1e-12) {
                return n * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** The multiples of {@link #step} within {@code [min, max]}. */
    public static List<Double> of(double min, double max, int target) {
        double step = step(min, max, target);
        List<Double> ticks = new ArrayList<>();
        // Multiples counted in integers, so that 0.2 * 3 comes out as 0.6 and not 0.6000000000000001.
        for (long k = (long) Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) {
            ticks.add(Math.round(k * step * 1e10) / 1e10);
        }
        return ticks;
    }

    /** Integer ticks (output numbers) within {@code [min, max]}. */
    public static List<Integer> integers(int min, int max, int target) {
        double step = Math.max(1, step(min, max, target));
        List<Integer> ticks = new ArrayList<>();
        for (double t = Math.ceil(min / step) * step; t <= max; t += step) {
            ticks.add((int) Math.round(t));
        }
        return ticks;
    }

    /** A tick label: as few decimals as the step needs. */
    public static String label(double value, double step) {
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
        return Svg.num(value, decimals);
    }
}
