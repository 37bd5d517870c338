package dev.panic.exception;

import java.time.Duration;

/** A call took longer than its configured timeout. */
public class CallTimeoutException extends PanicException {

    /** An exception with a message. */
    public CallTimeoutException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public CallTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * An exception from a platform's answer that carried no HTTP status (a broken stream, a call never sent).
     *
     * @param retryAfter how long the platform asked to wait, or null if it did not say
     */
    public CallTimeoutException(String message, Throwable cause, Duration retryAfter) {
        super(message, cause, retryAfter);
    }

    /**
     * An exception from a platform's HTTP answer.
     *
     * @param httpStatus the HTTP status the platform answered with (100 to 599)
     * @param retryAfter how long the platform asked to wait, or null if it did not say
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
