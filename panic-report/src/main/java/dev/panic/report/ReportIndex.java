package dev.panic.report;

import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.RunInfo;
import dev.panic.analysis.Attractor;
import dev.panic.analysis.AttractorReport;
import dev.panic.analysis.Attractors;
import dev.panic.analysis.Trajectory;
import dev.panic.exception.ValidationException;
import dev.panic.report.internal.Html;
import dev.panic.report.internal.Output;
import dev.panic.report.internal.Svg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reports of several runs behind one index page: a table of the runs with a picture of where each
 * ended, and the attractors their final states fall into, each with a representative output.
 *
 * <pre>{@code
 * List<Report> reports = store.runIds().stream().map(store::read).map(Report::of).toList();
 * ReportIndex.of(reports).writeTo(Path.of("panic-runs"));   // index.html, RUN/report.html, RUN/contact-sheet.png
 * }</pre>
 *
 * <p>Immutable: each setting returns a new index.
 */
public final class ReportIndex {

    /** The name of the index page. */
    public static final String FILE_NAME = "index.html";

    private final List<Report> reports;
    private final List<AttractorReport> attractors;
    private final List<String> skipped;
    private final String title;

    private ReportIndex(List<Report> reports, List<AttractorReport> attractors, List<String> skipped, String title) {
        this.reports = reports;
        this.attractors = attractors;
        this.skipped = skipped;
        this.title = title;
    }

