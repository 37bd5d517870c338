package dev.panic.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.Bytes;
import dev.panic.Change;
import dev.panic.Embedding;
import dev.panic.Lineage;
import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.ModelId;
import dev.panic.Network;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.Run;
import dev.panic.RunEvent;
import dev.panic.RunInfo;
import dev.panic.RunSpec;
import dev.panic.RunStatus;
import dev.panic.Similarity;
import dev.panic.StopReason;
import dev.panic.StopRule;
import dev.panic.exception.ValidationException;
import dev.panic.testing.TestEmbedders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RunJsonTest {

    private static final Instant T = Instant.parse("2025-05-01T12:00:00.123Z");
    private static final Platforms SIM = Platforms.discover();

    /** Media kept by digest, as a frontend's cache or a server would keep it. */
    private final Map<String, Bytes> media = new HashMap<>();
    private final List<String> loaded = new ArrayList<>();
    private final RunJson json = RunJson.builder()
            .mediaUrls((run, sha, type) -> java.util.Optional.of("/media/" + run + "/" + sha))
            .mediaLoader((sha, type, url) -> {
                loaded.add(url);
                return media.get(sha);
            })
            .build();

    private Payload.Image image(int seed) {
        byte[] b = new byte[4096];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * seed);
        }
        Payload.Image p = new Payload.Image(Bytes.of(b), "image/png", new Payload.Image.Size(64, 48));
        media.put(p.data().sha256(), p.data());
        return p;
    }

    private Payload.Audio audio() {
        Payload.Audio p = new Payload.Audio(Bytes.of(new byte[] {'R', 'I', 'F', 'F', 1, 2, 3}), "audio/wav",
                Duration.ofMillis(2500));
        media.put(p.data().sha256(), p.data());
        return p;
    }

    private Prediction prediction(String run, int seq, Payload in, Payload out) {
        Map<String, Embedding> vectors = new LinkedHashMap<>();
        vectors.put("minilm", Embedding.of(new float[] {0.25f, -0.0f, Float.MIN_VALUE, 1e-3f}));
        return new Prediction(run, seq, "painter", ModelId.parse("sim:painter"), in, out, T, T.plusMillis(1500),
                Metadata.builder().parameters(Parameters.of("size", 256)).seed(42L).modelVersion("v1")
                        .platformPredictionId("p-1").predictTime(Duration.ofMillis(1200)).costUsd(0.003).build(),
                vectors, null, 2);
    }

    private List<RunEvent> everyEventType() {
        Network net = SIM.network("sim:painter", "sim:describer");
        Network fan = Network.builder()
                .add("intro", SIM.model("sim:drifter"))
                .add(Network.Node.of("painter", SIM.model("sim:painter", Parameters.of("size", 128)))
                        .withTemplate("a watercolour of {input}"))
                .add("describer", SIM.model("sim:describer"))
                .add("rewriter", SIM.model("sim:contrarian"))
                .link("intro", "painter").link("painter", "describer").link("describer", "rewriter")
                .link("describer", "painter").link("rewriter", "intro")
                .entry("intro")
                .build();
        Prediction failed = new Prediction("run-1", 4, "describer", ModelId.parse("sim:describer"), image(3), null, T,
                T.plusSeconds(2), Metadata.empty(), Map.of(), new Prediction.Failure("TimeoutException",
                "no answer within PT1M"), 0);
        return List.of(
                new RunEvent.Started("run-1", net, Payload.text("a red circle"), T, 0, null),
                new RunEvent.Started("fork-1", fan, Payload.text("dawn"), T, 5,
                        Optional.of(new Lineage("run-1", 4, true))),
                new RunEvent.PredictionStarted("run-1", 0, "painter", ModelId.parse("sim:painter"),
                        Payload.text("a red circle"), T, 0),
                new RunEvent.PredictionStarted("run-1", 1, "describer", ModelId.parse("sim:describer"), image(1), T, 3),
                new RunEvent.PartialOutput("run-1", 1, ModelId.parse("ollama:llava"), "a red ci"),
                new RunEvent.PredictionMade("run-1", prediction("run-1", 0, Payload.text("a red circle"), image(2))),
                new RunEvent.PredictionMade("run-1", prediction("run-0", 3, Payload.text("a song"), audio())),
                new RunEvent.PredictionFailed("run-1", failed),
                new RunEvent.EmbeddingFailed("run-1", 2, "image-descriptor", "timed out after PT2M"),
                new RunEvent.Measured("run-1", 2, List.of(
                        new Similarity("minilm", 2, 1, OptionalInt.of(0), OptionalDouble.of(0.875), 0, OptionalDouble.of(0.875)),
                        new Similarity("clip", 2, 0, null, null, 2, null))),
                new RunEvent.Observed("run-1", StopReason.pattern("cycle", "a cycle of period 2", 7, 3, 2, 0.97)),
                new RunEvent.Steered("run-1", new Revision(1, T, 3, List.of(
                        Change.template("painter", "an oil painting of {input}"),
                        Change.parameters("painter", Parameters.of("size", 64)),
                        Change.parameterTemplate("describer", "prompt", "say {last:painter}"),
                        Change.model("describer", SIM.model("sim:contrarian")),
                        Change.inject("painter", Payload.text("a blue square")),
                        Change.inject(image(9)),
                        Change.maxSteps(30), Change.maxDuration(Duration.ofMinutes(5)),
                        Change.pause(), Change.unpause()))),
                new RunEvent.Branched("run-1", "run-1-b1", 5, "describer", "rewriter"),
                new RunEvent.BranchSkipped("run-1", 6, "describer", "rewriter", "8 branches are live, the limit"),
                new RunEvent.Finished("run-1", RunStatus.COMPLETED,
                        StopReason.of("max-steps", "reached the limit of 20 predictions", 19), T.plusSeconds(60)));
    }

    @Test
    void should_round_trip_every_event_type() {
        List<RunEvent> events = everyEventType();
        Set<Class<?>> covered = events.stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrder(RunEvent.class.getPermittedSubclasses());

        for (RunEvent e : events) {
            String text = json.write(e);
            RunEvent back = json.readEvent(text);
            if (e instanceof RunEvent.Started s) {
                // The models of a network read back are descriptions: same ids, modalities, parameters and shape.
                RunEvent.Started b = (RunEvent.Started) back;
                assertThat(RunSpec.NetworkSpec.of(b.network())).isEqualTo(RunSpec.NetworkSpec.of(s.network()));
                assertThat(b.network().models()).extracting(m -> m.info().modalities())
                        .isEqualTo(s.network().models().stream().map(m -> m.info().modalities()).toList());
                assertThat(b.network().isRing()).isEqualTo(s.network().isRing());
                assertThat(new RunEvent.Started(b.runId(), s.network(), b.input(), b.at(), b.firstSequence(),
                        b.parent())).isEqualTo(s);
            } else {
                assertThat(back).as(text).isEqualTo(e);
            }
            assertThat(json.write(back)).as("written again").isEqualTo(text);
        }
    }

    @Test
    void should_name_media_by_hash_and_url_never_inline() throws Exception {
        Payload.Image picture = image(7);
        RunEvent made = new RunEvent.PredictionMade("run-1", prediction("run-1", 0, Payload.text("x"), picture));

        JsonNode tree = new ObjectMapper().readTree(json.write(made));

        JsonNode out = tree.at("/prediction/output");
        assertThat(out.get("modality").asText()).isEqualTo("image");
        assertThat(out.get("media_type").asText()).isEqualTo("image/png");
        assertThat(out.get("sha256").asText()).isEqualTo(picture.data().sha256());
        assertThat(out.get("size").asInt()).isEqualTo(4096);
        assertThat(out.get("width").asInt()).isEqualTo(64);
        assertThat(out.get("url").asText()).isEqualTo("/media/run-1/" + picture.data().sha256());
        assertThat(out.has("data")).isFalse();
        assertThat(out.has("file")).isFalse();
        assertThat(json.write(made).length()).isLessThan(2000);
        assertThat(tree.get("format").asInt()).isEqualTo(RunJson.FORMAT);
        assertThat(tree.get("type").asText()).isEqualTo("prediction_made");
    }

    @Test
    void should_load_media_read_back_only_when_it_is_read() {
        Payload.Image picture = image(5);
        String text = json.write(new RunEvent.PredictionStarted("run-2", 1, "describer",
                ModelId.parse("sim:describer"), picture, T, 0));

        Payload.Image back = (Payload.Image) ((RunEvent.PredictionStarted) json.readEvent(text)).input();

        assertThat(loaded).isEmpty();
        assertThat(back.data().toByteArray()).isEqualTo(picture.data().toByteArray());
        assertThat(loaded).containsExactly("/media/run-2/" + picture.data().sha256());
    }

    @Test
    void should_give_a_fork_s_inherited_media_the_parent_s_url() throws Exception {
        Payload.Image picture = image(11);
        RunEvent made = new RunEvent.PredictionMade("fork-1", prediction("run-1", 0, Payload.text("x"), picture));

        JsonNode out = new ObjectMapper().readTree(json.write(made)).at("/prediction/output/url");

        assertThat(out.asText()).isEqualTo("/media/run-1/" + picture.data().sha256());
    }

    @Test
    void should_leave_out_vectors_when_asked() {
        RunJson lean = RunJson.builder().embeddings(false).build();
        Prediction p = prediction("run-1", 0, Payload.text("a"), Payload.text("b"));

        String text = lean.write(p);

        assertThat(text).doesNotContain("embeddings");
        assertThat(lean.readPrediction(text)).isEqualTo(p.withEmbeddings(Map.of()));
        assertThat(json.readPrediction(json.write(p))).isEqualTo(p);
    }

    @Test
    void should_round_trip_the_state_and_predictions_of_a_real_run() {
        List<RunEvent> seen = Collections.synchronizedList(new ArrayList<>());
        Run run = Run.builder(SIM.network("sim:painter", "sim:describer"), Payload.text("a red circle"))
                .maxSteps(6)
                .stopWhen(StopRule.exactRepeat())
                .embedWith(TestEmbedders.words("words", 16), TestEmbedders.colours("colours"))
                .listener(seen::add)
                .start()
                .await();
        run.predictions().forEach(p -> {
            if (p.output() instanceof Payload.Image i) {
                media.put(i.data().sha256(), i.data());
            }
        });

        RunInfo info = run.info();
        assertThat(json.readInfo(json.write(info))).isEqualTo(info);
        for (Prediction p : run.predictions()) {
            assertThat(json.readPrediction(json.write(p))).isEqualTo(p);
        }
        List<String> types = new ArrayList<>();
        synchronized (seen) {
            for (RunEvent e : seen) {
                String text = json.write(e);
                types.add(json.toTree(e).get("type").asText());
                if (!(e instanceof RunEvent.Started)) {
                    assertThat(json.readEvent(text)).isEqualTo(e);
                }
            }
        }
        assertThat(types).contains("started", "prediction_started", "prediction_made", "measured", "finished");
    }

    @Test
    void should_keep_minus_one_on_the_wire_for_a_reason_before_any_prediction() {
        RunEvent before = new RunEvent.Finished("run-1", RunStatus.STOPPED,
                StopReason.of("stop", "stopped on request", OptionalInt.empty()), T);

        String text = json.write(before);

        assertThat(text).contains("\"sequence\":-1");
        RunEvent.Finished back = (RunEvent.Finished) json.readEvent(text);
        assertThat(back.reason().sequence()).isEmpty();
        assertThat(back).isEqualTo(before);
        assertThatThrownBy(() -> StopReason.of("stop", "stopped on request", -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leave it empty");
    }

    @Test
    void should_let_a_plain_object_mapper_write_and_read_events_with_the_module() throws Exception {
        ObjectMapper mapper = new ObjectMapper().registerModule(json.module());
        RunEvent e = new RunEvent.Observed("run-1", StopReason.of("exact-repeat", "output 2 repeats output 0", 2));
        Payload.Image picture = image(4);

        String text = mapper.writeValueAsString(List.of(e, picture));

        assertThat(text).startsWith("[{\"format\":1,\"type\":\"observed\"").contains("\"sha256\":\""
                + picture.data().sha256());
        assertThat(mapper.readValue(mapper.writeValueAsString(e), RunEvent.class)).isEqualTo(e);
        assertThat(mapper.readValue(mapper.writeValueAsString(picture), Payload.class)).isEqualTo(picture);
    }

    @Test
    void should_refuse_what_it_cannot_read_with_a_reason() {
        assertThatThrownBy(() -> json.readEvent("{\"type\":\"exploded\",\"run_id\":\"r\"}"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("unknown event type 'exploded'");
        assertThatThrownBy(() -> json.readEvent("{\"format\":99,\"type\":\"observed\",\"run_id\":\"r\"}"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("format 99");
        assertThatThrownBy(() -> json.readEvent("{\"type\":\"branched\",\"run_id\":\"r\"}"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("'branch_id' is missing");
        assertThatThrownBy(() -> json.readEvent("not json"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void should_read_a_payload_given_inline_as_data() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("media_type", "image/png");
        n.put("data", java.util.Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));

        Payload p = json.readPayload(n);

        assertThat(p.modality()).isEqualTo(Modality.IMAGE);
        assertThat(((Payload.Image) p).data().toByteArray()).containsExactly(1, 2, 3);
    }
}
