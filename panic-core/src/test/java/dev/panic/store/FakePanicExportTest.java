package dev.panic.store;

import dev.panic.StoredRun;

import dev.panic.RunStore;

import static dev.panic.store.Fixtures.T0;
import static dev.panic.store.Fixtures.completed;
import static dev.panic.store.Fixtures.failed;
import static dev.panic.store.Fixtures.image;
import static dev.panic.store.Fixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.panic.Embedding;
import dev.panic.Payload;
import dev.panic.exception.ValidationException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakePanicExportTest {

    // Python's json module writes and reads bare NaN; so must the reader of the export.
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    @TempDir
    Path tmp;

    private final Payload.Image picture = image(1);
    private final float[] clip = {0.1f, -2.5f, 1.0e-40f, Float.MAX_VALUE, 3.3333333f};
    private final float[] other = {7f, 8f};

    /** Started second: a text-to-image prediction with two embedders, an image-to-text one without, a failure. */
    private StoredRun later() {
        Instant start = T0.plusSeconds(3600);
        Map<String, Embedding> embeddings = new LinkedHashMap<>();
        embeddings.put("sim:clip", Embedding.of(clip));
        embeddings.put("sim:other", Embedding.of(other));
        return new StoredRun(completed("later", Payload.text("a red circle"), start, 3), List.of(
                ok("later", 0, Payload.text("a red circle"), picture, embeddings),
                ok("later", 1, picture, Payload.text("a circle")),
                failed("later", 2, Payload.text("a circle"))), List.of(), List.of());
    }

    /** Started first: one text-to-text prediction. */
    private StoredRun earlier() {
        return new StoredRun(completed("earlier", Payload.text("hello"), T0, 1),
                List.of(ok("earlier", 0, Payload.text("hello"), Payload.text("HELLO"),
                        Map.of("sim:clip", Embedding.of(new float[] {1f, Float.NaN})))), List.of(), List.of());
    }

    private JsonNode export(List<StoredRun> runs, String embedderId) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FakePanicExport.write(runs, embedderId, out);
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void should_key_runs_by_start_time_in_order_and_skip_failed_predictions() throws Exception {
        // when
        JsonNode root = export(List.of(later(), earlier()), null);

        // then
        List<String> keys = new ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly(T0.toString(), T0.plusSeconds(3600).toString());
        JsonNode later = root.get(T0.plusSeconds(3600).toString());
        assertThat(later).hasSize(2);
        assertThat(later).extracting(p -> p.get("seq_no").intValue()).containsExactly(0, 1);
    }

    @Test
    void should_write_seq_no_type_input_and_embedding_of_each_prediction() throws Exception {
        // when
        JsonNode later = export(List.of(later()), null).get(T0.plusSeconds(3600).toString());

        // then
        JsonNode first = later.get(0);
        assertThat(first.get("seq_no").intValue()).isZero();
        assertThat(first.get("type").textValue()).isEqualTo("image");
        assertThat(first.get("input").textValue()).isEqualTo("a red circle");
        assertThat(first.get("embedding").isArray()).isTrue();
        assertThat(floats(first.get("embedding"))).containsExactly(clip);
        JsonNode second = later.get(1);
        assertThat(second.get("type").textValue()).isEqualTo("text");
        assertThat(second.get("input").textValue()).isEqualTo("media/" + picture.data().sha256() + ".png");
        assertThat(second.get("embedding")).isEmpty();
        assertThat(first.size()).as("exactly the four fields of the Fake Panic shape").isEqualTo(4);
    }

    @Test
    void should_take_the_vectors_of_the_chosen_embedder() throws Exception {
        // when
        JsonNode chosen = export(List.of(later()), "sim:other").get(T0.plusSeconds(3600).toString());
        JsonNode absent = export(List.of(later()), "sim:nobody").get(T0.plusSeconds(3600).toString());

        // then
        assertThat(floats(chosen.get(0).get("embedding"))).containsExactly(other);
        assertThat(absent.get(0).get("embedding")).isEmpty();
    }

    @Test
    void should_write_nan_as_python_json_does() throws Exception {
        // when
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FakePanicExport.write(List.of(earlier()), null, out);

        // then
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("[1.0,NaN]");
    }

    @Test
    void should_refuse_two_runs_with_the_same_start_time() {
        // given
        StoredRun twin = new StoredRun(completed("twin", Payload.text("x"), T0, 0), List.of(), List.of(), List.of());

        // when / then
        assertThatThrownBy(() -> FakePanicExport.write(List.of(earlier(), twin), null, new ByteArrayOutputStream()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("earlier")
                .hasMessageContaining("twin");
    }

    @Test
    void should_export_runs_read_back_from_a_store_to_a_file() throws Exception {
        // given
        RunStore store = RunStore.directory(tmp.resolve("runs"));
        StoredRun run = later();
        RunStore.Recorder recorder = store.create(run.info());
        run.predictions().forEach(p -> recorder.append(p, true));
        Path file = tmp.resolve("export/fake-panic.json");

        // when
        FakePanicExport.write(store.runIds().stream().map(store::read).toList(), "sim:clip", file);

        // then
        JsonNode predictions = JSON.readTree(file.toFile()).get(run.info().startedAt().toString());
        assertThat(predictions).hasSize(2);
        String mediaPath = predictions.get(1).get("input").textValue();
        assertThat(tmp.resolve("runs").resolve(run.info().id()).resolve(mediaPath))
                .as("the input path points at the media file in the run folder").exists();
        assertThat(floats(predictions.get(0).get("embedding"))).containsExactly(clip);
    }

    private static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) array.get(i).doubleValue();
        }
        return v;
    }
}
