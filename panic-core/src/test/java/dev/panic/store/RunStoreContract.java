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

import dev.panic.Change;
import dev.panic.Embedding;
import dev.panic.Lineage;
import dev.panic.Metadata;
import dev.panic.ModelId;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.Run;
import dev.panic.RunInfo;
import dev.panic.RunSpec;
import dev.panic.RunStatus;
import dev.panic.StopReason;
import dev.panic.analysis.RunAnalysis;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.testing.TestEmbedders;
import dev.panic.testing.TestPlatform;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RunStore} that keeps runs beyond the process must do, whatever it writes to:
 * each store module runs these against its own store by extending this class (panic-core's test
 * jar). A subclass gives a fresh, empty store per test and the few things only it knows how to do,
 * such as damaging a saved record the way its medium can be damaged.
 */
public abstract class RunStoreContract {

    /** The store under test: fresh and empty for each test. */
    protected RunStore store;

    /** A fresh, empty store. */
    protected abstract RunStore newStore();

    /**
     * Another handle on the same saved runs, as another process (another connection, another
     * folder handle) would open it.
     */
    protected abstract RunStore sameStoreElsewhere();

    /** Damages the saved record of one prediction so that it can no longer be read. */
    protected abstract void damagePrediction(String runId, int sequence) throws Exception;

    /** Removes the saved content of one image or sound (by its SHA-256) from everywhere it is kept. */
    protected abstract void loseMedia(String sha256) throws Exception;

    /** How many media contents the store keeps in all (a store may keep one content once per run, or once in all). */
    protected abstract long storedMediaCount() throws Exception;

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    // ---------------------------------------------------------------- round trips

    @Test
    void should_read_back_everything_it_saved_when_a_run_has_every_kind_of_payload_metadata_and_failure() {
        // given
        Payload start = Payload.text("a red circle on a blue background");
        Payload.Image picture = image(1).withSize(64, 32);
        Payload.Audio sound = Fixtures.audio(2).withDuration(Duration.ofMillis(2500));
        float[] odd = {Float.NaN, -0.0f, Float.MIN_VALUE, 1.0e-40f, Float.MAX_VALUE,
                Float.intBitsToFloat(0x7fc00123), Float.NEGATIVE_INFINITY, 0.1f, 0.0f};
        float[] plain = {1f, -2.5f, 3.25e-7f};
        Map<String, Embedding> embeddings = new LinkedHashMap<>();
        embeddings.put("sim:clip", Embedding.of(odd));
        embeddings.put("openai:text-embedding-3-small", Embedding.of(plain));
        Metadata metadata = Metadata.builder()
                .parameters(Parameters.of(Map.of("steps", 4, "guidance", 7.5, "style", "oil", "hd", true,
                        "sizes", List.of(512, 768), "lora", Map.of("name", "x", "scale", 0.8),
                        "max_tokens", 256L, "big", 10_000_000_000L, "temperature", 0.7f)))
                .seed(1234567890123L)
                .modelVersion("5599ed30703defd1d160a25a63321b4dec97101d98b4674bcc56e41f62f35637")
                .platformPredictionId("gm3qorzdhgbfurvjtvhg6dckhu")
                .predictTime(Duration.ofNanos(1_234_567_891L))
                .costUsd(0.0023)
                .extra("revised_prompt", "a red circle, centred")
                .extra("usage", Map.of("input_tokens", 12, "output_tokens", 40))
                .build();
        String id = "20250131T120000Z-a1b2c3";
        List<Prediction> predictions = List.of(
                new Prediction(id, 0, "painter", Fixtures.PAINTER, start, picture, T0, T0.plusMillis(1500), metadata,
                        embeddings, null, 0),
                ok(id, 1, picture, Payload.text("a circle")),
                ok(id, 2, Payload.text("a circle"), sound),
                failed(id, 3, sound));
        RunInfo finalInfo = Fixtures.info(id, List.of(Fixtures.PAINTER, Fixtures.DESCRIBER), start, RunStatus.FAILED,
                new StopReason("error", "model failed at step 3", OptionalInt.of(3), null, null, null), T0, T0.plusSeconds(9), 4,
                List.of(StopReason.pattern("exact-repeat", "output 2 repeats output 0", 2, 0, 2),
                        StopReason.pattern("embedding-similarity", "close", 3, 1, 1, 0.987654321)));

        // when
        try (RunStore.Recorder recorder = store.create(running(id, start, T0))) {
            predictions.forEach(p -> recorder.append(p, true));
            recorder.update(finalInfo);
        }
        StoredRun back = store.read(id);

        // then
        assertThat(back.info()).isEqualTo(finalInfo);
        assertThat(back.predictions()).isEqualTo(predictions);
        assertThat(back.warnings()).isEmpty();
        assertThat(((Payload.Image) back.predictions().get(0).output()).size()).contains(new Payload.Image.Size(64, 32));
        assertThat(((Payload.Audio) back.predictions().get(2).output()).duration()).contains(Duration.ofMillis(2500));
        assertThat(back.predictions().get(0).metadata().predictTime()).hasValue(Duration.ofNanos(1_234_567_891L));
        assertThat(back.predictions().get(3).error()).isEqualTo(new Prediction.Failure("RateLimitedException", "slow down: 429"));
        assertThat(rawBits(back.predictions().get(0).embeddings().get("sim:clip").toArray())).isEqualTo(rawBits(odd));
        assertThat(((Payload.Image) back.predictions().get(0).output()).data().toByteArray())
                .isEqualTo(picture.data().toByteArray());
        assertThat(((Payload.Audio) back.predictions().get(2).output()).data().toByteArray())
                .isEqualTo(sound.data().toByteArray());
    }

