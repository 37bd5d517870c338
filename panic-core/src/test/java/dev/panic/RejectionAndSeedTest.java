package dev.panic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.exception.ContentRejectedException;
import dev.panic.exception.ValidationException;
import dev.panic.json.RunSpecJson;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A node's policy for inputs its model refuses, and the seeds a run draws and records. */
class RejectionAndSeedTest {

    private final List<Parameters> strictCalls = new CopyOnWriteArrayList<>();
    private final List<String> strictInputs = new CopyOnWriteArrayList<>();

    /** Refuses its first {@code refusals} calls whose input mentions "storm"; takes a seed. */
    private Model strict(int refusals) {
        AtomicInteger refused = new AtomicInteger();
        ModelInfo info = new ModelInfo(ModelId.parse("t:strict"), Modality.TEXT, Modality.TEXT, "a fussy model")
                .withSeedParameter("seed");
        return Model.of(info, Parameters.empty(), (in, p) -> {
            String text = ((Payload.Text) in).text();
            strictCalls.add(p);
            strictInputs.add(text);
            if (text.contains("storm") && refused.getAndIncrement() < refusals) {
                return CompletableFuture.failedFuture(new ContentRejectedException("t: the safety filter flagged it"));
            }
            return CompletableFuture.completedFuture(new ModelOutput(Payload.text("calm after " + text), null));
        });
    }

    private static Model echo() {
        return TestModels.text("t:echo", s -> s);
    }

    @Test
    void should_try_again_with_new_seeds_and_keep_each_refusal_in_the_run() {
        Network net = Network.builder().add(Network.Node.of("strict", strict(2)).withRejection(Rejection.retry(3)))
                .add("echo", echo()).build();

        Run run = Run.builder(net, Payload.text("a storm")).maxSteps(4).start().await();

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.predictions()).extracting(Prediction::succeeded).containsExactly(false, false, true, true);
        assertThat(run.predictions().get(0).error().message()).contains("safety filter")
                .contains("retry(3): tried again with a new seed, attempt 1 of 3");
        assertThat(run.predictions().get(1).error().message()).contains("attempt 2 of 3");
        List<Object> seeds = strictCalls.stream().map(p -> p.get("seed").orElseThrow()).toList();
        assertThat(seeds).hasSize(3).doesNotHaveDuplicates();
        assertThat(run.predictions().get(2).metadata().seed()).hasValue(((Number) seeds.get(2)).longValue());
        assertThat(strictInputs).containsOnly("a storm");
    }

    @Test
    void should_fail_when_the_retries_are_used_up_or_the_policy_is_to_fail() {
        Network tries = Network.builder().add(Network.Node.of("strict", strict(5)).withRejection(Rejection.retry(1)))
                .add("echo", echo()).build();
        Run run = Run.builder(tries, Payload.text("a storm")).maxSteps(4).start().await();
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.predictions()).extracting(Prediction::succeeded).containsExactly(false, false);

        Run plain = Run.builder(Network.of(strict(1), echo()), Payload.text("a storm")).maxSteps(4).start().await();
        assertThat(plain.status()).isEqualTo(RunStatus.FAILED);
        assertThat(plain.size()).isEqualTo(1);
    }

    @Test
    void should_give_the_model_the_replacement_text_or_pass_the_input_on() {
        Network replace = Network.builder().add(Network.Node.of("strict", strict(9))
                .withRejection(Rejection.replace("a quiet sea"))).add("echo", echo()).build();
        Run replaced = Run.builder(replace, Payload.text("a storm")).maxSteps(3).start().await();
        assertThat(replaced.predictions()).extracting(p -> p.output() == null ? null : ((Payload.Text) p.output()).text())
                .containsExactly(null, "calm after a quiet sea", "calm after a quiet sea");

        Network skip = Network.builder().add(Network.Node.of("strict", strict(9)).withRejection(Rejection.skip()))
                .add("echo", echo()).build();
        Run skipped = Run.builder(skip, Payload.text("a storm")).maxSteps(2).start().await();
        assertThat(skipped.predictions()).extracting(Prediction::node).containsExactly("strict", "echo");
        assertThat(skipped.predictions().get(1).input()).isEqualTo(Payload.text("a storm"));
        assertThat(skipped.predictions().get(0).error().message()).contains("passed the input on to node 'echo'");
    }

    @Test
    void should_keep_the_policy_in_the_spec_and_refuse_one_that_cannot_apply() {
        Network net = Network.builder().add(Network.Node.of("strict", strict(0)).withRejection(Rejection.retry(2)))
                .add("echo", echo()).build();
        RunSpec spec = Run.builder(net, Payload.text("x")).maxSteps(2).spec();

        RunSpec back = RunSpecJson.read(RunSpecJson.write(spec), null);

        assertThat(back.network().nodes().get(0).rejection()).isEqualTo(Rejection.retry(2));
        assertThat(back).isEqualTo(spec);
        Model painter = Platforms.discover().model("sim:describer");
        assertThatThrownBy(() -> Network.Node.of("look", painter).withRejection(Rejection.replace("text")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("takes IMAGE");
        assertThatThrownBy(() -> Rejection.retry(0)).isInstanceOf(ValidationException.class);
    }

    @Test
    void should_draw_a_seed_for_a_model_that_takes_one_and_record_it_but_keep_a_seed_that_was_set() {
        Run drawn = Run.builder(Network.of(strict(0)), Payload.text("x")).maxSteps(2).start().await();
        assertThat(drawn.predictions()).allSatisfy(p -> assertThat(p.metadata().seed()).isPresent());
        assertThat(strictCalls).allSatisfy(p -> assertThat(p.get("seed")).isPresent());

        strictCalls.clear();
        Run set = Run.builder(Network.of(strict(0).withParameter("seed", 7)), Payload.text("x")).maxSteps(2).start()
                .await();
        assertThat(strictCalls).allSatisfy(p -> assertThat(p.get("seed")).contains(7L));
        assertThat(set.size()).isEqualTo(2);
    }
}
