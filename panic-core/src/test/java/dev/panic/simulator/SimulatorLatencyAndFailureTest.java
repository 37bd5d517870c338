package dev.panic.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.Model;
import dev.panic.ModelOutput;
import dev.panic.Network;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Run;
import dev.panic.RunStatus;
import dev.panic.exception.UnavailableException;
import dev.panic.exception.ValidationException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimulatorLatencyAndFailureTest {

    @Test
    void should_answer_asynchronously_when_given_a_latency() throws Exception {
        // given
        SimulatorPlatform slow = SimulatorPlatform.builder().latency(Duration.ofMillis(200)).build();
        Model painter = slow.model("painter", Parameters.empty());

        // when
        CompletableFuture<ModelOutput> future = painter.invokeAsync(Payload.text("a red circle"), Parameters.empty());

        // then
        assertThat(future).isNotDone();
        ModelOutput out = future.get(10, TimeUnit.SECONDS);
        assertThat(out.payload()).isEqualTo(SimTesting.call("painter", Payload.text("a red circle")));
    }

    @Test
    void should_run_many_slow_runs_at_once_without_a_thread_each() {
        // given
        SimulatorPlatform slow = SimulatorPlatform.builder()
                .latency(Duration.ofMillis(50)).latencyJitter(Duration.ofMillis(20)).seed(1).build();
        Network network = Network.of(slow.model("painter", Parameters.empty()), slow.model("describer", Parameters.empty()));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int before = threads.getThreadCount();
        threads.resetPeakThreadCount();

        // when
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            runs.add(Run.builder(network, Payload.text("a red circle and shape " + i)).maxSteps(3).start());
        }
        runs.forEach(Run::await);

        // then
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(r.predictions()).hasSize(3);
        });
        assertThat(threads.getPeakThreadCount() - before).isLessThan(50);
    }

    @Test
    void should_fail_every_call_at_failure_rate_one() {
        // given
        SimulatorPlatform broken = SimulatorPlatform.builder().failureRate(1.0).build();
        Model painter = broken.model("painter", Parameters.empty());

        // when / then
        assertThatThrownBy(() -> painter.invoke(Payload.text("a red circle")))
                .isInstanceOf(UnavailableException.class)
                .hasMessage("simulated failure of sim:painter (failure rate 1.0)");
        assertThat(new UnavailableException("x").isRetriable()).isTrue();
    }

    @Test
    void should_fail_a_slow_call_later_not_at_once() {
        // given
        SimulatorPlatform broken = SimulatorPlatform.builder()
                .failureRate(1.0).latency(Duration.ofMillis(200)).build();

        // when
        CompletableFuture<ModelOutput> future = broken.model("painter", Parameters.empty())
                .invokeAsync(Payload.text("a red circle"), Parameters.empty());

        // then
        assertThat(future).isNotDone();
        assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnavailableException.class);
    }

    @Test
    void should_end_a_run_as_failed_when_a_simulated_failure_happens() {
        // given
        SimulatorPlatform broken = SimulatorPlatform.builder().failureRate(1.0).build();

        // when
        Run run = SimTesting.loop(Payload.text("a red circle"), 5, broken.model("painter", Parameters.empty()),
                broken.model("describer", Parameters.empty()));

        // then
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.predictions()).singleElement()
                .satisfies(p -> assertThat(p.error().type()).isEqualTo("UnavailableException"));
    }

    @Test
    void should_reproduce_the_failure_pattern_of_a_seed() {
        // given
        SimulatorPlatform a = SimulatorPlatform.builder().failureRate(0.5).seed(42).build();
        SimulatorPlatform b = SimulatorPlatform.builder().failureRate(0.5).seed(42).build();
        SimulatorPlatform c = SimulatorPlatform.builder().failureRate(0.5).seed(43).build();

        // when
        List<Boolean> patternA = failures(a, 64);
        List<Boolean> patternB = failures(b, 64);
        List<Boolean> patternC = failures(c, 64);

        // then
        assertThat(patternA).isEqualTo(patternB).contains(true, false);
        assertThat(patternC).isNotEqualTo(patternA);
    }

    @Test
    void should_reject_impossible_settings() {
        assertThatThrownBy(() -> SimulatorPlatform.builder().failureRate(1.5))
                .isInstanceOf(ValidationException.class).hasMessageContaining("failure rate");
        assertThatThrownBy(() -> SimulatorPlatform.builder().failureRate(Double.NaN))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> SimulatorPlatform.builder().latency(Duration.ofMillis(-1)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("latency");
        assertThatThrownBy(() -> SimulatorPlatform.builder().latencyJitter(null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("jitter");
    }

    private static List<Boolean> failures(SimulatorPlatform platform, int calls) {
        Model painter = platform.model("painter", Parameters.empty());
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            out.add(painter.invokeAsync(Payload.text("a red circle"), Parameters.empty()).isCompletedExceptionally());
        }
        return out;
    }
}
