package dev.panic.internal.http;

import dev.panic.exception.UnavailableException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Limits how many calls a platform has in flight, with a line for the rest. Waiting is a future,
 * not a blocked thread: resilience4j's semaphore bulkhead blocks the caller while it waits (or
 * refuses at once), and its thread-pool bulkhead holds a thread per call, and neither fits
 * hundreds of runs waiting on one slow platform.
 */
public final class AsyncBulkhead {

    private final String platform;
    private final int max;
    private final Duration maxWait;
    private final ScheduledExecutorService timer;
    private final Deque<CompletableFuture<Void>> line = new ArrayDeque<>();
    private int inUse;

    /** A bulkhead for {@code platform} with {@code max} places. */
    public AsyncBulkhead(String platform, int max, Duration maxWait, ScheduledExecutorService timer) {
        this.platform = platform;
        this.max = max;
        this.maxWait = maxWait;
        this.timer = timer;
    }

    /**
     * A future that completes when a place is free; it fails with {@link UnavailableException} if
     * none frees up within the maximum wait. Every completed acquire must be followed by one {@link #release()}.
     */
    public CompletableFuture<Void> acquire() {
        CompletableFuture<Void> ticket;
        synchronized (this) {
            if (inUse < max) {
                inUse++;
                return CompletableFuture.completedFuture(null);
            }
            ticket = new CompletableFuture<>();
            line.addLast(ticket);
        }
        timer.schedule(() -> {
            boolean removed;
            synchronized (this) {
                removed = line.remove(ticket);
            }
            if (removed) {
                ticket.completeExceptionally(new UnavailableException("waited " + maxWait + " for one of the "
                        + max + " places in flight to " + platform + "; raise maxConcurrentCalls or maxQueueWait"));
            }
        }, maxWait.toNanos(), TimeUnit.NANOSECONDS);
        return ticket;
    }

    /** Frees a place, handing it straight to the next in line if there is one. */
    public void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = line.pollFirst();
            if (next == null) {
                inUse--;
                return;
            }
        }
        // The place passes to the waiter; if it gave up meanwhile (cancelled), pass it on again.
        if (!next.complete(null)) {
            release();
        }
    }

    /** Places in use now. */
    public synchronized int inUse() {
        return inUse;
    }

    /** Calls waiting for a place now. */
    public synchronized int waiting() {
        return line.size();
    }
}
