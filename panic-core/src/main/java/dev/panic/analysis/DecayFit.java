package dev.panic.analysis;

import dev.panic.internal.analysis.DecayFitter;

/**
 * A least-squares fit of a drift curve — similarity to the origin against the comparable step —
 * to {@code a * exp(-b * step) + c}: how far it falls ({@code a}), how fast ({@code b}, the
 * rate per step) and where it levels off ({@code c}, the floor). A run that settles quickly has a
 * high rate; a conveyor belt a low rate and a low floor; a run that never leaves its prompt a small
 * amplitude.
 *
 * <p>Degenerate curves get the constant fit {@code a = b = 0}, {@code c} = the mean: fewer than
 * three distinct steps, or a flat curve. A straight fall that has not yet levelled off gets a rate
 * near the low end of what the data can tell (1/1000 of the inverse span) and a floor far below the
 * data: the curve has not shown its floor yet.
 *
 * @param amplitude {@code a}: the fall from the start to the floor (negative for a rising curve)
 * @param rate      {@code b >= 0}: the rate of approach to the floor, per step
 * @param floor     {@code c}: the level the curve approaches
 * @param rmse      the root-mean-square residual of the fit
 * @param points    how many points were fitted
 */
public record DecayFit(double amplitude, double rate, double floor, double rmse, int points) {

    /**
     * Fits {@code y = a * exp(-b * x) + c}, {@code b >= 0}, by least squares; pairs with a non-finite
     * value are skipped.
     *
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public static DecayFit fit(double[] x, double[] y) {
        DecayFitter.Result r = DecayFitter.fit(x, y);
        return new DecayFit(r.a(), r.b(), r.c(), r.points() == 0 ? Double.NaN : Math.sqrt(r.sse() / r.points()),
                r.points());
    }

    /** The fitted curve at {@code step}. */
    public double valueAt(double step) {
        return amplitude * Math.exp(-rate * step) + floor;
    }

    /** The number of steps for the fall to halve ({@code ln 2 / rate}); infinite for a zero rate. */
    public double halfLife() {
        return rate == 0 ? Double.POSITIVE_INFINITY : Math.log(2) / rate;
    }
}
