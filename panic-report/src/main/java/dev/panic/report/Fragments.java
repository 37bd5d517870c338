package dev.panic.report;

import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Similarity;
import dev.panic.StopReason;
import dev.panic.analysis.RunAnalysis;
import dev.panic.analysis.SeriesAnalysis;
import dev.panic.report.internal.Html;
import dev.panic.report.internal.Pictures;
import dev.panic.report.internal.Svg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pieces of HTML that show PANIC's objects — a payload, a prediction as a card, a run's outputs as
 * a filmstrip — self-contained (media as data URIs, no script), for {@link Report} pages and for
 * notebook cells. Every class they use starts with {@code panic-}; {@link #STYLE} styles them.
 */
public final class Fragments {

    /** The default size, in pixels, of the longer side of a thumbnail. */
    public static final int THUMBNAIL_SIZE = 160;

    /** The style sheet of every fragment, as a {@code <style>} element. */
    public static final String STYLE = """
            <style>
            .panic-strip{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-start;margin:0;padding:0}
            .panic-card{box-sizing:border-box;width:188px;margin:0;padding:8px;border:1px solid #dee2e6;border-radius:8px;
              background:#fff;font:13px/1.4 system-ui,-apple-system,'Segoe UI','DejaVu Sans',sans-serif;color:#212529;
              box-shadow:0 1px 2px rgba(0,0,0,.05)}
            .panic-card-input{background:#f8f9fa;border-style:dashed}
            .panic-card-failed{border-color:#ffa8a8;background:#fff5f5}
            .panic-card figcaption{display:flex;gap:6px;align-items:baseline;margin-bottom:6px;white-space:nowrap;overflow:hidden}
            .panic-seq{font-weight:700;font-variant-numeric:tabular-nums;background:#212529;color:#fff;border-radius:4px;
              padding:0 5px;font-size:12px}
            .panic-model{color:#495057;overflow:hidden;text-overflow:ellipsis;font-size:12px}
            .panic-card img{display:block;max-width:100%;height:auto;margin:0 auto;border-radius:4px;background:#f1f3f5;
              image-rendering:auto}
            .panic-text{margin:0;max-height:9.8em;overflow:auto;white-space:pre-wrap;word-wrap:break-word;font-size:13px}
            .panic-audio{display:block;width:100%;max-width:320px;height:32px}
            .panic-error{color:#c92a2a;font-size:12px;word-wrap:break-word}
            .panic-meta{margin-top:6px;color:#6c757d;font-size:11.5px;font-variant-numeric:tabular-nums}
            .panic-badge{display:inline-block;margin:4px 4px 0 0;padding:0 6px;border-radius:10px;font-size:11px;
              color:#fff;background:var(--panic-badge,#495057)}
            .panic-media{color:#868e96;font-size:12px}
            </style>""";

    private static final Map<String, String> BADGE_COLOURS = Map.of("fixed-point", "#2b8a3e", "cycle", "#7048e8",
            "drift", "#c2410c", "exact-repeat", "#c92a2a", "normalised-repeat", "#c92a2a");

    private Fragments() {
    }

    /**
     * A payload as HTML: an image as a thumbnail at most {@code thumbnailSize} pixels on its longer
     * side, a text as escaped text, a sound as an audio player with its bytes inside.
     */
    public static String payload(Payload payload, int thumbnailSize) {
        if (payload instanceof Payload.Text t) {
            return "<p class=\"panic-text\">" + Html.escape(t.text()) + "</p>";
        }
        if (payload instanceof Payload.Image img) {
            return Pictures.thumbnailUri(img, thumbnailSize)
                    .map(uri -> "<img src=\"" + uri + "\" alt=\"" + Html.escape(img.summary(80)) + "\" title=\""
                            + Html.escape(img.summary(80)) + "\">")
                    .orElse("<p class=\"panic-media\">" + Html.escape(img.summary(80)) + " (cannot be shown)</p>");
        }
        Payload.Audio audio = (Payload.Audio) payload;
        return "<audio class=\"panic-audio\" controls preload=\"none\" title=\"" + Html.escape(audio.summary(80)) + "\" src=\""
                + Pictures.dataUri(audio.mediaType(), audio.data().toByteArray()) + "\"></audio>"
                + "<div class=\"panic-media\">" + Html.escape(audio.summary(80)) + "</div>";
    }

    /** A prediction as a card: its number, model, output (or error), duration and cost. */
    public static String card(Prediction prediction, int thumbnailSize) {
        return card(prediction, thumbnailSize, null, List.of());
    }

    /** The run's initial input as the first card of a strip. */
    public static String inputCard(Payload input, int thumbnailSize) {
        return "<figure class=\"panic-card panic-card-input\"><figcaption><span class=\"panic-seq\">in</span>"
                + "<span class=\"panic-model\">initial input</span></figcaption>" + payload(input, thumbnailSize)
                + "</figure>";
    }

    /**
     * A run's outputs in order, its initial input first. With an analysis, each card also gives the
     * output's similarity to its origin and is marked where a detector fired or its pattern began.
     *
     * @param analysis the run's analysis, or null
     */
    public static String filmstrip(Payload initialInput, List<Prediction> predictions, RunAnalysis analysis,
                                   int thumbnailSize) {
        Map<Integer, Double> toOrigin = new TreeMap<>();
        Map<Integer, List<String[]>> badges = new TreeMap<>();
        if (analysis != null) {
            for (SeriesAnalysis s : analysis.series()) {
                for (Similarity sim : s.similarities()) {
                    sim.toOrigin().ifPresent(v -> toOrigin.putIfAbsent(sim.sequence(), v));
                }
            }
            for (StopReason e : analysis.events()) {
                if (e.sequence().isEmpty()) {
                    continue; // before any output: no output to badge
                }
                int at = e.sequence().getAsInt();
                int start = e.patternStart().orElse(at);
                if (start < at) {
                    badges.computeIfAbsent(start, k -> new ArrayList<>())
                            .add(new String[] {e.rule(), e.rule() + " begins", e.message()});
                }
                badges.computeIfAbsent(at, k -> new ArrayList<>())
                        .add(new String[] {e.rule(), e.rule() + " found", e.message()});
            }
        }
        StringBuilder b = new StringBuilder("<div class=\"panic-strip\">");
        if (initialInput != null) {
            b.append(inputCard(initialInput, thumbnailSize));
        }
        for (Prediction p : predictions) {
            b.append(card(p, thumbnailSize, toOrigin.get(p.sequence()), badges.getOrDefault(p.sequence(), List.of())));
        }
        return b.append("</div>").toString();
    }

    private static String card(Prediction p, int thumbnailSize, Double toOrigin, List<String[]> badges) {
        StringBuilder b = new StringBuilder();
        String kind = p.succeeded() ? p.output().modality().wireName() : "failed";
        b.append("<figure class=\"panic-card panic-card-").append(kind).append("\" id=\"output-").append(p.sequence())
                .append("\" data-sequence=\"").append(p.sequence()).append("\"><figcaption><span class=\"panic-seq\">")
                .append(p.sequence()).append("</span><span class=\"panic-model\" title=\"")
                .append(Html.escape(p.modelId().toString())).append("\">").append(Html.escape(p.modelId().toString()))
                .append("</span></figcaption>");
        if (p.succeeded()) {
            b.append(payload(p.output(), thumbnailSize));
        } else {
            b.append("<p class=\"panic-error\">").append(Html.escape(p.error().type())).append(": ")
                    .append(Html.escape(p.error().message())).append("</p>");
        }
        List<String> meta = new ArrayList<>();
        if (toOrigin != null) {
            meta.add("<span title=\"cosine similarity to the first comparable output\">to origin "
                    + String.format(java.util.Locale.ROOT, "%.3f", toOrigin) + "</span>");
        }
        meta.add(duration(p.duration()));
        p.metadata().costUsd().ifPresent(c -> meta.add(usd(c)));
        b.append("<div class=\"panic-meta\">").append(String.join(" · ", meta)).append("</div>");
        for (String[] badge : badges) {
            b.append("<span class=\"panic-badge\" style=\"--panic-badge:")
                    .append(BADGE_COLOURS.getOrDefault(badge[0], "#495057")).append("\" title=\"")
                    .append(Html.escape(badge[2])).append("\">").append(Html.escape(badge[1])).append("</span>");
        }
        return b.append("</figure>").toString();
    }

    /** "850 ms", "12.4 s", "3 min 5 s". */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return Svg.num(ms / 1000.0, 1) + " s";
        }
        long s = d.toSeconds();
        return s / 60 + " min " + s % 60 + " s";
    }

    /** "$0.0400": cents and their fractions, as platforms price calls. */
    static String usd(double usd) {
        return String.format(java.util.Locale.ROOT, "$%.4f", usd);
    }
}
