package dev.panic.notebook.internal;

import dev.panic.Run;
import dev.panic.RunEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a run's view up to date: whenever the run makes an output or finds a pattern, the view is
 * rendered again and handed to the kernel to replace the one shown — at most every
 * {@link #INTERVAL}, so that a fast run does not flood the notebook — and once more when it ends.
 *
 * <p>The last frame comes from whoever sees the end first: {@link #finish()} in the thread that
 * waited for the run (so it is shown before that thread's cell ends), or else the run's completion.
 */
public final class LiveView {

    /** The least time between two updates of one view. */
    public static final Duration INTERVAL = Duration.ofMillis(250);

    private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "panic-notebook-updates");
        t.setDaemon(true);
        return t;
    });

    private final Run run;
    private final Consumer<Map<String, String>> publish;
    /** Held while a frame is rendered and handed over, so that frames go out one at a time, the last one last. */
    private final Object publishing = new Object();
    private final CompletableFuture<Void> lastFrame = new CompletableFuture<>();
    private boolean scheduled;
    private volatile boolean finished;
    private long lastNanos;

    private LiveView(Run run, Consumer<Map<String, String>> publish) {
        this.run = run;
        this.publish = publish;
    }

    /**
     * Publishes the run's view again as it changes, until it has ended.
     *
     * @param publish replaces the view shown (called from a background thread, one call at a time)
     */
    public static LiveView follow(Run run, Consumer<Map<String, String>> publish) {
        LiveView view = new LiveView(run, publish);
        if (run.status().isFinal()) {
            view.finished = true;
            view.lastFrame.complete(null);
            return view;
        }
        run.events().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(RunEvent event) {
                if (event instanceof RunEvent.PredictionMade || event instanceof RunEvent.PredictionFailed
                        || event instanceof RunEvent.Observed) {
                    view.changed();
                }
            }

            @Override
            public void onError(Throwable t) {
                view.changed();
            }

            @Override
            public void onComplete() {
            }
        });
        // The end is taken from the run itself, so that it is seen even if it came before the subscription.
        run.completion().whenComplete((r, t) -> TIMER.execute(view::publishLast));
        return view;
    }

    /**
     * Once the run has ended, publishes its final frame in the calling thread, unless another
     * thread is doing so; either way returns when it has been handed to the kernel (or after
     * {@code 10 s}). Updates after it are dropped. Does nothing while the run goes on.
     */
    public void finish() {
        if (!run.status().isFinal()) {
            return;
        }
        publishLast();
        try {
            lastFrame.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("the last frame of run {} was not shown in time", run.id());
        }
    }

    /** Publishes the final frame unless another thread has claimed it; never waits for that thread. */
    private void publishLast() {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
        }
        try {
            synchronized (publishing) {
                render();
            }
        } finally {
            lastFrame.complete(null);
        }
    }

    private synchronized void changed() {
        if (scheduled || finished) {
            return;
        }
        scheduled = true;
        long wait = Math.max(0, lastNanos + INTERVAL.toNanos() - System.nanoTime());
        TIMER.schedule(this::update, wait, TimeUnit.NANOSECONDS);
    }

    private void update() {
        synchronized (this) {
            scheduled = false;
            lastNanos = System.nanoTime();
        }
        synchronized (publishing) {
            if (!finished) {
                render();
            }
        }
    }

    private void render() {
        try {
            Views.bundle(run).ifPresent(publish);
        } catch (RuntimeException e) {
            // A failed update must not end the run or the timer; the next one may succeed.
            LOG.warn("could not update the view of run {}", run.id(), e);
        }
    }
}
