package dev.panic.internal.run;

import dev.panic.RunEvent;
import dev.panic.RunListener;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of a run and of the branches it starts, on their way to its listeners and
 * subscribers: published from any thread, delivered one at a time and in order on a serial
 * executor on threads of their own, so that a slow listener delays only later events, never the runs'
 * control ({@code stop}, {@code cancel}, steering) nor their steps. Each event names its run.
 * The publisher closes once every run has finished.
 */
final class EventBus {

    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);
    private static final int BUFFER = 256;

    private final List<RunListener> listeners;
    private final SerialExecutor delivery;
    private final SubmissionPublisher<RunEvent> publisher;
    private int live; // guarded by this

    // Listeners are other people's code and may block: they get threads of their own, never the
    // scheduler's, so a slow listener delays neither this run nor any other.
    private static final Executor LISTENER_THREADS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "panic-events");
        t.setDaemon(true);
        return t;
    });

    EventBus(List<RunListener> listeners, List<Flow.Subscriber<? super RunEvent>> subscribers) {
        this.listeners = List.copyOf(listeners);
        this.delivery = new SerialExecutor(LISTENER_THREADS, "run events");
        this.publisher = new SubmissionPublisher<>(LISTENER_THREADS, BUFFER);
        subscribers.forEach(publisher::subscribe);
    }

    /** Where one run publishes: nothing it publishes after its {@link RunEvent.Finished} goes out. */
    Emitter register(String runId) {
        synchronized (this) {
            live++;
        }
        return new Emitter(runId);
    }

    Flow.Publisher<RunEvent> publisher() {
        return publisher;
    }

    /** One run's way onto the bus. */
    final class Emitter {
        private final String runId;
        private final CompletableFuture<Void> delivered = new CompletableFuture<>();
        private boolean finished; // guarded by this

        private Emitter(String runId) {
            this.runId = runId;
        }

        /** Queues an event; dropped if this run's {@link RunEvent.Finished} was published already. */
        void publish(RunEvent event) {
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = event instanceof RunEvent.Finished;
            }
            if (listeners.isEmpty() && !publisher.hasSubscribers()) {
                // Nobody to tell: no thread is woken for it (a thousand runs without listeners stay quiet).
                if (event instanceof RunEvent.Finished) {
                    delivery.execute(() -> deliver(this, event));
                }
                return;
            }
            delivery.execute(() -> deliver(this, event));
        }

        /** Completes when the listeners have seen this run's {@link RunEvent.Finished}. */
        CompletableFuture<Void> delivered() {
            return delivered;
        }
    }

    private void deliver(Emitter from, RunEvent event) {
        for (RunListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException | AssertionError e) {
                // AssertionError too: a test's listener that asserts must not stall the run's events.
                LOG.warn("run listener {} failed on {} of run {}", l, event.getClass().getSimpleName(), from.runId, e);
            }
        }
        if (publisher.hasSubscribers()) {
            publisher.offer(event, (subscriber, dropped) -> {
                LOG.warn("a subscriber of run {} fell {} events behind; dropped {}", from.runId, BUFFER,
                        dropped.getClass().getSimpleName());
                return false;
            });
        }
        if (event instanceof RunEvent.Finished) {
            boolean last;
            synchronized (this) {
                last = --live == 0;
            }
            if (last) {
                publisher.close();
            }
            from.delivered.complete(null);
        }
    }
}
