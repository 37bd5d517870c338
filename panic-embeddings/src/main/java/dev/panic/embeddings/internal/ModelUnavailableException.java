package dev.panic.embeddings.internal;

import dev.panic.exception.UnavailableException;

/**
 * An in-process model that could not be loaded. It is an {@link UnavailableException} because
 * the embedder cannot serve, but unlike a remote outage it will not recover by itself: the JVM
 * keeps a failed class initialisation (a missing native library, a jar without its weights) for
 * good, so retrying in the same process cannot help.
 */
public final class ModelUnavailableException extends UnavailableException {

    /** An exception with a message and the failure behind it. */
    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Always false: the same process will fail the same way. */
    @Override
    public boolean isRetriable() {
        return false;
    }
}
