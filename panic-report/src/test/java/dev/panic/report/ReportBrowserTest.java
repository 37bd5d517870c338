package dev.panic.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.analysis.RunAnalysis;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports as a person sees them: rendered by headless Chromium, screenshots kept under
 * {@code target/screenshots/} for a reviewer, and the DOM the browser built checked for what the page
 * must show.
 */
class ReportBrowserTest {

    private static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    Path dir;

    @Test
    void should_render_a_painter_describer_run_with_its_filmstrip_and_a_curve_per_embedder() throws Exception {
        Chromium chromium = Chromium.require(dir);
        RunStore store = RunStore.directory(dir.resolve("runs"));
        StoredRun run = SampleRuns.painterDescriber(store, "painter-describer", "a red circle on a blue background");
        RunAnalysis analysis = RunAnalysis.of(run);
        Path page = Report.of(run, analysis).writeTo(dir.resolve("report.html"));

        chromium.screenshot(page, SHOTS.resolve("report-painter-describer.png"), 1280, 4200);
        Document dom = Jsoup.parse(chromium.dom(page));

        long images = run.predictions().stream().filter(p -> p.output() instanceof Payload.Image).count();
        assertThat(dom.select(".panic-strip figure.panic-card[data-sequence]")).hasSize(run.predictions().size());
        assertThat(dom.select(".panic-strip figure.panic-card-image img[src^=data:image/]")).hasSize((int) images);
        assertThat(dom.select(".panic-strip figure.panic-card-text p.panic-text")).hasSize(run.predictions().size() - (int) images);
        assertThat(analysis.series()).hasSize(2);
        assertThat(dom.select("svg[aria-label=Similarity to the first output] g.series polyline")).hasSize(2);
        assertThat(dom.select("svg[aria-label=Step-to-step similarity] g.series polyline")).hasSize(2);
        assertThat(dom.select("svg[aria-label^=Similarity matrix]")).hasSize(2);
        assertThat(analysis.events()).isNotEmpty();
        assertThat(dom.select("svg[aria-label=Similarity to the first output] g.event"))
                .hasSize(analysis.events().size());
        assertThat(dom.select("#provenance table.predictions tbody tr")).hasSize(run.predictions().size());
        assertThat(dom.text()).contains("sim:painter").contains("a red circle on a blue background")
                .contains(String.valueOf(run.info().status()));
    }

    @Test
    void should_render_an_index_of_runs_with_attractor_groups_linking_to_each_run() throws Exception {
        Chromium chromium = Chromium.require(dir);
        RunStore store = RunStore.directory(dir.resolve("runs"));
        List<StoredRun> runs = SampleRuns.folder(store);
        List<Report> reports = runs.stream().map(Report::of).toList();
        ReportIndex.Written written = ReportIndex.of(reports).writeTo(dir.resolve("out"));

        chromium.screenshot(written.index(), SHOTS.resolve("report-index.png"), 1280, 2200);
        Path drifter = dir.resolve("out").resolve("drifter").resolve(Report.FILE_NAME);
        chromium.screenshot(drifter, SHOTS.resolve("report-drifter.png"), 1280, 3000);
        chromium.screenshot(dir.resolve("out").resolve("synth-listener").resolve(Report.FILE_NAME),
                SHOTS.resolve("report-synth-listener.png"), 1280, 3000);
        Files.copy(dir.resolve("out").resolve("a-red-circle").resolve(ContactSheet.FILE_NAME),
                SHOTS.resolve("contact-sheet.png"), StandardCopyOption.REPLACE_EXISTING);

        Document index = Jsoup.parse(chromium.dom(written.index()));
        assertThat(index.select("#runs tbody tr")).hasSize(runs.size());
        for (StoredRun run : runs) {
            assertThat(index.select("#runs a[href=" + run.info().id() + "/report.html]")).hasSize(1);
        }
        // The two painter/describer runs end on the same picture; the others elsewhere.
        Document drift = Jsoup.parse(chromium.dom(drifter));
        assertThat(drift.select("nav a[href=../index.html]")).hasSize(1);
        assertThat(drift.select("svg[aria-label=Similarity to the first output] g.fit polyline")).hasSize(1);
        assertThat(index.select("#attractors .attractor")).isNotEmpty();
        assertThat(index.select("#attractors .attractor img[src^=data:image/]")).isNotEmpty();
        assertThat(written.reports()).hasSize(runs.size());
        assertThat(written.contactSheets()).hasSize(2);
        Document audio = Jsoup.parse(chromium.dom(dir.resolve("out").resolve("synth-listener").resolve(Report.FILE_NAME)));
        assertThat(audio.select(".panic-strip audio[src^=data:audio/]")).hasSize(3);
    }
}
