package dev.panic.exception;

/**
 * A model answered, but not in the shape it was asked for (not JSON, a field missing or empty),
 * and still did not after being told what was wrong. Not retriable as it stands: change the
 * prompt, the examples or the model.
 */
public class InvalidAnswerException extends PanicException {

    /** An exception with a message. */
    public InvalidAnswerException(String message) {
        super(message);
    }
}
