package dev.panic.internal.analysis;

import java.util.Arrays;

/**
 * Least-squares fit of {@code y = a * exp(-b * x) + c} with {@code b >= 0}. For a fixed {@code b}
 * the model is linear in {@code a} and {@code c}, which a 2x2 system gives exactly; the one
 * nonlinear parameter is searched on a log-spaced grid (to find the right valley) and then refined
 * by golden-section search inside it. Points with equal {@code x} are first merged into their mean
 * with a weight, which leaves the least-squares solution unchanged and makes many-positions runs
 * cheaper; with evenly spaced {@code x} (laps), the exponentials come from one multiplication each.
 */
public final class DecayFitter {

    /** The fitted parameters; {@code sse} is the sum of squared residuals over all points. */
    public record Result(double a, double b, double c, double sse, int points) {
    }

    private static final int GRID = 64;
    private static final int GOLDEN_STEPS = 60;
    private static final double PHI = (Math.sqrt(5) - 1) / 2;

    private final double[] xs;      // distinct x, ascending, shifted so that xs[0] == 0
    private final double[] w;       // how many points at each x
    private final double[] ys;      // their mean y
    private final double shift;
    private final double within;    // squared deviations of the points from their group means
    private final boolean uniform;
    private final int points;
    private final double sw;
    private final double sy;
    private final double syy;

