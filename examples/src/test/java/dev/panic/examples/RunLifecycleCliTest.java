package dev.panic.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panic.Platforms;

import dev.panic.RunInfo;
import dev.panic.RunStatus;
import dev.panic.RunStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code panic run --spec}, {@code --forever}, {@code runs}, {@code resume} and {@code fork}. */
class RunLifecycleCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void clear() {
        out = new StringWriter();
        err = new StringWriter();
    }

    private int panic(String... args) {
        clear();
        return PanicCli.execute(Platforms::discover, new PrintWriter(out), new PrintWriter(err), false, args);
    }

    private List<String> runIds() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void should_run_a_graph_from_a_spec_file_and_save_the_spec() throws Exception {
        // given: a prelude (the contrarian runs once) into a painter/describer ring, with a template
        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, """
                {"network": {"nodes": [
                    {"id": "intro", "model": "sim:contrarian"},
                    {"id": "painter", "model": "sim:painter", "template": "a small {input}"},
                    {"id": "describer", "model": "sim:describer"}],
                  "links": {"intro": "painter", "painter": "describer", "describer": "painter"},
                  "entry": "intro"},
                 "input": {"text": "a dark circle"},
                 "stop": [{"rule": "max-steps", "steps": 5}],
                 "embedders": ["minilm"]}
                """);
        Path runs = dir.resolve("runs");

        // when
        int code = panic("run", "--spec", spec.toString(), "-o", runs.toString());

        // then
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("intro=sim:contrarian -> painter").contains("#0 sim:contrarian")
                .contains("#1 sim:painter").contains("#4 sim:describer");
        Path runDir = Files.list(runs).findFirst().orElseThrow();
        JsonNode saved = JSON.readTree(runDir.resolve("run.json").toFile());
        assertThat(saved.at("/spec/network/entry").textValue()).isEqualTo("intro");
        assertThat(saved.at("/spec/network/nodes/1/template").textValue()).isEqualTo("a small {input}");
        assertThat(Files.readString(runDir.resolve("predictions.jsonl"))).contains("\"text\":\"a small a light circle\"");
    }

    @Test
    void should_refuse_contradicting_or_missing_options_with_a_clear_message() throws Exception {
        assertThat(panic("run", "--forever", "-s", "3", "--no-save")).isEqualTo(2);
        assertThat(err.toString()).contains("--forever and --max-steps contradict");
        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, "{\"network\": [\"sim:contrarian\"], \"input\": \"day\"}");
        assertThat(panic("run", "--spec", spec.toString(), "-p", "night", "--no-save")).isEqualTo(2);
        assertThat(err.toString()).contains("leave out -n, -p, -i");
        assertThat(panic("run", "--spec", spec.toString(), "--no-save")).isEqualTo(2);
        assertThat(err.toString()).contains("nothing bounds this run").contains("--forever");
        assertThat(panic("run", "--spec", dir.resolve("nope.json").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("nope.json does not exist");
        assertThat(panic("fork", "nope", "--at", "1", "-o", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no run 'nope'");
    }

    @Test
    void should_list_runs_with_interrupted_ones_and_forks_under_their_parent_then_resume_and_fork() throws Exception {
        // given: one finished run, and one left RUNNING by a writer that went away
        assertThat(panic("run", "-n", "sim:drifter", "-s", "4", "--no-embed", "-o", dir.toString())).isZero();
        String finished = runIds().get(0);
        RunStore store = RunStore.directory(dir);
        RunInfo base = store.info(finished);
        store.create(new RunInfo("crashed", base.spec(), RunStatus.RUNNING, null, base.startedAt().plusSeconds(1),
                null, 0, List.of(), null, 0)).close();

        // when
        assertThat(panic("runs", "-o", dir.toString())).isZero();

        // then
        assertThat(out.toString()).containsPattern(finished + "\\s+completed\\s+4\\s+reached the limit of 4 steps")
                .containsPattern("crashed\\s+interrupted\\s+0\\s+its process stopped");

        // when: the finished run goes on to 6 steps, and is forked at 1 with a template
        assertThat(panic("resume", finished, "-s", "6", "-o", dir.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("#4 sim:drifter").contains("#5 sim:drifter");
        assertThat(panic("fork", finished, "--at", "1", "--template", "drifter=more {input}", "-o", dir.toString()))
                .as(err.toString()).isZero();
        assertThat(panic("resume", "crashed", "-o", dir.toString())).as(err.toString()).isZero();

        // then
        assertThat(panic("runs", "-o", dir.toString())).isZero();
        String listing = out.toString();
        assertThat(listing).containsPattern(finished + "\\s+completed\\s+6");
        assertThat(listing).containsPattern("└ \\S+\\s+completed\\s+4\\s+from " + finished + " #1");
        assertThat(listing).containsPattern("crashed\\s+completed\\s+4");
        String fork = runIds().stream().filter(id -> !id.equals(finished) && !id.equals("crashed")).findFirst()
                .orElseThrow();
        assertThat(store.read(fork).predictions().get(2).input().summary(200)).startsWith("more ");
    }
}
