package dev.panic.notebook.internal;

import dev.panic.ModelId;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.RunInfo;
import dev.panic.StopReason;
import dev.panic.analysis.RunAnalysis;
import dev.panic.analysis.SeriesAnalysis;
import dev.panic.report.Fragments;
import dev.panic.report.Plots;
import dev.panic.report.internal.Html;
import dev.panic.report.internal.Pictures;
import dev.panic.StoredRun;
import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** PANIC's objects as Jupyter MIME bundles: media type to content, base64 for binary types. */
public final class Views {

    /** Image types that notebook front ends show from a bundle as they are. */
    private static final Set<String> NOTEBOOK_IMAGES = Set.of("image/png", "image/jpeg", "image/gif");
    /** A live strip shows this many latest outputs; the rest are counted. */
    static final int STRIP_OUTPUTS = 40;
    private static final int THUMBNAIL = 128;
    private static final String PLOT_STYLE = "<style>.panic-plot svg{display:block;max-width:100%;height:auto}"
            + ".panic-plot{margin:8px 0}.panic-head{font:13px/1.5 system-ui,-apple-system,'Segoe UI','DejaVu Sans',"
            + "sans-serif;color:#343a40;margin:4px 0 8px}.panic-head b{color:#212529}</style>";

    private Views() {
    }

    /** True if {@link #bundle} has a view of {@code value}. */
    public static boolean supports(Object value) {
        return value instanceof Payload || value instanceof Prediction || value instanceof Run
                || value instanceof StoredRun || value instanceof RunAnalysis;
    }

    /** The view of {@code value}, or empty if it is not one of PANIC's objects shown here. */
    public static Optional<Map<String, String>> bundle(Object value) {
        if (value instanceof Payload.Image image) {
            return Optional.of(image(image));
        }
        if (value instanceof Payload.Audio audio) {
            return Optional.of(html(Fragments.payload(audio, THUMBNAIL), audio.toString()));
        }
        if (value instanceof Payload.Text text) {
            return Optional.of(Map.of("text/plain", text.text()));
        }
        if (value instanceof Prediction p) {
            return Optional.of(html(Fragments.STYLE + Fragments.card(p, 256), "output " + p.sequence() + " of "
                    + p.modelId() + ": " + (p.succeeded() ? p.output().summary(80) : p.error().message())));
        }
        if (value instanceof Run run) {
            return Optional.of(run(run.info(), run.predictions(), RunAnalysis.of(run)));
        }
        if (value instanceof StoredRun run) {
            return Optional.of(run(run.info(), run.predictions(), RunAnalysis.of(run)));
        }
        if (value instanceof RunAnalysis analysis) {
            return Optional.of(analysis(analysis));
        }
        return Optional.empty();
    }

    private static Map<String, String> image(Payload.Image image) {
        Map<String, String> bundle = new LinkedHashMap<>();
        if (NOTEBOOK_IMAGES.contains(image.mediaType())) {
            bundle.put(image.mediaType(), Base64.getEncoder().encodeToString(image.data().toByteArray()));
        } else {
            Optional<BufferedImage> decoded = Pictures.decode(image);
            if (decoded.isPresent()) {
                bundle.put("image/png", Base64.getEncoder().encodeToString(Pictures.png(decoded.get())));
            } else {
                bundle.put("text/html", "<img src=\"" + Pictures.dataUri(image.mediaType(), image.data().toByteArray())
                        + "\" alt=\"" + Html.escape(image.summary(80)) + "\">");
            }
        }
        bundle.put("text/plain", image.toString());
        return bundle;
    }

    private static Map<String, String> html(String html, String text) {
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put("text/html", html);
        bundle.put("text/plain", text);
        return bundle;
    }

    /** A run: one line on where it is, its latest outputs in order, the similarity to the first output. */
    static Map<String, String> run(RunInfo info, List<Prediction> predictions, RunAnalysis analysis) {
        StringBuilder b = new StringBuilder(Fragments.STYLE).append(PLOT_STYLE).append("<div class=\"panic-run\" "
                + "data-run-id=\"").append(Html.escape(info.id())).append("\" data-outputs=\"")
                .append(predictions.size()).append("\"><div class=\"panic-head\"><b>run ")
                .append(Html.escape(info.id())).append("</b> · ")
                .append(info.network().stream().map(ModelId::toString).map(Html::escape)
                        .collect(Collectors.joining(" → "))).append(" · <b>").append(info.status()).append("</b> · ")
                .append(predictions.size()).append(predictions.size() == 1 ? " output" : " outputs");
        info.stopReason().ifPresent(reason -> b.append(" · ").append(Html.escape(reason.rule())).append(": ")
                .append(Html.escape(reason.message())));
        for (StopReason o : info.observations()) {
            b.append("<br>observed ").append(Html.escape(o.rule())).append(where(o))
                    .append(": ").append(Html.escape(o.message()));
        }
        b.append("</div>");
        List<Prediction> shown = predictions.subList(Math.max(0, predictions.size() - STRIP_OUTPUTS), predictions.size());
        if (shown.size() < predictions.size()) {
            b.append("<div class=\"panic-head\">… ").append(predictions.size() - shown.size())
                    .append(" earlier outputs, then:</div>");
        }
        b.append(Fragments.filmstrip(shown.size() == predictions.size() ? info.initialInput() : null, shown, analysis,
                THUMBNAIL));
        if (!analysis.series().isEmpty()) {
            b.append("<div class=\"panic-plot\">").append(Plots.similarityToOrigin(analysis)).append("</div>");
        }
        b.append("</div>");
        Payload last = predictions.isEmpty() ? null : predictions.get(predictions.size() - 1).output();
        return html(b.toString(), "run " + info.id() + " " + info.status() + ", " + predictions.size() + " outputs"
                + (last == null ? "" : ", last: " + last.summary(60)));
    }

    private static Map<String, String> analysis(RunAnalysis analysis) {
        StringBuilder b = new StringBuilder(PLOT_STYLE).append("<div class=\"panic-analysis\"><div class=\"panic-head\">"
                + "<b>analysis of run ").append(Html.escape(analysis.runId())).append("</b> · ")
                .append(analysis.predictions()).append(" predictions");
        for (StopReason e : analysis.events()) {
            b.append("<br>found ").append(Html.escape(e.rule())).append(where(e)).append(": ")
                    .append(Html.escape(e.message()));
        }
        b.append("</div>");
        if (analysis.series().isEmpty()) {
            b.append("<div class=\"panic-head\">no output has a vector: run with embedders to compare outputs</div>");
        } else {
            b.append("<div class=\"panic-plot\">").append(Plots.similarityToOrigin(analysis)).append("</div>")
                    .append("<div class=\"panic-plot\">").append(Plots.stepSimilarity(analysis)).append("</div>");
            b.append("<div style=\"display:flex;flex-wrap:wrap;gap:8px\">");
            for (SeriesAnalysis s : analysis.series()) {
                b.append("<div class=\"panic-plot\">").append(Plots.heatmap(s)).append("</div>");
            }
            b.append("</div>");
        }
        b.append("</div>");
        return html(b.toString(), "analysis of run " + analysis.runId() + ": " + analysis.series().size()
                + " series, " + analysis.events().size() + " patterns found");
    }

    /** " at output n", or " before any output" for a reason that fired before the first prediction. */
    private static String where(StopReason r) {
        return r.sequence().isPresent() ? " at output " + r.sequence().getAsInt() : " before any output";
    }
}