    @Test
    void should_read_media_only_when_used() {
        // given
        Payload.Image picture = image(11);
        try (RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0))) {
            recorder.append(ok("r1", 0, Payload.text("x"), picture), true);
        }

        // when
        Payload.Image back = (Payload.Image) store.read("r1").predictions().get(0).output();

        // then
        assertThat(back.data().isLoaded()).isFalse();
        assertThat(back).isEqualTo(picture);
        assertThat(back.data().toByteArray()).isEqualTo(picture.data().toByteArray());
    }

    @Test
    void should_keep_each_media_content_once_however_often_it_comes() throws Exception {
        // given
        Payload.Image picture = image(7);
        Payload.Audio sound = Fixtures.audio(8);

        // when: the same picture comes back as an input and again as an output
        try (RunStore.Recorder recorder = store.create(running("r1", Payload.text("go"), T0))) {
            recorder.append(ok("r1", 0, Payload.text("go"), picture), true);
            recorder.append(ok("r1", 1, picture, Payload.text("a picture")), true);
            recorder.append(ok("r1", 2, Payload.text("a picture"), image(7)), true);
            recorder.append(ok("r1", 3, image(7), Payload.text("again")), true);
            recorder.append(ok("r1", 4, Payload.text("again"), sound), true);
        }

        // then
        assertThat(storedMediaCount()).isEqualTo(2);
        assertThat(store.read("r1").predictions()).hasSize(5);
    }

    @Test
    void should_read_back_an_image_initial_input() {
        // given
        Payload.Image start = image(9).withSize(8, 8);

        // when
        store.create(Fixtures.info("r1", List.of(ModelId.parse("sim:describer")), start, RunStatus.RUNNING, null,
                T0, null, 0, null)).close();

        // then
        Payload back = store.read("r1").info().initialInput();
        assertThat(back).isEqualTo(start);
        assertThat(((Payload.Image) back).size()).contains(new Payload.Image.Size(8, 8));
        assertThat(((Payload.Image) back).data().toByteArray()).isEqualTo(start.data().toByteArray());
    }

    @Test
    void should_save_revisions_in_order_with_the_media_they_carry() {
        // given
        Payload.Image injected = image(21);
        Revision first = new Revision(1, T0.plusSeconds(3), 1, List.of(Change.template("painter", "a {input}"),
                Change.maxSteps(9)));
        Revision second = new Revision(2, T0.plusSeconds(5), 2, List.of(Change.inject(injected)));

        // when
        try (RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0))) {
            recorder.append(ok("r1", 0, Payload.text("x"), Payload.text("y")), true);
            recorder.revise(first);
            recorder.revise(second);
        }

        // then
        assertThat(store.revisions("r1")).containsExactly(first, second);
        assertThat(store.read("r1").revisions()).containsExactly(first, second);
        Change.Inject inject = (Change.Inject) store.revisions("r1").get(1).changes().get(0);
        assertThat(((Payload.Image) inject.input()).data().toByteArray()).isEqualTo(injected.data().toByteArray());
    }

    @Test
    void should_replace_the_description_when_update_is_called() {
        // given
        RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0));
        recorder.append(ok("r1", 0, Payload.text("x"), Payload.text("y")), true);
        assertThat(store.read("r1").info().status()).isEqualTo(RunStatus.RUNNING);
        RunInfo done = Fixtures.info("r1", List.of(Fixtures.PAINTER, Fixtures.DESCRIBER), Payload.text("x"),
                RunStatus.COMPLETED, StopReason.pattern("exact-repeat", "output 1 repeats output 0", 0, 0, 1, 0.5),
                T0, T0.plusSeconds(5), 1, List.of());

        // when
        recorder.update(done);
        recorder.close();

        // then
        assertThat(store.info("r1")).isEqualTo(done);
        assertThat(sameStoreElsewhere().info("r1")).isEqualTo(done);
    }

    // ---------------------------------------------------------------- vectors that come later

    @Test
    void should_complete_drop_or_keep_without_vectors_a_prediction_saved_before_its_vectors() {
        // given
        Map<String, Embedding> v = Map.of("e", Embedding.of(new float[] {0.25f, -1f}));
        RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0));
        recorder.append(ok("r1", 0, Payload.text("x"), Payload.text("a")), false);
        recorder.append(ok("r1", 1, Payload.text("a"), Payload.text("b")), false);
        recorder.append(ok("r1", 2, Payload.text("b"), Payload.text("c")), false);

        // when
        List<dev.panic.Verdict> verdicts = List.of(
                new dev.panic.Verdict("judge", true, "YES, it matches", ModelId.parse("sim:judge")));
        recorder.complete(0, v, verdicts);
        recorder.drop(2, "the run ended (cancelled) before its vectors came");
        recorder.close();
        StoredRun back = store.read("r1");

        // then
        assertThat(back.predictions()).extracting(Prediction::sequence).containsExactly(0, 1);
        assertThat(back.predictions().get(0).embeddings()).isEqualTo(v);
        assertThat(back.predictions().get(0).verdicts()).isEqualTo(verdicts);
        assertThat(back.predictions().get(1).embeddings()).isEmpty();
        assertThat(back.warnings()).singleElement().asString().contains("prediction 1", "without its vectors");
    }

    // ---------------------------------------------------------------- reading as it is written

    @Test
    void should_stream_from_a_sequence_and_show_predictions_saved_while_the_stream_is_read() {
        // given
        RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0));
        for (int i = 0; i < 3; i++) {
            recorder.append(ok("r1", i, Payload.text("in " + i), Payload.text("out " + i)), true);
        }
        List<Integer> seen = new ArrayList<>();

        // when
        try (Stream<Prediction> s = sameStoreElsewhere().predictions("r1", 1)) {
            Iterator<Prediction> it = s.iterator();
            seen.add(it.next().sequence());
            for (int i = 3; i < 6; i++) {
                recorder.append(ok("r1", i, Payload.text("in " + i), Payload.text("out " + i)), true);
            }
            it.forEachRemaining(p -> seen.add(p.sequence()));
        }
        recorder.close();

        // then
        assertThat(seen).containsExactly(1, 2, 3, 4, 5);
        try (Stream<Prediction> s = store.predictions("r1", 4)) {
            assertThat(s.map(Prediction::sequence)).containsExactly(4, 5);
        }
    }

    @Test
    void should_show_a_live_run_as_running_to_other_readers_and_as_interrupted_once_its_writer_has_gone() {
        // given
        RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0));
        recorder.append(ok("r1", 0, Payload.text("x"), Payload.text("y")), true);
        RunStore reader = sameStoreElsewhere();
        assertThat(reader.info("r1").status()).isEqualTo(RunStatus.RUNNING);
        assertThat(reader.info("r1").resumable()).isFalse();
        assertThat(reader.read("r1").predictions()).hasSize(1);

        // when: the writer lets go without saving an end, as a crash leaves it
        recorder.close();

        // then
        assertThat(reader.info("r1").status()).isEqualTo(RunStatus.INTERRUPTED);
        assertThat(store.info("r1").resumable()).isTrue();
        assertThat(store.read("r1").predictions()).hasSize(1);
    }

    // ---------------------------------------------------------------- one writer at a time

    @Test
    void should_refuse_a_second_writer_while_a_run_is_written_and_let_one_take_over_after() {
        // given
        RunStore.Recorder first = store.create(running("r1", Payload.text("x"), T0));
        first.append(ok("r1", 0, Payload.text("x"), Payload.text("y")), true);

        // when / then
        assertThatThrownBy(() -> store.resume("r1")).isInstanceOf(PanicException.class).hasMessageContaining("r1");
        assertThatThrownBy(() -> sameStoreElsewhere().resume("r1")).isInstanceOf(PanicException.class)
                .hasMessageContaining("r1");
        first.close();
        try (RunStore.Recorder second = sameStoreElsewhere().resume("r1")) {
            second.append(ok("r1", 1, Payload.text("y"), Payload.text("z")), true);
            second.update(completed("r1", Payload.text("x"), T0, 2));
        }
        assertThat(store.read("r1").predictions()).extracting(Prediction::sequence).containsExactly(0, 1);
        assertThat(store.info("r1").status()).isEqualTo(RunStatus.COMPLETED);
        assertThatThrownBy(() -> first.append(ok("r1", 2, Payload.text("z"), Payload.text("w")), true))
                .isInstanceOf(PanicException.class).hasMessageContaining("closed");
    }

    @Test
    void should_let_exactly_one_of_two_writers_take_over_an_interrupted_run_at_the_same_moment() throws Exception {
        // given
        store.create(running("r1", Payload.text("x"), T0)).close();
        List<RunStore> handles = List.of(store, sameStoreElsewhere());
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);

        // when
        List<Future<RunStore.Recorder>> attempts = new ArrayList<>();
        try {
            for (RunStore h : handles) {
                attempts.add(pool.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return h.resume("r1");
                }));
            }
            List<RunStore.Recorder> won = new ArrayList<>();
            List<Throwable> refused = new ArrayList<>();
            for (Future<RunStore.Recorder> a : attempts) {
                try {
                    won.add(a.get(30, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    refused.add(e.getCause());
                }
            }

            // then
            assertThat(won).hasSize(1);
            assertThat(refused).singleElement().isInstanceOf(PanicException.class);
            won.get(0).close();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void should_refuse_a_prediction_of_another_run() {
        RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0));
        assertThatThrownBy(() -> recorder.append(ok("r2", 0, Payload.text("x"), Payload.text("y")), true))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("r2");
        recorder.close();
    }

    @Test
    void should_delete_a_run_whole_and_refuse_a_live_run_or_one_with_forks() throws Exception {
        // given: a finished run with an image, another run with the same image, a fork, and a live run
        try (RunStore.Recorder r = store.create(completed("p1", Payload.text("x"), T0, 1))) {
            r.append(ok("p1", 0, Payload.text("x"), image(3)), true);
        }
        try (RunStore.Recorder r = store.create(completed("q1", Payload.text("x"), T0.plusSeconds(1), 1))) {
            r.append(ok("q1", 0, Payload.text("x"), image(3)), true);
        }
        RunInfo fork = new RunInfo("f1", completed("f1", Payload.text("x"), T0, 1).spec(), RunStatus.COMPLETED,
                null, T0.plusSeconds(2), Optional.of(T0.plusSeconds(2)), 1, List.of(),
                Optional.of(new Lineage("p1", 0, false)), 0);
        store.create(fork).close();
        RunStore.Recorder live = store.create(running("w1", Payload.text("y"), T0.plusSeconds(3)));

        // when / then: refused, naming why and what to do
        assertThatThrownBy(() -> store.delete("p1"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("share its predictions (f1); delete them first");
        assertThatThrownBy(() -> store.delete("w1"))
                .isInstanceOf(PanicException.class).hasMessageContaining("'w1'").hasMessageMatching(".*(is live|being written).*");
        assertThatThrownBy(() -> store.delete("nothing")).isInstanceOf(NotFoundException.class);
        assertThat(store.runIds()).containsExactly("p1", "q1", "f1", "w1");

        // when: the leaves first, then the parent
        store.delete("f1");
        store.delete("p1");

        // then: the other run keeps the image they shared
        assertThat(store.runIds()).containsExactly("q1", "w1");
        assertThat(sameStoreElsewhere().runIds()).containsExactly("q1", "w1");
        assertThat(store.read("q1").predictions().get(0).output()).isEqualTo(image(3));
        store.delete("q1");
        assertThat(storedMediaCount()).isZero();
        live.close();
        store.delete("w1");
        assertThat(store.runIds()).isEmpty();
    }

    @Test
    void should_refuse_to_create_a_run_that_exists() {
        store.create(running("r1", Payload.text("x"), T0)).close();
        assertThatThrownBy(() -> store.create(running("r1", Payload.text("other"), T0)))
                .isInstanceOf(PanicException.class)
                .hasMessageContaining("already exists");
        assertThat(store.read("r1").info().initialInput()).isEqualTo(Payload.text("x"));
    }

    // ---------------------------------------------------------------- finding runs

    @Test
    void should_throw_not_found_naming_known_runs_when_the_run_is_unknown() {
        store.create(running("known-run", Payload.text("x"), T0)).close();
        assertThatThrownBy(() -> store.read("no-such-run"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no-such-run")
                .hasMessageContaining("known-run");
        assertThatThrownBy(() -> store.info("no-such-run")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.resume("no-such-run")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.revisions("no-such-run")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.predictions("no-such-run", 0)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void should_reject_run_ids_that_could_not_be_a_folder_name() {
        for (String bad : List.of("../x", "..", "a/b", "a\\b", ".hidden", "")) {
            assertThatThrownBy(() -> store.read(bad)).as(bad).isInstanceOf(ValidationException.class);
        }
        assertThatThrownBy(() -> store.create(running("../x", Payload.text("x"), T0)))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void should_list_runs_oldest_first_and_forks_as_children() {
        // given: ids that sort the other way round from their start times
        store.create(running("b-first", Payload.text("x"), T0)).close();
        store.create(running("a-second", Payload.text("x"), T0.plusSeconds(1))).close();
        store.create(forked("c-third", "b-first", 0, T0.plusSeconds(2))).close();

        // then
        assertThat(store.runIds()).containsExactly("b-first", "a-second", "c-third");
        assertThat(store.children("b-first")).containsExactly("c-third");
        assertThat(store.children("a-second")).isEmpty();
    }

    // ---------------------------------------------------------------- forks

    @Test
    void should_read_a_fork_through_its_parent_prefix_without_copying_its_media() throws Exception {
        // given: a parent of six predictions, every other output an image
        RunStore.Recorder parent = store.create(running("parent", Payload.text("x"), T0));
        List<Prediction> made = new ArrayList<>();
        Payload in = Payload.text("x");
        for (int i = 0; i < 6; i++) {
            Payload out = i % 2 == 0 ? image(30 + i) : Payload.text("t" + i);
            Prediction p = ok("parent", i, in, out);
            parent.append(p, true);
            made.add(p);
            in = out;
        }
        parent.update(completed("parent", Payload.text("x"), T0, 6));
        parent.close();
        long media = storedMediaCount();

        // when: a fork after prediction 2 (an image) makes two of its own, the first taking that image
        try (RunStore.Recorder child = store.create(forked("child", "parent", 2, T0.plusSeconds(60)))) {
            child.append(ok("child", 3, made.get(2).output(), Payload.text("fork 3")), true);
            child.append(ok("child", 4, Payload.text("fork 3"), Payload.text("fork 4")), true);
        }

        // then
        StoredRun back = store.read("child");
        assertThat(back.predictions()).extracting(Prediction::sequence).containsExactly(0, 1, 2, 3, 4);
        assertThat(back.predictions().subList(0, 3)).isEqualTo(made.subList(0, 3));
        assertThat(back.predictions().subList(0, 3)).extracting(Prediction::runId).containsOnly("parent");
        assertThat(back.predictions().subList(3, 5)).extracting(Prediction::runId).containsOnly("child");
        assertThat(back.warnings()).isEmpty();
        try (Stream<Prediction> s = store.predictions("child", 1)) {
            assertThat(s.map(Prediction::sequence)).containsExactly(1, 2, 3, 4);
        }
        try (Stream<Prediction> s = store.predictions("child", 4)) {
            assertThat(s.map(Prediction::sequence)).containsExactly(4);
        }
        assertThat(storedMediaCount()).as("the fork's image input is its parent's").isEqualTo(media);
        assertThat(store.info("child").lineage()).contains(new Lineage("parent", 2, false));
        assertThat(store.children("parent")).containsExactly("child");
    }

    // ---------------------------------------------------------------- damage

    @Test
    void should_skip_a_damaged_prediction_and_read_the_rest_with_a_warning_naming_the_run() throws Exception {
        // given
        try (RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0))) {
            for (int i = 0; i < 4; i++) {
                recorder.append(ok("r1", i, Payload.text("in " + i), Payload.text("out " + i)), true);
            }
        }

        // when
        damagePrediction("r1", 1);
        StoredRun back = store.read("r1");

        // then
        assertThat(back.predictions()).extracting(Prediction::sequence).containsExactly(0, 2, 3);
        assertThat(back.warnings()).singleElement().asString().contains("r1", "skipped");
        try (Stream<Prediction> s = store.predictions("r1", 0)) {
            assertThat(s.map(Prediction::sequence)).containsExactly(0, 2, 3);
        }
    }

    @Test
    void should_skip_a_prediction_whose_media_is_lost_naming_what_is_missing() throws Exception {
        // given
        Payload.Image picture = image(5);
        try (RunStore.Recorder recorder = store.create(running("r1", Payload.text("x"), T0))) {
            recorder.append(ok("r1", 0, Payload.text("x"), Payload.text("y")), true);
            recorder.append(ok("r1", 1, Payload.text("y"), picture), true);
            recorder.append(ok("r1", 2, picture, Payload.text("z")), true);
            recorder.append(ok("r1", 3, Payload.text("z"), Payload.text("w")), true);
        }

        // when
        loseMedia(picture.data().sha256());
        StoredRun back = store.read("r1");

        // then
        assertThat(back.predictions()).extracting(Prediction::sequence).containsExactly(0, 3);
        assertThat(back.warnings()).hasSize(2).allSatisfy(w -> assertThat(w).contains(picture.data().sha256()));
    }

    // ---------------------------------------------------------------- many at once

    @Test
    void should_read_every_run_complete_and_in_order_when_many_recorders_write_at_once() throws Exception {
        // given
        int runs = 8;
        int steps = 40;
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Prediction>>> written = new ArrayList<>();

        // when
        try {
            for (int r = 0; r < runs; r++) {
                String id = "run-" + r;
                written.add(pool.submit(() -> {
                    try (RunStore.Recorder recorder = store.create(running(id, Payload.text("start"), T0))) {
                        go.await();
                        List<Prediction> mine = new ArrayList<>();
                        Payload in = Payload.text("start");
                        for (int s = 0; s < steps; s++) {
                            // Every fifth output is an image shared by all runs, so media writes race too.
                            Payload out = s % 5 == 0 ? image(s) : Payload.text(id + " step " + s);
                            Prediction p = ok(id, s, in, out);
                            recorder.append(p, true);
                            mine.add(p);
                            in = out;
                        }
                        recorder.update(completed(id, Payload.text("start"), T0, steps));
                        return mine;
                    }
                }));
            }
            go.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }

        // then
        for (int r = 0; r < runs; r++) {
            StoredRun back = store.read("run-" + r);
            assertThat(back.predictions()).isEqualTo(written.get(r).get());
            assertThat(back.warnings()).isEmpty();
            assertThat(back.info().status()).isEqualTo(RunStatus.COMPLETED);
        }
        assertThat(store.runIds()).hasSize(runs);
    }

    // ---------------------------------------------------------------- with the engine

    @Test
    void should_save_a_whole_run_as_the_engine_makes_it_and_resume_it_after_its_writer_died() {
        // given
        TestPlatform t = new TestPlatform("t").text("grow", s -> s + "+");
        Platforms platforms = Platforms.builder().register(t).register(TestEmbedders.words("w", 16)).build();
        Run first = Run.builder(platforms.network("t:grow"), Payload.text("x")).embedWith(TestEmbedders.words("w", 16))
                .maxSteps(3).store(store).start().await();
        assertThat(store.read(first.id()).predictions()).isEqualTo(first.predictions());
        assertThat(store.info(first.id())).isEqualTo(first.info());
        RunSpec spec = first.spec();
        RunStore.Recorder crashed = store.create(new RunInfo("crashed", spec, RunStatus.RUNNING, null, Instant.now(),
                null, 0, List.of(), null, 0));
        for (Prediction p : first.predictions()) {
            crashed.append(new Prediction("crashed", p.sequence(), p.node(), p.modelId(), p.input(), p.output(),
                    p.startedAt(), p.finishedAt(), p.metadata(), p.embeddings(), null, 0), true);
        }
        crashed.close();
        int calls = t.calls.size();

        // when
        Run resumed = Run.resume(store, "crashed", platforms).maxSteps(6).start().await();

        // then: three calls more, none again
        assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(t.calls).hasSize(calls + 3);
        StoredRun back = sameStoreElsewhere().read("crashed");
        assertThat(back.predictions()).extracting(p -> ((Payload.Text) p.output()).text())
                .containsExactly("x+", "x++", "x+++", "x++++", "x+++++", "x++++++");
        assertThat(back.predictions()).allSatisfy(p -> assertThat(p.embeddings()).containsKey("w"));
        assertThat(back.revisions()).singleElement().satisfies(r ->
                assertThat(r.changes()).containsExactly(Change.maxSteps(6)));
        assertThat(back.info().status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(back.warnings()).isEmpty();
    }

    @Test
    void should_fork_a_saved_run_with_the_engine_and_analyse_the_whole_trajectory() {
        // given
        TestPlatform t = new TestPlatform("t").text("grow", s -> s + "+");
        Platforms platforms = t.platforms();
        Run parent = Run.builder(platforms.network("t:grow"), Payload.text("a")).maxSteps(4).store(store)
                .start().await();

        // when
        Run child = Run.fork(store, parent.id(), 1, platforms).change(Change.inject(Payload.text("b")))
                .maxSteps(4).start().await();

        // then
        StoredRun back = store.read(child.id());
        assertThat(back.predictions()).extracting(p -> ((Payload.Text) p.output()).text())
                .containsExactly("a+", "a++", "b+", "b++");
        assertThat(back.predictions()).isEqualTo(child.predictions());
        assertThat(store.children(parent.id())).containsExactly(child.id());
        RunAnalysis analysis = RunAnalysis.of(back);
        assertThat(analysis.predictions()).isEqualTo(4);
        analysis.saveTo(store);
        assertThatThrownBy(() -> RunAnalysis.of(new StoredRun(
                running("nobody", Payload.text("x"), T0), List.of(), List.of(), List.of())).saveTo(store))
                .isInstanceOf(NotFoundException.class);
    }

    // ---------------------------------------------------------------- helpers

    /** A fork of {@code parent} after its prediction {@code at}, as the engine describes one. */
    protected static RunInfo forked(String runId, String parent, int at, Instant startedAt) {
        RunInfo base = running(runId, Payload.text("x"), startedAt);
        return new RunInfo(runId, base.spec(), RunStatus.RUNNING, null, startedAt, null, at + 1, List.of(),
                Optional.of(new Lineage(parent, at, false)), 0);
    }

    private static int[] rawBits(float[] v) {
        int[] bits = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = Float.floatToRawIntBits(v[i]);
        }
        return bits;
    }
}
