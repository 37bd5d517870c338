package dev.panic.internal.http;

import dev.panic.spi.http.ApiRequest;
import dev.panic.spi.http.ApiResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * One logical call through the chain: what it sends, and what it is doing now, so that cancelling
 * it reaches whatever it waits on (a place in flight, a permit, a retry's timer) or the live
 * exchange, which the JDK client then aborts.
 *
 * <p>A call is either waiting or on the wire. {@link #withdraw()} cancels it only while it waits,
 * atomically with the step that puts it on the wire: a paid request withdrawn is never sent, and
 * one already sent is left to be answered, so that what it created can be found and undone.
 */
public final class Call {

    final ApiRequest request;
    final Consumer<String> onLine;
    final long maxBytes;
    final CompletableFuture<ApiResponse> result;
    final long start;
    final long deadline;
    int failures;
    int refusals;
    int paidRetries;

    private boolean cancelled;
    private boolean onWire;
    private Future<?> current;

    Call(ApiRequest request, Consumer<String> onLine, long maxBytes, CompletableFuture<ApiResponse> result, long start,
         long deadline) {
        this.request = request;
        this.onLine = onLine;
        this.maxBytes = maxBytes;
        this.result = result;
        this.start = start;
        this.deadline = deadline;
    }

    /** The request. */
    ApiRequest request() {
        return request;
    }

    /** Lines of a streamed answer go here, or null when the answer is read whole. */
    Consumer<String> onLine() {
        return onLine;
    }

    /** The most bytes a successful answer may have, or 0 for no cap. */
    long maxBytes() {
        return maxBytes;
    }

    /** Times the call was repeated after a failure that may have been billed. */
    synchronized int paidRetries() {
        return paidRetries;
    }

    /** Makes {@code step} what the call waits on, cancelled at once if the call already is. */
    <F extends Future<?>> F track(F step) {
        boolean cancelNow;
        synchronized (this) {
            current = step;
            cancelNow = cancelled;
        }
        if (cancelNow) {
            step.cancel(true);
        }
        return step;
    }

    /** True once the call was cancelled or withdrawn. */
    synchronized boolean cancelled() {
        return cancelled;
    }

    /** Puts the call on the wire, unless it was cancelled meanwhile; then returns false. */
    synchronized boolean toWire() {
        if (cancelled) {
            return false;
        }
        onWire = true;
        return true;
    }

    synchronized void offWire() {
        onWire = false;
    }

    /** Cancels the call wherever it is, aborting a live exchange. */
    void cancel() {
        Future<?> now;
        synchronized (this) {
            cancelled = true;
            now = current;
        }
        if (now != null) {
            now.cancel(true);
        }
    }

    /** Cancels the call if it is waiting, and says so; a call on the wire is left alone. */
    boolean withdraw() {
        Future<?> now;
        synchronized (this) {
            if (onWire) {
                return false;
            }
            cancelled = true;
            now = current;
        }
        if (now != null) {
            now.cancel(true);
        }
        return true;
    }
}
