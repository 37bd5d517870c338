package dev.panic.exception;

/** Bad input to PANIC itself (null, empty, out of range, mismatched modalities), thrown at the call site before anything is sent anywhere. */
public class ValidationException extends PanicException {

    /** An exception with a message. */
    public ValidationException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public ValidationException(String message, Throwable cause) {
        super(message, cause);
    }

}
