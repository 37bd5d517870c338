package dev.panic.report;

import dev.panic.Metadata;
import dev.panic.ModelId;
import dev.panic.Prediction;
import dev.panic.RunInfo;
import dev.panic.StopReason;
import dev.panic.analysis.RunAnalysis;
import dev.panic.analysis.SeriesAnalysis;
import dev.panic.exception.ValidationException;
import dev.panic.report.internal.Html;
import dev.panic.report.internal.Output;
import dev.panic.report.internal.Svg;
import dev.panic.StoredRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One run as a self-contained HTML page that opens with no network and no server: what the run
 * was (network, initial input, status, stop reason, observations), its outputs in order as a
 * filmstrip, the similarity curves with their decay fits and the detector events, the similarity
 * matrices as heatmaps, and the cost and provenance of every call.
 *
 * <pre>{@code
 * StoredRun run = store.read(runId);
 * Report.of(run, RunAnalysis.of(run)).writeTo(Path.of("report.html"));
 * }</pre>
 *
 * <p>Images are embedded as thumbnails and sounds whole, as data URIs. Immutable: each setting
 * returns a new report.
 */
public final class Report {

    /** The name a report page is written under beside its run, by {@link ReportIndex} and {@code panic report}. */
    public static final String FILE_NAME = "report.html";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** Beyond this many predictions the provenance table starts folded. */
    private static final int OPEN_TABLE_ROWS = 60;

    private final StoredRun run;
    private final RunAnalysis analysis;
    private final int thumbnailSize;
    private final String indexLink;

    private Report(StoredRun run, RunAnalysis analysis, int thumbnailSize, String indexLink) {
        this.run = run;
        this.analysis = analysis;
        this.thumbnailSize = thumbnailSize;
        this.indexLink = indexLink;
    }

    /**
     * The report of a saved run and its analysis.
     *
     * @throws ValidationException if either is null or the analysis is of another run
     */
    public static Report of(StoredRun run, RunAnalysis analysis) {
        if (run == null || analysis == null) {
            throw new ValidationException("a report needs a saved run and its analysis");
        }
        if (!run.info().id().equals(analysis.runId())) {
            throw new ValidationException("the analysis is of run '" + analysis.runId() + "', not of run '"
                    + run.info().id() + "'; analyse the run you report");
        }
        return new Report(run, analysis, Fragments.THUMBNAIL_SIZE, null);
    }

    /** The report of a saved run, analysed with {@link dev.panic.analysis.Analyzer#defaults()}. */
    public static Report of(StoredRun run) {
        if (run == null) {
            throw new ValidationException("a report needs a saved run");
        }
        return of(run, RunAnalysis.of(run));
    }

    /** Thumbnails at most {@code pixels} on their longer side (32 to 1024; {@value Fragments#THUMBNAIL_SIZE} by default). */
    public Report thumbnailSize(int pixels) {
        if (pixels < 32 || pixels > 1024) {
            throw new ValidationException("thumbnail size must be 32 to 1024 pixels, got " + pixels);
        }
        return new Report(run, analysis, pixels, indexLink);
    }

    /** Adds a link back to an index page at {@code href} (relative to the report), as {@link ReportIndex} does. */
    public Report indexLink(String href) {
        return new Report(run, analysis, thumbnailSize, href);
    }

    /** The run reported. */
    public StoredRun run() {
        return run;
    }

    /** Its analysis. */
    public RunAnalysis analysis() {
        return analysis;
    }

    /** Writes the page to {@code file}, creating its folder if needed, and returns the file. */
    public Path writeTo(Path file) {
        return Output.write(file, toHtml().getBytes(StandardCharsets.UTF_8));
    }

    /** The page. */
    public String toHtml() {
        RunInfo info = run.info();
        StringBuilder b = new StringBuilder(64 * 1024);
        page(b, "PANIC run " + info.id());
        if (indexLink != null) {
            b.append("<nav><a href=\"").append(Html.escape(indexLink)).append("\">← all runs</a></nav>");
        }
        b.append("<header><h1>Run <code>").append(Html.escape(info.id())).append("</code></h1><p class=\"network\">")
                .append(network(info.network())).append("</p></header>");
        summary(b, info);
        description(b, info);

        b.append("<section id=\"outputs\"><h2>Outputs</h2><p class=\"note\">In order, numbered as stop reasons and "
                + "the plots number them; the initial input first.</p>");
        b.append(Fragments.filmstrip(info.initialInput(), run.predictions(), analysis, thumbnailSize));
        b.append("</section>");

        similarity(b);
        provenance(b);
        b.append("<footer>Written by PANIC for Java on ").append(TIME.format(Instant.now()))
                .append(". Self-contained: no network or server needed to view it.</footer>");
        return b.append("</main></body></html>\n").toString();
    }

