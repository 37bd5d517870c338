package dev.panic.report.internal;

import java.util.Locale;

/**
 * A small writer of SVG markup: elements go straight into one buffer, numbers are written with as
 * few digits as a screen needs, so that plots of long runs stay small.
 */
public final class Svg {

    private final StringBuilder out = new StringBuilder(4096);

    /** Starts an SVG of the given size in user units, scaling to its container's width. */
    public Svg(int width, int height, String label) {
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"").append(Html.escape(label))
                .append("\" font-family=\"system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif\""
                        + " font-size=\"12\">");
    }

    /** {@code value} with at most {@code decimals} decimals, trailing zeros dropped, never "-0". */
    public static String num(double value, int decimals) {
        String s = String.format(Locale.ROOT, "%." + decimals + "f", value);
        if (s.indexOf('.') >= 0) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s.equals("-0") ? "0" : s;
    }

    private static String n(double v) {
        return num(v, 1);
    }

    /** Raw markup, for what has no helper. */
    public Svg raw(String markup) {
        out.append(markup);
        return this;
    }

    public Svg line(double x1, double y1, double x2, double y2, String style) {
        out.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append("\" ").append(style).append("/>");
        return this;
    }

    public Svg rect(double x, double y, double w, double h, String style) {
        out.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" ").append(style).append("/>");
        return this;
    }

    /** A rectangle with a tooltip. */
    public Svg rect(double x, double y, double w, double h, String style, String title) {
        out.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" ").append(style).append("><title>")
                .append(Html.escape(title)).append("</title></rect>");
        return this;
    }

    public Svg circle(double cx, double cy, double r, String style, String title) {
        out.append("<circle cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy)).append("\" r=\"").append(n(r))
                .append("\" ").append(style);
        if (title == null) {
            out.append("/>");
        } else {
            out.append("><title>").append(Html.escape(title)).append("</title></circle>");
        }
        return this;
    }

    /** A polyline through the points {@code xs[i], ys[i]}. */
    public Svg polyline(double[] xs, double[] ys, String style) {
        out.append("<polyline points=\"");
        for (int i = 0; i < xs.length; i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(n(xs[i])).append(',').append(n(ys[i]));
        }
        out.append("\" fill=\"none\" ").append(style).append("/>");
        return this;
    }

    /** Text anchored at {@code x, y}; {@code anchor} is start, middle or end. */
    public Svg text(double x, double y, String text, String anchor, String style) {
        out.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"")
                .append(anchor).append("\"").append(style.isEmpty() ? "" : " " + style).append('>')
                .append(Html.escape(text)).append("</text>");
        return this;
    }

    /** Text turned a quarter anticlockwise about its anchor, for a y-axis title. */
    public Svg verticalText(double x, double y, String text, String style) {
        out.append("<text transform=\"translate(").append(n(x)).append(',').append(n(y))
                .append(") rotate(-90)\" text-anchor=\"middle\"").append(style.isEmpty() ? "" : " " + style)
                .append('>').append(Html.escape(text)).append("</text>");
        return this;
    }

    /** Opens a group; close it with {@link #end()}. */
    public Svg group(String attributes) {
        out.append("<g ").append(attributes).append('>');
        return this;
    }

    public Svg end() {
        out.append("</g>");
        return this;
    }

    /** Closes the SVG and returns its markup. */
    public String close() {
        return out.append("</svg>").toString();
    }
}
