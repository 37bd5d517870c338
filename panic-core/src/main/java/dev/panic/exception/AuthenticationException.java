package dev.panic.exception;

import java.time.Duration;

/** The platform refused the credentials (missing, wrong or revoked key). Set the key named in the message. */
public class AuthenticationException extends PanicException {

    /** An exception with a message. */
    public AuthenticationException(String message) {
        super(message, null, -1, null);
    }

    /** An exception with a message and a cause. */
    public AuthenticationException(String message, Throwable cause) {
        super(message, cause, -1, null);
    }

    /**
     * An exception from a platform's answer.
     *
     * @param httpStatus the HTTP status, or -1 if none
     * @param retryAfter how long the platform asked to wait, or null
     */
    public AuthenticationException(String message, Throwable cause, int httpStatus, Duration retryAfter) {
        super(message, cause, httpStatus, retryAfter);
    }
}
