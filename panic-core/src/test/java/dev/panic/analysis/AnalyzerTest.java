package dev.panic.analysis;

import static dev.panic.testing.Trajectories.random;
import static dev.panic.testing.Trajectories.turn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panic.Embedding;
import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Network;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.Similarity;
import dev.panic.StopReason;
import dev.panic.detection.Detectors;
import dev.panic.exception.NotFoundException;
import dev.panic.RunStore;
import dev.panic.testing.TestEmbedders;
import dev.panic.testing.Trajectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzerTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @TempDir
    Path dir;

    /**
     * A painter/describer-like run of 40 outputs: images (even) embedded by "img", settled on one
     * picture from output 10; texts (odd) embedded by "txt", drifting in small steps.
     */
    private static Trajectory paintAndDescribe() {
        Random r = new Random(3);
        float[] picture = random(r);
        float[] text = random(r);
        List<Prediction> ps = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            if (n % 2 == 0) {
                float[] v = n < 10 ? random(r) : turn(picture, 0.995, r);
                ps.add(new Prediction("r1", n, "paint", ModelId.parse("t:paint"), Payload.text("in"),
                        Payload.image(new byte[] {(byte) n}, "image/png"), T0.plusSeconds(n), T0.plusSeconds(n + 1),
                        Metadata.empty(), Map.of("img", Embedding.of(v)), null, 0));
            } else {
                text = turn(text, 0.96, r);
                ps.add(new Prediction("r1", n, "describe", ModelId.parse("t:describe"), Payload.image(new byte[] {(byte) (n - 1)},
                        "image/png"), Payload.text("text " + n), T0.plusSeconds(n), T0.plusSeconds(n + 1),
                        Metadata.empty(), Map.of("txt", Embedding.of(text)), null, 0));
            }
        }
        return new Trajectory("r1", List.of(ModelId.parse("t:paint"), ModelId.parse("t:describe")), ps);
    }

    @Test
    void should_analyse_each_modality_in_its_own_embedder_s_space() {
        // given
        Trajectory t = paintAndDescribe();

        // when
        RunAnalysis a = Analyzer.defaults().analyse(t);

        // then
        assertThat(a.runId()).isEqualTo("r1");
        assertThat(a.predictions()).isEqualTo(40);
        assertThat(a.series()).extracting(SeriesAnalysis::modality, SeriesAnalysis::embedderId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Modality.IMAGE, "img"),
                        org.assertj.core.groups.Tuple.tuple(Modality.TEXT, "txt"));
        SeriesAnalysis images = a.series(Modality.IMAGE, "img").orElseThrow();
        assertThat(images.similarities()).extracting(Similarity::sequence)
                .containsExactlyElementsOf(List.of(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34,
                        36, 38));
        // the drift curve and step similarities are the cosines with the first and previous image
        Prediction p0 = t.predictions().get(0);
        for (Similarity s : images.similarities()) {
            Embedding v = t.predictions().get(s.sequence()).embeddings().get("img");
            assertThat(s.toOrigin().orElseThrow()).isCloseTo(v.cosine(p0.embeddings().get("img")), within(1e-9));
            if (s.sequence() > 0) {
                assertThat(s.toPrevious().orElseThrow()).isCloseTo(v.cosine(
                        t.predictions().get(s.sequence() - 2).embeddings().get("img")), within(1e-9));
            }
        }
        assertThat(images.driftCurve()).hasSize(20);
        assertThat(images.stepSimilarities()[0]).isNaN();
        // the full matrix, symmetric, 1 on the diagonal
        SimilarityMatrix m = images.matrix();
        assertThat(m.size()).isEqualTo(20);
        assertThat(m.sampled()).isFalse();
        assertThat(m.get(3, 7)).isEqualTo(m.get(7, 3));
        assertThat(m.get(5, 5)).isEqualTo(1.0);
        // the images settled on a picture from output 10; the texts drift away
        assertThat(a.event("fixed-point")).hasValueSatisfying(e -> {
            assertThat(e.patternStart()).hasValue(10);
            assertThat(e.period()).hasValue(2);
        });
        assertThat(a.event("drift")).hasValueSatisfying(e -> assertThat(e.message()).contains("t:describe"));
        assertThat(a.events()).extracting(e -> e.sequence().getAsInt()).isSorted();
        SeriesAnalysis texts = a.series(Modality.TEXT, "txt").orElseThrow();
        assertThat(texts.decay().rate()).isPositive();
        assertThat(texts.decay().floor()).isLessThan(0.5);
    }

    @Test
    void should_sample_the_matrix_evenly_when_the_run_is_longer_than_the_matrix_size() {
        // given
        Random r = new Random(4);
        List<Prediction> ps = Trajectories.predictions(1, "e", Trajectories.of(1000, n -> random(r)));
        Trajectory t = new Trajectory("run", Trajectories.ids(1), ps);

        // when
        SimilarityMatrix m = Analyzer.defaults().withMatrixSize(50).withRules().analyse(t).series().get(0).matrix();

        // then
        assertThat(m.sampled()).isTrue();
        assertThat(m.size()).isEqualTo(50);
        assertThat(m.sequences().get(0)).isZero();
        assertThat(m.sequences().get(49)).isEqualTo(999);
        assertThat(m.sequences()).isSorted().doesNotHaveDuplicates();
        int a = m.sequences().get(10);
        int b = m.sequences().get(33);
        assertThat(m.get(10, 33)).isCloseTo(ps.get(a).embeddings().get("e").cosine(ps.get(b).embeddings().get("e")),
                within(1e-9));
    }

    @Test
    void should_find_the_same_events_afterwards_as_observe_only_rules_during_the_run() {
        // given: a loop that settles on one sentence at output 3, observed by every detector
        Model settler = Model.of(new ModelInfo(ModelId.parse("test:settle"), Modality.TEXT, Modality.TEXT, ""),
                Parameters.empty(), (in, p) -> {
                    String s = ((Payload.Text) in).text();
                    return CompletableFuture.completedFuture(new ModelOutput(
                            Payload.text(s.length() < 4 ? s + "x" : "the same words"), Metadata.empty()));
                });
        Run.Builder b = Run.builder(Network.of(settler), Payload.text("a")).embedWith(TestEmbedders.words("w", 32))
                .maxSteps(12);
        Detectors.defaults().forEach(b::observe);
        Run run = b.start().await();

        // when
        RunAnalysis a = RunAnalysis.of(run);

        // then
        assertThat(run.observations()).isNotEmpty();
        assertThat(a.events()).containsExactlyInAnyOrderElementsOf(run.observations());
    }

    @Test
    void should_save_the_analysis_beside_the_run() throws Exception {
        // given
        RunStore store = RunStore.directory(dir);
        Model settler = Model.of(new ModelInfo(ModelId.parse("test:settle"), Modality.TEXT, Modality.TEXT, ""),
                Parameters.empty(), (in, p) -> CompletableFuture.completedFuture(new ModelOutput(
                        Payload.text("the same words"), Metadata.empty())));
        Run run = Run.builder(Network.of(settler), Payload.text("a")).embedWith(TestEmbedders.words("w", 32))
                .maxSteps(6).store(store).start().await();
        RunAnalysis analysis = RunAnalysis.of(store.read(run.id()));

        // when
        analysis.saveTo(store);

        // then
        JsonNode json = new ObjectMapper().readTree(Files.readAllBytes(dir.resolve(run.id()).resolve("analysis.json")));
        assertThat(json.get("run_id").asText()).isEqualTo(run.id());
        assertThat(json.get("predictions").asInt()).isEqualTo(6);
        // exact-repeat fires at output 1, fixed-point at output 3, both from output 0
        assertThat(json.get("events")).extracting(e -> e.get("rule").asText())
                .containsExactly("exact-repeat", "normalised-repeat", "fixed-point");
        assertThat(json.get("events").get(2).get("pattern_start").asInt()).isZero();
        assertThat(json.get("events").get(2).get("sequence").asInt()).isEqualTo(3);
        JsonNode series = json.get("series").get(0);
        assertThat(series.get("modality").asText()).isEqualTo("text");
        assertThat(series.get("embedder").asText()).isEqualTo("w");
        assertThat(series.get("drift").get("to_origin")).hasSize(6);
        assertThat(series.get("drift").get("to_previous").get(0).isNull()).isTrue();
        assertThat(series.get("drift").get("to_previous").get(1).asDouble()).isEqualTo(1.0);
        assertThat(series.get("decay_fit").get("floor").asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(series.get("similarity_matrix").get("values")).hasSize(6);
        assertThat(series.get("similarity_matrix").get("sampled").asBoolean()).isFalse();
    }

    @Test
    void should_refuse_to_save_the_analysis_of_a_run_the_store_does_not_have() {
        // given
        RunStore store = RunStore.directory(dir);
        RunAnalysis orphan = new RunAnalysis("no-such-run", 0, List.of(), List.of(), List.of());

        // when / then
        assertThatThrownBy(() -> orphan.saveTo(store)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no-such-run");
    }
}
