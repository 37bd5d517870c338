package dev.panic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.exception.ValidationException;
import org.junit.jupiter.api.Test;

class NetworkTest {

    private final Model painter = TestModels.model("t:painter", Modality.TEXT, Modality.IMAGE, p -> TestModels.png(1));
    private final Model describer = TestModels.model("t:describer", Modality.IMAGE, Modality.TEXT, p -> Payload.text("x"));
    private final Model speaker = TestModels.model("t:speaker", Modality.TEXT, Modality.AUDIO,
            p -> Payload.audio(new byte[] {1}, "audio/wav"));

    @Test
    void should_build_a_closed_loop_whose_links_match() {
        Network n = Network.builder().add(painter).add(describer).build();

        assertThat(n.size()).isEqualTo(2);
        assertThat(n.input()).isEqualTo(Modality.TEXT);
        assertThat(n.entry().model()).isEqualTo(painter);
        assertThat(n.next("describer")).extracting(Network.Node::model).containsExactly(painter);
        assertThat(n).hasToString("t:painter -> t:describer -> (loop)");
    }

    @Test
    void should_name_the_mismatched_link() {
        assertThatThrownBy(() -> Network.of(painter, describer, painter, speaker))
                .isInstanceOf(ValidationException.class)
                .hasMessage("model 3 't:painter' outputs IMAGE but model 4 't:speaker' takes TEXT");
    }

    @Test
    void should_check_the_link_that_wraps_around() {
        assertThatThrownBy(() -> Network.of(painter, describer, speaker))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("model 3 't:speaker' outputs AUDIO but model 1 't:painter' takes TEXT")
                .hasMessageContaining("closed loop");
    }

    @Test
    void should_accept_a_single_model_that_feeds_itself() {
        Model loop = TestModels.grower();
        assertThat(Network.of(loop).models()).containsExactly(loop);
        assertThatThrownBy(() -> Network.of(painter))
                .hasMessageContaining("model 1 't:painter' outputs IMAGE but model 1 't:painter' takes TEXT");
    }

    @Test
    void should_reject_empty_and_null_networks() {
        assertThatThrownBy(() -> Network.builder().build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("at least one model");
        assertThatThrownBy(() -> Network.builder().add(painter).add((Model) null))
                .isInstanceOf(ValidationException.class).hasMessage("model 2 of the network is null");
        assertThatThrownBy(() -> Network.of((Model[]) null)).isInstanceOf(ValidationException.class);
    }

    @Test
    void should_reject_an_initial_input_the_first_model_does_not_take() {
        Network n = Network.of(painter, describer);
        assertThatThrownBy(() -> Run.builder(n, TestModels.png(2)))
                .isInstanceOf(ValidationException.class)
                .hasMessage("the initial input is IMAGE but model 1 't:painter' takes TEXT");
        assertThatThrownBy(() -> Run.builder(n, null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Run.builder(null, Payload.text("x"))).isInstanceOf(ValidationException.class);
    }
}
