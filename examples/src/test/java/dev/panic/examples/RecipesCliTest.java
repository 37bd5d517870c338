package dev.panic.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.RunStatus;
import dev.panic.recipes.Csv;
import dev.panic.recipes.GeneratedPrompt;
import dev.panic.recipes.SocraticResult;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code panic socratic}, {@code telestrations}, {@code prompts}, and {@code run --runs} and {@code --dry-run}. */
class RecipesCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INTENT = "a small red circle, a small blue square, a small green triangle, a lighthouse,"
            + " a fox and a moon on a white background";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int panic(InputStream in, String... args) {
        return PanicCli.execute(Platforms::discover, in, new PrintWriter(out), new PrintWriter(err), false, args);
    }

    private int panic(String... args) {
        return panic(InputStream.nullInputStream(), args);
    }

    private static List<Path> folders(Path p) throws Exception {
        try (Stream<Path> s = Files.list(p)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    @Test
    void should_write_every_socratic_cycle_and_the_best_picture() throws Exception {
        // when
        int code = panic("socratic", "--prompt", INTENT, "--select-best", "-o", dir.toString());

        // then
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("judge sim:judge said: yes", "cycle 3: a large red circle",
                "picture to intent: not available", "best:    cycle 3, chosen by the highest caption-to-intent score");
        Path result = folders(dir).stream().filter(p -> !p.endsWith("runs")).findFirst().orElseThrow();
        assertThat(result.resolve("best.png")).exists();
        List<List<String>> cycles = Csv.parse(Files.readString(result.resolve("cycles.csv")));
        assertThat(cycles.get(0)).isEqualTo(SocraticResult.COLUMNS);
        assertThat(cycles).hasSize(4);
        assertThat(cycles.get(3).get(4)).startsWith("yes");
        assertThat(RunStore.directory(dir.resolve("runs")).runIds()).containsExactly(result.getFileName().toString());
    }

    @Test
    void should_summarise_a_dataset_of_prompts_with_a_row_each_and_their_means() throws Exception {
        // given
        Path dataset = dir.resolve("prompts.txt");
        Files.writeString(dataset, "a red circle on a blue background\n# not a prompt\n\n" + INTENT + "\n");

        // when
        int code = panic("socratic", "--dataset", dataset.toString(), "--max-cycles", "3", "-o", dir.resolve("out")
                .toString());

        // then
        assertThat(code).as(err.toString()).isZero();
        List<List<String>> rows = Csv.parse(Files.readString(dir.resolve("out/summary.csv")));
        assertThat(rows).hasSize(4);
        assertThat(rows.subList(1, 3)).extracting(r -> r.get(0) + " | " + r.get(2) + " | " + r.get(4))
                .containsExactly("a red circle on a blue background | 1 | yes", INTENT + " | 3 | yes");
        assertThat(rows.get(3).get(0)).isEqualTo("mean");
        assertThat(out.toString()).contains("judged a match: 100% of the prompts");
        assertThat(folders(dir.resolve("out"))).hasSize(3); // two results and the runs
    }

    @Test
    void should_apply_the_edits_typed_while_telestrations_runs() throws Exception {
        // given
        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(typing);
        CompletableFuture<Integer> game = CompletableFuture.supplyAsync(() -> panic(in, "telestrations", "-p",
                "a red circle", "--pace", "30ms", "-o", dir.toString()));

        // when
        waitFor("#2 sim:painter");
        typing.write("prefix: a blue square and\nnot an edit\nstatus\n".getBytes(StandardCharsets.UTF_8));
        typing.flush();
        waitFor("revision 1 from #");
        int before = (int) out.toString().lines().filter(l -> l.startsWith("#")).count();
        waitFor("#" + (before + 3) + " ");
        typing.write("quit\n".getBytes(StandardCharsets.UTF_8));
        typing.flush();

        // then
        assertThat(game.get(30, java.util.concurrent.TimeUnit.SECONDS)).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("revision 1 from #\\d+: \\[image: template \"a blue square and \\{input}\"]")
                .contains(
                "prefix \"a blue square and\"", "stopping after the call in flight", "stopped after");
        assertThat(err.toString()).contains("'not an edit' is not an edit");
        StoredRun run = RunStore.directory(dir).read(folders(dir).get(0).getFileName().toString());
        assertThat(run.info().status()).isEqualTo(RunStatus.STOPPED);
        List<Prediction> steered = run.predictions().stream().filter(p -> p.revision() == 1 && p.node().equals("image"))
                .toList();
        assertThat(steered).isNotEmpty().allSatisfy(p -> assertThat(((Payload.Text) p.input()).text())
                .startsWith("a blue square and a "));
    }

    private void waitFor(String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!out.toString().contains(text)) {
            assertThat(System.nanoTime()).as("waiting for '%s' in:%n%s", text, out).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void should_append_prompts_to_the_csv_with_the_header_once() throws Exception {
        // when
        int first = panic("prompts", "3", "--only-prompts", "--seed", "1", "-o", dir.toString());
        int second = panic("prompts", "2", "--only-prompts", "--seed", "2", "-o", dir.toString());

        // then
        assertThat(first).as(err.toString()).isZero();
        assertThat(second).as(err.toString()).isZero();
        List<List<String>> rows = Csv.parse(Files.readString(dir.resolve("batch_prompts.csv")));
        assertThat(rows).hasSize(6);
        assertThat(rows.get(0)).isEqualTo(GeneratedPrompt.COLUMNS);
        assertThat(rows.subList(1, 6)).allSatisfy(r -> {
            assertThat(r).hasSize(4);
            assertThat(r.get(3)).isEqualTo(r.get(1) + ", " + r.get(2));
        });
        assertThat(out.toString()).contains("appended 3 prompts to", "appended 2 prompts to");
    }

    @Test
    void should_make_a_batch_of_pictures_at_a_size_in_a_folder_named_after_the_title() throws Exception {
        // when
        int code = panic("prompts", "2", "--size", "1024x576", "--seed", "3", "-o", dir.toString());

        // then
        assertThat(code).as(err.toString()).isZero();
        Path batch = folders(dir).get(0);
        JsonNode info = JSON.readTree(batch.resolve("info.json").toFile());
        assertThat(batch.getFileName().toString()).isEqualTo(dev.panic.recipes.internal.FileOut.slug(
                info.get("title").asText()));
        assertThat(info.get("parameters").get("size").asInt()).isEqualTo(1024);
        assertThat(batch.resolve("image-02.png")).exists();
        assertThat(batch.resolve("info.md")).exists();
        assertThat(dir.resolve("batch_prompts.csv")).doesNotExist();
        assertThat(panic("prompts", "1", "--image-model", "sim:painter", "--size", "big")).isEqualTo(2);
    }

    @Test
    void should_make_several_runs_of_one_network_at_once_and_forecast_them_without_calling_anything() throws Exception {
        // when
        int code = panic("run", "--runs", "3", "-n", "sim:contrarian", "-p", "a hot day", "-s", "5", "-o",
                dir.resolve("runs").toString());
        String ran = out.toString();
        out.getBuffer().setLength(0);
        int dry = panic("run", "--runs", "4", "--dry-run", "-n", "sim:contrarian", "-s", "5", "--price",
                "sim:contrarian=0.01", "-o", dir.resolve("runs").toString());

        // then
        assertThat(code).as(err.toString()).isZero();
        assertThat(folders(dir.resolve("runs"))).hasSize(3);
        assertThat(ran).contains("run 1 #0 sim:contrarian", "run 3 #1 sim:contrarian", "run 2 is ",
                "run 2     similarity");
        assertThat(dry).as(err.toString()).isZero();
        assertThat(out.toString()).contains("forecast for 4 runs", "20 calls", "$0.0100 each = $0.2000 (declared)",
                "observed median, 9 calls");
        assertThat(folders(dir.resolve("runs"))).hasSize(3);
    }
}
