package dev.panic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.exception.ValidationException;
import dev.panic.json.RunSpecJson;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A language-model judge as a stop rule: asked without holding the run, its verdicts kept on the predictions. */
class JudgeRuleTest {

    private static final String ASK = "intent: {initial}\ncaption: {input}";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final Platforms platforms = Platforms.discover();
    private final AtomicInteger judged = new AtomicInteger();

    /** The simulator's judge, counting its calls. */
    private Model countingJudge() {
        Model sim = platforms.model("sim:judge");
        return Model.of(sim.info(), sim.parameters(), (in, p) -> {
            judged.incrementAndGet();
            return sim.invokeAsync(in, p);
        });
    }

    @Test
    void should_stop_when_the_judge_says_the_caption_matches_and_keep_every_verdict() {
        // given
        RunStore store = RunStore.directory(dir);

        // when
        Run run = Run.builder(platforms.network("sim:painter", "sim:describer"),
                        Payload.text("a red circle on a blue background"))
                .stopWhen(StopRule.judge(countingJudge(), ASK)).maxSteps(10).store(store).start().await();

        // then: the picture is judged "no", the caption that names it all "yes"
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("judge");
        assertThat(run.stopReason().orElseThrow().sequence()).hasValue(1);
        assertThat(run.predictions()).extracting(p -> p.verdicts().get(0).stop()).containsExactly(false, true);
        assertThat(run.predictions().get(1).verdicts().get(0).answer()).startsWith("yes");
        assertThat(run.predictions().get(0).verdicts().get(0).judge()).isEqualTo(ModelId.parse("sim:judge"));
        StoredRun saved = store.read(run.id());
        assertThat(saved.predictions()).extracting(Prediction::verdicts).isEqualTo(
                run.predictions().stream().map(Prediction::verdicts).toList());
        assertThat(judged).hasValue(2);
    }

    @Test
    void should_rebuild_the_judge_from_the_spec_and_replay_its_stored_verdicts_without_asking_again() {
        // given: a judge that is never satisfied, over a run that ended at its step limit
        RunStore store = RunStore.directory(dir);
        String never = "intent: a purple elephant\ncaption: {input}";
        Run first = Run.builder(platforms.network("sim:contrarian"), Payload.text("a hot day"))
                .stopWhen(StopRule.judge(countingJudge(), never))
                .maxSteps(3).store(store).start().await();
        assertThat(judged).hasValue(3);
        RunSpec spec = RunSpecJson.read(RunSpecJson.write(first.spec()), null);
        assertThat(spec.stopRules().get(0).settings().asMap()).containsEntry("model", "sim:judge")
                .containsEntry("template", never);

        // when: resumed for three steps more
        Run resumed = Run.resume(store, first.id(), platforms).maxSteps(6).start().await();

        // then: the judge (now the plain simulator, found by id) judged the new outputs only
        assertThat(judged).hasValue(3);
        assertThat(resumed.size()).isEqualTo(6);
        assertThat(resumed.predictions()).allSatisfy(p -> assertThat(p.verdicts()).singleElement()
                .satisfies(v -> assertThat(v.answer()).startsWith("no")));
        assertThat(resumed.stopReason().orElseThrow().rule()).isEqualTo("max-steps");
    }

    @Test
    void should_go_on_calling_the_next_model_while_a_slow_judge_thinks_and_drop_it_when_the_judge_stops() throws Exception {
        // given: a judge that answers only when the test says so
        List<CompletableFuture<ModelOutput>> asked = new CopyOnWriteArrayList<>();
        Model slowJudge = Model.of(new ModelInfo(ModelId.parse("test:judge"), Modality.TEXT, Modality.TEXT, "gated"),
                Parameters.empty(), (in, p) -> {
                    CompletableFuture<ModelOutput> f = new CompletableFuture<>();
                    asked.add(f);
                    return f;
                });
        RunTest.GatedModel gated = new RunTest.GatedModel();
        Run run = Run.builder(Network.of(gated.model), Payload.text("x")).stopWhen(StopRule.judge(slowJudge, ASK))
                .maxSteps(10).start();

        // when: output 0 arrives, the next call starts while the judge thinks; then the judge says yes
        gated.awaitCall(0).complete(new ModelOutput(Payload.text("zero"), null));
        gated.awaitCall(1);
        awaitSize(asked, 1);
        asked.get(0).complete(new ModelOutput(Payload.text("Yes, that is it"), null));

        // then
        assertThat(run.await(WAIT)).isTrue();
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("judge");
        assertThat(run.predictions()).extracting(Prediction::sequence).containsExactly(0);
        assertThat(gated.calls.get(1)).isCancelled();
    }

    @Test
    void should_refuse_a_judge_that_does_not_answer_in_text_or_a_bad_pattern() {
        assertThatThrownBy(() -> StopRule.judge(platforms.model("sim:painter"), ASK))
                .isInstanceOf(ValidationException.class).hasMessageContaining("must answer in text");
        assertThatThrownBy(() -> StopRule.judge(platforms.model("sim:judge"), ASK, "(unclosed"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("not a regular expression");
        assertThatThrownBy(() -> StopRule.of(Spec.of("judge", Parameters.of("model", "sim:judge").with("template", ASK))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("platforms");
    }

    private static void awaitSize(List<?> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(list).hasSizeGreaterThanOrEqualTo(size);
    }
    @Test
    void should_judge_only_the_outputs_of_the_node_it_is_given_and_keep_the_node_in_its_spec() {
        // given: a painter, a describer and a refiner; only the captions are worth judging
        Network net = platforms.network("sim:painter", "sim:describer", "sim:contrarian");

        // when
        Run run = Run.builder(net, Payload.text("a hot red circle on a blue background"))
                .stopWhen(StopRule.judge(countingJudge(), ASK, "^yes", "describer")).maxSteps(6).start().await();

        // then: the picture and the contrarian's text went unjudged
        assertThat(run.predictions()).extracting(p -> p.verdicts().size()).containsExactly(0, 1);
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("judge");
        assertThat(judged).hasValue(1);
        RunSpec spec = RunSpecJson.read(RunSpecJson.write(run.spec()), null);
        assertThat(spec.stopRules().get(0).settings().asMap()).containsEntry("node", "describer");
        assertThatThrownBy(() -> Run.builder(net, Payload.text("x")).maxSteps(2)
                .stopWhen(StopRule.judge(countingJudge(), ASK, "^yes", "nobody")).start())
                .isInstanceOf(ValidationException.class).hasMessageContaining("nobody");
    }

}
