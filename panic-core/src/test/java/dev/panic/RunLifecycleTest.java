package dev.panic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panic.detection.Detectors;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.json.RunSpecJson;
import dev.panic.testing.TestEmbedders;
import dev.panic.testing.TestPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs as the durable, steerable unit: specs, resume, fork, steering, templates, graphs, limits. */
class RunLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Drops the last word each call until one is left: four outputs apart, then the same word for ever. */
    private static TestPlatform settling() {
        return new TestPlatform("t").text("settle", s -> {
            int space = s.lastIndexOf(' ');
            return space < 0 ? s : s.substring(0, space);
        }).text("echo", s -> s).text("upper", s -> s.toUpperCase(java.util.Locale.ROOT))
                .text("grow", s -> s + "+");
    }

    private static List<String> texts(List<Prediction> ps) {
        return ps.stream().map(p -> p.output() instanceof Payload.Text t ? t.text() : "(media)").toList();
    }

    // ---------------------------------------------------------------- specs

    @Test
    void should_describe_a_run_as_a_spec_that_survives_json_and_rebuilds_the_same_run() {
        // given: a graph with a prelude-like entry, a fan-out, templates and every kind of rule
        TestPlatform t = settling();
        Platforms platforms = t.platforms();
        Network net = Network.builder()
                .add(Network.Node.of("intro", platforms.model("t:upper")))
                .add(Network.Node.of("a", platforms.model("t:grow", Parameters.of("strength", 2)))
                        .withTemplate("more: {input} (from {initial}, last {last:a:2})"))
                .add(Network.Node.of("b", platforms.model("t:echo")).withParameterTemplate("note", Template.of("{step}")))
                .link("intro", "a").link("a", "b").link("b", "a").link("b", "intro")
                .build();
        Run.Builder builder = Run.builder(net, Payload.text("hello"))
                .maxSteps(12).maxDuration(Duration.ofMinutes(3))
                .stopWhen(StopRule.exactRepeat())
                .stopWhen(Detectors.fixedPoint().threshold(0.9).window(4).embedder("w").build())
                .observe(Detectors.drift().window(5).build())
                .observe(Detectors.cycle().maxPeriod(3).build())
                .embedWith(TestEmbedders.words("w", 16))
                .pacing(Pacing.slowingDown(Duration.ofMillis(5), 1.5, Duration.ofMillis(40)))
                .maxBranches(3).maxPredictions(500).durability(Durability.FSYNC);
        RunSpec spec = builder.spec();

        // when
        String json = RunSpecJson.write(spec);
        RunSpec back = RunSpecJson.read(json, null);

        // then
        assertThat(back).isEqualTo(spec);
        assertThat(back.network().links()).containsEntry("b", List.of("a", "intro"));
        assertThat(back.stopRules()).extracting(Spec::kind)
                .containsExactly("max-steps", "max-duration", "exact-repeat", "fixed-point");
        assertThat(back.stopRules().get(3).settings().asMap()).containsEntry("threshold", 0.9)
                .containsEntry("window", 4L).containsEntry("embedder", "w");
        Run rebuilt = Run.builder(back, Platforms.builder().register(t).register(TestEmbedders.words("w", 16)).build())
                .start().await();
        assertThat(rebuilt.spec()).isEqualTo(spec);
        assertThat(RunSpec.NetworkSpec.of(rebuilt.network())).isEqualTo(RunSpec.NetworkSpec.of(net));
    }

    @Test
    void should_read_a_short_hand_written_spec_with_defaults() {
        // when
        RunSpec spec = RunSpecJson.read("{\"network\": [\"t:upper\", \"t:echo\"], \"input\": {\"text\": \"hi\"},"
                + " \"stop\": [\"exact-repeat\", {\"rule\": \"max-steps\", \"steps\": 3}]}", null);
        Run run = Run.builder(spec, settling().platforms()).start().await();

        // then
        assertThat(spec.network().isRing()).isTrue();
        assertThat(spec.network().nodes()).extracting(RunSpec.NodeSpec::id).containsExactly("upper", "echo");
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(texts(run.predictions())).containsExactly("HI", "HI", "HI");
    }

    @Test
    void should_say_what_is_wrong_with_a_bad_spec() {
        assertThatThrownBy(() -> RunSpecJson.read("{\"network\": [\"t:upper\"]}", null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("'input' is missing");
        assertThatThrownBy(() -> RunSpecJson.read("{\"network\": [\"t:upper\"], \"input\": \"x\","
                + " \"stop\": [{\"rule\": \"max-steps\"}]}", null).stopRules().forEach(StopRule::of))
                .isInstanceOf(ValidationException.class).hasMessageContaining("'steps'");
        assertThatThrownBy(() -> StopRule.of(Spec.of("no-such-rule")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("exact-repeat");
        assertThatThrownBy(() -> RunSpecJson.read("{not json", null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void should_report_a_custom_rule_and_refuse_to_rebuild_it_until_given_again() {
        // given
        TestPlatform t = settling();
        Run run = Run.builder(t.platforms().network("t:grow"), Payload.text("x")).maxSteps(2)
                .stopWhen(StopRule.when("flag", () -> false)).start().await();

        // then
        Spec custom = run.spec().stopRules().get(1);
        assertThat(custom).isEqualTo(Spec.custom("flag"));
        assertThatThrownBy(() -> Run.builder(run.spec(), t.platforms()).start())
                .isInstanceOf(ValidationException.class).hasMessageContaining("'flag'").hasMessageContaining("customRule");
        Run again = Run.builder(run.spec(), t.platforms()).customRule(StopRule.when("flag", () -> true)).start().await();
        assertThat(again.stopReason().orElseThrow().rule()).isEqualTo("flag");
    }

    @Test
    void should_refuse_a_run_nothing_bounds_and_say_how_to_bound_it() {
        Network loop = settling().platforms().network("t:grow");

        assertThatThrownBy(() -> Run.builder(loop, Payload.text("x")).stopWhen(StopRule.exactRepeat()).start())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("maxSteps(n)").hasMessageContaining("forever()");
        Run bounded = Run.builder(loop, Payload.text("x")).maxPredictions(3).start().await();
        assertThat(bounded.size()).isEqualTo(3);
        assertThat(bounded.stopReason().orElseThrow().rule()).isEqualTo("max-predictions");
        Run forever = Run.builder(loop, Payload.text("x")).forever().start();
        forever.stop();
        assertThat(forever.await(WAIT)).isTrue();
        assertThat(forever.status()).isEqualTo(RunStatus.STOPPED);
    }

    // ---------------------------------------------------------------- resume

    @Test
    void should_resume_a_stopped_run_with_a_new_limit_and_find_a_fixed_point_that_straddles_the_stop() {
        // given: the same run twice, once straight through and once stopped by a step limit then resumed
        TestPlatform straight = settling();
        Run whole = Run.builder(straight.platforms().network("t:settle"), Payload.text("red green blue yellow"))
                .embedWith(TestEmbedders.words("w", 64)).stopWhen(Detectors.fixedPoint().build()).maxSteps(20)
                .start().await();
        TestPlatform t = settling();
        RunStore store = RunStore.directory(dir);
        Run first = Run.builder(t.platforms().network("t:settle"), Payload.text("red green blue yellow"))
                .embedWith(TestEmbedders.words("w", 64)).stopWhen(Detectors.fixedPoint().build()).maxSteps(4)
                .store(store).start().await();
        assertThat(first.stopReason().orElseThrow().rule()).isEqualTo("max-steps");
        int callsBefore = t.calls.size();

        // when
        Platforms platforms = Platforms.builder().register(t).register(TestEmbedders.words("w", 64)).build();
        Run resumed = Run.resume(store, first.id(), platforms).maxSteps(20).start().await();

        // then: the same stop, at the same place, as the run that never stopped
        StopReason straightReason = whole.stopReason().orElseThrow();
        assertThat(resumed.id()).isEqualTo(first.id());
        assertThat(resumed.stopReason().orElseThrow()).isEqualTo(straightReason);
        assertThat(straightReason.rule()).isEqualTo("fixed-point");
        assertThat(straightReason.patternStart().orElseThrow()).isLessThan(4).as("the pattern began before the stop");
        assertThat(resumed.predictions()).extracting(Prediction::sequence)
                .containsExactlyElementsOf(whole.predictions().stream().map(Prediction::sequence).toList());
        // no model called twice for a saved step: the first call after the resume takes output 3; after it
        // come calls 4 and 5, and perhaps one more abandoned when the detector fired (as in the straight run)
        assertThat(callsBefore).isEqualTo(4);
        assertThat(t.calls.get(callsBefore).input()).isEqualTo(first.predictions().get(3).output());
        assertThat(t.calls.size() - callsBefore).isBetween(2, 3);
        StoredRun saved = store.read(first.id());
        assertThat(saved.predictions()).extracting(Prediction::sequence).containsExactlyElementsOf(
                whole.predictions().stream().map(Prediction::sequence).toList());
        assertThat(saved.revisions()).singleElement().satisfies(r ->
                assertThat(r.changes()).containsExactly(Change.maxSteps(20)));
        assertThat(saved.warnings()).isEmpty();
    }

    @Test
    void should_resume_an_interrupted_run_and_refuse_a_live_one() {
        // given: a run whose writer went away without saving its end, as a crash leaves it
        TestPlatform t = settling();
        RunStore store = RunStore.directory(dir);
        RunSpec spec = Run.builder(t.platforms().network("t:grow"), Payload.text("x")).maxSteps(6).spec();
        RunInfo info = new RunInfo("crashed", spec, RunStatus.RUNNING, null, Instant.now(), null, 0, List.of(), null, 0);
        RunStore.Recorder writer = store.create(info);
        Instant at = Instant.now();
        writer.append(new Prediction("crashed", 0, "grow", ModelId.parse("t:grow"), Payload.text("x"),
                Payload.text("x+"), at, at, null, Map.of(), null, 0), true);
        writer.append(new Prediction("crashed", 1, "grow", ModelId.parse("t:grow"), Payload.text("x+"),
                Payload.text("x++"), at, at, null, Map.of(), null, 0), true);
        assertThatThrownBy(() -> Run.resume(store, "crashed", t.platforms()).start())
                .isInstanceOf(PanicException.class).hasMessageContaining("live");
        writer.close();
        assertThat(store.info("crashed").status()).isEqualTo(RunStatus.INTERRUPTED);

        // when
        Run run = Run.resume(store, "crashed", t.platforms()).start().await();

        // then
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(texts(run.predictions())).containsExactly("x+", "x++", "x+++", "x++++", "x+++++", "x++++++");
        assertThat(t.inputs("grow")).containsExactly("x++", "x+++", "x++++", "x+++++");
        assertThat(store.info("crashed").status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void should_retry_the_failed_step_when_a_failed_run_is_resumed() {
        // given
        TestPlatform flaky = new TestPlatform("t").text("grow", s -> {
            if (s.length() == 3) {
                throw new dev.panic.exception.UnavailableException("try later");
            }
            return s + "+";
        });
        RunStore store = RunStore.directory(dir);
        Run failed = Run.builder(flaky.platforms().network("t:grow"), Payload.text("x")).maxSteps(5).store(store)
                .start().await();
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        TestPlatform healed = settling();

        // when
        Run run = Run.resume(store, failed.id(), healed.platforms()).start().await();

        // then: the failed prediction stays in the history, and the step is tried again with its input
        assertThat(run.predictions()).extracting(Prediction::succeeded).containsExactly(true, true, false, true, true);
        assertThat(healed.inputs("grow")).containsExactly("x++", "x+++");
    }

    // ---------------------------------------------------------------- fork

    @Test
    void should_fork_sharing_the_prefix_on_disk_and_going_on_with_another_model() throws IOException {
        // given
        TestPlatform t = settling()
                .model("paint", Modality.TEXT, Modality.IMAGE, p -> TestModels.png(((Payload.Text) p).text().length()))
                .model("look", Modality.IMAGE, Modality.TEXT, p -> Payload.text("seen " + ((Payload.Image) p).data().get(4)))
                .model("glance", Modality.IMAGE, Modality.TEXT, p -> Payload.text("a glance at "
                        + ((Payload.Image) p).data().get(4)));
        Platforms platforms = t.platforms();
        RunStore store = RunStore.directory(dir);
        Run parent = Run.builder(platforms.network("t:paint", "t:look"), Payload.text("abc")).maxSteps(6).store(store)
                .start().await();
        assertThatThrownBy(() -> Run.fork(store, parent.id(), 2, platforms)
                .change(Change.model("look", platforms.model("t:upper"))).start())
                .isInstanceOf(ValidationException.class).hasMessageContaining("takes TEXT");

        // when: from prediction 2 (a picture), the looker is replaced
        Run child = Run.fork(store, parent.id(), 2, platforms)
                .change(Change.model("look", platforms.model("t:glance").withParameter("x", 1)))
                .start().await();

        // then
        assertThat(child.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(texts(child.predictions()).get(3)).isEqualTo("a glance at 6");
        assertThat(child.network().node("look").model().id()).isEqualTo(ModelId.parse("t:glance"));
        assertThat(child.parent()).contains(new Lineage(parent.id(), 2, false));
        assertThat(child.predictions().subList(0, 3)).isEqualTo(parent.predictions().subList(0, 3));
        assertThat(store.children(parent.id())).containsExactly(child.id());
        Path childDir = dir.resolve(child.id());
        List<String> childLines = Files.readAllLines(childDir.resolve("predictions.jsonl"));
        assertThat(childLines).allSatisfy(l -> assertThat(JSON.readTree(l).get("sequence").intValue()).isGreaterThan(2));
        try (Stream<Path> media = Files.list(dir.resolve(parent.id()).resolve("media"))) {
            for (Path m : media.toList()) {
                assertThat(childDir.resolve("media").resolve(m.getFileName())).as("no media copied").doesNotExist();
            }
        }
        StoredRun back = store.read(child.id());
        assertThat(back.predictions()).hasSize(6);
        assertThat(back.predictions().subList(0, 3)).extracting(Prediction::runId).containsOnly(parent.id());
    }

    @Test
    void should_fork_with_another_input_and_template_and_analyse_the_whole_history() {
        // given
        TestPlatform t = settling();
        Platforms platforms = t.platforms();
        RunStore store = RunStore.directory(dir);
        Run parent = Run.builder(platforms.network("t:grow"), Payload.text("a")).maxSteps(4).store(store)
                .start().await();

        // when
        Run child = Run.fork(store, parent.id(), 1, platforms)
                .change(Change.inject(Payload.text("b")), Change.template("grow", "<{input}>"))
                .maxSteps(4).start().await();

        // then
        assertThat(texts(child.predictions())).containsExactly("a+", "a++", "<b>+", "<<b>+>+");
        assertThat(child.spec().network().nodes().get(0).template()).contains("<{input}>");
        assertThat(dev.panic.analysis.RunAnalysis.of(store.read(child.id())).predictions()).isEqualTo(4);
        assertThatThrownBy(() -> Run.fork(store, parent.id(), 9, platforms).start())
                .isInstanceOf(ValidationException.class).hasMessageContaining("has no prediction 9");
    }

    // ---------------------------------------------------------------- steering

    @Test
    void should_apply_a_steer_to_the_next_calls_and_record_its_revision() throws Exception {
        // given
        RunTest.GatedModel gated = new RunTest.GatedModel();
        RunStore store = RunStore.directory(dir);
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        Run run = Run.builder(Network.of(gated.model), Payload.text("x")).maxSteps(4).store(store)
                .listener(events::add).start();
        gated.awaitCall(0).complete(new ModelOutput(Payload.text("one"), null));
        gated.awaitCall(1);

        // when: call 1 is in flight
        Revision r = run.steer(Change.template("gated", "[{input}]"));
        gated.awaitCall(1).complete(new ModelOutput(Payload.text("two"), null));
        gated.awaitCall(2).complete(new ModelOutput(Payload.text("three"), null));
        gated.awaitCall(3).complete(new ModelOutput(Payload.text("four"), null));
        run.await();

        // then
        assertThat(r.number()).isEqualTo(1);
        assertThat(r.afterSequence()).isEqualTo(1);
        assertThat(run.predictions()).extracting(Prediction::revision).containsExactly(0, 0, 1, 1);
        assertThat(run.predictions().get(2).input()).isEqualTo(Payload.text("[two]"));
        assertThat(run.predictions().get(1).input()).isEqualTo(Payload.text("one"));
        assertThat(events).filteredOn(e -> e instanceof RunEvent.Steered).singleElement()
                .satisfies(e -> assertThat(((RunEvent.Steered) e).revision()).isEqualTo(r));
        assertThat(store.revisions(run.id())).containsExactly(r);
        assertThat(store.read(run.id()).predictions()).extracting(Prediction::revision).containsExactly(0, 0, 1, 1);
    }

    @Test
    void should_refuse_a_steer_that_breaks_the_network_and_change_nothing() {
        // given
        TestPlatform t = settling()
                .model("paint", Modality.TEXT, Modality.IMAGE, p -> TestModels.png(1))
                .model("look", Modality.IMAGE, Modality.TEXT, p -> Payload.text("seen"));
        Platforms platforms = t.platforms();
        Run run = Run.builder(platforms.network("t:paint", "t:look"), Payload.text("x")).forever()
                .pacing(Pacing.fixed(Duration.ofMillis(50))).start();

        // when / then
        assertThatThrownBy(() -> run.steer(Change.template("paint", "{input}!"), Change.model("look", platforms.model("t:upper"))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("model 1 't:paint' outputs IMAGE but model 2 't:upper' takes TEXT");
        assertThatThrownBy(() -> run.steer(Change.template("nobody", "x")))
                .isInstanceOf(dev.panic.exception.NotFoundException.class).hasMessageContaining("paint, look");
        assertThatThrownBy(() -> run.steer(Change.inject("look", Payload.text("words"))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("takes IMAGE");
        assertThat(run.revision()).isZero();
        assertThat(run.network().node("paint").template()).isEmpty();
        run.cancel();
        assertThat(run.await(WAIT)).isTrue();
        assertThatThrownBy(() -> run.steer(Change.pause()))
                .isInstanceOf(PanicException.class).hasMessageContaining("has ended");
    }

    @Test
    void should_inject_a_visitor_s_input_and_pause_and_unpause() throws Exception {
        // given
        RunTest.GatedModel gated = new RunTest.GatedModel();
        Run run = Run.builder(Network.of(gated.model), Payload.text("x")).maxSteps(3).start();
        gated.awaitCall(0);

        // when
        run.pause();
        gated.awaitCall(0).complete(new ModelOutput(Payload.text("one"), null));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (run.size() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(run.status()).isEqualTo(RunStatus.PAUSED);
        run.inject(Payload.text("a visitor's prompt"));
        assertThat(gated.calls).as("no call while paused").hasSize(1);
        run.unpause();
        gated.awaitCall(1).complete(new ModelOutput(Payload.text("two"), null));
        gated.awaitCall(2).complete(new ModelOutput(Payload.text("three"), null));
        run.await();

        // then
        assertThat(run.predictions()).extracting(p -> ((Payload.Text) p.input()).text())
                .containsExactly("x", "a visitor's prompt", "two");
        assertThat(run.predictions()).extracting(Prediction::revision).containsExactly(0, 3, 3);
    }

    // ---------------------------------------------------------------- graphs

    @Test
    void should_run_a_prelude_once_then_loop_over_the_ring() {
        TestPlatform t = settling();
        Platforms p = t.platforms();
        Network net = Network.builder().prelude(p.model("t:upper")).add(p.model("t:grow")).add(p.model("t:echo"))
                .build();

        Run run = Run.builder(net, Payload.text("a")).maxSteps(5).start().await();

        assertThat(net.isRing()).isFalse();
        assertThat(run.predictions()).extracting(Prediction::node).containsExactly("upper", "grow", "echo", "grow", "echo");
        assertThat(texts(run.predictions())).containsExactly("A", "A+", "A+", "A++", "A++");
    }

    @Test
    void should_end_a_chain_at_its_last_node_without_needing_a_limit() {
        TestPlatform t = settling();
        Platforms p = t.platforms();
        Network chain = Network.builder().add("one", p.model("t:upper")).add("two", p.model("t:grow"))
                .link("one", "two").build();

        Run run = Run.builder(chain, Payload.text("a")).start().await();

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("end");
        assertThat(texts(run.predictions())).containsExactly("A", "A+");
    }

    @Test
    void should_branch_at_a_fan_out_and_hold_the_family_to_its_limits() {
        // given: b feeds both a and c, and c loops back to a: every lap through b starts a branch
        TestPlatform t = settling();
        Platforms p = t.platforms();
        Network net = Network.builder().add("a", p.model("t:grow")).add("b", p.model("t:echo"))
                .add("c", p.model("t:upper"))
                .link("a", "b").link("b", "a").link("b", "c").link("c", "a").build();
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        RunStore store = RunStore.directory(dir);

        // when
        Run run = Run.builder(net, Payload.text("x")).maxSteps(8).maxBranches(3).maxPredictions(40).store(store)
                .listener(events::add).start().await();

        // then
        List<Run> all = new ArrayList<>();
        collect(run, all);
        assertThat(all.size()).isBetween(3, 40);
        int total = all.stream().mapToInt(r -> r.size() - r.parent().map(l -> l.sequence() + 1).orElse(0)).sum();
        assertThat(total).isLessThanOrEqualTo(40);
        assertThat(events).anyMatch(e -> e instanceof RunEvent.BranchSkipped);
        RunEvent.Branched first = (RunEvent.Branched) events.stream().filter(e -> e instanceof RunEvent.Branched)
                .findFirst().orElseThrow();
        Run branch = run.branches().get(0);
        assertThat(branch.id()).isEqualTo(first.branchId());
        assertThat(branch.parent()).contains(new Lineage(run.id(), first.sequence(), true));
        assertThat(branch.predictions().get(first.sequence() + 1).node()).isEqualTo("c");
        assertThat(store.children(run.id())).contains(branch.id());
        assertThat(all).allSatisfy(r -> assertThat(r.status().isFinal()).isTrue());
        int peak = peakLive(events);
        assertThat(peak).isLessThanOrEqualTo(3);
    }

    private static void collect(Run run, List<Run> into) {
        into.add(run);
        run.branches().forEach(b -> collect(b, into));
    }

    /** The most runs live at once, as their Started and Finished events show. */
    private static int peakLive(List<RunEvent> events) {
        int live = 0;
        int peak = 0;
        for (RunEvent e : events) {
            if (e instanceof RunEvent.Started) {
                peak = Math.max(peak, ++live);
            } else if (e instanceof RunEvent.Finished) {
                live--;
            }
        }
        return peak;
    }

    // ---------------------------------------------------------------- templates

    @Test
    void should_fill_templates_from_the_run_context() {
        TestPlatform t = settling();
        Platforms p = t.platforms();
        Network net = Network.builder()
                .add(Network.Node.of("writer", p.model("t:echo")).withTemplate("step {step}: {input} | intent {initial}"))
                .add(Network.Node.of("critic", p.model("t:upper"))
                        .withTemplate("history: {last:writer:2}").withParameterTemplate("about", Template.of("{{x}} {input}")))
                .build();

        Run.builder(net, Payload.text("cat")).maxSteps(4).start().await();

        assertThat(t.calls).extracting(c -> ((Payload.Text) c.input()).text()).containsExactly(
                "step 0: cat | intent cat",
                "history: step 0: cat | intent cat",
                "step 2: HISTORY: STEP 0: CAT | INTENT CAT | intent cat",
                "history: step 0: cat | intent cat\nstep 2: HISTORY: STEP 0: CAT | INTENT CAT | intent cat");
        assertThat(t.calls.get(1).parameters().get("about")).contains("{x} step 0: cat | intent cat");
    }

    @Test
    void should_refuse_bad_templates_with_a_clear_message() {
        Platforms p = settling().model("look", Modality.IMAGE, Modality.TEXT, x -> Payload.text("y")).platforms();
        assertThatThrownBy(() -> Template.of("hello {name}"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("{name}").hasMessageContaining("{input}");
        assertThatThrownBy(() -> Template.of("a { b"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("lone '{'");
        assertThatThrownBy(() -> Network.Node.of("look", p.model("t:look")).withTemplate("x {input}"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("takes IMAGE");
        assertThatThrownBy(() -> Network.builder().add(Network.Node.of("a", p.model("t:echo"))
                .withTemplate("{last:ghost}")).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("'ghost'");
    }

    // ---------------------------------------------------------------- control and memory

    @Test
    void should_cancel_at_once_while_a_listener_is_slow_and_give_subscribers_every_event() throws Exception {
        // given: a listener that blocks on the first prediction until the test lets it go
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch inListener = new CountDownLatch(1);
        List<RunEvent> seen = new CopyOnWriteArrayList<>();
        Flow.Subscriber<RunEvent> subscriber = new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(RunEvent item) {
                seen.add(item);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onComplete() {
            }
        };
        Run run = Run.builder(settling().platforms().network("t:grow"), Payload.text("x")).forever()
                .pacing(Pacing.fixed(Duration.ofMillis(1)))
                .subscriber(subscriber)
                .listener(e -> {
                    if (e instanceof RunEvent.PredictionMade) {
                        inListener.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }).start();
        assertThat(inListener.await(20, TimeUnit.SECONDS)).isTrue();

        // when
        run.cancel();

        // then: cancelled while the listener still holds its event
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(release.getCount()).isEqualTo(1);
        release.countDown();
        assertThat(run.await(WAIT)).isTrue();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while ((seen.isEmpty() || !(seen.get(seen.size() - 1) instanceof RunEvent.Finished))
                && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(seen.get(0)).isInstanceOf(RunEvent.Started.class);
        assertThat(seen.get(seen.size() - 1)).isInstanceOf(RunEvent.Finished.class);
    }

    @Test
    void should_save_an_output_before_the_call_after_it_starts_and_read_old_predictions_back_from_the_store()
            throws Exception {
        // given: vectors that never come for output 0, so it stays pending while call 1 runs
        RunTest.GatedModel gated = new RunTest.GatedModel();
        TestEmbedders.Gated slow = new TestEmbedders.Gated("slow", java.util.Set.of(Modality.TEXT), 2);
        RunStore store = RunStore.directory(dir);
        Run run = Run.builder(Network.of(gated.model), Payload.text("x")).embedWith(slow).maxSteps(40).store(store)
                .start();
        gated.awaitCall(0).complete(new ModelOutput(Payload.text("zero"), null));
        gated.awaitCall(1);

        // then: output 0 is on disk, waiting for its vectors
        List<String> lines = Files.readAllLines(dir.resolve(run.id()).resolve("predictions.jsonl"));
        assertThat(lines).singleElement().satisfies(l -> assertThat(JSON.readTree(l).get("pending").asBoolean()).isTrue());
        assertThat(run.predictions()).isEmpty();

        // when: the run goes on to 40 predictions, more than it keeps in memory
        slow.answer(0, 1f, 0f);
        for (int i = 1; i < 40; i++) {
            gated.awaitCall(i).complete(new ModelOutput(Payload.text("n" + i), null));
            slow.answer(i, 1f, i);
        }
        run.await();

        // then: every prediction is listed in order, the old ones read back from the store
        assertThat(run.size()).isEqualTo(40);
        assertThat(run.predictions()).extracting(Prediction::sequence)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 40).boxed().toList());
        assertThat(run.predictions().get(3).embeddings().get("slow").get(1)).isEqualTo(3f);
        assertThat(Files.readAllLines(dir.resolve(run.id()).resolve("predictions.jsonl")))
                .anySatisfy(l -> assertThat(JSON.readTree(l).path("complete").asInt(-1)).isZero());
    }

    @Test
    void should_list_predictions_lazily_without_copying_the_history() {
        Run run = Run.builder(settling().platforms().network("t:grow"), Payload.text("x")).maxSteps(100)
                .store(RunStore.directory(dir)).start().await();

        List<Prediction> all = run.predictions();

        assertThat(all).hasSize(100);
        assertThat(all.get(0).output()).isEqualTo(Payload.text("x+"));
        assertThat(all.get(99).sequence()).isEqualTo(99);
        assertThat(all.stream().map(p -> ((Payload.Text) p.output()).text().length()).collect(Collectors.toList()))
                .isEqualTo(java.util.stream.IntStream.rangeClosed(2, 101).boxed().toList());
        assertThat(Arrays.asList(run.last().orElseThrow().sequence())).containsExactly(99);
    }
}