    /**
     * An index of these reports, in the order given. Unless {@link #attractors(List)} says
     * otherwise, the attractors are found with {@link Attractors#defaults()} once per embedder that
     * the runs' outputs have vectors of.
     */
    public static ReportIndex of(List<Report> reports) {
        if (reports == null) {
            throw new ValidationException("an index needs a list of reports");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (Report r : reports) {
            if (!ids.add(r.run().info().id())) {
                throw new ValidationException("run '" + r.run().info().id() + "' is in the index twice");
            }
        }
        return new ReportIndex(List.copyOf(reports), null, List.of(), "PANIC runs");
    }

    /** Shows these attractor reports instead of finding them. */
    public ReportIndex attractors(List<AttractorReport> reports) {
        return new ReportIndex(this.reports, List.copyOf(reports), skipped, title);
    }

    /** Lists runs that could not be reported, each with why, as the page's warnings. */
    public ReportIndex skipped(List<String> reasons) {
        return new ReportIndex(reports, attractors, List.copyOf(reasons), title);
    }

    /** The page's title; "PANIC runs" by default. */
    public ReportIndex title(String title) {
        if (title == null || title.isBlank()) {
            throw new ValidationException("the index needs a title");
        }
        return new ReportIndex(reports, attractors, skipped, title);
    }

    /** What {@link #writeTo(Path)} wrote. */
    public record Written(Path index, List<Path> reports, List<Path> contactSheets) {
        /** Copies the lists. */
        public Written {
            reports = List.copyOf(reports);
            contactSheets = List.copyOf(contactSheets);
        }
    }

    /**
     * Writes the index to {@code folder}/index.html, each run's report to {@code folder/RUN/report.html}
     * and, for runs with images, a contact sheet beside it; returns what it wrote.
     */
    public Written writeTo(Path folder) {
        List<Path> pages = new ArrayList<>();
        List<Path> sheets = new ArrayList<>();
        for (Report r : reports) {
            Path dir = folder.resolve(r.run().info().id());
            pages.add(r.indexLink("../" + FILE_NAME).writeTo(dir.resolve(Report.FILE_NAME)));
            ContactSheet sheet = ContactSheet.of(r.run());
            if (sheet.size() > 0) {
                sheets.add(sheet.writeTo(dir.resolve(ContactSheet.FILE_NAME)));
            }
        }
        Path index = Output.write(folder.resolve(FILE_NAME), toHtml().getBytes(StandardCharsets.UTF_8));
        return new Written(index, pages, sheets);
    }

    /** The index page, linking to each run's page at {@code RUN/report.html}. */
    public String toHtml() {
        StringBuilder b = new StringBuilder(32 * 1024);
        Report.page(b, title);
        b.append("<header><h1>").append(Html.escape(title)).append("</h1><p class=\"network\">").append(reports.size())
                .append(" run").append(reports.size() == 1 ? "" : "s");
        if (!skipped.isEmpty()) {
            b.append(", ").append(skipped.size()).append(" skipped");
        }
        b.append("</p></header>");
        attractorSection(b);
        runs(b);
        if (!skipped.isEmpty()) {
            b.append("<section id=\"skipped\"><h2>Skipped</h2><ul class=\"warnings\">");
            skipped.forEach(s -> b.append("<li>").append(Html.escape(s)).append("</li>"));
            b.append("</ul></section>");
        }
        b.append("<footer>Written by PANIC for Java. Self-contained: no network or server needed to view it.</footer>");
        return b.append("</main></body></html>\n").toString();
    }

    private void attractorSection(StringBuilder b) {
        List<AttractorReport> found = attractors != null ? attractors : findAttractors();
        b.append("<section id=\"attractors\"><h2>Attractors</h2>");
        if (found.stream().allMatch(r -> r.attractors().isEmpty())) {
            b.append("<p class=\"note\">No run has an output with an embedding vector, so no final states could be "
                    + "compared.</p></section>");
            return;
        }
        b.append("<p class=\"note\">Runs grouped by where they ended: the mean direction of the vectors of their last "
                + "outputs, clustered by cosine similarity. Each group shows the output that is closest to its "
                + "centre.</p>");
        for (AttractorReport report : found) {
            if (report.attractors().isEmpty()) {
                continue;
            }
            b.append("<h3>By <code>").append(Html.escape(report.embedderId())).append("</code>: ")
                    .append(report.attractors().size()).append(" attractor")
                    .append(report.attractors().size() == 1 ? "" : "s").append(" <small>(final states at least ")
                    .append(Svg.num(report.threshold(), 2)).append(" similar on average)</small></h3>");
            b.append("<div class=\"attractors\">");
            int n = 1;
            for (Attractor a : report.attractors()) {
                b.append("<div class=\"attractor\"><div><strong>").append(n++).append(".</strong> ").append(a.size())
                        .append(" run").append(a.size() == 1 ? "" : "s").append(", cohesion ")
                        .append(Svg.num(a.cohesion(), 3)).append("</div>")
                        .append(Fragments.payload(a.representativeOutput(), 220))
                        .append("<div class=\"members\">e.g. ").append(runLink(a.representativeRunId()))
                        .append(" output ").append(a.representativeSequence()).append("<br>runs: ")
                        .append(a.runIds().stream().map(ReportIndex::runLink).collect(Collectors.joining(", ")))
                        .append("</div></div>");
            }
            b.append("</div>");
        }
        b.append("</section>");
    }

    private List<AttractorReport> findAttractors() {
        return findAttractors(reports.stream().map(r -> Trajectory.of(r.run())).toList());
    }

    /**
     * The attractors of these runs as {@link Attractors#defaults()} finds them, once per embedder that
     * their outputs have vectors of, in the order the embedders first appear: what an index shows
     * unless told otherwise.
     */
    public static List<AttractorReport> findAttractors(List<Trajectory> runs) {
        Set<String> embedders = new LinkedHashSet<>();
        runs.forEach(t -> t.predictions().forEach(p -> embedders.addAll(p.embeddings().keySet())));
        List<AttractorReport> out = new ArrayList<>();
        for (String e : embedders) {
            out.add(Attractors.defaults().embedder(e).find(runs));
        }
        return out;
    }

    private void runs(StringBuilder b) {
        b.append("<section id=\"runs\"><h2>Runs</h2><table class=\"grid runs\"><thead><tr><th>run</th><th>started</th>"
                + "<th>network</th><th>initial input</th><th>status</th><th>outputs</th><th>stop reason</th>"
                + "<th>where it ended</th></tr></thead><tbody>");
        for (Report r : reports) {
            RunInfo info = r.run().info();
            List<Prediction> ps = r.run().predictions();
            // Where the run ended: its last picture if it made any, else its last output.
            Prediction last = null;
            Prediction lastImage = null;
            for (int i = ps.size() - 1; i >= 0 && (last == null || lastImage == null); i--) {
                Prediction p = ps.get(i);
                if (p.succeeded()) {
                    last = last == null ? p : last;
                    lastImage = lastImage == null && p.output() instanceof Payload.Image ? p : lastImage;
                }
            }
            String ended = lastImage != null ? Fragments.payload(lastImage.output(), 96)
                    : last == null ? "—" : last.output() instanceof Payload.Text t ? Html.escape(t.summary(80))
                    : Fragments.payload(last.output(), 96);
            b.append("<tr><td>").append(runLink(info.id())).append("</td><td>")
                    .append(info.startedAt().toString().replace('T', ' ').replaceAll("\\.\\d+Z$", "Z"))
                    .append("</td><td>").append(Report.network(info.network())).append("</td><td>")
                    .append(Html.escape(info.initialInput().summary(60))).append("</td><td>")
                    .append(Html.escape(String.valueOf(info.status()))).append("</td><td>").append(ps.size())
                    .append("</td><td>").append(info.stopReason().map(why -> "<span title=\""
                            + Html.escape(why.message()) + "\">" + Html.escape(why.rule()) + "</span>").orElse("—"))
                    .append("</td><td>").append(ended)
                    .append("</td></tr>");
        }
        b.append("</tbody></table></section>");
    }

    private static String runLink(String runId) {
        return "<a href=\"" + Html.escape(runId) + "/" + Report.FILE_NAME + "\"><code>" + Html.escape(runId)
                + "</code></a>";
    }
}
