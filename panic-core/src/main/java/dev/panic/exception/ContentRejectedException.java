package dev.panic.exception;

import java.time.Duration;

/** The platform's safety filter refused the input or the output. Change the input; retrying it unchanged will not help. */
public class ContentRejectedException extends PanicException {

    /** An exception with a message. */
    public ContentRejectedException(String message) {
        super(message, null, -1, null);
    }

    /** An exception with a message and a cause. */
    public ContentRejectedException(String message, Throwable cause) {
        super(message, cause, -1, null);
    }

    /**
     * An exception from a platform's answer.
     *
     * @param httpStatus the HTTP status, or -1 if none
     * @param retryAfter how long the platform asked to wait, or null
     */
    public ContentRejectedException(String message, Throwable cause, int httpStatus, Duration retryAfter) {
        super(message, cause, httpStatus, retryAfter);
    }
}
