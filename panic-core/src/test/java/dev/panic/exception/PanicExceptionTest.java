package dev.panic.exception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PanicExceptionTest {

    @Test
    void aFailureWithoutAnHttpAnswerHasNoStatus() {
        RateLimitedException e = new RateLimitedException("wait", null, Duration.ofSeconds(2));
        assertThat(e.httpStatus()).isEmpty();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(new ValidationException("bad").httpStatus()).isEmpty();
        assertThat(new UnavailableException("down", null, (Duration) null).retryAfter()).isEmpty();
    }

    @Test
    void anHttpAnswerKeepsItsStatus() {
        assertThat(new InvalidRequestException("no", null, 422, null).httpStatus()).hasValue(422);
    }

    @Test
    void aStatusThatIsNoHttpStatusIsRefusedInsteadOfMeaningNone() {
        assertThatThrownBy(() -> new UnavailableException("down", null, -1, null))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("-1");
    }
}
