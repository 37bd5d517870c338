package dev.panic.exception;

import java.time.Duration;

/** The platform rejected the request as malformed or unsupported (bad parameter, wrong input type); retrying it unchanged will not help. Also used for a permanent account problem such as exhausted quota. */
public class InvalidRequestException extends PanicException {

    /** An exception with a message. */
    public InvalidRequestException(String message) {
        super(message, null, -1, null);
    }

    /** An exception with a message and a cause. */
    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause, -1, null);
    }

    /**
     * An exception from a platform's answer.
     *
     * @param httpStatus the HTTP status, or -1 if none
     * @param retryAfter how long the platform asked to wait, or null
     */
    public InvalidRequestException(String message, Throwable cause, int httpStatus, Duration retryAfter) {
        super(message, cause, httpStatus, retryAfter);
    }
}
