package dev.panic.exception;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The root of every exception PANIC throws. All are unchecked.
 *
 * <p>Subclasses are typed by cause, so callers catch what they can act on:
 * {@link ValidationException} (bad input to the library itself), {@link NotFoundException},
 * {@link InvalidAnswerException} (a model answered in the wrong shape),
 * {@link AuthenticationException}, {@link InvalidRequestException}, {@link ContentRejectedException},
 * {@link RateLimitedException}, {@link UnavailableException} and {@link CallTimeoutException}.
 * {@link #isRetriable()} says whether the same call may succeed if tried again later.
 *
 * <p>Messages say what is wrong and what to do. They never contain an API key.
 */
public class PanicException extends RuntimeException {

    /** The HTTP status, or {@link #NO_STATUS}; kept as an int so the exception stays serializable. */
    private final int httpStatus;
    private final Duration retryAfter;

    private static final int NO_STATUS = 0;

    /** An exception with a message. */
    public PanicException(String message) {
        this(message, null, null);
    }

    /** An exception with a message and a cause. */
    public PanicException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /**
     * An exception from a platform call that carried no HTTP status.
     *
     * @param retryAfter how long the platform asked us to wait, or null if it did not say
     */
    protected PanicException(String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.httpStatus = NO_STATUS;
        this.retryAfter = retryAfter;
    }

    /**
     * An exception from a platform's HTTP answer.
     *
     * @param httpStatus the HTTP status the platform answered with (100 to 599)
     * @param retryAfter how long the platform asked us to wait, or null if it did not say
     * @throws ValidationException if {@code httpStatus} is not an HTTP status; use the constructor
     *         without one when there is none
     */
    protected PanicException(String message, Throwable cause, int httpStatus, Duration retryAfter) {
        super(message, cause);
        if (httpStatus < 100 || httpStatus > 599) {
            throw new ValidationException("httpStatus " + httpStatus + " is not an HTTP status (100 to 599);"
                    + " use the constructor without a status when the failure carried none");
        }
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    /**
     * The {@code PanicException} behind a failure, unwrapping {@link java.util.concurrent.CompletionException}
     * and {@link java.util.concurrent.ExecutionException}; anything else is wrapped in a plain
     * {@code PanicException} that keeps it as its cause.
     */
    public static PanicException from(Throwable t) {
        t = unwrap(t);
        return t instanceof PanicException p ? p : new PanicException(String.valueOf(t), t);
    }

    /**
     * The failure behind the wrappers futures add: the cause of a
     * {@link java.util.concurrent.CompletionException} or {@link java.util.concurrent.ExecutionException},
     * repeatedly; anything else (a {@link java.util.concurrent.CancellationException} included) as it is.
     * The one place this unwrapping is written; use it wherever a future's failure is handled.
     */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** True if the same call may succeed when tried again later. */
    public boolean isRetriable() {
        return false;
    }

    /** The HTTP status of the platform's answer, if the error came from one. */
    public OptionalInt httpStatus() {
        return httpStatus == NO_STATUS ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    /** How long the platform asked callers to wait before trying again, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