    private DecayFitter(double[] x, double[] y) {
        int n = 0;
        double[][] pairs = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                pairs[n++] = new double[] {x[i], y[i]};
            }
        }
        pairs = Arrays.copyOf(pairs, n);
        Arrays.sort(pairs, (p, q) -> Double.compare(p[0], q[0]));
        double[] gx = new double[n];
        double[] gw = new double[n];
        double[] gy = new double[n];
        int g = -1;
        for (double[] p : pairs) {
            if (g < 0 || p[0] != gx[g]) {
                g++;
                gx[g] = p[0];
            }
            gw[g]++;
            gy[g] += p[1];
        }
        int groups = g + 1;
        for (int i = 0; i < groups; i++) {
            gy[i] /= gw[i];
        }
        double within = 0;
        g = -1;
        double last = Double.NaN;
        for (double[] p : pairs) {
            if (g < 0 || p[0] != last) {
                g++;
                last = p[0];
            }
            within += (p[1] - gy[g]) * (p[1] - gy[g]);
        }
        this.points = n;
        this.shift = groups > 0 ? gx[0] : 0;
        this.xs = new double[groups];
        for (int i = 0; i < groups; i++) {
            xs[i] = gx[i] - shift;
        }
        this.w = Arrays.copyOf(gw, groups);
        this.ys = Arrays.copyOf(gy, groups);
        this.within = within;
        boolean even = groups > 2;
        for (int i = 2; i < groups && even; i++) {
            even = xs[i] - xs[i - 1] == xs[1] - xs[0];
        }
        this.uniform = even;
        double a = 0;
        double b = 0;
        double c = 0;
        for (int i = 0; i < groups; i++) {
            a += w[i];
            b += w[i] * ys[i];
            c += w[i] * ys[i] * ys[i];
        }
        this.sw = a;
        this.sy = b;
        this.syy = c;
    }

    /**
     * Fits {@code y = a * exp(-b * x) + c}. Pairs with a non-finite value are ignored. With fewer than
     * three distinct {@code x}, or a flat {@code y}, the result is the constant fit {@code a = b = 0},
     * {@code c} = the mean (NaN if there are no points).
     */
    public static Result fit(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " values but y has " + y.length);
        }
        return new DecayFitter(x, y).fit();
    }

    private Result fit() {
        int groups = xs.length;
        if (points == 0) {
            return new Result(0, 0, Double.NaN, Double.NaN, 0);
        }
        double mean = sy / sw;
        double flatSse = Math.max(0, syy - sw * mean * mean) + within;
        if (groups < 3 || flatSse <= 1e-24 * Math.max(1, syy)) {
            return new Result(0, 0, mean, constantSse(mean), points);
        }
        double span = xs[groups - 1];
        double minGap = Double.POSITIVE_INFINITY;
        for (int i = 1; i < groups; i++) {
            minGap = Math.min(minGap, xs[i] - xs[i - 1]);
        }
        // Below lo the curve is a straight line over the data, above hi a step after the first point:
        // beyond either end the rate cannot be told from the data.
        double lo = Math.log(1e-3 / span);
        double hi = Math.log(30 / minGap);
        double[] grid = new double[GRID];
        double[] sse = new double[GRID];
        int best = 0;
        for (int i = 0; i < GRID; i++) {
            grid[i] = lo + (hi - lo) * i / (GRID - 1);
            sse[i] = evaluate(Math.exp(grid[i]))[2];
            if (sse[i] < sse[best]) {
                best = i;
            }
        }
        double left = grid[Math.max(0, best - 1)];
        double right = grid[Math.min(GRID - 1, best + 1)];
        double x1 = right - PHI * (right - left);
        double x2 = left + PHI * (right - left);
        double f1 = evaluate(Math.exp(x1))[2];
        double f2 = evaluate(Math.exp(x2))[2];
        for (int i = 0; i < GOLDEN_STEPS; i++) {
            if (f1 <= f2) {
                right = x2;
                x2 = x1;
                f2 = f1;
                x1 = right - PHI * (right - left);
                f1 = evaluate(Math.exp(x1))[2];
            } else {
                left = x1;
                x1 = x2;
                f1 = f2;
                x2 = left + PHI * (right - left);
                f2 = evaluate(Math.exp(x2))[2];
            }
        }
        double logB = f1 <= f2 ? x1 : x2;
        double bestSse = Math.min(f1, f2);
        if (sse[best] < bestSse) {
            logB = grid[best];
        }
        double rate = Math.exp(logB);
        double[] ac = evaluate(rate);
        if (Double.isNaN(ac[0]) || !(ac[2] + within < flatSse)) {
            return new Result(0, 0, mean, constantSse(mean), points);
        }
        // Back from x shifted to start at 0: a * exp(-b (x - s)) = a * exp(b s) * exp(-b x).
        double a = ac[0] * Math.exp(rate * shift);
        return new Result(a, rate, ac[1], ac[2] + within, points);
    }

    private double constantSse(double mean) {
        double s = within;
        for (int i = 0; i < xs.length; i++) {
            s += w[i] * (ys[i] - mean) * (ys[i] - mean);
        }
        return s;
    }

    /** For rate {@code b}: the least-squares {a, c} and the weighted sum of squared residuals of the group means. */
    private double[] evaluate(double b) {
        int n = xs.length;
        double se = 0;
        double see = 0;
        double sey = 0;
        double step = uniform ? Math.exp(-b * (xs[1] - xs[0])) : 0;
        double e = 1;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                e = uniform ? e * step : Math.exp(-b * xs[i]);
                if (e < 1e-300) {
                    e = 0; // past this it is zero for our purposes, and subnormal arithmetic is slow
                }
            }
            double we = w[i] * e;
            se += we;
            see += we * e;
            sey += we * ys[i];
        }
        double det = see * sw - se * se;
        if (!(det > 1e-14 * see * sw)) {
            return new double[] {Double.NaN, Double.NaN, Double.POSITIVE_INFINITY};
        }
        double a = (sey * sw - se * sy) / det;
        double c = (see * sy - se * sey) / det;
        double sse = 0;
        e = 1;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                e = uniform ? e * step : Math.exp(-b * xs[i]);
                if (e < 1e-300) {
                    e = 0;
                }
            }
            double r = ys[i] - a * e - c;
            sse += w[i] * r * r;
        }
        return new double[] {a, c, sse};
    }
}
