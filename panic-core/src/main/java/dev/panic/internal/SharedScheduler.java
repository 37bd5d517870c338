package dev.panic.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The small pool that drives runs between model calls and fires every timer (pacing, time
 * limits, retry back-off, rate-limit waits). Its threads never wait on I/O, so a few serve
 * hundreds of runs. Daemon threads: an unfinished run never keeps the JVM alive.
 */
public final class SharedScheduler {

    private static final ScheduledExecutorService INSTANCE = create();

    private SharedScheduler() {
    }

    private static final java.util.concurrent.ExecutorService COMPUTE = createCompute();

    /** The shared pool. */
    public static ScheduledExecutorService get() {
        return INSTANCE;
    }

    /**
     * A separate pool, one thread per core, for CPU work a run hands off (in-process embedders):
     * such work must never hold up the timers and continuations on {@link #get()}.
     */
    public static java.util.concurrent.ExecutorService compute() {
        return COMPUTE;
    }

    private static java.util.concurrent.ExecutorService createCompute() {
        AtomicInteger n = new AtomicInteger();
        return java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()),
                r -> {
                    Thread t = new Thread(r, "panic-compute-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    private static ScheduledExecutorService create() {
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(
                Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
                    Thread t = new Thread(r, "panic-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.setRemoveOnCancelPolicy(true);
        return pool;
    }
}
