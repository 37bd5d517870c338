package dev.panic.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.Rejection;
import dev.panic.Run;
import dev.panic.RunSpec;
import dev.panic.json.RunSpecJson;
import dev.panic.simulator.SimulatorPlatform;
import dev.panic.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocraticTest {

    /** Six shapes, three named by words the painter does not know: the refiner needs two rewrites. */
    static final String INTENT = "a small red circle, a small blue square, a small green triangle, a lighthouse, a fox"
            + " and a moon on a white background";

    @TempDir
    Path dir;

    private final Platforms platforms = Platforms.discover();

    @Test
    void should_refine_until_the_judge_is_satisfied_and_write_every_cycle() throws Exception {
        // given
        Socratic socratic = Socratic.builder(platforms).selectBest(true).build();
        RunStore store = RunStore.directory(dir.resolve("runs"));

        // when
        SocraticResult r = socratic.run(INTENT, store);
        r.writeTo(dir.resolve("out"));

        // then: three cycles, the third caption judged a match
        assertThat(r.stopReason().orElseThrow().rule()).isEqualTo("judge");
        assertThat(r.matched()).isTrue();
        assertThat(r.cycles()).hasSize(3);
        assertThat(r.cycles()).extracting(c -> c.verdict().orElseThrow().stop()).containsExactly(false, false, true);
        assertThat(r.cycles().get(0).prompt()).isEqualTo(INTENT);
        assertThat(r.cycles().get(1).prompt()).startsWith("a large red circle");
        assertThat(r.cycles()).allSatisfy(c -> assertThat(c.captionToIntent().orElseThrow()).isBetween(0.0, 1.0));
        assertThat(r.cycles().get(2).captionToIntent().orElseThrow()).isGreaterThan(r.cycles().get(0).captionToIntent().orElseThrow());
        assertThat(r.bestCycle()).hasValue(3);
        assertThat(r.imageScorer()).startsWith("not available");
        assertThat(r.captionScorer()).isEqualTo("minilm");

        Path out = dir.resolve("out");
        assertThat(out.resolve("cycle-01.png")).exists();
        assertThat(Files.readAllBytes(out.resolve("best.png"))).isEqualTo(Files.readAllBytes(out.resolve("cycle-03.png")));
        List<List<String>> rows = Csv.parse(Files.readString(out.resolve("cycles.csv")));
        assertThat(rows.get(0)).isEqualTo(SocraticResult.COLUMNS);
        assertThat(rows).hasSize(4);
        assertThat(rows.get(1).get(1)).isEqualTo(INTENT);
        assertThat(rows.get(3).get(4)).startsWith("yes");
        assertThat(rows.get(1).get(6)).isEmpty();
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("best_cycle").asInt()).isEqualTo(3);
        assertThat(summary.get("stop_rule").asText()).isEqualTo("judge");
        assertThat(summary.get("cycles").get(0).get("caption").asText()).isEqualTo(r.cycles().get(0).caption().orElseThrow());
        assertThat(Files.readString(out.resolve("summary.md"))).contains("| 3 | ![](cycle-03.png) |", "n/a");
    }

    @Test
    void should_run_from_its_spec_as_an_ordinary_run_and_stop_after_the_cycle_limit_without_a_match() {
        // given
        Socratic socratic = Socratic.builder(platforms).maxCycles(2).build();
        RunSpec spec = RunSpecJson.read(RunSpecJson.write(socratic.spec("a group of sheep grazing on lush grass")), null);
        RunStore store = RunStore.directory(dir);

        // when
        Run run = Run.builder(spec, platforms).store(store).start().await();
        SocraticResult r = socratic.result(store.read(run.id()));

        // then: paint, caption, refine, paint, caption
        assertThat(run.predictions()).extracting(Prediction::node).containsExactly("generator", "captioner", "refiner",
                "generator", "captioner");
        assertThat(r.stopReason().orElseThrow().rule()).isEqualTo("max-steps");
        assertThat(r.matched()).isFalse();
        assertThat(r.cycles()).hasSize(2);
        assertThat(r.bestCycle()).hasValue(2);
        assertThat(r.selectedBy()).contains("the last picture");
        assertThat(run.predictions().get(2).input().toString()).contains("intent: a group of sheep",
                "captions of the pictures so far:");
    }

    @Test
    void should_stop_before_the_picture_that_would_overspend_its_budget() {
        // given: pictures at 4 cents, a budget of 10 cents
        Platforms paid = Platforms.builder().discover().register(SimulatorPlatform.builder().price("painter", 0.04)
                .build()).build();
        Socratic socratic = Socratic.builder(paid).judge(null).budget(0.10).maxCycles(5).build();

        // when
        SocraticResult r = socratic.run("a group of sheep grazing on lush grass", RunStore.memory());

        // then
        assertThat(r.cycles()).hasSize(2);
        assertThat(r.costUsd()).isCloseTo(0.08, Offset.offset(1e-9));
        assertThat(r.stopReason().orElseThrow().rule()).isEqualTo("budget");
        assertThat(r.stopReason().orElseThrow().message()).contains("$0.0800 to $0.1200");
    }

    @Test
    void should_replace_a_refused_prompt_and_note_it_on_the_cycle() {
        // given: a painter whose pretend safety filter refuses storms
        Platforms fussy = Platforms.builder().discover().register(SimulatorPlatform.builder().refusing("storm")
                .build()).build();
        Socratic socratic = Socratic.builder(fussy).onRejection(Rejection.replace("a calm blue sea")).maxCycles(1)
                .build();

        // when
        SocraticResult r = socratic.run("a storm over a red lighthouse", RunStore.memory());

        // then
        assertThat(r.cycles()).hasSize(1);
        assertThat(r.cycles().get(0).prompt()).isEqualTo("a calm blue sea");
        assertThat(r.cycles().get(0).notes()).singleElement().asString().contains("names 'storm'", "replace");
    }

    @Test
    void should_summarise_a_dataset_with_a_row_per_prompt_and_their_means() throws Exception {
        // given
        Socratic socratic = Socratic.builder(platforms).maxCycles(3).build();
        List<String> intents = List.of(INTENT, "a red circle on a blue background", "a group of sheep on lush grass");

        // when
        SocraticEvaluation e = socratic.evaluate(intents, RunStore.directory(dir), 2, null);
        e.writeCsv(dir.resolve("summary.csv"));

        // then
        List<List<String>> rows = Csv.parse(Files.readString(dir.resolve("summary.csv")));
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0)).isEqualTo(SocraticEvaluation.COLUMNS);
        assertThat(rows.subList(1, 4)).extracting(row -> row.get(0)).containsExactlyElementsOf(intents);
        assertThat(rows.subList(1, 4)).extracting(row -> row.get(2) + " " + row.get(3) + " " + row.get(4))
                .containsExactly("3 judge yes", "1 judge yes", "3 max-steps no");
        assertThat(rows.get(4).get(0)).isEqualTo("mean");
        assertThat(rows.get(4).get(4)).isEqualTo("67%");
        assertThat(e.mean(SocraticEvaluation.Row::first)).hasValueCloseTo(e.rows().stream()
                .map(SocraticEvaluation.Row::first).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).average().orElseThrow(), Offset.offset(1e-12));
        assertThat(rows.get(1).get(9)).isEqualTo("n/a");
    }
}
