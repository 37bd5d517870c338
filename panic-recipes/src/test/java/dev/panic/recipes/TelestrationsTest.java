package dev.panic.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.ModelId;
import dev.panic.Pacing;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.RunSpec;
import dev.panic.RunStatus;
import dev.panic.exception.ValidationException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelestrationsTest {

    private final Platforms platforms = Platforms.discover();

    private static void waitFor(Run run, int predictions) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (run.size() < predictions && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(run.size()).isGreaterThanOrEqualTo(predictions);
    }

    @Test
    void should_play_for_ever_with_the_prefix_and_take_edits_while_it_runs() throws Exception {
        // given
        Telestrations game = Telestrations.builder(platforms).prefix("a {bold} drawing of")
                .pacing(Pacing.fixed(Duration.ofMillis(30))).build();
        RunSpec spec = game.spec("a red circle");
        assertThat(spec.forever()).isTrue();
        Run run = game.prepare("a red circle").start();
        Telestrations.Session session = game.session(run);
        waitFor(run, 2);

        // when: a new prefix, another caption model, a new prompt, then quit
        String said = session.apply("prefix: a blue square and");
        int after = run.size();
        waitFor(run, after + 4);
        session.apply("model caption=sim:describer");
        session.apply("prompt: a green triangle");
        int injected = run.size();
        waitFor(run, injected + 3);
        assertThat(session.apply("status")).contains("revision 3", "image sim:painter");
        assertThat(session.apply("quit")).contains("stopping");
        run.await();

        // then
        assertThat(said).isEqualTo("revision 1: prefix changed");
        assertThat(session.quit()).isTrue();
        assertThat(run.status()).isEqualTo(RunStatus.STOPPED);
        List<Prediction> ps = run.predictions();
        assertThat(ps.get(0).input()).isEqualTo(Payload.text("a {bold} drawing of a red circle"));
        Prediction late = ps.stream().filter(p -> p.node().equals(Telestrations.IMAGE) && p.revision() == 1)
                .findFirst().orElseThrow();
        assertThat(((Payload.Text) late.input()).text()).startsWith("a blue square and a ");
        assertThat(ps.stream().filter(p -> p.node().equals(Telestrations.IMAGE) && p.revision() == 3))
                .first().extracting(p -> ((Payload.Text) p.input()).text())
                .isEqualTo("a blue square and a green triangle");
    }

    @Test
    void should_refuse_what_is_not_an_edit_or_would_break_the_loop_and_change_nothing() {
        Telestrations game = Telestrations.builder(platforms).maxSteps(4).pacing(Pacing.none()).build();
        Run run = game.prepare("a red circle").pacing(Pacing.fixed(Duration.ofMillis(50))).start();
        Telestrations.Session session = game.session(run);
        assertThatThrownBy(() -> session.apply("make it pretty")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("prefix: TEXT");
        assertThatThrownBy(() -> session.apply("model caption=sim:contrarian")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("takes TEXT");
        assertThat(session.apply("  ")).isEmpty();
        run.await();
        assertThat(run.revision()).isZero();
        assertThat(run.size()).isEqualTo(4);
    }

    @Test
    void should_send_the_caption_side_s_texts_in_the_parameters_each_platform_reads() {
        assertThat(Telestrations.captionParameters(ModelId.parse("ollama:llava"), "be brief", "what is it?").asMap())
                .containsEntry("system", "be brief").containsEntry("prompt", "what is it?");
        assertThat(Telestrations.captionParameters(ModelId.parse("openai:vision/gpt-4o-mini"), "be brief", "look")
                .asMap()).containsEntry("system_prompt", "be brief").containsEntry("instruction", "look");
        assertThat(Telestrations.captionParameters(ModelId.parse("replicate:yorickvp/llava-13b"), "be brief", "look")
                .asMap()).containsEntry("prompt", "be brief\nlook");
        assertThat(Telestrations.captionParameters(ModelId.parse("sim:describer"), "be brief", "look").isEmpty()).isTrue();
        assertThat(Telestrations.captionParameters(ModelId.parse("replicate:salesforce/blip"), "x", "y").isEmpty())
                .isTrue();
    }
}
