package dev.panic.store;

import dev.panic.StoredRun;

import dev.panic.RunStore;

import static dev.panic.store.Fixtures.T0;
import static dev.panic.store.Fixtures.completed;
import static dev.panic.store.Fixtures.failed;
import static dev.panic.store.Fixtures.image;
import static dev.panic.store.Fixtures.ok;
import static dev.panic.store.Fixtures.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panic.Embedding;
import dev.panic.Metadata;
import dev.panic.ModelId;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.RunInfo;
import dev.panic.RunStatus;
import dev.panic.StopReason;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the directory store does: its files, lines, locks and folders. The rest is {@link RunStoreContract}. */
class DirectoryRunStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path root() {
        return tmp.resolve("runs"); // not created: the store must create it
    }

    @Test
    void should_store_embeddings_as_base64_little_endian_float32_not_as_decimal_text() throws IOException {
        // given
        RunStore store = RunStore.directory(root());
        RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0));

        // when
        recorder.append(ok("r1", 0, Payload.text("x"), Payload.text("y"), Map.of("e", Embedding.of(new float[] {1.0f, -0.0f}))),
                true);

        // then: 1.0f is 0x3F800000 and -0.0f is 0x80000000, little-endian
        JsonNode line = JSON.readTree(Files.readAllLines(root().resolve("r1/predictions.jsonl")).get(0));
        assertThat(line.get("embeddings").get("e").textValue()).isEqualTo("AACAPwAAAIA=");
    }

    @Test
    void should_write_each_media_content_once_named_by_sha256_with_its_extension() throws IOException {
        // given
        RunStore store = RunStore.directory(root());
        Payload.Image picture = image(7);
        Payload.Audio sound = Fixtures.audio(8);
        RunStore.Recorder recorder = store.create(running("r1", Payload.text("go"), T0));
        recorder.append(ok("r1", 0, Payload.text("go"), picture), true);
        Path pictureFile = root().resolve("r1/media/" + picture.data().sha256() + ".png");
        Object fileKeyBefore = Files.readAttributes(pictureFile, BasicFileAttributes.class).fileKey();

        // when: the same picture comes back as an input and again as an output
        recorder.append(ok("r1", 1, picture, Payload.text("a picture")), true);
        recorder.append(ok("r1", 2, Payload.text("a picture"), image(7)), true);
        recorder.append(ok("r1", 3, image(7), Payload.text("again")), true);
        recorder.append(ok("r1", 4, Payload.text("again"), sound), true);

        // then
        try (Stream<Path> files = Files.list(root().resolve("r1/media"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    picture.data().sha256() + ".png", sound.data().sha256() + ".wav");
        }
        assertThat(Files.readAllBytes(pictureFile)).isEqualTo(picture.data().toByteArray());
        assertThat(Files.readAllBytes(root().resolve("r1/media/" + sound.data().sha256() + ".wav")))
                .isEqualTo(sound.data().toByteArray());
        assertThat(Files.readAttributes(pictureFile, BasicFileAttributes.class).fileKey())
                .as("the file is not replaced when the same content comes again").isEqualTo(fileKeyBefore);
        JsonNode first = JSON.readTree(Files.readAllLines(root().resolve("r1/predictions.jsonl")).get(0));
        assertThat(first.get("output").get("file").textValue()).isEqualTo("media/" + picture.data().sha256() + ".png");
        assertThat(first.get("output").get("media_type").textValue()).isEqualTo("image/png");
    }

    @Test
    void should_keep_each_run_folder_self_contained_when_two_runs_share_media() {
        // given
        RunStore store = RunStore.directory(root());
        Payload.Image initial = image(3);
        RunStore.Recorder a = store.create(running("a", initial, T0));
        RunStore.Recorder b = store.create(running("b", initial, T0.plusSeconds(1)));

        // when
        a.append(ok("a", 0, initial, Payload.text("seen by a")), true);
        b.append(ok("b", 0, initial, Payload.text("seen by b")), true);

        // then
        String name = initial.data().sha256() + ".png";
        assertThat(root().resolve("a/media/" + name)).exists();
        assertThat(root().resolve("b/media/" + name)).exists();
    }

    @Test
    void should_have_the_line_on_disk_when_append_returns() throws IOException {
        // given
        RunStore store = RunStore.directory(root());
        RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0));

        // when
        recorder.append(ok("r1", 0, Payload.text("x"), Payload.text("X")), true);

        // then: read with a separate file handle, before update() closes anything
        String content = Files.readString(root().resolve("r1/predictions.jsonl"));
        assertThat(content).endsWith("\n");
        assertThat(content.lines()).hasSize(1);
        JsonNode line = JSON.readTree(content);
        assertThat(line.get("sequence").intValue()).isZero();
        assertThat(line.get("output").get("text").textValue()).isEqualTo("X");
        assertThat(store.read("r1").predictions()).hasSize(1);
    }

    @Test
    void should_skip_a_cut_short_last_line_and_warn_naming_it() throws IOException {
        // given: three saved predictions and then half of a fourth, as a crash mid-write leaves it
        RunStore store = RunStore.directory(root());
        RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0));
        for (int i = 0; i < 3; i++) {
            recorder.append(ok("r1", i, Payload.text("in " + i), Payload.text("out " + i)), true);
        }
        Path file = root().resolve("r1/predictions.jsonl");
        String whole = Files.readAllLines(file).get(2).replace("\"sequence\":2", "\"sequence\":3");
        Files.write(file, whole.substring(0, whole.length() / 2).getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        // when
        StoredRun back = store.read("r1");

        // then
        assertThat(back.predictions()).extracting(Prediction::sequence).containsExactly(0, 1, 2);
        assertThat(back.warnings()).singleElement().asString().contains("line 4", file.toString(), "cut short");
    }

    @Test
    void should_keep_a_complete_last_line_that_only_lacks_its_newline_and_warn() throws IOException {
        // given
        RunStore store = RunStore.directory(root());
        RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0));
        recorder.append(ok("r1", 0, Payload.text("a"), Payload.text("b")), true);
        recorder.append(ok("r1", 1, Payload.text("b"), Payload.text("c")), true);
        Path file = root().resolve("r1/predictions.jsonl");
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length - 1)); // drop the final '\n'

        // when
        StoredRun back = store.read("r1");

        // then
        assertThat(back.predictions()).extracting(Prediction::sequence).containsExactly(0, 1);
        assertThat(back.warnings()).singleElement().asString().contains("line 2", "no final newline");
    }

    @Test
    void should_skip_a_damaged_line_anywhere_and_read_the_rest_naming_the_line() throws IOException {
        // given
        RunStore store = RunStore.directory(root());
        RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0));
        for (int i = 0; i < 4; i++) {
            recorder.append(ok("r1", i, Payload.text("in " + i), Payload.text("out " + i)), true);
        }
        Path file = root().resolve("r1/predictions.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(1, lines.get(1).substring(0, 20));
        lines.add(2, "\u0000\u0000\u0000\u0000");
        Files.write(file, lines);

        // when
        StoredRun back = store.read("r1");

        // then
        assertThat(back.predictions()).extracting(Prediction::sequence).containsExactly(0, 2, 3);
        assertThat(back.warnings()).hasSize(2);
        assertThat(back.warnings().get(0)).contains("line 2 of " + file, "damaged", "skipped");
        assertThat(back.warnings().get(1)).contains("line 3 of " + file, "NUL bytes");
    }

    @Test
    void should_skip_a_line_that_is_json_but_not_a_prediction_naming_it() throws IOException {
        // given
        RunStore store = RunStore.directory(root());
        RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0));
        recorder.append(ok("r1", 0, Payload.text("x"), Payload.text("y")), true);
        Path file = root().resolve("r1/predictions.jsonl");
        Files.writeString(file, "{\"run_id\":\"r1\",\"sequence\":1}\n", java.nio.file.StandardOpenOption.APPEND);

        // when
        StoredRun back = store.read("r1");

        // then
        assertThat(back.predictions()).extracting(Prediction::sequence).containsExactly(0);
        assertThat(back.warnings()).singleElement().asString().contains("line 2 of " + file, "'input' is missing");
    }

    @Test
    void should_skip_a_prediction_whose_media_file_is_missing_naming_the_file_and_the_remedy() throws IOException {
        // given
        RunStore store = RunStore.directory(root());
        Payload.Image picture = image(5);
        Payload.Image other = image(6);
        RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0));
        recorder.append(ok("r1", 0, Payload.text("x"), picture), true);
        recorder.append(ok("r1", 1, picture, Payload.text("y")), true);
        recorder.append(ok("r1", 2, Payload.text("y"), other), true);
        Path media = root().resolve("r1/media/" + picture.data().sha256() + ".png");
        Files.delete(media);
        Path damaged = root().resolve("r1/media/" + other.data().sha256() + ".png");
        Files.write(damaged, new byte[] {1, 2, 3});

        // when
        StoredRun back = store.read("r1");

        // then: the two predictions that use the missing picture and the one with the damaged picture are skipped
        assertThat(back.predictions()).isEmpty();
        assertThat(back.warnings()).hasSize(3);
        assertThat(back.warnings().get(0)).contains("line 1 of", media.toString(), "is missing",
                "copy the run folder whole");
        assertThat(back.warnings().get(2)).contains("line 3 of", damaged.toString(), "damaged");
    }

    @Test
    void should_fail_when_media_changed_in_place_is_read() throws IOException {
        // given
        RunStore store = RunStore.directory(root());
        Payload.Image picture = image(5);
        RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0));
        recorder.append(ok("r1", 0, Payload.text("x"), picture), true);
        Path media = root().resolve("r1/media/" + picture.data().sha256() + ".png");
        byte[] changed = Files.readAllBytes(media);
        changed[0] ^= 1;
        Files.write(media, changed);
        Payload.Image back = (Payload.Image) store.read("r1").predictions().get(0).output();

        // when / then: same size, so it is read back, and its bytes fail their SHA-256 when used
        assertThat(back).isEqualTo(picture);
        assertThatThrownBy(() -> back.data().toByteArray())
                .isInstanceOf(PanicException.class)
                .hasMessageContaining(picture.data().sha256())
                .hasMessageContaining("changed or damaged");
    }

    @Test
    void should_fail_when_a_media_file_no_longer_matches_its_hash() throws IOException {
        // given
        RunStore store = RunStore.directory(root());
        Payload.Image picture = image(5);
        RunStore.Recorder recorder = store.create(running("r1", picture, T0));
        Path media = root().resolve("r1/media/" + picture.data().sha256() + ".png");
        Files.write(media, new byte[] {1, 2, 3});

        // when / then
        assertThatThrownBy(() -> store.read("r1"))
                .isInstanceOf(PanicException.class)
                .hasMessageContaining(media.toString())
                .hasMessageContaining("damaged");
    }

    @Test
    void should_replace_run_json_when_update_is_called() throws IOException {
        // given
        RunStore store = RunStore.directory(root());
        RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0));
        recorder.append(ok("r1", 0, Payload.text("x"), Payload.text("y")), true);
        assertThat(store.read("r1").info().status()).isEqualTo(RunStatus.RUNNING);
        RunInfo done = Fixtures.info("r1", List.of(Fixtures.PAINTER, Fixtures.DESCRIBER), Payload.text("x"),
                RunStatus.COMPLETED, StopReason.pattern("exact-repeat", "output 1 repeats output 0", 0, 0, 1, 0.5),
                T0, T0.plusSeconds(5), 1, List.of());

        // when
        recorder.update(done);

        // then
        RunInfo back = store.read("r1").info();
        assertThat(back).isEqualTo(done);
        assertThat(back.finishedAt()).contains(T0.plusSeconds(5));
        JsonNode runJson = JSON.readTree(root().resolve("r1/run.json").toFile());
        assertThat(runJson.get("status").textValue()).isEqualTo("COMPLETED");
        assertThat(runJson.get("stop_reason").get("period").intValue()).isEqualTo(1);
        try (Stream<Path> files = Files.list(root().resolve("r1"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temporary file is left behind")
                    .containsExactlyInAnyOrder("run.json", "predictions.jsonl", "run.lock");
        }
    }

    @Test
    void should_close_its_files_and_let_the_run_go_when_closed() throws IOException {
        // given: Linux lists a process's open files under /proc/self/fd
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
        RunStore store = RunStore.directory(root());
        RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0));
        recorder.append(ok("r1", 0, Payload.text("x"), Payload.text("y")), true);
        Path file = root().resolve("r1/predictions.jsonl").toRealPath();
        assertThat(openHandlesTo(fds, file)).as("open while the run goes on").isPositive();
        assertThat(store.info("r1").status()).isEqualTo(RunStatus.RUNNING);

        // when
        recorder.update(completed("r1", Payload.text("x"), T0, 1));
        recorder.close();

        // then
        assertThat(openHandlesTo(fds, file)).isZero();
        assertThat(openHandlesTo(fds, root().resolve("r1/run.lock").toRealPath())).isZero();
        assertThatThrownBy(() -> recorder.append(ok("r1", 1, Payload.text("y"), Payload.text("z")), true))
                .isInstanceOf(PanicException.class).hasMessageContaining("closed");
    }

    private static long openHandlesTo(Path fds, Path file) throws IOException {
        try (Stream<Path> s = Files.list(fds)) {
            return s.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException | UnsupportedOperationException e) {
                    return false; // closed between listing and reading, or not a link
                }
            }).count();
        }
    }

    @Test
    void should_leave_no_folder_behind_when_a_run_is_deleted_and_delete_from_memory_alike() throws IOException {
        for (RunStore store : List.of(RunStore.directory(root()), RunStore.memory())) {
            // given
            try (RunStore.Recorder r = store.create(completed("p1", Payload.text("x"), T0, 1))) {
                r.append(ok("p1", 0, Payload.text("x"), image(3)), true);
            }
            RunStore.Recorder live = store.create(running("w1", Payload.text("y"), T0));

            // when
            store.delete("p1");

            // then
            assertThat(store.runIds()).as(store.toString()).containsExactly("w1");
            assertThatThrownBy(() -> store.delete("w1")).as(store.toString()).isInstanceOf(PanicException.class);
            live.close();
            store.delete("w1");
            assertThat(store.runIds()).isEmpty();
        }
        try (java.util.stream.Stream<Path> left = Files.list(root())) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void should_refuse_to_create_a_run_whose_folder_exists() {
        // given
        RunStore store = RunStore.directory(root());
        store.create(running("r1", Payload.text("x"), T0));

        // when / then
        assertThatThrownBy(() -> store.create(running("r1", Payload.text("other"), T0)))
                .isInstanceOf(PanicException.class)
                .hasMessageContaining(root().resolve("r1").toString())
                .hasMessageContaining("already exists");
        assertThat(store.read("r1").info().initialInput()).isEqualTo(Payload.text("x"));
    }

    @Test
    void should_throw_not_found_when_the_store_folder_does_not_exist() {
        // given
        RunStore store = RunStore.directory(root());

        // when / then
        assertThatThrownBy(() -> store.read("r1"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("does not exist");
        assertThat(store.runIds()).isEmpty();
    }

    @Test
    void should_reject_run_ids_that_could_leave_the_store_folder() throws IOException {
        // given: a run.json outside the store that a traversal would reach
        Path outside = tmp.resolve("x");
        Files.createDirectories(outside);
        Files.writeString(outside.resolve("run.json"), "{}");
        RunStore store = RunStore.directory(root());

        // when / then
        for (String bad : List.of("../x", "..", "a/b", "a\\b", ".hidden", "")) {
            assertThatThrownBy(() -> store.read(bad)).as(bad).isInstanceOf(ValidationException.class);
        }
        assertThatThrownBy(() -> store.create(running("../x", Payload.text("x"), T0)))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void should_list_runs_with_run_json_oldest_first() throws IOException {
        // given: ids that sort the other way round from their start times, and a foreign folder
        RunStore store = RunStore.directory(root());
        store.create(running("b-first", Payload.text("x"), T0));
        store.create(running("a-second", Payload.text("x"), T0.plusSeconds(1)));
        store.create(running("c-third", Payload.text("x"), T0.plusSeconds(2)));
        Files.createDirectories(root().resolve("not-a-run"));

        // when
        List<String> ids = store.runIds();

        // then
        assertThat(ids).containsExactly("b-first", "a-second", "c-third");
    }
}
