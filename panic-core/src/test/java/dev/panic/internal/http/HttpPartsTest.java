package dev.panic.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.exception.UnavailableException;
import dev.panic.exception.ValidationException;
import dev.panic.http.HttpSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class HttpPartsTest {

    @Test
    void should_read_retry_after_as_seconds_or_as_an_http_date() {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        assertThat(RetryAfter.parseHeader("7", now)).hasValue(Duration.ofSeconds(7));
        assertThat(RetryAfter.parseHeader("1.5", now)).hasValue(Duration.ofMillis(1500));
        assertThat(RetryAfter.parseHeader("Sat, 21 Nov 2026 10:00:30 GMT", now)).hasValue(Duration.ofSeconds(30));
        assertThat(RetryAfter.parseHeader("Sat, 21 Nov 2026 09:00:00 GMT", now)).hasValue(Duration.ZERO);
        assertThat(RetryAfter.parseHeader("soon", now)).isEmpty();
        assertThat(RetryAfter.parseHeader("-3", now)).isEmpty();
    }

    @Test
    void should_hand_a_freed_place_to_the_next_caller_in_line() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            AsyncBulkhead b = new AsyncBulkhead("p", 2, Duration.ofMinutes(1), timer);
            CompletableFuture<Void> first = b.acquire();
            CompletableFuture<Void> second = b.acquire();
            CompletableFuture<Void> third = b.acquire();

            assertThat(first).isDone();
            assertThat(second).isDone();
            assertThat(third).isNotDone();
            assertThat(b.waiting()).isEqualTo(1);

            b.release();
            assertThat(third).isDone();
            assertThat(b.inUse()).isEqualTo(2);
            b.release();
            b.release();
            assertThat(b.inUse()).isZero();
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void should_give_up_waiting_for_a_place_after_the_maximum_wait() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            AsyncBulkhead b = new AsyncBulkhead("p", 1, Duration.ofMillis(50), timer);
            b.acquire();
            CompletableFuture<Void> late = b.acquire();

            assertThatThrownBy(late::join).hasCauseInstanceOf(UnavailableException.class)
                    .hasMessageContaining("raise maxConcurrentCalls");
            assertThat(b.waiting()).isZero();
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void should_name_the_setting_that_is_out_of_range() {
        assertThatThrownBy(() -> HttpSettings.builder().maxAttempts(0).build())
                .isInstanceOf(ValidationException.class).hasMessage("maxAttempts must be at least 1, got 0");
        assertThatThrownBy(() -> HttpSettings.builder().jitter(1.5).build()).hasMessageContaining("jitter");
        assertThat(HttpSettings.defaults().toBuilder().maxConcurrentCalls(5).build().maxConcurrentCalls()).isEqualTo(5);
    }
}
