package dev.panic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.exception.RateLimitedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** A TEXT->TEXT model whose calls complete only when the test says so. */
    static final class GatedModel {
        final List<CompletableFuture<ModelOutput>> calls = new CopyOnWriteArrayList<>();
        final Model model = Model.of(new ModelInfo(ModelId.parse("test:gated"), Modality.TEXT, Modality.TEXT, ""),
                Parameters.empty(), (in, p) -> {
                    CompletableFuture<ModelOutput> f = new CompletableFuture<>();
                    calls.add(f);
                    return f;
                });

        CompletableFuture<ModelOutput> awaitCall(int n) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (calls.size() <= n) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("call " + n + " never came");
                }
                Thread.sleep(2);
            }
            return calls.get(n);
        }
    }

    @Test
    void should_feed_each_output_to_the_next_model_until_max_steps() {
        Run run = Run.builder(Network.of(TestModels.grower()), Payload.text("a")).maxSteps(4).start().await();

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("max-steps");
        assertThat(run.predictions()).extracting(Prediction::sequence).containsExactly(0, 1, 2, 3);
        assertThat(run.predictions()).extracting(p -> ((Payload.Text) p.output()).text())
                .containsExactly("a+", "a++", "a+++", "a++++");
        for (int i = 1; i < 4; i++) {
            assertThat(run.predictions().get(i).input()).isEqualTo(run.predictions().get(i - 1).output());
        }
        assertThat(run.finishedAt()).isPresent();
        assertThat(run.predictions()).allSatisfy(p -> assertThat(p.runId()).isEqualTo(run.id()));
    }

    @Test
    void should_find_a_period_two_loop_and_say_where_it_started() {
        Model swapper = TestModels.text("test:swap", s -> s.equals("day") ? "night" : "day");

        Run run = Run.builder(Network.of(swapper), Payload.text("day")).stopWhen(StopRule.exactRepeat())
                .maxSteps(50).start().await();

        StopReason reason = run.stopReason().orElseThrow();
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(reason.rule()).isEqualTo("exact-repeat");
        assertThat(reason.sequence()).hasValue(2);
        assertThat(reason.patternStart()).hasValue(0);
        assertThat(reason.period()).hasValue(2);
        assertThat(reason.message()).isEqualTo("output 2 repeats output 0 exactly: a loop of period 2");
    }

    @Test
    void should_call_a_repeat_one_network_cycle_later_a_fixed_point() {
        Model painter = TestModels.model("t:paint", Modality.TEXT, Modality.IMAGE,
                p -> TestModels.png(Math.min(3, ((Payload.Text) p).text().length())));
        Model describer = TestModels.model("t:describe", Modality.IMAGE, Modality.TEXT,
                p -> Payload.text("x".repeat(((Payload.Image) p).data().get(4))));

        Run run = Run.builder(Network.of(painter, describer), Payload.text("hello"))
                .stopWhen(StopRule.exactRepeat()).maxSteps(50).start().await();

        StopReason reason = run.stopReason().orElseThrow();
        assertThat(reason.period()).hasValue(2);
        assertThat(reason.patternStart()).hasValue(0);
        assertThat(reason.message()).endsWith("a fixed point of the network");
        assertThat(run.predictions()).hasSize(3);
    }

    @Test
    void should_not_take_the_same_output_from_another_model_for_a_loop() {
        // Both models answer "same": a repeat across positions is not a loop.
        Model a = TestModels.text("t:a", s -> "same");
        Model b = TestModels.text("t:b", s -> s.equals("same") ? "same" : "other");

        Run run = Run.builder(Network.of(a, b), Payload.text("x")).stopWhen(StopRule.exactRepeat())
                .maxSteps(50).start().await();

        assertThat(run.stopReason().orElseThrow().sequence()).hasValue(2);
        assertThat(run.stopReason().orElseThrow().patternStart()).hasValue(0);
    }

    @Test
    void should_end_a_run_whose_model_hangs_when_its_time_is_up() {
        GatedModel gated = new GatedModel();

        Run run = Run.builder(Network.of(gated.model), Payload.text("x"))
                .maxDuration(Duration.ofMillis(150)).start();

        assertThat(run.await(WAIT)).isTrue();
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("max-duration");
        assertThat(gated.calls.get(0)).isCancelled();
        assertThat(run.predictions()).isEmpty();
    }

    @Test
    void should_cancel_the_call_in_flight_when_cancelled() throws Exception {
        GatedModel gated = new GatedModel();
        Run run = Run.builder(Network.of(gated.model), Payload.text("x")).forever().start();
        CompletableFuture<ModelOutput> call = gated.awaitCall(0);

        run.cancel();

        assertThat(run.await(WAIT)).isTrue();
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(call).isCancelled();
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("cancel");
    }

    @Test
    void should_finish_and_keep_the_call_in_flight_when_stopped() throws Exception {
        GatedModel gated = new GatedModel();
        Run run = Run.builder(Network.of(gated.model), Payload.text("x")).forever().start();
        CompletableFuture<ModelOutput> call = gated.awaitCall(0);

        run.stop();
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        call.complete(new ModelOutput(Payload.text("y"), null));

        assertThat(run.await(WAIT)).isTrue();
        assertThat(run.status()).isEqualTo(RunStatus.STOPPED);
        assertThat(run.predictions()).hasSize(1);
        assertThat(gated.calls).hasSize(1);
    }

    @Test
    void should_stop_at_once_while_waiting_for_the_pacing_timer() {
        Run run = Run.builder(Network.of(TestModels.grower()), Payload.text("a"))
                .pacing(Pacing.fixed(Duration.ofHours(1))).forever().start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (run.predictions().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }

        run.stop();

        assertThat(run.await(WAIT)).isTrue();
        assertThat(run.status()).isEqualTo(RunStatus.STOPPED);
        assertThat(run.predictions()).hasSize(1);
    }

    @Test
    void should_stop_on_a_flag_set_by_another_thread() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean flag = new java.util.concurrent.atomic.AtomicBoolean();
        GatedModel gated = new GatedModel();
        Run run = Run.builder(Network.of(gated.model), Payload.text("x"))
                .stopWhen(StopRule.when("flag", flag::get)).forever().start();
        gated.awaitCall(0).complete(new ModelOutput(Payload.text("1"), null));
        gated.awaitCall(1);

        flag.set(true);
        gated.awaitCall(1).complete(new ModelOutput(Payload.text("2"), null));

        assertThat(run.await(WAIT)).isTrue();
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("flag");
        assertThat(run.predictions()).hasSize(2);
    }

    @Test
    void should_fail_the_run_and_record_the_error_when_a_model_fails() {
        Model failing = Model.of(new ModelInfo(ModelId.parse("test:fail"), Modality.TEXT, Modality.TEXT, ""),
                Parameters.empty(), (in, p) -> CompletableFuture.failedFuture(
                        new RateLimitedException("slow down", null, 429, Duration.ofSeconds(3))));
        List<RunEvent> events = new CopyOnWriteArrayList<>();

        Run run = Run.builder(Network.of(failing), Payload.text("x")).forever().listener(events::add).start().await();

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        Prediction p = run.predictions().get(0);
        assertThat(p.succeeded()).isFalse();
        assertThat(p.output()).isNull();
        assertThat(p.error()).isEqualTo(new Prediction.Failure("RateLimitedException", "slow down"));
        assertThat(run.stopReason().orElseThrow().message()).contains("test:fail", "slow down");
        assertThat(events).hasAtLeastOneElementOfType(RunEvent.PredictionFailed.class);
    }

    @Test
    void should_send_events_in_order_and_survive_a_failing_listener() {
        List<RunEvent> events = new CopyOnWriteArrayList<>();

        Run run = Run.builder(Network.of(TestModels.grower()), Payload.text("a")).maxSteps(3)
                .listener(e -> {
                    throw new IllegalStateException("listener bug");
                })
                .listener(events::add).start().await();

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly("Started",
                "PredictionStarted", "PredictionMade", "PredictionStarted", "PredictionMade",
                "PredictionStarted", "PredictionMade", "Finished");
        assertThat(((RunEvent.PredictionStarted) events.get(3)).sequence()).isEqualTo(1);
        RunEvent.Finished finished = (RunEvent.Finished) events.get(7);
        assertThat(finished.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(events).allSatisfy(e -> assertThat(e.runId()).isEqualTo(run.id()));
    }

    @Test
    void should_pass_streamed_pieces_on_as_events_before_the_prediction() {
        Model.Invoker streaming = new Model.Invoker() {
            @Override
            public CompletableFuture<ModelOutput> invoke(Payload input, Parameters parameters) {
                return invoke(input, parameters, piece -> { });
            }

            @Override
            public CompletableFuture<ModelOutput> invoke(Payload input, Parameters parameters,
                                                         java.util.function.Consumer<String> partial) {
                partial.accept("a ");
                partial.accept("cat");
                return CompletableFuture.completedFuture(new ModelOutput(Payload.text("a cat"), null));
            }
        };
        Model model = Model.of(new ModelInfo(ModelId.parse("test:stream"), Modality.TEXT, Modality.TEXT, ""),
                Parameters.empty(), streaming);
        List<RunEvent> events = new CopyOnWriteArrayList<>();

        Run.builder(Network.of(model), Payload.text("x")).maxSteps(1).listener(events::add).start().await();

        assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly("Started",
                "PredictionStarted", "PartialOutput", "PartialOutput", "PredictionMade", "Finished");
        assertThat(events).filteredOn(e -> e instanceof RunEvent.PartialOutput)
                .extracting(e -> ((RunEvent.PartialOutput) e).piece()).containsExactly("a ", "cat");
    }

    @Test
    void should_publish_events_to_flow_subscribers() throws Exception {
        GatedModel gated = new GatedModel();
        Run run = Run.builder(Network.of(gated.model), Payload.text("x")).maxSteps(2).start();
        List<RunEvent> got = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        run.events().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(RunEvent item) {
                got.add(item);
            }

            @Override
            public void onError(Throwable t) {
                done.countDown();
            }

            @Override
            public void onComplete() {
                done.countDown();
            }
        });

        gated.awaitCall(0).complete(new ModelOutput(Payload.text("1"), null));
        gated.awaitCall(1).complete(new ModelOutput(Payload.text("2"), null));

        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(got).filteredOn(e -> e instanceof RunEvent.PredictionMade).hasSize(2);
        assertThat(got.get(got.size() - 1)).isInstanceOf(RunEvent.Finished.class);
    }

    @Test
    void should_record_where_an_observed_rule_would_have_stopped_and_go_on() {
        Model swapper = TestModels.text("test:swap", s -> s.equals("day") ? "night" : "day");
        List<RunEvent> events = new CopyOnWriteArrayList<>();

        Run run = Run.builder(Network.of(swapper), Payload.text("day")).observe(StopRule.exactRepeat())
                .maxSteps(8).listener(events::add).start().await();

        assertThat(run.predictions()).hasSize(8);
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("max-steps");
        assertThat(run.observations()).singleElement()
                .satisfies(o -> assertThat(o.sequence()).hasValue(2))
                .satisfies(o -> assertThat(o.period()).hasValue(2));
        assertThat(events).filteredOn(e -> e instanceof RunEvent.Observed).hasSize(1);
        assertThat(run.info().observations()).isEqualTo(run.observations());
    }

    @Test
    void should_wait_as_the_pacing_says_before_each_step_but_not_the_first() {
        List<Integer> asked = new CopyOnWriteArrayList<>();
        Run run = Run.builder(Network.of(TestModels.grower()), Payload.text("a")).maxSteps(3)
                .pacing((seq, elapsed) -> {
                    asked.add(seq);
                    return Duration.ofMillis(1);
                }).start().await();

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(asked).containsExactly(1, 2);
    }

    @Test
    void should_slow_down_geometrically_up_to_the_cap() {
        Pacing p = Pacing.slowingDown(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(5));
        assertThat(p.delayBefore(1, Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.delayBefore(2, Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.delayBefore(3, Duration.ZERO)).isEqualTo(Duration.ofSeconds(4));
        assertThat(p.delayBefore(4, Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void should_run_many_runs_at_once_on_one_thread_without_mixing_them_up() {
        // Each call completes 30 ms later on a timer; if a run held the only thread while waiting,
        // calls could never overlap.
        ScheduledExecutorService oneThread = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        Model slow = Model.of(new ModelInfo(ModelId.parse("test:slow"), Modality.TEXT, Modality.TEXT, ""),
                Parameters.empty(), (in, p) -> {
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    return CompletableFuture.supplyAsync(() -> {
                        inFlight.decrementAndGet();
                        return new ModelOutput(Payload.text(((Payload.Text) in).text() + "+"), null);
                    }, CompletableFuture.delayedExecutor(30, TimeUnit.MILLISECONDS));
                });
        try {
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                runs.add(Run.builder(Network.of(slow), Payload.text("run" + i)).maxSteps(3).executor(oneThread).start());
            }
            for (Run r : runs) {
                assertThat(r.await(WAIT)).isTrue();
            }

            assertThat(maxInFlight.get()).isGreaterThan(50);
            for (int i = 0; i < 100; i++) {
                assertThat(((Payload.Text) runs.get(i).predictions().get(2).output()).text()).isEqualTo("run" + i + "+++");
            }
            assertThat(runs.stream().map(Run::id).distinct()).hasSize(100);
        } finally {
            oneThread.shutdownNow();
        }
    }

    @Test
    void should_give_sortable_unique_ids_and_accept_a_chosen_one() {
        Run a = Run.builder(Network.of(TestModels.grower()), Payload.text("a")).maxSteps(1).start().await();
        Run b = Run.builder(Network.of(TestModels.grower()), Payload.text("a")).maxSteps(1).id("my-run.1").start().await();

        assertThat(a.id()).matches("\\d{8}T\\d{6}Z-[0-9a-f]{6}");
        assertThat(b.id()).isEqualTo("my-run.1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Run.builder(Network.of(TestModels.grower()),
                Payload.text("a")).id("../etc")).hasMessageContaining("run id '../etc' is not valid");
    }

    @Test
    void should_answer_and_cancel_while_a_platform_blocks_inside_its_invoker() throws Exception {
        // given: an invoker that blocks the thread that calls it until released
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Model blocking = Model.of(new ModelInfo(ModelId.parse("test:block"), Modality.TEXT, Modality.TEXT, ""),
                Parameters.empty(), (in, p) -> {
                    entered.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return CompletableFuture.completedFuture(new ModelOutput(Payload.text("late"), null));
                });
        Run run = Run.builder(Network.of(blocking), Payload.text("x")).maxSteps(3).start();
        assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();

        try {
            // when: the run is asked about and cancelled while the invoker blocks
            CompletableFuture<List<Prediction>> asked = CompletableFuture.supplyAsync(run::predictions);
            CompletableFuture<Void> cancelled = CompletableFuture.runAsync(run::cancel);

            // then: neither waits for the invoker
            assertThat(asked.get(5, TimeUnit.SECONDS)).isEmpty();
            cancelled.get(5, TimeUnit.SECONDS);
            assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
        } finally {
            release.countDown();
        }
        assertThat(run.await(WAIT)).isTrue();
        assertThat(run.predictions()).isEmpty();
    }
}
