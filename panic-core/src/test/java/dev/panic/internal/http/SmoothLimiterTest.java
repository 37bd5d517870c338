package dev.panic.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.panic.testing.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rate limit, on a clock the test moves: what is granted when, with no real time involved. */
class SmoothLimiterTest {

    private final ManualTime time = new ManualTime();

    private SmoothLimiter limiter(double perSecond) {
        return new SmoothLimiter(perSecond, time, time.clock(), () -> 0.0);
    }

    /** Grant times, in milliseconds from now, of {@code n} waiters that join at once, over {@code span}. */
    private List<Long> grants(SmoothLimiter limiter, int n, Duration span, Duration step) {
        long t0 = time.nanos();
        List<SmoothLimiter.Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tickets.add(limiter.acquire(i));
        }
        for (long waited = 0; waited < span.toNanos(); waited += step.toNanos()) {
            time.advance(step);
        }
        return tickets.stream().filter(t -> t.isDone() && !t.isCompletedExceptionally())
                .map(t -> (t.join() - t0) / 1_000_000).toList();
    }

    @Test
    void should_spread_permits_evenly_instead_of_releasing_a_period_at_once() {
        List<Long> at = grants(limiter(10), 25, Duration.ofSeconds(2), Duration.ofMillis(1));

        // 10 a second is one every 100 ms: 21 within two seconds (at 0, 100, ... 2000), never two together.
        assertThat(at).hasSize(21);
        for (int i = 0; i < at.size(); i++) {
            assertThat(at.get(i)).isEqualTo(100L * i);
        }
    }

    @Test
    void should_hold_an_account_under_sixty_a_minute_to_its_rate() {
        SmoothLimiter l = limiter(50);
        l.limitTo(20 / 60.0); // the platform said: 20 requests a minute

        List<Long> at = grants(l, 5, Duration.ofSeconds(10), Duration.ofMillis(10));

        assertThat(at).containsExactly(0L, 3000L, 6000L, 9000L);
    }

    @Test
    void should_apply_a_lower_limit_to_calls_already_waiting_without_a_burst_at_the_old_pace() {
        SmoothLimiter l = limiter(50);
        List<SmoothLimiter.Ticket> line = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            line.add(l.acquire(i));
        }
        assertThat(line.get(0)).isDone();

        l.limitTo(5); // learned from the first answer, while nine wait
        time.advance(Duration.ofMillis(199));
        assertThat(line.get(1)).isNotDone();
        time.advance(Duration.ofMillis(1));
        assertThat(line.get(1)).isDone();
        time.advance(Duration.ofMillis(199));
        assertThat(line.get(2)).isNotDone();
    }

    @Test
    void should_pause_every_grant_for_the_wait_a_429_asks_for_and_slow_down() {
        SmoothLimiter l = limiter(20);
        SmoothLimiter.Ticket first = l.acquire(0);
        SmoothLimiter.Ticket second = l.acquire(1);

        l.refused(first.join(), Duration.ofSeconds(2));
        time.advance(Duration.ofMillis(1999));

        assertThat(second).isNotDone();
        assertThat(l.rate()).isCloseTo(20 * SmoothLimiter.DECREASE, within(1e-9));
        time.advance(Duration.ofMillis(1));
        assertThat(second).isDone();
    }

    @Test
    void should_cut_the_rate_once_for_429s_of_calls_sent_before_the_cut() {
        SmoothLimiter l = limiter(20);
        long a = l.acquire(0).join();
        time.advance(Duration.ofMillis(50));
        long b = l.acquire(1).join();

        l.refused(a, null);
        l.refused(b, null); // in flight when the first 429 came: the same overload

        assertThat(l.rate()).isCloseTo(20 * SmoothLimiter.DECREASE, within(1e-9));
        time.advance(Duration.ofSeconds(1));
        long c = l.acquire(2).join();
        l.refused(c, null); // sent at the lowered rate and still refused: lower again
        assertThat(l.rate()).isCloseTo(20 * SmoothLimiter.DECREASE * SmoothLimiter.DECREASE, within(1e-9));
    }

    @Test
    void should_climb_back_to_its_ceiling_as_calls_succeed_but_never_above_it() {
        SmoothLimiter l = limiter(20);
        l.refused(l.acquire(0).join(), null);
        double cut = l.rate();
        List<SmoothLimiter.Ticket> line = new ArrayList<>();
        for (int i = 1; i < 2000; i++) {
            line.add(l.acquire(i));
        }
        double previous = cut;
        for (int second = 0; second < 30; second++) {
            for (int ms = 0; ms < 1000; ms += 10) {
                time.advance(Duration.ofMillis(10));
                l.accepted(time.nanos());
            }
            assertThat(l.rate()).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(20);
            previous = l.rate();
        }
        assertThat(cut).isLessThan(20);
        assertThat(l.rate()).isEqualTo(20);
        line.forEach(t -> t.cancel(true));
    }

    @Test
    void should_never_raise_the_limit_above_the_configured_one() {
        SmoothLimiter l = limiter(5);

        l.limitTo(500);

        assertThat(l.rate()).isEqualTo(5);
        assertThat(l.ceiling()).isEqualTo(5);
    }

    @Test
    void should_give_a_cancelled_waiters_permit_to_the_next_in_line() {
        SmoothLimiter l = limiter(10);
        l.acquire(0);
        SmoothLimiter.Ticket gone = l.acquire(1);
        SmoothLimiter.Ticket next = l.acquire(2);

        gone.cancel(true);
        time.advance(Duration.ofMillis(100));

        assertThat(next).isDone();
        assertThat(l.waiting()).isZero();
    }

    @Test
    void should_serve_a_retried_call_before_calls_that_came_after_it() {
        SmoothLimiter l = limiter(10);
        l.acquire(0);
        SmoothLimiter.Ticket later = l.acquire(50);
        SmoothLimiter.Ticket retried = l.acquire(10); // its first attempt was at 10

        time.advance(Duration.ofMillis(100));

        assertThat(retried).isDone();
        assertThat(later).isNotDone();
    }
}
