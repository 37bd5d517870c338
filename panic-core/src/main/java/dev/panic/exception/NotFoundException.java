package dev.panic.exception;

import java.time.Duration;

/** A platform, model, run or file that does not exist; the message lists what does, or says how to get it. */
public class NotFoundException extends PanicException {

    /** An exception with a message. */
    public NotFoundException(String message) {
        super(message, null, -1, null);
    }

    /** An exception with a message and a cause. */
    public NotFoundException(String message, Throwable cause) {
        super(message, cause, -1, null);
    }

    /**
     * An exception from a platform's answer.
     *
     * @param httpStatus the HTTP status, or -1 if none
     * @param retryAfter how long the platform asked to wait, or null
     */
    public NotFoundException(String message, Throwable cause, int httpStatus, Duration retryAfter) {
        super(message, cause, httpStatus, retryAfter);
    }
}
