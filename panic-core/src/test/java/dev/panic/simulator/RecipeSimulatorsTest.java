package dev.panic.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panic.Network;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.Rejection;
import dev.panic.Run;
import dev.panic.RunStatus;
import dev.panic.StopRule;
import dev.panic.exception.ContentRejectedException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The simulators that stand in for language models in the recipes, and the paid, fussy simulator. */
class RecipeSimulatorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void should_move_what_the_caption_missed_to_the_front_and_make_it_large() {
        // given
        String asked = """
                intent: a small red circle, a blue square and a green triangle on a white background
                prompts so far:
                caption: a bright image of a medium blue square in the centre, on a white background
                """;

        // when
        String refined = SimTesting.text(SimTesting.call("refiner", Payload.text(asked)));

        // then
        assertThat(refined).isEqualTo("a large red circle, a large green triangle, a blue square on a white"
                + " background");
    }

    @Test
    void should_give_the_intent_back_when_there_is_no_caption_or_it_names_everything() {
        assertThat(SimTesting.text(SimTesting.call("refiner", Payload.text("intent: a red circle"))))
                .isEqualTo("a red circle");
        assertThat(SimTesting.text(SimTesting.call("refiner",
                Payload.text("intent: a red circle\ncaption: a bright image of a large red circle"))))
                .isEqualTo("a red circle");
    }

    @Test
    void should_bring_a_socratic_loop_to_the_judge_s_yes_with_the_refiner() {
        // given: six shapes, three more than the describer reports, three named by words the painter does not know
        Platforms platforms = Platforms.discover();
        String intent = "a small red circle, a small blue square, a small green triangle, a lighthouse, a fox and a"
                + " moon on a white background";
        String ask = "intent: {initial}\ncaption: {input}";
        Network loop = Network.builder()
                .add(platforms.model("sim:painter"))
                .add(platforms.model("sim:describer"))
                .add(Network.Node.of("refiner", platforms.model("sim:refiner")).withTemplate(ask))
                .build();

        // when
        Run run = Run.builder(loop, Payload.text(intent)).maxSteps(14)
                .stopWhen(StopRule.judge(platforms.model("sim:judge"), ask, "^yes", "describer")).start().await();

        // then: the first caption misses the red circle; the refined prompts bring it and the others in
        List<Prediction> captions = run.predictions().stream().filter(p -> p.node().equals("describer")).toList();
        assertThat(captions).hasSize(3);
        assertThat(((Payload.Text) captions.get(0).output()).text()).doesNotContain("red circle");
        assertThat(captions).extracting(p -> p.verdicts().get(0).stop()).containsExactly(false, false, true);
        assertThat(((Payload.Text) captions.get(2).output()).text()).contains("red circle", "blue square",
                "green triangle");
        assertThat(((Payload.Text) run.predictions().get(2).output()).text())
                .startsWith("a large red circle, a large lighthouse").endsWith("on a white background");
    }

    @Test
    void should_write_a_prompt_as_json_from_the_suggestions_with_as_many_tags_as_the_examples() throws Exception {
        // given
        String asked = """
                Write an image prompt as JSON with the keys title, description and metatags.
                theme: steampunk
                elements: a brass owl; a pocket watch
                environment: a foggy harbour
                examples:
                {"title": "A", "description": "d", "metatags": "one, two, three, four"}
                {"title": "B", "description": "d", "metatags": "one, two"}
                """;

        // when
        String answer = SimTesting.text(SimTesting.call("prompter", Payload.text(asked)));
        String again = SimTesting.text(SimTesting.call("prompter", Payload.text(asked)));

        // then
        JsonNode json = JSON.readTree(answer);
        assertThat(json.get("title").asText()).isEqualTo("Brass Owl in Foggy Harbour");
        assertThat(json.get("description").asText()).startsWith("A brass owl and a pocket watch in a foggy harbour,"
                + " steampunk style, ");
        assertThat(Arrays.stream(json.get("metatags").asText().split(", ")).toList())
                .containsExactly("steampunk", "owl", "watch");
        assertThat(again).isEqualTo(answer);
    }

    @Test
    void should_shuffle_the_words_the_same_way_every_time() {
        String text = "a bright image of a large red circle, on a white background";
        String shuffled = SimTesting.text(SimTesting.call("shuffler", Payload.text(text)));
        assertThat(shuffled).isNotEqualTo(text).doesNotContain(",");
        assertThat(shuffled.split(" ")).containsExactlyInAnyOrder(text.replace(",", "").split(" "));
        assertThat(SimTesting.text(SimTesting.call("shuffler", Payload.text(text)))).isEqualTo(shuffled);
    }

    @Test
    void should_report_the_price_of_a_priced_model_and_refuse_the_words_it_is_told_to() {
        // given
        SimulatorPlatform paid = SimulatorPlatform.builder().price("painter", 0.04).refusing("Storm").build();

        // when
        double cost = paid.model("painter", Parameters.empty()).invoke(Payload.text("a red circle"))
                .metadata().costUsd().orElseThrow();
        double free = paid.model("describer", Parameters.empty())
                .invoke(paid.model("painter", Parameters.empty()).invoke(Payload.text("red")).payload())
                .metadata().costUsd().orElseThrow();

        // then
        assertThat(cost).isCloseTo(0.04, Offset.offset(1e-12));
        assertThat(free).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> paid.model("painter", Parameters.empty())
                        .invokeAsync(Payload.text("a STORM at sea"), Parameters.empty()).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(ContentRejectedException.class)
                .hasMessageContaining("names 'storm'");
    }

    @Test
    void should_let_a_rejection_policy_replace_what_the_pretend_safety_filter_refuses() {
        // given
        SimulatorPlatform fussy = SimulatorPlatform.builder().refusing("storm").build();
        Network net = Network.builder()
                .add(Network.Node.of("painter", fussy.model("painter", Parameters.empty()))
                        .withRejection(Rejection.replace("a calm blue sea")))
                .add("describer", fussy.model("describer", Parameters.empty()))
                .build();

        // when
        Run run = Run.builder(net, Payload.text("a storm")).maxSteps(3).stopWhen(StopRule.exactRepeat()).start()
                .await();

        // then
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        List<Prediction> ps = run.predictions();
        assertThat(ps.get(0).succeeded()).isFalse();
        assertThat(ps.get(0).error().message()).contains("names 'storm'", "replace");
        assertThat(ps.get(1).input()).isEqualTo(Payload.text("a calm blue sea"));
    }
}