    // ------------------------------------------------------------------ sections

    private void summary(StringBuilder b, RunInfo info) {
        List<Prediction> ps = run.predictions();
        long failed = ps.stream().filter(p -> !p.succeeded()).count();
        b.append("<section class=\"facts\">");
        fact(b, "status", "<span class=\"status status-" + Html.escape(String.valueOf(info.status()).toLowerCase())
                + "\">" + Html.escape(String.valueOf(info.status())) + "</span>");
        fact(b, "stopped by", info.stopReason().map(r -> Html.escape(r.rule())).orElse("—"));
        fact(b, "outputs", ps.size() + (failed > 0 ? " <small>(" + failed + " failed)</small>" : ""));
        fact(b, "duration", info.finishedAt()
                .map(end -> Fragments.duration(Duration.between(info.startedAt(), end))).orElse("running"));
        fact(b, "cost", cost(ps));
        fact(b, "patterns found", analysis.events().isEmpty() ? "none"
                : Html.escape(analysis.events().stream().map(StopReason::rule).distinct()
                .collect(Collectors.joining(", "))));
        b.append("</section>");
    }

    private static void fact(StringBuilder b, String label, String valueHtml) {
        b.append("<div class=\"fact\"><div class=\"label\">").append(label).append("</div><div class=\"value\">")
                .append(valueHtml).append("</div></div>");
    }

    private void description(StringBuilder b, RunInfo info) {
        b.append("<section id=\"run\"><h2>The run</h2><table class=\"kv\">");
        row(b, "run id", "<code>" + Html.escape(info.id()) + "</code>");
        row(b, "network", network(info.network()) + " <small>(" + info.network().size() + " model"
                + (info.network().size() == 1 ? "" : "s") + " a lap)</small>");
        row(b, "initial input", "<div class=\"input\">" + Fragments.payload(info.initialInput(), thumbnailSize)
                + "</div>");
        row(b, "status", Html.escape(String.valueOf(info.status())));
        row(b, "stop reason", info.stopReason().map(Report::reason).orElse("—"));
        row(b, "started", TIME.format(info.startedAt()));
        row(b, "finished", info.finishedAt().map(TIME::format).orElse("—"));
        row(b, "predictions", String.valueOf(run.predictions().size()));
        if (!info.observations().isEmpty()) {
            row(b, "observations", "<ul>" + info.observations().stream().map(o -> "<li>" + reason(o) + "</li>")
                    .collect(Collectors.joining()) + "</ul>");
        }
        List<String> warnings = new ArrayList<>(run.warnings());
        warnings.addAll(analysis.warnings());
        if (!warnings.isEmpty()) {
            row(b, "warnings", "<ul class=\"warnings\">" + warnings.stream().map(w -> "<li>" + Html.escape(w) + "</li>")
                    .collect(Collectors.joining()) + "</ul>");
        }
        b.append("</table></section>");
    }

    private void similarity(StringBuilder b) {
        b.append("<section id=\"similarity\"><h2>Similarity</h2>");
        if (analysis.series().isEmpty()) {
            b.append("<p class=\"note\">No output has an embedding vector, so nothing could be compared. Run with "
                    + "embedders (<code>Run.builder(...).embedWith(...)</code>), or let <code>panic report</code> "
                    + "embed saved outputs with the offline embedders.</p></section>");
            return;
        }
        b.append("<p class=\"note\">Each output is compared with the outputs of the same model one lap of the network "
                + "apart, in one embedder's space (cosine similarity). Dashed: the least-squares fit "
                + "a·e<sup>−b·lap</sup>+c of the similarity to the first output. Vertical lines: where a "
                + "detector found a pattern, its span shaded.</p>");
        b.append("<figure class=\"plot\">").append(Plots.similarityToOrigin(analysis)).append("</figure>");
        b.append("<figure class=\"plot\">").append(Plots.stepSimilarity(analysis)).append("</figure>");
        fits(b);
        if (!analysis.events().isEmpty()) {
            b.append("<h3>Patterns found</h3><ul class=\"events\">");
            for (StopReason e : analysis.events()) {
                b.append("<li>").append(reason(e)).append("</li>");
            }
            b.append("</ul>");
        }
        b.append("<h3>Similarity matrices</h3><div class=\"heatmaps\">");
        for (SeriesAnalysis s : analysis.series()) {
            b.append("<figure class=\"plot heatmap\">").append(Plots.heatmap(s)).append("</figure>");
        }
        b.append("</div></section>");
    }

