package dev.panic.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.PlatformContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PanicCliTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int panic(String... args) {
        return PanicCli.execute(Platforms::discover, new PrintWriter(out), new PrintWriter(err), false, args);
    }

    @Test
    void should_run_the_default_simulator_loop_offline_and_save_it() throws Exception {
        int code = panic("run", "-o", dir.toString());

        assertThat(code).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).contains("network: sim:painter -> sim:describer -> (loop)")
                .contains("input:   " + RunCommand.DEFAULT_PROMPT)
                .contains("#0  sim:painter")
                .contains("#1  sim:describer")
                .contains("completed after")
                .contains("(exact-repeat)")
                .contains("saved:   " + dir);
        List<Path> runs;
        try (Stream<Path> s = Files.list(dir)) {
            runs = s.toList();
        }
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).resolve("run.json")).exists();
        long steps = text.lines().filter(l -> l.startsWith("#")).count();
        assertThat(Files.readAllLines(runs.get(0).resolve("predictions.jsonl")))
                .filteredOn(l -> l.contains("\"sequence\"")).hasSize((int) steps);
    }

    @Test
    void should_keep_going_past_a_repeat_when_asked_and_report_it() {
        int code = panic("run", "--no-save", "--observe", "-s", "12", "-n", "sim:contrarian", "-p", "a hot day");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("#11 sim:contrarian")
                .contains("completed after 12 predictions")
                .contains("observed: output 2 repeats output 0 exactly: a loop of period 2 (exact-repeat)")
                .containsPattern("observed: .*a cycle of period 2 \\(cycle\\)")
                .doesNotContain("saved:");
    }

    @Test
    void should_show_live_similarities_and_report_a_drift_it_does_not_stop_for() {
        int code = panic("run", "--no-save", "-s", "40", "-n", "sim:drifter", "-p", "a quiet morning by the sea");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .containsPattern("similarity 0\\.\\d{3} to #0 \\(minilm\\)")
                .containsPattern("similarity 0\\.\\d{3} to #1, 0\\.\\d{3} to #0 \\(minilm\\)")
                .doesNotContainPattern("to #0, 0\\.\\d{3} to #0 ")
                .contains("completed after 40 predictions")
                .containsPattern("observed: outputs \\d+ to \\d+ of model sim:drifter drift away from output 0.*\\(drift\\)");
    }

    @Test
    void should_stop_on_an_exact_repeat_only_when_told_not_to_embed() {
        int code = panic("run", "--no-save", "--no-embed", "-s", "10");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("(exact-repeat)").doesNotContain("similarity");
    }

    @Test
    void should_analyse_saved_runs_and_find_their_attractors() throws Exception {
        assertThat(panic("run", "-o", dir.toString(), "-p", "a red square on the left on a white background")).isZero();
        assertThat(panic("run", "-o", dir.toString(), "-p", "a red square on the left on a white background.")).isZero();
        assertThat(panic("run", "-o", dir.toString(), "--no-embed", "-p", "a blue circle at the top")).isZero();
        out.getBuffer().setLength(0);

        int code = panic("analyse", dir.toString());

        assertThat(code).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text.lines().filter(l -> l.startsWith("run "))).hasSize(3);
        assertThat(text).contains("found exact-repeat").contains("drift fit a*exp(-b*lap)+c").contains("per lap")
                .containsPattern("attractors by minilm \\(similarity at least 0\\.90\\): 2")
                .contains("1. 2 run(s)");
        try (Stream<Path> runs = Files.list(dir)) {
            assertThat(runs.filter(Files::isDirectory)).allSatisfy(run -> assertThat(run.resolve("analysis.json")).exists());
        }
    }

    @Test
    void should_say_what_to_do_when_there_is_nothing_to_analyse() {
        assertThat(panic("analyse", dir.resolve("nothing-here").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("neither a run folder (with run.json) nor a folder of runs");
    }

    @Test
    void should_start_from_an_image_file_when_the_network_takes_images_first() throws Exception {
        Payload.Image image = (Payload.Image) Platforms.discover().model("sim:painter")
                .invoke(Payload.text("a red circle")).payload();
        Path png = dir.resolve("start.png");
        Files.write(png, image.data().toByteArray());

        int code = panic("run", "--no-save", "-s", "3", "-n", "sim:describer,sim:painter", "-i", png.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("input:   image/png").contains("#0 sim:describer");
    }

    @Test
    void should_start_from_a_webp_file() throws Exception {
        // given: a real WebP (cwebp, quality 80) of a red circle on blue
        Path webp = dir.resolve("start.webp");
        try (var in = PanicCliTest.class.getResourceAsStream("/circle.webp")) {
            Files.write(webp, in.readAllBytes());
        }

        // when
        int code = panic("run", "--no-save", "-s", "2", "-n", "sim:describer,sim:painter", "-i", webp.toString());

        // then: the describer saw the picture
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("input:   image/webp").contains("red circle");
    }

    @Test
    void should_list_platforms_and_models_with_modalities() {
        int code = panic("models");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("sim  [ready: ")
                .containsPattern("sim:painter\\s+TEXT -> IMAGE")
                .containsPattern("sim:describer\\s+IMAGE -> TEXT");
    }

    /** The CLI with platforms configured from {@code env} instead of the process environment. */
    private int panicWith(Map<String, String> env, String... args) {
        return PanicCli.execute(() -> Platforms.builder().context(PlatformContext.of(env::get)).discover().build(),
                new PrintWriter(out), new PrintWriter(err), false, args);
    }

    @Test
    void should_list_replicate_models_and_whether_its_token_is_set() {
        assertThat(panicWith(Map.of(), "models", "-p", "replicate")).isZero();
        assertThat(out.toString())
                .contains("replicate  [not ready: set REPLICATE_API_TOKEN to an API token from https://replicate.com/account/api-tokens]")
                .containsPattern("replicate:black-forest-labs/flux-schnell\\s+TEXT -> IMAGE")
                .containsPattern("replicate:salesforce/blip\\s+IMAGE -> TEXT")
                .containsPattern("replicate:openai/whisper\\s+AUDIO -> TEXT");

        assertThat(panicWith(Map.of("REPLICATE_API_TOKEN", "r8_not_a_real_token"), "models", "-p", "replicate")).isZero();
        assertThat(out.toString()).contains("replicate  [ready: REPLICATE_API_TOKEN is set]")
                .doesNotContain("r8_not_a_real_token");
    }

    @Test
    void should_refuse_to_start_a_run_on_a_platform_that_is_not_ready_and_say_what_to_do() {
        int code = panicWith(Map.of(), "run", "-o", dir.toString(),
                "--network", "replicate:black-forest-labs/flux-schnell,replicate:salesforce/blip");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("platform 'replicate' is not ready: set REPLICATE_API_TOKEN")
                .contains("replicate:black-forest-labs/flux-schnell, replicate:salesforce/blip")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out.toString()).doesNotContain("network:");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void should_export_saved_runs_in_the_fake_panic_shape() throws Exception {
        assertThat(panic("run", "-o", dir.toString(), "-s", "4")).isZero();
        Path file = dir.resolve("export.json");

        int code = panic("export", "-d", dir.toString(), "-o", file.toString());

        assertThat(code).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.size()).isEqualTo(1);
        JsonNode steps = json.elements().next();
        assertThat(steps.get(0).get("seq_no").asInt()).isZero();
        assertThat(steps.get(0).get("type").asText()).isEqualTo("image");
        assertThat(steps.get(0).get("input").asText()).isEqualTo(RunCommand.DEFAULT_PROMPT);
    }

    @Test
    void should_explain_a_network_whose_modalities_do_not_match() {
        int code = panic("run", "--no-save", "-n", "sim:painter,sim:painter");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("model 1 'sim:painter' outputs IMAGE but model 2 'sim:painter' takes TEXT")
                .contains("panic run --help");
    }

    @Test
    void should_name_the_known_platforms_for_an_unknown_one() {
        assertThat(panic("run", "--no-save", "-n", "nowhere:model")).isEqualTo(2);
        assertThat(err.toString()).contains("no platform 'nowhere'").contains("sim");
    }

    @Test
    void should_reject_bad_option_values_with_a_clear_message() {
        assertThat(panic("run", "--max-steps", "many")).isEqualTo(2);
        assertThat(err.toString()).contains("--max-steps").contains("many");

        assertThat(panic("run", "--max-duration", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");

        assertThat(panic("run", "--max-steps", "0", "--no-save")).isEqualTo(2);
        assertThat(err.toString()).contains("--max-steps must be at least 1");

        assertThat(panic("run", "--no-save", "-n", "sim:describer,sim:painter")).isEqualTo(2);
        assertThat(err.toString()).contains("takes IMAGE; give the initial input with --input-file");

        assertThat(panic("frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("frobnicate");
    }

    @Test
    void should_print_help_for_every_command() {
        assertThat(panic("--help")).isZero();
        assertThat(out.toString()).contains("run").contains("models").contains("export").contains("analyse");
        for (String command : List.of("run", "models", "export", "analyse")) {
            assertThat(panic(command, "--help")).isZero();
        }
        assertThat(out.toString()).contains("--max-steps").contains("--network").contains("--platform")
                .contains("--runs-dir");
    }

    @Test
    void should_read_durations_as_people_write_them() {
        DurationConverter c = new DurationConverter();
        assertThat(c.convert("250ms").toMillis()).isEqualTo(250);
        assertThat(c.convert("1.5s").toMillis()).isEqualTo(1500);
        assertThat(c.convert("5m").toSeconds()).isEqualTo(300);
        assertThat(c.convert("PT1H").toMinutes()).isEqualTo(60);
    }
}
