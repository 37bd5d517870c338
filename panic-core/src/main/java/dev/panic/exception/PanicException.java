package dev.panic.exception;

import java.time.Duration;
import java.util.Optional;

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

    private final int httpStatus;
    private final Duration retryAfter;

    /** An exception with a message. */
    public PanicException(String message) {
        this(message, null, -1, null);
    }

    /** An exception with a message and a cause. */
    public PanicException(String message, Throwable cause) {
        this(message, cause, -1, null);
    }

    /**
     * An exception from a platform call.
     *
     * @param httpStatus the HTTP status the platform answered with, or -1 if none
     * @param retryAfter how long the platform asked us to wait, or null
     */
    protected PanicException(String message, Throwable cause, int httpStatus, Duration retryAfter) {
        super(message, cause);
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
    public Optional<Integer> httpStatus() {
        return httpStatus < 0 ? Optional.empty() : Optional.of(httpStatus);
    }

    /** How long the platform asked callers to wait before trying again, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
