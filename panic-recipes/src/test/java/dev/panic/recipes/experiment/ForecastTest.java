package dev.panic.recipes.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Run;
import dev.panic.RunSpec;
import dev.panic.exception.ValidationException;
import dev.panic.recipes.Socratic;
import dev.panic.simulator.SimulatorPlatform;
import dev.panic.RunStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecastTest {

    @TempDir
    Path dir;

    @Test
    void should_count_each_model_s_calls_and_price_and_time_them_from_what_is_declared() {
        // given: an experiment of 2 networks x 3 prompts x 2 runs, 7 steps each
        ExperimentSpec spec = ExperimentSpec.parse("""
                {"networks": [["sim:painter", "sim:describer"], ["elsewhere:painter", "sim:describer"]],
                 "prompts": ["a", "b", "c"], "runs": 2, "max_steps": 7, "limits": {"runs": 4},
                 "pacing": {"kind": "fixed", "delay": "PT1S"},
                 "prices": {"elsewhere:painter": 0.003},
                 "latencies": {"elsewhere:painter": "PT2S"}}""", null, "x");

        // when
        Forecast f = Experiment.of(spec, ElsewherePlatform.with()).forecast(null);

        // then: a 7-step ring of two calls its first model 4 times, its second 3 times
        assertThat(f.runs()).isEqualTo(12);
        assertThat(f.models()).extracting(Forecast.ModelLine::model, Forecast.ModelLine::calls).containsExactly(
                org.assertj.core.groups.Tuple.tuple("sim:painter", 24L),
                org.assertj.core.groups.Tuple.tuple("sim:describer", 36L),
                org.assertj.core.groups.Tuple.tuple("elsewhere:painter", 24L));
        assertThat(f.costUsd()).isCloseTo(24 * 0.003, Offset.offset(1e-12));
        assertThat(f.costKnown()).isTrue();
        assertThat(f.models().get(2).priceSource()).isEqualTo("declared");
        assertThat(f.models().get(0).priceSource()).isEqualTo("simulator");
        // six flux runs of 4 x 2 s, and every run waits 6 x 1 s between its calls
        assertThat(f.serial()).isEqualTo(Duration.ofSeconds(6 * 8 + 12 * 6));
        assertThat(f.wall()).isEqualTo(Duration.ofSeconds((6 * 8 + 12 * 6) / 4));
        assertThat(f.timeKnown()).isTrue();
        assertThat(String.join("\n", f.lines())).contains("$0.0720", "upper bounds");
    }

    @Test
    void should_use_observed_calls_and_the_simulator_s_settings_and_say_what_is_unknown() {
        // given: a priced, slow simulator, and one earlier run of a model with no declared price
        SimulatorPlatform sim = SimulatorPlatform.builder().price("painter", 0.02).latency(Duration.ofMillis(30))
                .build();
        Platforms platforms = Platforms.builder().discover().register(sim).build();
        RunStore store = RunStore.directory(dir);
        Run.builder(platforms.network("sim:contrarian"), Payload.text("a hot day")).maxSteps(3).store(store).start()
                .await();
        RunSpec painting = new RunSpec(RunSpec.NetworkSpec.of(platforms.network("sim:painter", "sim:describer")),
                Payload.text("x"), List.of(dev.panic.StopRule.maxSteps(4).spec()), null, null, null, null, 1,
                Long.MAX_VALUE, false, null);
        RunSpec contrary = new RunSpec(RunSpec.NetworkSpec.of(platforms.network("sim:contrarian")), Payload.text("x"),
                List.of(dev.panic.StopRule.maxSteps(5).spec()), null, null, null, null, 1, Long.MAX_VALUE, false, null);
        RunSpec unknown = new RunSpec(new RunSpec.NetworkSpec(List.of(new RunSpec.NodeSpec("w",
                dev.panic.ModelId.parse("elsewhere:writer"), null, null, null)), null, null), Payload.text("x"),
                List.of(dev.panic.StopRule.maxSteps(5).spec()), null, null, null, null, 1, Long.MAX_VALUE, false, null);

        // when
        Forecast f = Forecast.builder(platforms).observed(store).forecast(List.of(painting, contrary));
        Forecast blind = Forecast.builder(platforms).forecast(List.of(unknown));

        // then
        assertThat(f.models().get(0).priceUsd()).hasValue(0.02);
        assertThat(f.costUsd()).isCloseTo(0.04, Offset.offset(1e-12));
        assertThat(f.models().get(2).latencySource()).startsWith("observed median, 3 calls");
        assertThat(f.models().get(0).latency()).contains(Duration.ofMillis(30));
        assertThat(blind.costKnown()).isFalse();
        assertThat(blind.models().get(0).priceSource()).isEqualTo("unknown");
        assertThat(String.join("\n", blind.lines())).contains("price unknown", "at least");
    }

    @Test
    void should_count_a_judge_s_calls_on_the_node_it_judges_and_refuse_a_run_without_a_limit() {
        Platforms platforms = Platforms.discover();
        RunSpec socratic = Socratic.builder(platforms).maxCycles(3).build().spec("a red circle");
        Forecast f = Forecast.builder(platforms).forecast(List.of(socratic));
        assertThat(f.models()).extracting(Forecast.ModelLine::model, Forecast.ModelLine::calls).containsExactly(
                org.assertj.core.groups.Tuple.tuple("sim:painter", 3L),
                org.assertj.core.groups.Tuple.tuple("sim:describer", 3L),
                org.assertj.core.groups.Tuple.tuple("sim:refiner", 2L),
                org.assertj.core.groups.Tuple.tuple("sim:judge", 3L));
        RunSpec endless = new RunSpec(RunSpec.NetworkSpec.of(platforms.network("sim:contrarian")), Payload.text("x"),
                List.of(), null, null, null, null, 1, Long.MAX_VALUE, true, null);
        assertThatThrownBy(() -> Forecast.builder(platforms).forecast(List.of(endless)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("no step limit");
    }
}
