package dev.panic.spi.http;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The answer to a request that {@link PlatformHttp} is working on. Cancelling it stops the call
 * wherever it is: a call waiting (for a permit, a place in flight, a retry) is never sent, and an
 * exchange under way is aborted. {@link #withdraw()} is the gentler cancel a paid request needs.
 */
public final class PendingResponse extends CompletableFuture<ApiResponse> {

    private volatile BooleanSupplier withdrawal = () -> false;

    PendingResponse() {
    }

    void withdrawWith(BooleanSupplier w) {
        withdrawal = w;
    }

    /**
     * Cancels the call if no attempt of it is on the wire now, and returns true; returns false,
     * changing nothing, if one is: its answer will still arrive. A create withdrawn was never
     * received by the platform, so it created nothing; one that could not be withdrawn may have,
     * and its answer says what to cancel remotely.
     */
    public boolean withdraw() {
        if (isDone()) {
            return isCancelled();
        }
        if (!withdrawal.getAsBoolean()) {
            return false;
        }
        cancel(false);
        return true;
    }
}