    private void fits(StringBuilder b) {
        b.append("<table class=\"grid fits\"><thead><tr><th>series</th><th>outputs</th><th>last to origin</th>"
                + "<th>amplitude a</th><th>rate b per lap</th><th>half-life (laps)</th><th>floor c</th>"
                + "<th>rmse</th></tr></thead><tbody>");
        int i = 0;
        for (SeriesAnalysis s : analysis.series()) {
            double[] drift = s.driftCurve();
            double last = Double.NaN;
            for (int k = drift.length - 1; k >= 0 && Double.isNaN(last); k--) {
                last = drift[k];
            }
            var fit = s.decay();
            b.append("<tr><td><span class=\"swatch\" style=\"background:").append(Plots.colour(i++)).append("\"></span>")
                    .append(Html.escape(Plots.label(s))).append("</td><td>").append(s.similarities().size())
                    .append("</td><td>").append(num(last, 3)).append("</td>");
            if (fit == null) {
                b.append("<td colspan=\"5\">—</td>");
            } else {
                b.append("<td>").append(num(fit.amplitude(), 3)).append("</td><td>").append(num(fit.rate(), 4))
                        .append("</td><td>").append(Double.isInfinite(fit.halfLife()) ? "∞" : num(fit.halfLife(), fit.halfLife() < 1 ? 3 : 1))
                        .append("</td><td>").append(num(fit.floor(), 3)).append("</td><td>").append(num(fit.rmse(), 4))
                        .append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</tbody></table>");
    }

    private void provenance(StringBuilder b) {
        List<Prediction> ps = run.predictions();
        b.append("<section id=\"provenance\"><h2>Cost and provenance</h2>");
        if (ps.isEmpty()) {
            b.append("<p class=\"note\">No prediction was made.</p></section>");
            return;
        }
        // Per model: calls, failures, the versions that ran, time and cost.
        Map<ModelId, List<Prediction>> byModel = new LinkedHashMap<>();
        ps.forEach(p -> byModel.computeIfAbsent(p.modelId(), k -> new ArrayList<>()).add(p));
        b.append("<table class=\"grid\"><thead><tr><th>model</th><th>calls</th><th>failed</th><th>versions</th>"
                + "<th>mean time</th><th>cost</th></tr></thead><tbody>");
        for (Map.Entry<ModelId, List<Prediction>> e : byModel.entrySet()) {
            List<Prediction> calls = e.getValue();
            Set<String> versions = new LinkedHashSet<>();
            calls.forEach(p -> p.metadata().modelVersion().ifPresent(versions::add));
            long meanMs = Math.round(calls.stream().mapToLong(p -> p.duration().toMillis()).average().orElse(0));
            b.append("<tr><td><code>").append(Html.escape(e.getKey().toString())).append("</code></td><td>")
                    .append(calls.size()).append("</td><td>").append(calls.stream().filter(p -> !p.succeeded()).count())
                    .append("</td><td>").append(versions.isEmpty() ? "—" : versions.stream().map(v -> "<code>"
                            + Html.escape(v) + "</code>").collect(Collectors.joining(", ")))
                    .append("</td><td>").append(Fragments.duration(Duration.ofMillis(meanMs))).append("</td><td>")
                    .append(cost(calls)).append("</td></tr>");
        }
        b.append("</tbody></table>");

        boolean seed = ps.stream().anyMatch(p -> p.metadata().seed().isPresent());
        boolean version = ps.stream().anyMatch(p -> p.metadata().modelVersion().isPresent());
        boolean id = ps.stream().anyMatch(p -> p.metadata().platformPredictionId().isPresent());
        boolean predictTime = ps.stream().anyMatch(p -> p.metadata().predictTime().isPresent());
        boolean costs = ps.stream().anyMatch(p -> p.metadata().costUsd().isPresent());
        boolean extras = ps.stream().anyMatch(p -> !p.metadata().extras().isEmpty());
        b.append("<details").append(ps.size() <= OPEN_TABLE_ROWS ? " open" : "").append("><summary>Every prediction (")
                .append(ps.size()).append(")</summary><table class=\"grid predictions\"><thead><tr><th>#</th>"
                        + "<th>model</th><th>started</th><th>took</th>");
        if (predictTime) {
            b.append("<th>predict time</th>");
        }
        if (version) {
            b.append("<th>model version</th>");
        }
        if (seed) {
            b.append("<th>seed</th>");
        }
        if (id) {
            b.append("<th>platform id</th>");
        }
        if (costs) {
            b.append("<th>cost</th>");
        }
        b.append("<th>parameters</th>");
        if (extras) {
            b.append("<th>other</th>");
        }
        b.append("</tr></thead><tbody>");
        for (Prediction p : ps) {
            Metadata m = p.metadata();
            b.append("<tr").append(p.succeeded() ? "" : " class=\"failed\"").append("><td><a href=\"#output-")
                    .append(p.sequence()).append("\">").append(p.sequence()).append("</a></td><td><code>")
                    .append(Html.escape(p.modelId().toString())).append("</code></td><td>")
                    .append(TIME.format(p.startedAt())).append("</td><td>").append(Fragments.duration(p.duration()))
                    .append("</td>");
            if (predictTime) {
                b.append("<td>").append(m.predictTime().map(Fragments::duration).orElse("")).append("</td>");
            }
            if (version) {
                b.append("<td>").append(code(m.modelVersion().orElse(null))).append("</td>");
            }
            if (seed) {
                b.append("<td>").append(m.seed().isPresent() ? String.valueOf(m.seed().getAsLong()) : "").append("</td>");
            }
            if (id) {
                b.append("<td>").append(code(m.platformPredictionId().orElse(null))).append("</td>");
            }
            if (costs) {
                b.append("<td>").append(m.costUsd().isPresent() ? Fragments.usd(m.costUsd().getAsDouble()) : "").append("</td>");
            }
            b.append("<td>").append(keyValues(m.parameters().asMap())).append("</td>");
            if (extras) {
                b.append("<td>").append(keyValues(m.extras())).append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</tbody></table></details></section>");
    }

    // ------------------------------------------------------------------ helpers

    /** "sim:painter → sim:describer → (loop)". */
    static String network(List<ModelId> models) {
        return models.stream().map(m -> "<code>" + Html.escape(m.toString()) + "</code>")
                .collect(Collectors.joining(" → ")) + " → <small>(loop)</small>";
    }

    /** A stop reason or detector event in one line, with where its pattern began. */
    static String reason(StopReason r) {
        StringBuilder s = new StringBuilder("<strong>").append(Html.escape(r.rule())).append("</strong> ");
        if (r.sequence().isPresent()) {
            int at = r.sequence().getAsInt();
            s.append("at output <a href=\"#output-").append(at).append("\">").append(at).append("</a>: ");
        } else {
            s.append("before any output: ");
        }
        s.append(Html.escape(r.message()));
        List<String> more = new ArrayList<>();
        r.patternStart().ifPresent(v -> more.add("pattern from output " + v));
        r.period().ifPresent(v -> more.add("period " + v));
        r.similarity().ifPresent(v -> more.add("similarity " + Svg.num(v, 3)));
        if (!more.isEmpty()) {
            s.append(" <small>(").append(String.join(", ", more)).append(")</small>");
        }
        return s.toString();
    }

    /** The total known cost, and how many calls it covers when some did not report one. */
    private static String cost(List<Prediction> ps) {
        long known = ps.stream().filter(p -> p.metadata().costUsd().isPresent()).count();
        if (known == 0) {
            return "not reported";
        }
        double sum = ps.stream().mapToDouble(p -> p.metadata().costUsd().orElse(0)).sum();
        return Fragments.usd(sum) + (known < ps.size() ? " <small>(" + known + " of " + ps.size() + " calls)</small>"
                : "");
    }

    private static void row(StringBuilder b, String key, String valueHtml) {
        b.append("<tr><th>").append(key).append("</th><td>").append(valueHtml).append("</td></tr>");
    }

    private static String code(String s) {
        if (s == null) {
            return "";
        }
        String shown = s.length() > 20 ? s.substring(0, 8) + "…" + s.substring(s.length() - 6) : s;
        return "<code title=\"" + Html.escape(s) + "\">" + Html.escape(shown) + "</code>";
    }

    private static String keyValues(Map<String, Object> values) {
        if (values.isEmpty()) {
            return "";
        }
        return values.entrySet().stream().map(e -> {
            String v = String.valueOf(e.getValue());
            String shown = v.length() > 60 ? v.substring(0, 59) + "…" : v;
            return "<span class=\"kvp\" title=\"" + Html.escape(v) + "\"><b>" + Html.escape(e.getKey()) + "</b>="
                    + Html.escape(shown) + "</span>";
        }).collect(Collectors.joining(" "));
    }

    private static String num(double v, int decimals) {
        return Double.isFinite(v) ? Svg.num(v, decimals) : "—";
    }

    /** The page's head and the start of its body, shared with the index page. */
    static void page(StringBuilder b, String title) {
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                        + "<meta name=\"generator\" content=\"PANIC for Java\"><title>")
                .append(Html.escape(title)).append("</title>").append(PAGE_STYLE).append(Fragments.STYLE)
                .append("</head><body><main>");
    }

    private static final String PAGE_STYLE = """
            <style>
            :root{color-scheme:light}
            body{margin:0;background:#f1f3f5;color:#212529;font:15px/1.5 system-ui,-apple-system,'Segoe UI','DejaVu Sans',sans-serif}
            main{max-width:1200px;margin:0 auto;padding:20px 28px 40px}
            nav a{color:#1c7ed6;text-decoration:none}
            h1{font-size:26px;margin:8px 0 2px}
            h1 code{font-size:22px}
            h2{font-size:19px;margin:30px 0 10px;padding-bottom:4px;border-bottom:1px solid #dee2e6}
            h3{font-size:16px;margin:20px 0 8px}
            code{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.92em;background:#e9ecef;border-radius:3px;padding:0 3px}
            .network{margin:4px 0 14px;color:#495057}
            .note{color:#495057;margin:4px 0 12px;max-width:80ch}
            .facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px}
            .fact{background:#fff;border:1px solid #dee2e6;border-radius:8px;padding:8px 12px}
            .fact .label{color:#6c757d;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
            .fact .value{font-size:18px;font-weight:600}
            .status{border-radius:10px;padding:0 8px;color:#fff;background:#495057}
            .status-completed{background:#2b8a3e}.status-failed{background:#c92a2a}.status-running{background:#1c7ed6}
            .status-stopped,.status-cancelled,.status-interrupted{background:#e67700}
            table{border-collapse:collapse;background:#fff}
            table.kv th{text-align:left;vertical-align:top;color:#495057;font-weight:600;padding:6px 16px 6px 10px;white-space:nowrap}
            table.kv td{padding:6px 10px}
            table.kv,table.grid{border:1px solid #dee2e6;border-radius:8px}
            table.kv ul{margin:0;padding-left:18px}
            table.kv .input{max-width:420px}
            table.grid{margin:8px 0 14px;font-size:13.5px}
            table.grid th{background:#f8f9fa;text-align:left;padding:5px 10px;border-bottom:1px solid #dee2e6;white-space:nowrap}
            table.grid td{padding:4px 10px;border-bottom:1px solid #f1f3f5;vertical-align:top;font-variant-numeric:tabular-nums}
            table.grid tr.failed td{background:#fff5f5}
            table.predictions td:nth-child(3){white-space:nowrap}
            .kvp{display:inline-block;margin-right:6px;white-space:nowrap}
            .swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-align:-1px}
            figure.plot{margin:10px 0;background:#fff;border:1px solid #dee2e6;border-radius:8px;padding:8px;overflow-x:auto}
            figure.plot svg{display:block;width:100%;height:auto}
            .heatmaps figure.plot svg{width:auto;max-width:100%}
            .heatmaps{display:flex;flex-wrap:wrap;gap:12px}
            .heatmaps figure.plot{margin:0;flex:0 1 auto}
            .events li{margin:3px 0}
            .warnings li{color:#c92a2a}
            details summary{cursor:pointer;color:#1c7ed6;margin:6px 0}
            footer{margin-top:36px;color:#868e96;font-size:12.5px}
            .runs td img{max-height:72px;width:auto;display:block}
            .attractors{display:flex;flex-wrap:wrap;gap:12px}
            .attractor{width:260px;background:#fff;border:1px solid #dee2e6;border-radius:8px;padding:10px}
            .attractor .members{font-size:12.5px;color:#495057;word-break:break-all}
            </style>""";
}
