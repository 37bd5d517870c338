package dev.panic.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Platforms;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int panic(String... args) {
        return PanicCli.execute(Platforms::discover, new PrintWriter(out), new PrintWriter(err), false, args);
    }

    private List<Path> runFolders() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("run.json"))).sorted().toList();
        }
    }

    @Test
    void should_write_a_page_and_a_contact_sheet_beside_a_saved_run() throws Exception {
        assertThat(panic("run", "-o", dir.toString(), "-s", "6")).as(err.toString()).isZero();
        Path run = runFolders().get(0);

        int code = panic("report", run.toString());

        assertThat(code).as(err.toString()).isZero();
        Path page = run.resolve("report.html");
        assertThat(out.toString()).contains("wrote " + page).contains("contact-sheet.png");
        String html = Files.readString(page);
        assertThat(html.contains("<svg") && html.contains("sim:painter")).as("page shows plots and the network").isTrue();
        // Self-contained: nothing is fetched when the page opens.
        assertThat(java.util.regex.Pattern.compile("(src|href)=\"(https?:)?//|<script|<link").matcher(html).find())
                .as("page refers to nothing outside itself").isFalse();
        assertThat(Files.readAllBytes(run.resolve("contact-sheet.png"))).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void should_index_a_folder_of_runs_and_skip_one_that_cannot_be_read_with_a_warning() throws Exception {
        assertThat(panic("run", "-o", dir.toString(), "-s", "4")).as(err.toString()).isZero();
        assertThat(panic("run", "-o", dir.toString(), "-s", "5", "-n", "sim:contrarian", "-p", "a hot day"))
                .as(err.toString()).isZero();
        Path broken = Files.createDirectories(dir.resolve("broken-run"));
        Files.writeString(broken.resolve("run.json"), "{ this is not json");
        Path out = dir.resolve("site");

        int code = panic("report", dir.toString(), "-o", out.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("warning: run 'broken-run' skipped");
        assertThat(this.out.toString()).contains("2 run report(s), 1 contact sheet(s), 1 run(s) skipped");
        String index = Files.readString(out.resolve("index.html"));
        for (Path run : runFolders()) {
            if (!run.equals(broken)) {
                String id = run.getFileName().toString();
                assertThat(index).contains("href=\"" + id + "/report.html\"");
                assertThat(out.resolve(id).resolve("report.html")).exists();
            }
        }
        assertThat(index).contains("Attractors").contains("broken-run");
    }

    @Test
    void should_refuse_a_path_that_holds_no_runs() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        assertThat(panic("report", empty.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no saved runs in");
        assertThat(panic("report", dir.resolve("missing").toString())).isEqualTo(2);
    }
}
