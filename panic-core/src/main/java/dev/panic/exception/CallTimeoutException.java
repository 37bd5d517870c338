package dev.panic.exception;

import java.time.Duration;

/** A call took longer than its configured timeout. */
public class CallTimeoutException extends PanicException {

    /** An exception with a message. */
    public CallTimeoutException(String message) {
        super(message, null, -1, null);
    }

    /** An exception with a message and a cause. */
    public CallTimeoutException(String message, Throwable cause) {
        super(message, cause, -1, null);
    }

    /**
     * An exception from a platform's answer.
     *
     * @param httpStatus the HTTP status, or -1 if none
     * @param retryAfter how long the platform asked to wait, or null
     */
    public CallTimeoutException(String message, Throwable cause, int httpStatus, Duration retryAfter) {
        super(message, cause, httpStatus, retryAfter);
    }

    /** Always true: the same call may succeed later. */
    @Override
    public boolean isRetriable() {
        return true;
    }
}
