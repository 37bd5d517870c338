package dev.panic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.testing.TestEmbedders;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs with embedders: vectors on every prediction, embedding beside the next call, rules on vectors. */
class EmbeddingRunTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    /** A TEXT->TEXT model whose calls the test completes, noting how many predictions the run had kept at each call. */
    static final class Recording {
        final List<RunEvent> events = new CopyOnWriteArrayList<>();
        final List<Integer> madeWhenCalled = new CopyOnWriteArrayList<>();
        final RunTest.GatedModel gated = new RunTest.GatedModel();
        volatile Run run;
        final Model model = Model.of(gated.model.info(), Parameters.empty(), (in, p) -> {
            madeWhenCalled.add(made());
            return gated.model.invokeAsync(in, p);
        });

        /** Kept, not announced: listeners hear of a prediction a moment after the run has kept it. */
        int made() {
            Run r = run;
            return r == null ? 0 : r.size();
        }

        Run start(Run.Builder b) {
            run = b.start();
            return run;
        }

        void answer(int call, String text) throws InterruptedException {
            gated.awaitCall(call).complete(new ModelOutput(Payload.text(text), null));
        }
    }

    @Test
    void should_attach_the_vectors_before_announcing_and_saving_each_prediction() {
        // given
        Embedder words = TestEmbedders.words("words", 16);
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        RunStore store = RunStore.directory(dir);

        // when
        Run run = Run.builder(Network.of(TestModels.grower()), Payload.text("a")).embedWith(words).maxSteps(4)
                .store(store).listener(events::add).start().await();

        // then
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.predictions()).hasSize(4).allSatisfy(p -> assertThat(p.embeddings().get("words"))
                .isEqualTo(words.embed(p.output()).join()));
        assertThat(events).filteredOn(e -> e instanceof RunEvent.PredictionMade)
                .extracting(e -> ((RunEvent.PredictionMade) e).prediction())
                .containsExactlyElementsOf(run.predictions());
        assertThat(store.read(run.id()).predictions()).containsExactlyElementsOf(run.predictions());
    }

    @Test
    void should_save_vectors_that_read_back_bit_for_bit() {
        // given: values that a decimal round trip would change: -0, a subnormal, a NaN with a payload, extremes
        float[] awkward = {-0.0f, Float.MIN_VALUE, Float.intBitsToFloat(0x7fc00abc), Float.MAX_VALUE, 1.0e-38f,
                (float) Math.PI, -1.17549435E-38f, Float.NEGATIVE_INFINITY};
        Embedder fixed = TestEmbedders.of("awkward", Set.of(Modality.TEXT), awkward.length, p -> awkward);
        RunStore store = RunStore.directory(dir);

        // when
        Run run = Run.builder(Network.of(TestModels.grower()), Payload.text("a")).embedWith(fixed).maxSteps(3)
                .store(store).start().await();
        StoredRun stored = store.read(run.id());

        // then
        assertThat(stored.predictions()).hasSize(3);
        for (Prediction p : stored.predictions()) {
            float[] back = p.embeddings().get("awkward").toArray();
            assertThat(rawBits(back)).containsExactly(rawBits(awkward));
        }
        assertThat(stored.predictions()).containsExactlyElementsOf(run.predictions());
    }

    @Test
    void should_call_the_next_model_while_the_previous_output_is_being_embedded() throws Exception {
        // given
        Recording m = new Recording();
        TestEmbedders.Gated slow = new TestEmbedders.Gated("slow", Set.of(Modality.TEXT), 2);
        Run run = m.start(Run.builder(Network.of(m.model), Payload.text("x")).embedWith(slow).maxSteps(3)
                .listener(m.events::add));

        // when: output 0 arrives and its embedding is still pending
        m.answer(0, "one");
        CompletableFuture<?> embedding0 = slow.awaitCall(0);
        m.gated.awaitCall(1);

        // then: the next call started without waiting for the vector
        assertThat(embedding0).isNotDone();
        assertThat(m.madeWhenCalled.get(1)).isZero();
        assertThat(run.predictions()).isEmpty();

        // when: output 1 arrives too; the call after next waits for output 0's vector
        m.answer(1, "two");
        slow.awaitCall(1);
        slow.answer(0, 1f, 0f);
        m.gated.awaitCall(2);

        // then
        assertThat(m.madeWhenCalled.get(2)).isEqualTo(1);

        slow.answer(1, 0f, 1f);
        m.answer(2, "three");
        slow.answer(2, 1f, 1f);
        assertThat(run.await(WAIT)).isTrue();
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.predictions()).extracting(p -> p.embeddings().get("slow").get(1))
                .containsExactly(0f, 1f, 1f);
        assertThat(m.events).filteredOn(e -> e instanceof RunEvent.PredictionMade)
                .extracting(e -> ((RunEvent.PredictionMade) e).prediction().sequence()).containsExactly(0, 1, 2);
    }

    @Test
    void should_end_at_the_output_a_rule_on_vectors_fired_on_and_cancel_the_call_in_flight() throws Exception {
        // given
        Recording m = new Recording();
        TestEmbedders.Gated slow = new TestEmbedders.Gated("slow", Set.of(Modality.TEXT), 2);
        Run run = m.start(Run.builder(Network.of(m.model), Payload.text("x")).embedWith(slow)
                .stopWhen(firstComponentAbove("big", 0.5f)).maxSteps(10).listener(m.events::add));
        m.answer(0, "one");
        m.gated.awaitCall(1);

        // when: the vector of output 0 arrives while call 1 is in flight, and the rule fires on it
        slow.answer(0, 1f, 0f);

        // then
        assertThat(run.await(WAIT)).isTrue();
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("big");
        assertThat(run.stopReason().orElseThrow().sequence()).hasValue(0);
        assertThat(run.predictions()).singleElement().satisfies(p -> assertThat(p.embeddings()).containsKey("slow"));
        assertThat(m.gated.calls.get(1)).isCancelled();
        assertThat(m.events).filteredOn(e -> e instanceof RunEvent.PredictionMade).hasSize(1);
    }

    @Test
    void should_drop_an_output_that_arrived_after_the_one_a_rule_on_vectors_fired_on() throws Exception {
        // given: output 1 has arrived and is being embedded when the rule fires on output 0
        Recording m = new Recording();
        TestEmbedders.Gated slow = new TestEmbedders.Gated("slow", Set.of(Modality.TEXT), 2);
        RunStore store = RunStore.directory(dir);
        Run run = m.start(Run.builder(Network.of(m.model), Payload.text("x")).embedWith(slow).store(store)
                .stopWhen(firstComponentAbove("big", 0.5f)).maxSteps(10).listener(m.events::add));
        m.answer(0, "one");
        m.answer(1, "two");
        CompletableFuture<?> embedding1 = slow.awaitCall(1);

        // when
        slow.answer(0, 1f, 0f);

        // then: the run is what it would have been step by step
        assertThat(run.await(WAIT)).isTrue();
        assertThat(run.stopReason().orElseThrow().sequence()).hasValue(0);
        assertThat(run.predictions()).hasSize(1);
        assertThat(embedding1).isCancelled();
        assertThat(m.gated.calls).hasSize(2);
        assertThat(store.read(run.id()).predictions()).hasSize(1);
        assertThat(store.read(run.id()).info().stopReason().orElseThrow().rule()).isEqualTo("big");
    }

    @Test
    void should_not_start_another_call_when_a_rule_without_vectors_fires() throws Exception {
        // given
        Recording m = new Recording();
        TestEmbedders.Gated slow = new TestEmbedders.Gated("slow", Set.of(Modality.TEXT), 2);
        Run run = m.start(Run.builder(Network.of(m.model), Payload.text("x")).embedWith(slow).maxSteps(2)
                .listener(m.events::add));

        // when
        m.answer(0, "one");
        m.answer(1, "two");
        slow.answer(0, 1f, 0f);
        slow.answer(1, 0f, 1f);

        // then
        assertThat(run.await(WAIT)).isTrue();
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("max-steps");
        assertThat(run.predictions()).hasSize(2).allSatisfy(p -> assertThat(p.embeddings()).containsKey("slow"));
        assertThat(m.gated.calls).hasSize(2);
    }

    @Test
    void should_keep_the_prediction_without_the_vector_when_an_embedder_fails() {
        // given
        Embedder words = TestEmbedders.words("words", 8);
        Embedder broken = TestEmbedders.failing("broken", Set.of(Modality.TEXT), "model not loaded");
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        RunStore store = RunStore.directory(dir);

        // when
        Run run = Run.builder(Network.of(TestModels.grower()), Payload.text("a")).embedWith(words, broken)
                .maxSteps(3).store(store).listener(events::add).start().await();

        // then
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.predictions()).hasSize(3)
                .allSatisfy(p -> assertThat(p.embeddings()).containsOnlyKeys("words"));
        assertThat(events).filteredOn(e -> e instanceof RunEvent.EmbeddingFailed)
                .extracting(e -> (RunEvent.EmbeddingFailed) e)
                .allSatisfy(f -> assertThat(f.embedderId()).isEqualTo("broken"))
                .allSatisfy(f -> assertThat(f.message()).contains("model not loaded"))
                .extracting(RunEvent.EmbeddingFailed::sequence).containsExactly(0, 1, 2);
        assertThat(store.read(run.id()).predictions()).hasSize(3);
    }

    @Test
    void should_go_on_without_the_vector_of_an_embedder_that_never_answers() {
        // given
        TestEmbedders.Gated silent = new TestEmbedders.Gated("silent", Set.of(Modality.TEXT), 2);

        // when
        Run run = Run.builder(Network.of(TestModels.grower()), Payload.text("a")).embedWith(silent)
                .embeddingTimeout(Duration.ofMillis(20)).maxSteps(2).start();

        // then
        assertThat(run.await(WAIT)).isTrue();
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.predictions()).hasSize(2).allSatisfy(p -> assertThat(p.embeddings()).isEmpty());
        assertThat(silent.calls).allSatisfy(f -> assertThat(f).isCancelled());
    }

    @Test
    void should_wait_for_the_vectors_of_arrived_outputs_when_stopped() throws Exception {
        // given
        Recording m = new Recording();
        TestEmbedders.Gated slow = new TestEmbedders.Gated("slow", Set.of(Modality.TEXT), 2);
        Run run = m.start(Run.builder(Network.of(m.model), Payload.text("x")).embedWith(slow).forever()
                .listener(m.events::add));
        m.answer(0, "one");
        m.gated.awaitCall(1);

        // when
        run.stop();
        m.answer(1, "two");
        slow.answer(0, 1f, 0f);
        slow.answer(1, 0f, 1f);

        // then
        assertThat(run.await(WAIT)).isTrue();
        assertThat(run.status()).isEqualTo(RunStatus.STOPPED);
        assertThat(run.predictions()).hasSize(2).allSatisfy(p -> assertThat(p.embeddings()).containsKey("slow"));
        assertThat(m.gated.calls).hasSize(2);
    }

    @Test
    void should_measure_each_output_against_the_same_model_s_earlier_outputs_only() {
        // given: one embedder for both modalities; images always map to e1, texts to e2 (orthogonal)
        Model painter = TestModels.model("t:paint", Modality.TEXT, Modality.IMAGE, p -> TestModels.png(1));
        Model describer = TestModels.model("t:describe", Modality.IMAGE, Modality.TEXT, p -> Payload.text("one"));
        Embedder clip = TestEmbedders.of("clip", Set.of(Modality.TEXT, Modality.IMAGE), 2,
                p -> p instanceof Payload.Image ? new float[] {1, 0} : new float[] {0, 1});
        List<RunEvent.Measured> measured = new CopyOnWriteArrayList<>();

        // when
        Run.builder(Network.of(painter, describer), Payload.text("hello")).embedWith(clip).maxSteps(6)
                .listener(e -> {
                    if (e instanceof RunEvent.Measured m) {
                        measured.add(m);
                    }
                }).start().await();

        // then: an image is only compared with images, a text with texts, so every step is similarity 1
        List<Similarity> all = new ArrayList<>();
        measured.forEach(m -> all.addAll(m.similarities()));
        assertThat(all).hasSize(6).allSatisfy(s -> {
            assertThat(s.embedderId()).isEqualTo("clip");
            assertThat(s.origin()).isEqualTo(s.sequence() % 2);
            assertThat(s.lap()).isEqualTo(s.sequence() / 2);
            assertThat(s.toOrigin()).hasValue(1.0);
        });
        assertThat(all).filteredOn(s -> s.sequence() >= 2).allSatisfy(s -> {
            assertThat(s.previous()).hasValue(s.sequence() - 2);
            assertThat(s.toPrevious()).hasValue(1.0);
        });
        assertThat(all).filteredOn(s -> s.sequence() < 2).allSatisfy(s -> assertThat(s.previous()).isEmpty());
    }

    @Test
    void should_keep_and_save_every_prediction_once_in_order_whatever_the_latencies() {
        // given: models and an embedder that answer after random delays, on a two-thread pool
        java.util.Random seeds = new java.util.Random(7);
        java.util.concurrent.ScheduledExecutorService pool = java.util.concurrent.Executors.newScheduledThreadPool(2);
        RunStore store = RunStore.directory(dir);
        try {
            Model slowModel = Model.of(new ModelInfo(ModelId.parse("test:jitter"), Modality.TEXT, Modality.TEXT, ""),
                    Parameters.empty(), (in, p) -> CompletableFuture.supplyAsync(
                            () -> new ModelOutput(Payload.text(((Payload.Text) in).text() + "+"), null),
                            CompletableFuture.delayedExecutor(delay(seeds), java.util.concurrent.TimeUnit.MICROSECONDS)));
            Embedder jittery = new Embedder() {
                @Override
                public String id() {
                    return "jitter";
                }

                @Override
                public Set<Modality> modalities() {
                    return Set.of(Modality.TEXT);
                }

                @Override
                public int dimension() {
                    return 3;
                }

                @Override
                public CompletableFuture<List<Embedding>> embedAll(List<? extends Payload> in) {
                    int n = ((Payload.Text) in.get(0)).text().length();
                    return CompletableFuture.supplyAsync(() -> List.of(Embedding.of(new float[] {n, 1, 0})),
                            CompletableFuture.delayedExecutor(delay(seeds), java.util.concurrent.TimeUnit.MICROSECONDS));
                }
            };
            List<Run> runs = new ArrayList<>();
            List<List<RunEvent>> events = new ArrayList<>();

            // when
            for (int i = 0; i < 30; i++) {
                List<RunEvent> ev = new CopyOnWriteArrayList<>();
                events.add(ev);
                runs.add(Run.builder(Network.of(slowModel), Payload.text("r" + i)).embedWith(jittery).maxSteps(12)
                        .observe(StopRule.exactRepeat()).store(store).executor(pool).listener(ev::add).start());
            }

            // then
            for (int i = 0; i < runs.size(); i++) {
                Run run = runs.get(i);
                assertThat(run.await(WAIT)).isTrue();
                assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
                assertThat(run.predictions()).extracting(Prediction::sequence)
                        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
                assertThat(run.predictions()).allSatisfy(p -> assertThat(p.embeddings().get("jitter").get(0))
                        .isEqualTo((float) ((Payload.Text) p.output()).text().length()));
                assertThat(events.get(i)).filteredOn(e -> e instanceof RunEvent.PredictionMade)
                        .extracting(e -> ((RunEvent.PredictionMade) e).prediction())
                        .containsExactlyElementsOf(run.predictions());
                assertThat(events.get(i)).filteredOn(e -> e instanceof RunEvent.Measured).hasSize(12);
                assertThat(events.get(i).get(events.get(i).size() - 1)).isInstanceOf(RunEvent.Finished.class);
                assertThat(store.read(run.id()).predictions()).containsExactlyElementsOf(run.predictions());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void should_drop_outputs_awaiting_vectors_when_cancelled() throws Exception {
        // given
        Recording m = new Recording();
        TestEmbedders.Gated slow = new TestEmbedders.Gated("slow", Set.of(Modality.TEXT), 2);
        Run run = m.start(Run.builder(Network.of(m.model), Payload.text("x")).embedWith(slow).forever()
                .listener(m.events::add));
        m.answer(0, "one");
        CompletableFuture<?> embedding0 = slow.awaitCall(0);
        CompletableFuture<ModelOutput> call1 = m.gated.awaitCall(1);

        // when
        run.cancel();

        // then
        assertThat(run.await(WAIT)).isTrue();
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(run.predictions()).isEmpty();
        assertThat(call1).isCancelled();
        assertThat(embedding0).isCancelled();
        assertThat(m.events).filteredOn(e -> e instanceof RunEvent.Finished).hasSize(1);
    }

    private static synchronized long delay(java.util.Random r) {
        return r.nextInt(3000);
    }

    @Test
    void should_keep_the_earlier_output_when_the_next_call_fails_while_it_is_embedded() throws Exception {
        // given
        Recording m = new Recording();
        TestEmbedders.Gated slow = new TestEmbedders.Gated("slow", Set.of(Modality.TEXT), 2);
        Run run = m.start(Run.builder(Network.of(m.model), Payload.text("x")).embedWith(slow).forever()
                .listener(m.events::add));
        m.answer(0, "one");

        // when: call 1 fails before output 0 has its vector
        m.gated.awaitCall(1).completeExceptionally(new dev.panic.exception.UnavailableException("model is down"));
        slow.answer(0, 1f, 0f);

        // then: output 0 is kept with its vector, then the failure, in order
        assertThat(run.await(WAIT)).isTrue();
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.predictions()).hasSize(2);
        assertThat(run.predictions().get(0).embeddings()).containsKey("slow");
        assertThat(run.predictions().get(1).succeeded()).isFalse();
        assertThat(m.events).filteredOn(e -> e instanceof RunEvent.PredictionMade || e instanceof RunEvent.PredictionFailed)
                .extracting(e -> e.getClass().getSimpleName()).containsExactly("PredictionMade", "PredictionFailed");
    }

    @Test
    void should_refuse_two_embedders_with_one_id() {
        // given
        Embedder a = TestEmbedders.words("same", 4);
        Embedder b = TestEmbedders.words("same", 8);

        // when / then
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        Run.builder(Network.of(TestModels.grower()), Payload.text("a")).embedWith(a).embedWith(b))
                .hasMessageContaining("two embedders have the id 'same'");
    }

    /** A rule on vectors: fires when the first component of the vector {@code "slow"} exceeds {@code limit}. */
    private static StopRule firstComponentAbove(String name, float limit) {
        AtomicInteger unused = new AtomicInteger();
        return StopRule.of(name, network -> (p, elapsed) -> {
            unused.incrementAndGet();
            Embedding e = p.embeddings().get("slow");
            return e != null && e.get(0) > limit
                    ? Optional.of(StopReason.of(name, "component 0 is " + e.get(0), p.sequence()))
                    : Optional.empty();
        });
    }

    private static int[] rawBits(float[] v) {
        int[] bits = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = Float.floatToRawIntBits(v[i]);
        }
        return bits;
    }

    @Test
    void should_call_the_next_model_while_an_in_process_embedder_is_still_computing() throws Exception {
        // given: an embedder that computes inside embedAll (as the offline ones do) until released
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Embedder slow = TestEmbedders.of("slow", Set.of(Modality.TEXT), 2, p -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new float[] {1, 0};
        });
        Recording r = new Recording();
        Run run = Run.builder(Network.of(r.model), Payload.text("x")).embedWith(slow).maxSteps(2)
                .listener(r.events::add).start();

        // when
        r.answer(0, "first");

        // then: the second call comes although the first output's vector is not there yet
        r.gated.awaitCall(1);
        assertThat(r.made()).isZero();
        release.countDown();
        r.answer(1, "second");
        assertThat(run.await(WAIT)).isTrue();
        assertThat(run.predictions()).hasSize(2).allSatisfy(p -> assertThat(p.embeddings()).containsKey("slow"));
    }

    @Test
    void should_give_up_on_an_in_process_embedder_that_outlasts_its_timeout() {
        // given: an embedder that would compute for 10 s in the caller's thread
        Embedder stuck = TestEmbedders.of("stuck", Set.of(Modality.TEXT), 2, p -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new float[] {1, 0};
        });
        List<RunEvent> events = new CopyOnWriteArrayList<>();

        // when
        Run run = Run.builder(Network.of(TestModels.grower()), Payload.text("a")).embedWith(stuck)
                .embeddingTimeout(Duration.ofMillis(200)).maxSteps(1).listener(events::add).start();

        // then: the prediction is kept without the vector, well before the embedder would have answered
        assertThat(run.await(Duration.ofSeconds(5))).isTrue();
        assertThat(run.predictions()).singleElement().satisfies(p -> assertThat(p.embeddings()).isEmpty());
        assertThat(events).filteredOn(e -> e instanceof RunEvent.EmbeddingFailed)
                .singleElement().satisfies(e -> assertThat(((RunEvent.EmbeddingFailed) e).message()).contains("timed out"));
    }

    @Test
    void should_end_a_run_whose_model_or_embedder_runs_out_of_memory_instead_of_hanging() throws Exception {
        // given: an embedder out of memory on the second output, a model out of memory on its fourth call
        AtomicInteger embedded = new AtomicInteger();
        Embedder greedy = TestEmbedders.of("greedy", Set.of(Modality.TEXT), 4, p -> {
            if (embedded.incrementAndGet() == 2) {
                throw new OutOfMemoryError("Java heap space (simulated)");
            }
            return new float[] {1, 0, 0, 0};
        });
        AtomicInteger calls = new AtomicInteger();
        Model model = Model.of(TestModels.grower().info(), Parameters.empty(), (in, p) -> {
            if (calls.incrementAndGet() == 4) {
                throw new OutOfMemoryError("Java heap space (simulated)");
            }
            return TestModels.grower().invokeAsync(in, p);
        });
        List<RunEvent> events = new CopyOnWriteArrayList<>();

        // when
        Run run = Run.builder(Network.of(model), Payload.text("a")).embedWith(greedy).maxSteps(10)
                .listener(events::add).start();

        // then: the run ends, failed, saying why; the embedder's failure is reported and the run went on past it
        run.completion().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.stopReason().orElseThrow().message()).contains("OutOfMemoryError");
        assertThat(run.size()).isEqualTo(4);
        assertThat(run.last().orElseThrow().error().message()).contains("OutOfMemoryError");
        assertThat(events).filteredOn(e -> e instanceof RunEvent.EmbeddingFailed)
                .extracting(e -> ((RunEvent.EmbeddingFailed) e).message())
                .singleElement().asString().contains("Java heap space");
    }
}
