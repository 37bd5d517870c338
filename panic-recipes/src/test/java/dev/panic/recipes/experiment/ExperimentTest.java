package dev.panic.recipes.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.Platforms;
import dev.panic.RunInfo;
import dev.panic.RunSpec;
import dev.panic.RunStatus;
import dev.panic.exception.ValidationException;
import dev.panic.recipes.Csv;
import dev.panic.simulator.SimulatorPlatform;
import dev.panic.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentTest {

    @TempDir
    Path dir;

    private final Platforms platforms = Platforms.discover();

    private static ExperimentSpec parse(String json) {
        return ExperimentSpec.parse(json, null, "test");
    }

    @Test
    void should_read_prompts_from_a_file_and_say_what_is_wrong_with_a_spec() throws Exception {
        // given
        Files.writeString(dir.resolve("prompts.txt"), "# a comment\na red circle\n\n  a hot day  \n");
        Files.writeString(dir.resolve("loops.json"), """
                {"networks": [["sim:contrarian"]], "prompts_file": "prompts.txt", "seeds": [1, 2]}""");

        // when
        ExperimentSpec spec = ExperimentSpec.read(dir.resolve("loops.json"));

        // then
        assertThat(spec.name()).isEqualTo("loops");
        assertThat(spec.prompts()).containsExactly("a red circle", "a hot day");
        assertThat(spec.repeats()).isEqualTo(2);
        assertThat(spec.template().stopRules()).extracting(s -> s.kind()).containsExactly("max-steps");
        ExperimentSpec again = ExperimentSpec.parse(spec.toJson(), null, "x");
        assertThat(again.prompts()).isEqualTo(spec.prompts());
        assertThat(again.template()).isEqualTo(spec.template());
        assertThat(again.networks()).isEqualTo(spec.networks());
        assertThatThrownBy(() -> parse("{\"networks\": [[\"sim:contrarian\"]], \"prompts\": [\"x\"], \"seed\": 1}"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("unknown field 'seed'");
        assertThatThrownBy(() -> parse("{\"networks\": [[\"sim:contrarian\"]], \"prompts\": [\"x\"], \"runs\": 2,"
                + " \"seeds\": [1]}")).hasMessageContaining("not both");
        assertThatThrownBy(() -> parse("{\"networks\": [[\"sim:contrarian\"]], \"prompts\": [\"x\"], \"max_steps\": 3,"
                + " \"stop\": [{\"rule\": \"max-steps\", \"steps\": 4}]}")).hasMessageContaining("once");
        assertThatThrownBy(() -> parse("{\"networks\": [[\"sim:contrarian\"]], \"prompts\": [\"x\"],"
                + " \"controls\": [\"placebo\"]}")).hasMessageContaining("placebo");
    }

    @Test
    void should_plan_every_combination_with_its_control_arms() {
        // given
        ExperimentSpec spec = parse("""
                {"networks": [{"name": "pd", "network": ["sim:painter", "sim:describer"],
                               "controls": ["fixed-caption", "shuffled-caption"]}],
                 "prompts": ["a red circle", "a blue square"], "runs": 2, "max_steps": 6}""");

        // when
        List<PlannedRun> plan = Experiment.of(spec, platforms).plan();

        // then
        assertThat(plan).hasSize(12);
        assertThat(plan).extracting(PlannedRun::id).startsWith("pd.loop.p1.r1", "pd.loop.p1.r2", "pd.loop.p2.r1")
                .contains("pd.fixed-caption.p2.r2", "pd.shuffled-caption.p1.r1").doesNotHaveDuplicates();
        RunSpec fixed = plan.stream().filter(p -> p.arm().equals("fixed-caption")).findFirst().orElseThrow().spec();
        assertThat(fixed.network().nodes().get(0).template()).contains("{initial}");
        RunSpec shuffled = plan.stream().filter(p -> p.arm().equals("shuffled-caption")).findFirst().orElseThrow().spec();
        assertThat(shuffled.network().nodes()).extracting(n -> n.model().toString())
                .containsExactly("sim:painter", "sim:describer", "sim:shuffler");
        assertThat(shuffled.network().isRing()).isTrue();
        assertThat(plan.get(2).spec().input().toString()).contains("a blue square");
        List<PlannedRun> seeded = Experiment.of(parse("""
                {"networks": [["elsewhere:painter", "sim:describer"]], "prompts": ["x"], "seeds": [7, 8]}"""),
                ElsewherePlatform.with()).plan();
        assertThat(seeded).extracting(PlannedRun::id, PlannedRun::seed).containsExactly(
                org.assertj.core.groups.Tuple.tuple("n1.loop.p1.r1", java.util.OptionalLong.of(7L)), org.assertj.core.groups.Tuple.tuple("n1.loop.p1.r2", java.util.OptionalLong.of(8L)));
        assertThat(seeded.get(1).spec().network().nodes().get(0).parameters().asMap()).containsEntry("seed", 8L);
        assertThat(seeded.get(1).spec().network().nodes().get(1).parameters().isEmpty()).isTrue();
        assertThatThrownBy(() -> Experiment.of(parse("{\"networks\": [[\"sim:describer\", \"sim:painter\"]],"
                + " \"prompts\": [\"x\"], \"controls\": [\"fixed-caption\"]}"), platforms))
                .hasMessageContaining("takes text");
    }

    @Test
    void should_run_every_combination_and_report_each_run_the_attractors_and_their_chain() throws Exception {
        // given: two loops that settle (painter/describer: a fixed point; contrarian: a cycle of period 2)
        ExperimentSpec spec = parse("""
                {"name": "loops",
                 "networks": [{"name": "pd", "network": ["sim:painter", "sim:describer"]},
                              {"name": "contra", "network": ["sim:contrarian"], "controls": ["shuffled-caption"]}],
                 "prompts": ["a hot red circle on a dark background", "a cold blue square on a light background"],
                 "embedders": ["minilm"], "max_steps": 8, "stop": ["exact-repeat"], "limits": {"runs": 3}}""");
        List<String> started = new CopyOnWriteArrayList<>();
        List<Experiment.Progress> progress = new CopyOnWriteArrayList<>();

        // when
        Experiment.Summary summary = Experiment.of(spec, platforms).start(dir, new Experiment.Listener() {
            @Override
            public void started(PlannedRun run, boolean resumed) {
                started.add(run.id());
            }

            @Override
            public void progress(Experiment.Progress p) {
                progress.add(p);
            }
        }).await();
        ExperimentReport report = ExperimentReport.of(dir);
        report.writeTo(dir.resolve("report"));

        // then
        assertThat(started).hasSize(6);
        assertThat(summary.count(RunStatus.COMPLETED)).isEqualTo(6);
        assertThat(summary.stopped()).isFalse();
        assertThat(progress).allSatisfy(p -> assertThat(p.running()).isLessThanOrEqualTo(3));
        assertThat(progress.get(progress.size() - 1).finished()).isEqualTo(6);
        assertThat(dir.resolve(Experiment.SPEC_FILE)).exists();

        List<List<String>> runs = Csv.parse(Files.readString(dir.resolve("report/runs.csv")));
        assertThat(runs.get(0)).isEqualTo(ExperimentReport.RUN_COLUMNS);
        assertThat(runs).hasSize(7);
        Map<String, List<String>> byId = new ConcurrentHashMap<>();
        runs.subList(1, 7).forEach(r -> byId.put(r.get(0), r));
        List<String> contra = byId.get("contra.loop.p1.r1");
        assertThat(contra.subList(1, 4)).containsExactly("contra", "loop", "a hot red circle on a dark background");
        assertThat(contra.get(7)).isEqualTo("exact-repeat");
        assertThat(contra.get(9)).isEqualTo("exact-repeat");
        assertThat(contra.get(10)).isEqualTo("0");
        assertThat(contra.get(11)).isEqualTo("2");
        assertThat(contra.get(14)).matches("A\\d");
        assertThat(byId.get("pd.loop.p1.r1").get(11)).isEqualTo("2"); // a fixed point of a two-model ring
        assertThat(byId.get("contra.shuffled-caption.p1.r1").get(2)).isEqualTo("shuffled-caption");

        assertThat(report.arms()).containsOnlyKeys("pd/loop", "contra/loop", "contra/shuffled-caption");
        ExperimentReport.ArmAnalysis pd = report.arms().get("pd/loop");
        assertThat(pd.census().embedderId()).isEqualTo("minilm");
        assertThat(pd.census().attractors()).hasSize(2); // each prompt settles on a picture of its own
        MarkovSummary chain = report.arms().get("contra/loop").chain();
        assertThat(chain.states()).last().isEqualTo(MarkovSummary.TRANSIENT);
        long outputs = chain.visits().values().stream().mapToLong(Long::longValue).sum();
        long steps = chain.transitions().values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue)
                .sum();
        assertThat(outputs).isEqualTo(6);
        assertThat(steps).isEqualTo(outputs - 2); // one step fewer than outputs per run
        assertThat(chain.absorbing()).hasSize(2).allSatisfy(s -> assertThat(s).startsWith("A"));
        assertThat(chain.meanDwell().get(chain.absorbing().get(0))).isEqualTo(3.0);
        List<List<String>> attractors = Csv.parse(Files.readString(dir.resolve("report/attractors.csv")));
        assertThat(attractors.get(0)).startsWith("network", "arm", "attractor", "runs");
        assertThat(attractors.subList(1, attractors.size())).extracting(r -> r.get(0) + "/" + r.get(1))
                .containsOnly("pd/loop", "contra/loop", "contra/shuffled-caption");
        assertThat(Csv.parse(Files.readString(dir.resolve("report/transitions.csv"))).get(0))
                .containsExactly("network", "arm", "from", "to", "steps");
        assertThat(Files.readString(dir.resolve("report/report.md"))).contains("## pd, loop", "## contra, shuffled-caption");
    }

    @Test
    void should_go_on_where_it_was_stopped_skipping_finished_runs_and_resuming_stopped_ones() throws Exception {
        // given: one run at a time, slow enough to stop in the middle of the second
        ExperimentSpec spec = parse("""
                {"networks": [["sim:drifter"]], "prompts": ["a", "b", "c"], "max_steps": 12,
                 "pacing": {"kind": "fixed", "delay": "PT0.04S"}, "limits": {"runs": 1}}""");
        Experiment experiment = Experiment.of(spec, platforms);
        Experiment.Handle first = experiment.start(dir, null);
        RunStore store = RunStore.directory(dir.resolve(Experiment.RUNS_DIR));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (first.progress().finished() < 1 || first.progress().predictions() < 15) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }

        // when
        first.stop();
        Experiment.Summary stopped = first.await();
        RunInfo done = store.info("n1.loop.p1.r1");
        Map<String, Boolean> resumed = new ConcurrentHashMap<>();
        Experiment.Summary summary = Experiment.of(spec, platforms).start(dir, new Experiment.Listener() {
            @Override
            public void started(PlannedRun run, boolean again) {
                resumed.put(run.id(), again);
            }
        }).await();

        // then
        assertThat(stopped.stopped()).isTrue();
        assertThat(stopped.runs().get(experiment.plan().get(1)).status()).isEqualTo(RunStatus.STOPPED);
        assertThat(resumed).containsExactlyInAnyOrderEntriesOf(Map.of("n1.loop.p2.r1", true, "n1.loop.p3.r1", false));
        assertThat(summary.count(RunStatus.COMPLETED)).isEqualTo(3);
        assertThat(store.info("n1.loop.p1.r1").finishedAt()).isPresent().isEqualTo(done.finishedAt());
        assertThat(store.read("n1.loop.p2.r1").predictions()).hasSize(12);
        assertThatThrownBy(() -> Experiment.of(parse("""
                {"networks": [["sim:drifter"]], "prompts": ["other"], "max_steps": 12}"""), platforms).start(dir, null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("another experiment");
    }

    @Test
    void should_keep_the_whole_experiment_within_its_budget() {
        // given: pictures at 4 cents, four runs wanting five each, 30 cents for all
        Platforms paid = Platforms.builder().discover().register(SimulatorPlatform.builder().price("painter", 0.04)
                .build()).build();
        ExperimentSpec spec = parse("""
                {"networks": [["sim:painter", "sim:describer"]], "prompts": ["a", "b", "c", "d"], "max_steps": 10,
                 "budget_usd": 0.30, "prices": {"sim:painter": 0.04}, "limits": {"runs": 2}}""");
        List<String> skipped = new CopyOnWriteArrayList<>();

        // when
        Experiment.Summary summary = Experiment.of(spec, paid).start(dir, new Experiment.Listener() {
            @Override
            public void skipped(PlannedRun run, String why) {
                skipped.add(why);
            }
        }).await();

        // then: seven pictures fit, the eighth would overspend
        assertThat(summary.costUsd()).isCloseTo(0.28, Offset.offset(1e-9));
        assertThat(summary.runs().values()).filteredOn(i -> i != null && i.stopReason().orElseThrow().rule().equals("experiment-budget"))
                .isNotEmpty().allSatisfy(i -> assertThat(i.stopReason().orElseThrow().message()).contains("budget of $0.3000"));
        assertThat(summary.runs().size()).isEqualTo(4);
        assertThat(skipped).allSatisfy(w -> assertThat(w).contains("budget"));
    }
}
