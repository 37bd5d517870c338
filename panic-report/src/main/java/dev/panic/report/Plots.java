package dev.panic.report;

import dev.panic.Similarity;
import dev.panic.StopReason;
import dev.panic.analysis.DecayFit;
import dev.panic.analysis.RunAnalysis;
import dev.panic.analysis.SeriesAnalysis;
import dev.panic.analysis.SimilarityMatrix;
import dev.panic.report.internal.Html;
import dev.panic.report.internal.Svg;
import dev.panic.report.internal.Ticks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's analysis drawn as self-contained SVG markup (no script, no fonts to fetch), to put in an
 * HTML page or a notebook cell as it is:
 *
 * <pre>{@code
 * RunAnalysis analysis = RunAnalysis.of(store.read(runId));
 * String drift = Plots.similarityToOrigin(analysis);     // a curve per embedder, its decay fit, detector events
 * String steps = Plots.stepSimilarity(analysis);         // each output against the one a lap before
 * String matrix = Plots.heatmap(analysis.series().get(0));
 * }</pre>
 *
 * <p>The x axis of the curves is the output's sequence number, the one stop reasons and the
 * filmstrip use. Stateless and thread-safe.
 */
public final class Plots {

    /** Colour-blind-safe series colours (Okabe and Ito), in the order series appear. */
    private static final String[] COLOURS = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
        "#000000"};
    private static final Map<String, String> EVENT_COLOURS = Map.of("fixed-point", "#2b8a3e", "cycle", "#7048e8",
            "drift", "#c2410c", "exact-repeat", "#c92a2a", "normalised-repeat", "#c92a2a");
    /** Viridis at nine evenly spaced points: perceptually even, readable in grey and by most colour-blind eyes. */
    private static final int[] VIRIDIS = {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779,
        0x6ece58, 0xfde725};
    /** The most cells a heatmap side shows; a larger matrix is sampled evenly, first and last kept. */
    static final int MAX_HEATMAP_SIDE = 64;
    /** Beyond this many points a curve is drawn without a dot (and tooltip) per output. */
    private static final int MAX_DOTS = 160;

    private static final int WIDTH = 1080;
    private static final int HEIGHT = 340;
    private static final int LEFT = 60;
    private static final int RIGHT = 24;
    private static final int BOTTOM = 46;

    private Plots() {
    }

    /**
     * Similarity of each output to the first comparable output, one curve per modality and embedder,
     * each with its fitted decay {@code a·exp(−b·lap) + c} dashed, and where each detector fired
     * (a line at the output, the pattern's span shaded).
     */
    public static String similarityToOrigin(RunAnalysis analysis) {
        List<Curve> curves = new ArrayList<>();
        int i = 0;
        for (SeriesAnalysis s : analysis.series()) {
            String colour = colour(i++);
            curves.add(points(s, colour, true));
            Curve fit = fit(s, colour);
            if (fit != null) {
                curves.add(fit);
            }
        }
        return lineChart("Similarity to the first output", "similarity to origin", curves, analysis.events(),
                "no output has a vector yet: nothing to compare");
    }

    /** Similarity of each output to the previous comparable output (one lap before), per modality and embedder. */
    public static String stepSimilarity(RunAnalysis analysis) {
        List<Curve> curves = new ArrayList<>();
        int i = 0;
        for (SeriesAnalysis s : analysis.series()) {
            curves.add(points(s, colour(i++), false));
        }
        return lineChart("Step-to-step similarity", "similarity to previous", curves, analysis.events(),
                "no two comparable outputs have vectors yet");
    }

    /**
     * The similarity matrix of one series as a heatmap (viridis, from the least similarity in the
     * matrix to 1), with a colour bar. Matrices larger than 64 outputs a side are shown as an evenly
     * spaced sample of their rows and columns.
     */
    public static String heatmap(SeriesAnalysis series) {
        SimilarityMatrix m = series.matrix();
        int n = m.size();
        int[] idx = sample(n, MAX_HEATMAP_SIDE);
        int k = idx.length;
        boolean sampled = m.sampled() || k < n;
        String title = "Similarity matrix: " + label(series) + (sampled ? " (sample of " + k + " outputs)" : "");
        int side = 360;
        int left = 52;
        int top = 40;
        int width = left + side + 96;
        int height = top + side + 44;
        Svg svg = new Svg(width, height, title);
        svg.text(left, 20, title, "start", "font-size=\"14\" font-weight=\"600\" fill=\"#212529\"");
        if (k == 0) {
            svg.text(left + side / 2.0, top + side / 2.0, "no output has a vector yet", "middle", "fill=\"#868e96\"");
            return svg.close();
        }
        double lo = 1;
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double v = m.get(idx[a], idx[b]);
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                }
            }
        }
        lo = Math.min(Math.floor(lo * 10) / 10, 0.9);
        double cell = (double) side / k;
        svg.group("shape-rendering=\"crispEdges\"");
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double v = m.get(idx[a], idx[b]);
                String fill = Double.isFinite(v) ? viridis((v - lo) / (1 - lo)) : "#dee2e6";
                // A hair wider than the cell, so that no background line shows between cells.
                svg.rect(left + b * cell, top + a * cell, cell + 0.4, cell + 0.4, "fill=\"" + fill + "\"");
            }
        }
        svg.end();
        if (k <= 24) {
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    svg.rect(left + b * cell, top + a * cell, cell, cell, "fill=\"transparent\"",
                            "outputs " + m.sequences().get(idx[a]) + " and " + m.sequences().get(idx[b]) + ": "
                                    + Svg.num(m.get(idx[a], idx[b]), 3));
                }
            }
        }
        svg.rect(left, top, side, side, "fill=\"none\" stroke=\"#495057\"");
        for (int t : Ticks.integers(0, k - 1, 6)) {
            double c = left + (t + 0.5) * cell;
            String seq = String.valueOf(m.sequences().get(idx[t]));
            svg.line(c, top + side, c, top + side + 4, "stroke=\"#495057\"");
            svg.text(c, top + side + 17, seq, "middle", "fill=\"#495057\"");
            double r = top + (t + 0.5) * cell;
            svg.line(left - 4, r, left, r, "stroke=\"#495057\"");
            svg.text(left - 7, r + 4, seq, "end", "fill=\"#495057\"");
        }
        svg.text(left + side / 2.0, height - 6, "output", "middle", "fill=\"#495057\"");
        // The colour bar, from lo at the bottom to 1 at the top.
        double bx = left + side + 22;
        int steps = 48;
        for (int s = 0; s < steps; s++) {
            double y = top + side - (s + 1.0) * side / steps;
            svg.rect(bx, y, 14, side / (double) steps + 0.4, "fill=\"" + viridis((s + 0.5) / steps) + "\"");
        }
        svg.rect(bx, top, 14, side, "fill=\"none\" stroke=\"#495057\"");
        double step = Ticks.step(lo, 1, 5);
        for (double t : Ticks.of(lo, 1, 5)) {
            double y = top + side - (t - lo) / (1 - lo) * side;
            svg.line(bx + 14, y, bx + 18, y, "stroke=\"#495057\"");
            svg.text(bx + 21, y + 4, Ticks.label(t, step), "start", "fill=\"#495057\"");
        }
        return svg.close();
    }

    // ------------------------------------------------------------------ line charts

    /** One polyline: points in output numbers and similarities, NaN where there is none. */
    private record Curve(String label, String colour, double[] xs, double[] ys, boolean dashed, List<String> tips) {
    }

    private static Curve points(SeriesAnalysis s, String colour, boolean toOrigin) {
        List<Similarity> sims = s.similarities();
        double[] xs = new double[sims.size()];
        double[] ys = new double[sims.size()];
        List<String> tips = new ArrayList<>();
        for (int i = 0; i < sims.size(); i++) {
            Similarity sim = sims.get(i);
            java.util.OptionalDouble v = toOrigin ? sim.toOrigin() : sim.toPrevious();
            xs[i] = sim.sequence();
            ys[i] = v.orElse(Double.NaN);
            tips.add("output " + sim.sequence() + ", " + label(s) + ": " + (v.isPresent() ? Svg.num(v.getAsDouble(), 3) : "n/a")
                    + (toOrigin ? " to output " + sim.origin() : sim.previous().isPresent()
                    ? " to output " + sim.previous().getAsInt() : ""));
        }
        return new Curve(label(s), colour, xs, ys, false, tips);
    }

    /**
     * The fitted decay drawn along the outputs of the series' first network position: lap {@code l}
     * of that position is output {@code origin + l·L}, with {@code L} the network's length as the
     * similarities' laps and sequence numbers tell it.
     */
    private static Curve fit(SeriesAnalysis s, String colour) {
        DecayFit fit = s.decay();
        List<Similarity> sims = s.similarities();
        if (fit == null || fit.points() < 2 || sims.isEmpty()) {
            return null;
        }
        int origin = sims.get(0).origin();
        Similarity first = null;
        Similarity last = null;
        for (Similarity sim : sims) {
            if (sim.origin() == origin) {
                first = first == null ? sim : first;
                last = sim;
            }
        }
        if (first == null || last.lap() == first.lap()) {
            return null;
        }
        double laps = last.lap() - first.lap();
        double length = (last.sequence() - first.sequence()) / laps;
        int samples = (int) Math.min(200, Math.max(24, laps * 4));
        double[] xs = new double[samples + 1];
        double[] ys = new double[samples + 1];
        for (int i = 0; i <= samples; i++) {
            double lap = first.lap() + laps * i / samples;
            xs[i] = first.sequence() + (lap - first.lap()) * length;
            ys[i] = fit.valueAt(lap);
        }
        String label = fit.amplitude() == 0 || fit.rate() == 0
                ? "fit: flat at " + Svg.num(fit.valueAt(0), 3)
                : String.format(Locale.ROOT, "fit %s·e^(−%s·lap) %s %s", Svg.num(fit.amplitude(), 3),
                Svg.num(fit.rate(), 3), fit.floor() < 0 ? "−" : "+", Svg.num(Math.abs(fit.floor()), 3));
        return new Curve(label, colour, xs, ys, true, List.of());
    }

    private static String lineChart(String title, String yTitle, List<Curve> curves, List<StopReason> events,
                                    String empty) {
        double maxX = 1;
        double minY = 1;
        boolean any = false;
        for (Curve c : curves) {
            for (int i = 0; i < c.xs().length; i++) {
                maxX = Math.max(maxX, c.xs()[i]);
                if (!c.dashed() && Double.isFinite(c.ys()[i])) {
                    any = true;
                    minY = Math.min(minY, c.ys()[i]);
                }
            }
        }
        for (StopReason e : events) {
            maxX = Math.max(maxX, e.sequence().orElse(0));
        }
        // From 0 when the curves go low, so that heights compare; zoomed in when they all stay high
        // (a loop that settles at once), so that 0.99 and 1 do not draw as one line.
        minY = minY < 0.5 ? Math.floor(minY * 5) / 5 : Math.max(0, Math.floor(minY * 10) / 10 - 0.1);
        double maxY = 1;

        // The legend goes above the plot, in as many rows as it needs.
        List<double[]> legendAt = new ArrayList<>();
        double lx = LEFT;
        int rows = 1;
        for (Curve c : curves) {
            double w = 30 + c.label().length() * 6.6 + 18;
            if (lx + w > WIDTH - RIGHT && lx > LEFT) {
                rows++;
                lx = LEFT;
            }
            legendAt.add(new double[] {lx, 38 + (rows - 1) * 17});
            lx += w;
        }
        int top = 38 + rows * 17 + 6;
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - top - BOTTOM;
        final double fMaxX = maxX;
        final double fMinY = minY;
        java.util.function.DoubleUnaryOperator x = v -> LEFT + v / fMaxX * plotW;
        java.util.function.DoubleUnaryOperator y = v -> top + (maxY - v) / (maxY - fMinY) * plotH;

        Svg svg = new Svg(WIDTH, HEIGHT, title);
        svg.text(LEFT, 20, title, "start", "font-size=\"14\" font-weight=\"600\" fill=\"#212529\"");
        // Grid and y axis.
        double yStep = Ticks.step(minY, maxY, 5);
        for (double t : Ticks.of(minY, maxY, 5)) {
            double py = y.applyAsDouble(t);
            svg.line(LEFT, py, LEFT + plotW, py, "stroke=\"" + (t == 0 ? "#adb5bd" : "#e9ecef") + "\"");
            svg.text(LEFT - 8, py + 4, Ticks.label(t, yStep), "end", "fill=\"#495057\"");
        }
        for (int t : Ticks.integers(0, (int) Math.ceil(maxX), 10)) {
            double px = x.applyAsDouble(t);
            svg.line(px, top + plotH, px, top + plotH + 5, "stroke=\"#495057\"");
            svg.text(px, top + plotH + 18, String.valueOf(t), "middle", "fill=\"#495057\"");
        }
        svg.line(LEFT, top, LEFT, top + plotH, "stroke=\"#495057\"");
        svg.line(LEFT, top + plotH, LEFT + plotW, top + plotH, "stroke=\"#495057\"");
        svg.text(LEFT + plotW / 2.0, HEIGHT - 8, "output", "middle", "fill=\"#495057\"");
        svg.verticalText(16, top + plotH / 2.0, yTitle, "fill=\"#495057\"");

        // Detector events: the pattern's span shaded and a line where it was found, under the curves;
        // their names go on top of the curves, haloed, once the curves are drawn.
        List<Runnable> labels = new ArrayList<>();
        int e = 0;
        for (StopReason ev : events) {
            if (ev.sequence().isEmpty()) {
                continue; // before any output: nowhere on the x axis
            }
            int at = ev.sequence().getAsInt();
            String colour = EVENT_COLOURS.getOrDefault(ev.rule(), "#495057");
            double px = x.applyAsDouble(at);
            String tip = ev.rule() + " at output " + at + ": " + ev.message();
            svg.group("class=\"event\" data-rule=\"" + Html.escape(ev.rule()) + "\"");
            int start = ev.patternStart().orElse(at);
            if (start < at) {
                double ps = x.applyAsDouble(start);
                svg.rect(ps, top, px - ps, plotH, "fill=\"" + colour + "\" fill-opacity=\"0.08\"", tip);
            }
            svg.line(px, top, px, top + plotH, "stroke=\"" + colour + "\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"");
            svg.end();
            boolean right = px > LEFT + plotW * 0.8;
            double ly = top + 13 + (e % 3) * 14;
            labels.add(() -> svg.text(px + (right ? -4 : 4), ly, ev.rule() + " @" + at,
                    right ? "end" : "start", "font-size=\"11\" fill=\"" + colour + "\" stroke=\"#fff\" "
                            + "stroke-width=\"3\" paint-order=\"stroke\""));
            e++;
        }

        if (!any) {
            svg.text(LEFT + plotW / 2.0, top + plotH / 2.0, empty, "middle", "fill=\"#868e96\"");
        }
        for (int ci = 0; ci < curves.size(); ci++) {
            Curve c = curves.get(ci);
            String stroke = "stroke=\"" + c.colour() + "\" stroke-width=\"" + (c.dashed() ? "1.6" : "2")
                    + "\" stroke-linejoin=\"round\"" + (c.dashed() ? " stroke-dasharray=\"6 4\" stroke-opacity=\"0.8\"" : "");
            svg.group("class=\"" + (c.dashed() ? "fit" : "series") + "\"");
            // A gap (NaN) splits the curve, so that no line pretends to join across it.
            int start = 0;
            for (int i = 0; i <= c.xs().length; i++) {
                if (i == c.xs().length || !Double.isFinite(c.ys()[i])) {
                    if (i - start >= 2) {
                        double[] px = new double[i - start];
                        double[] py = new double[i - start];
                        for (int j = start; j < i; j++) {
                            px[j - start] = x.applyAsDouble(c.xs()[j]);
                            // A fit may overshoot the axis (a > 1 - c); the line stops at the frame.
                            py[j - start] = y.applyAsDouble(Math.max(fMinY, Math.min(maxY, c.ys()[j])));
                        }
                        svg.polyline(px, py, stroke);
                    }
                    start = i + 1;
                }
            }
            if (!c.dashed() && c.xs().length <= MAX_DOTS) {
                for (int i = 0; i < c.xs().length; i++) {
                    if (Double.isFinite(c.ys()[i])) {
                        svg.circle(x.applyAsDouble(c.xs()[i]), y.applyAsDouble(c.ys()[i]), 3,
                                "fill=\"" + c.colour() + "\" stroke=\"#fff\" stroke-width=\"1\"", c.tips().get(i));
                    }
                }
            }
            svg.end();
            double[] at = legendAt.get(ci);
            svg.line(at[0], at[1] - 4, at[0] + 24, at[1] - 4, stroke);
            svg.text(at[0] + 30, at[1], c.label(), "start", "fill=\"#343a40\"");
        }
        labels.forEach(Runnable::run);
        return svg.close();
    }

    // ------------------------------------------------------------------ helpers

    /** "image · image-descriptor": what a series compares. */
    static String label(SeriesAnalysis s) {
        return s.modality().wireName() + " · " + s.embedderId();
    }

    /** The colour of the {@code i}-th series, also used by the pages that show the plots. */
    static String colour(int i) {
        return COLOURS[i % COLOURS.length];
    }

    /** At most {@code max} indices of {@code 0..n-1}, evenly spaced, the first and last included. */
    static int[] sample(int n, int max) {
        if (n <= max) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] out = new int[max];
        for (int i = 0; i < max; i++) {
            out[i] = (int) Math.round(i * (n - 1) / (double) (max - 1));
        }
        return out;
    }

    /** The viridis colour at {@code t} in [0, 1] (clamped), as {@code #rrggbb}. */
    static String viridis(double t) {
        double c = Math.max(0, Math.min(1, Double.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
        int i = Math.min(VIRIDIS.length - 2, (int) Math.floor(c));
        double f = c - i;
        int a = VIRIDIS[i];
        int b = VIRIDIS[i + 1];
        int r = (int) Math.round((a >> 16 & 0xff) * (1 - f) + (b >> 16 & 0xff) * f);
        int g = (int) Math.round((a >> 8 & 0xff) * (1 - f) + (b >> 8 & 0xff) * f);
        int bl = (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, bl);
    }
}
