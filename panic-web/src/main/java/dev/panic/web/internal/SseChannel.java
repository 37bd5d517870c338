package dev.panic.web.internal;

import io.javalin.http.sse.SseClient;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One page's event stream. Sends go through a queue drained on a shared pool, one at a time and in
 * order, so a slow or stalled browser delays only itself: never the run, nor other pages.
 */
final class SseChannel {

    /** The most sends a page may fall behind by before it is dropped (it reconnects and replays). */
    private static final int MAX_BACKLOG = 20_000;

    private final SseClient client;
    private final Executor executor;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean closed;
    private final AtomicReference<Runnable> onClose = new AtomicReference<>();

    SseChannel(SseClient client, Executor executor) {
        this.client = client;
        this.executor = executor;
        client.onClose(this::closed);
    }

    /** A message event with this id and JSON data. */
    void send(String id, String json) {
        enqueue(() -> client.sendEvent("message", json, id));
    }

    /** A comment line: keeps proxies from closing an idle stream and finds pages that have gone. */
    void ping() {
        enqueue(() -> client.sendComment("ping"));
    }

    /** Ends the stream once what was queued before has been sent. */
    void end() {
        enqueue(client::close);
    }

    boolean isClosed() {
        return closed || client.terminated();
    }

    /** Runs {@code action} once when the page goes away or the stream ends. */
    void onClose(Runnable action) {
        onClose.set(action);
        if (isClosed()) {
            runOnClose();
        }
    }

    private void enqueue(Runnable send) {
        if (isClosed()) {
            return;
        }
        if (queue.size() >= MAX_BACKLOG) {
            queue.clear();
            queue.add(client::close);
        } else {
            queue.add(send);
        }
        if (draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        try {
            Runnable next;
            while ((next = queue.poll()) != null) {
                if (isClosed()) {
                    queue.clear();
                    break;
                }
                try {
                    next.run();
                } catch (RuntimeException e) {
                    closed();
                }
            }
        } finally {
            draining.set(false);
        }
        if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void closed() {
        closed = true;
        runOnClose();
    }

    private void runOnClose() {
        Runnable r = onClose.getAndSet(null);
        if (r != null) {
            r.run();
        }
    }
}
