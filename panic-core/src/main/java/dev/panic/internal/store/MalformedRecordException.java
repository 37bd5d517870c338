package dev.panic.internal.store;

/**
 * A JSON record that parsed but does not describe a valid run or prediction. Thrown by the codec
 * without knowing which file or line it came from; the reader catches it and adds that.
 */
final class MalformedRecordException extends RuntimeException {

    MalformedRecordException(String message) {
        super(message);
    }

    MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
