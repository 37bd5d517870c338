package dev.panic.detection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Network;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.RunEvent;
import dev.panic.RunStatus;
import dev.panic.StopReason;
import dev.panic.StopRule;
import dev.panic.testing.TestEmbedders;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Detectors inside real runs: observe-only, and a simulator loop stopped on its fixed point. */
class DetectionRunTest {

    /** TEXT->TEXT: grows the text by an "x" until it has 4 letters, then always answers the same sentence. */
    private static final Model SETTLER = Model.of(new ModelInfo(ModelId.parse("test:settle"), Modality.TEXT,
            Modality.TEXT, ""), Parameters.empty(), (in, p) -> {
                String s = ((Payload.Text) in).text();
                String out = s.length() < 4 ? s + "x" : "the same words";
                return CompletableFuture.completedFuture(new ModelOutput(Payload.text(out), Metadata.empty()));
            });

    @Test
    void should_record_where_a_detector_would_have_stopped_and_go_on() {
        // given: outputs ax, axx, axxx, then the same sentence from output 3 on
        List<RunEvent> events = new CopyOnWriteArrayList<>();

        // when
        Run run = Run.builder(Network.of(SETTLER), Payload.text("a")).embedWith(TestEmbedders.words("words", 32))
                .observe(Detectors.fixedPoint().build()).maxSteps(10).listener(events::add).start().await();

        // then
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("max-steps");
        assertThat(run.predictions()).hasSize(10);
        assertThat(run.observations()).singleElement().satisfies(o -> {
            assertThat(o.rule()).isEqualTo("fixed-point");
            assertThat(o.patternStart()).hasValue(3);
            assertThat(o.sequence()).hasValue(6);
            assertThat(o.similarity().orElseThrow()).isEqualTo(1.0);
        });
        assertThat(events).filteredOn(e -> e instanceof RunEvent.Observed).hasSize(1);
    }

    @Test
    void should_stop_a_run_on_its_fixed_point_with_the_detector_named() {
        // when
        Run run = Run.builder(Network.of(SETTLER), Payload.text("a")).embedWith(TestEmbedders.words("words", 32))
                .stopWhen(Detectors.fixedPoint().build()).maxSteps(50).start().await();

        // then
        StopReason reason = run.stopReason().orElseThrow();
        assertThat(reason.rule()).isEqualTo("fixed-point");
        assertThat(reason.patternStart()).hasValue(3);
        assertThat(reason.period()).hasValue(1);
        assertThat(run.predictions()).hasSize(7);
    }

    @Test
    void should_stop_a_simulator_painter_describer_loop_on_its_fixed_point() {
        // given: the simulator's painter and describer, a bag-of-words text embedder and a colour-histogram image embedder
        Platforms sim = Platforms.discover();
        Network loop = Network.builder().add(sim.model("sim:painter")).add(sim.model("sim:describer")).build();
        List<RunEvent.Measured> measured = new CopyOnWriteArrayList<>();

        // when
        Run run = Run.builder(loop, Payload.text("a big red circle at the top left and a small blue square on a "
                        + "white background"))
                .embedWith(TestEmbedders.words("words", 64), TestEmbedders.colours("colours"))
                .stopWhen(Detectors.fixedPoint().build())
                .observe(StopRule.exactRepeat())
                .maxSteps(60)
                .listener(e -> {
                    if (e instanceof RunEvent.Measured m) {
                        measured.add(m);
                    }
                })
                .start().await();

        // then
        StopReason reason = run.stopReason().orElseThrow();
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(reason.rule()).isEqualTo("fixed-point");
        assertThat(reason.period()).hasValue(2);
        assertThat(reason.sequence()).hasValue(run.predictions().size() - 1);
        assertThat(run.predictions().size() - 1).isLessThan(59);
        // images carry only the image vector, texts only the text vector
        for (Prediction p : run.predictions()) {
            assertThat(p.embeddings()).containsOnlyKeys(p.output() instanceof Payload.Image ? "colours" : "words");
        }
        // the loop repeats itself exactly too, no later than the detector's streak began
        assertThat(run.observations()).singleElement().satisfies(o -> {
            assertThat(o.rule()).isEqualTo("exact-repeat");
            assertThat(o.sequence().getAsInt()).isLessThanOrEqualTo(reason.sequence().getAsInt());
        });
        // and the live measures agree: the last steps of the fixed point are similarity 1 to the one before
        assertThat(measured).hasSize(run.predictions().size());
        assertThat(measured.get(measured.size() - 1).similarities()).singleElement()
                .satisfies(s -> assertThat(s.toPrevious()).hasValue(1.0));
    }
}
