package dev.panic.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.Change;
import dev.panic.Pacing;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.RunEvent;
import dev.panic.RunSpec;
import dev.panic.RunStatus;
import dev.panic.StopRule;
import dev.panic.exception.ValidationException;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import dev.panic.testing.TestEmbedders;
import dev.panic.testing.TestPlatform;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable runs in the SDK's in-process test environment, whose clock skips ahead when every
 * workflow waits on a timer: pacing of hours takes no time, and long runs continue as new.
 */
class DurableRunTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private TestWorkflowEnvironment env;
    private RunStore store;
    private TestPlatform t;
    private Platforms platforms;
    private final AtomicInteger fifth = new AtomicInteger();

    @BeforeEach
    void start() {
        env = TestWorkflowEnvironment.newInstance();
        store = RunStore.directory(dir);
        t = new TestPlatform("t").text("grow", s -> s + "+")
                // A cycle of period five: an exact repeat shows at prediction 5.
                .text("five", s -> "state " + (fifth.getAndIncrement() % 5));
        platforms = Platforms.builder().register(t).register(TestEmbedders.words("w", 16)).build();
        PanicWorker.register(env::newWorker, TemporalRuns.DEFAULT_TASK_QUEUE, store, platforms);
        env.start();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    private TemporalRuns runs(int continueAfter) {
        return TemporalRuns.builder(env.getWorkflowClient()).store(store).platforms(platforms)
                .continueAsNewAfter(continueAfter).build();
    }

    @Test
    void should_make_the_same_run_as_one_process_and_send_the_same_events() {
        // given
        RunSpec spec = Run.builder(platforms.network("t:grow"), Payload.text("x")).embedWith(TestEmbedders.words("w", 16))
                .maxSteps(5).spec();
        List<RunEvent> events = new CopyOnWriteArrayList<>();

        // when
        TemporalRun run = runs(500).start(spec, events::add);
        assertThat(run.await(WAIT)).isTrue();

        // then
        Run local = Run.builder(spec, platforms).start().await();
        StoredRun saved = store.read(run.id());
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("max-steps");
        assertThat(saved.info().status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(saved.predictions()).extracting(p -> ((Payload.Text) p.output()).text())
                .containsExactlyElementsOf(local.predictions().stream().map(p -> ((Payload.Text) p.output()).text()).toList());
        assertThat(saved.predictions()).allSatisfy(p -> assertThat(p.embeddings()).containsKey("w"));
        assertThat(saved.warnings()).isEmpty();
        assertThat(events.get(0)).isInstanceOf(RunEvent.Started.class);
        assertThat(events).filteredOn(e -> e instanceof RunEvent.PredictionMade)
                .extracting(e -> ((RunEvent.PredictionMade) e).prediction().sequence()).containsExactly(0, 1, 2, 3, 4);
        assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(RunEvent.Finished.class,
                f -> assertThat(f.status()).isEqualTo(RunStatus.COMPLETED));
        assertThat(run.latest()).last().satisfies(o -> assertThat(o.output()).isEqualTo("x+++++"));
    }

    @Test
    void should_wait_out_hours_of_pacing_without_taking_the_time() {
        // given: an hour between steps
        RunSpec spec = Run.builder(platforms.network("t:grow"), Payload.text("x")).pacing(Pacing.fixed(Duration.ofHours(1)))
                .maxSteps(4).spec();
        long before = env.currentTimeMillis();
        long realBefore = System.nanoTime();

        // when
        TemporalRun run = runs(500).start(spec);
        assertThat(run.await(WAIT)).isTrue();

        // then
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(Duration.ofMillis(env.currentTimeMillis() - before)).isGreaterThanOrEqualTo(Duration.ofHours(3));
        assertThat(Duration.ofNanos(System.nanoTime() - realBefore)).isLessThan(WAIT);
        assertThat(store.read(run.id()).predictions()).hasSize(4);
    }

    @Test
    void should_continue_as_new_and_keep_its_rules_state_across_executions() {
        // given: a cycle of five, and a new execution every three steps
        RunSpec spec = Run.builder(platforms.network("t:five"), Payload.text("x")).stopWhen(StopRule.exactRepeat())
                .maxSteps(50).spec();

        // when
        TemporalRun run = runs(3).start(spec);
        assertThat(run.await(WAIT)).isTrue();

        // then: the repeat of output 0 at 5 is found although it came in another execution
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("exact-repeat");
        assertThat(run.stopReason().orElseThrow().period()).as("the pattern survives Temporal's converter").hasValue(5);
        assertThat(run.stopReason().orElseThrow().sequence()).hasValue(5);
        assertThat(store.read(run.id()).predictions()).extracting(Prediction::sequence).containsExactly(0, 1, 2, 3, 4, 5);
        HistoryEvent first = env.getWorkflowClient().fetchHistory(TemporalRuns.workflowId(run.id())).getHistory()
                .getEvents(0);
        assertThat(first.getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId())
                .as("the last execution continued an earlier one").isNotEmpty();
    }

    @Test
    void should_apply_a_steering_signal_to_the_next_prediction_and_save_its_revision() throws Exception {
        // given: a run that waits an hour between steps, so the signal arrives while it waits
        RunSpec spec = Run.builder(platforms.network("t:grow"), Payload.text("x")).pacing(Pacing.fixed(Duration.ofHours(1)))
                .maxSteps(3).spec();
        TemporalRun run = runs(500).start(spec);
        awaitNext(run, 1);

        // when
        run.steer(Change.template("grow", "<{input}>"));
        assertThat(run.await(WAIT)).isTrue();

        // then
        StoredRun saved = store.read(run.id());
        assertThat(saved.predictions()).extracting(Prediction::revision).containsExactly(0, 1, 1);
        assertThat(saved.predictions().get(1).input()).isEqualTo(Payload.text("<x+>"));
        assertThat(saved.revisions()).singleElement().satisfies(r -> {
            assertThat(r.number()).isEqualTo(1);
            assertThat(r.changes()).containsExactly(Change.template("grow", "<{input}>"));
        });
        assertThat(run.revision()).isEqualTo(1);
    }

    @Test
    void should_pause_unpause_stop_and_cancel_on_signals() throws Exception {
        // given: runs that wait an hour between steps
        RunSpec spec = Run.builder(platforms.network("t:grow"), Payload.text("x")).pacing(Pacing.fixed(Duration.ofHours(1)))
                .maxSteps(50).spec();
        TemporalRuns runs = runs(500);
        TemporalRun stopped = runs.start(spec);
        TemporalRun cancelled = runs.start(spec);
        awaitNext(stopped, 1);

        // when / then: paused, it makes no step however long it waits
        stopped.pause();
        awaitStatus(stopped, RunStatus.PAUSED);
        int at = stopped.next();
        env.sleep(Duration.ofHours(5));
        assertThat(stopped.next()).isEqualTo(at);
        stopped.unpause();
        awaitStatus(stopped, RunStatus.RUNNING);
        stopped.stop();
        cancelled.cancel();
        assertThat(stopped.await(WAIT)).isTrue();
        assertThat(cancelled.await(WAIT)).isTrue();
        assertThat(stopped.status()).isEqualTo(RunStatus.STOPPED);
        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(store.info(stopped.id()).status()).isEqualTo(RunStatus.STOPPED);
        assertThat(store.info(cancelled.id()).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(store.read(stopped.id()).predictions()).hasSize(stopped.next());
    }

    private static void awaitNext(TemporalRun run, int next) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (run.next() < next && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(run.next()).isGreaterThanOrEqualTo(next);
    }

    private static void awaitStatus(TemporalRun run, RunStatus status) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (run.status() != status && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(run.status()).isEqualTo(status);
    }

    @Test
    void should_refuse_what_a_durable_run_cannot_do() {
        RunSpec custom = Run.builder(platforms.network("t:grow"), Payload.text("x")).maxSteps(3)
                .stopWhen(StopRule.when("flag", () -> false)).spec();
        assertThatThrownBy(() -> runs(500).start(custom)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("built-in rules");
    }
}
