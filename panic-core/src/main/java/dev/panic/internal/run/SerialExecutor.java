package dev.panic.internal.run;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tasks given to it one at a time, in the order given, on a shared pool: whoever finds it
 * idle schedules a drain, the others leave their task in the queue. No thread ever waits for
 * another here, and no task runs beside another, so the state a serial executor's tasks touch
 * needs no lock. A run drives its steps through one and delivers its events through another.
 */
final class SerialExecutor implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final String name;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger work = new AtomicInteger();

    SerialExecutor(Executor pool, String name) {
        this.pool = pool;
        this.name = name;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (work.getAndIncrement() == 0) {
            pool.execute(this::drain);
        }
    }

    private void drain() {
        int missed = 1;
        do {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (Throwable e) {
                    // A task that throws, even an OutOfMemoryError, must not stop the tasks queued behind
                    // it: a drain that died here would leave the executor marked busy, and its run hung.
                    LOG.error("a task of {} failed", name, e);
                }
            }
            missed = work.addAndGet(-missed);
        } while (missed != 0);
    }
}
