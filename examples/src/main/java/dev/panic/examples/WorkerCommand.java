package dev.panic.examples;

import dev.panic.Platforms;
import dev.panic.http.PermitSource;
import dev.panic.postgres.PostgresRunStore;
import dev.panic.temporal.PanicWorker;
import dev.panic.temporal.TemporalRuns;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code panic worker}: carries durable runs on for a Temporal service, until stopped. */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Works for durable runs (panic run --on temporal://…): runs their workflow code, claims "
                + "runs, calls their models and embedders and saves every step in the shared store. Start one on "
                + "each machine that should share the work; a run whose worker dies goes on on another.",
                "Runs until stopped (Ctrl-C lets its runs go at once, so others take them over)."})
final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--temporal", required = true, paramLabel = "HOST:PORT",
            description = "The Temporal service, e.g. localhost:7233 (TLS: TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY, "
                    + "or TEMPORAL_API_KEY).")
    String temporal;

    @Option(names = "--store", required = true, paramLabel = "STORE",
            description = "The run store every worker and client shares, e.g. postgresql://panic@db:5432/panic.")
    String store;

    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = TemporalRuns.DEFAULT_NAMESPACE,
            description = "Temporal namespace. Default: ${DEFAULT-VALUE}.")
    String namespace;

    @Option(names = "--task-queue", paramLabel = "NAME", defaultValue = TemporalRuns.DEFAULT_TASK_QUEUE,
            description = "The task queue workers share. Default: ${DEFAULT-VALUE}.")
    String taskQueue;

    @Option(names = "--steps-only", description = "Make steps (model calls) but run no workflow code.")
    boolean stepsOnly;

    @Option(names = "--local-limits", description = "Keep each platform's rate limit to this worker's own calls. "
            + "By default, with a PostgreSQL store, all workers on one key share its limit through the store.")
    boolean localLimits;

    private final Supplier<Platforms> platforms;
    private final Console console;

    WorkerCommand(Supplier<Platforms> platforms, Console console) {
        this.platforms = platforms;
        this.console = console;
    }

    @Override
    public Integer call() throws InterruptedException {
        try (OpenStore saved = OpenStore.open(store)) {
            // Before the platforms are made: their clients take the shared limit when they are built.
            if (!localLimits && saved.store() instanceof PostgresRunStore shared) {
                PermitSource.shareByDefault(shared.permits());
            }
            return work(saved);
        } finally {
            PermitSource.shareByDefault(null);
        }
    }

    private int work(OpenStore saved) throws InterruptedException {
        try (PanicWorker worker = PanicWorker.builder(temporal).namespace(namespace).taskQueue(taskQueue)
                     .store(saved.store()).platforms(platforms.get()).roles(!stepsOnly, true).build()) {
            CountDownLatch stopped = new CountDownLatch(1);
            Thread onExit = new Thread(() -> {
                worker.close();
                stopped.countDown();
            }, "panic-worker-stop");
            Runtime.getRuntime().addShutdownHook(onExit);
            worker.start();
            console.line("worker " + worker.ownQueue() + " on " + temporal + " (task queue " + taskQueue
                    + "), saving to " + saved.location() + (PermitSource.byDefault().isPresent()
                    ? ", sharing rate limits through it" : ""));
            stopped.await();
            return 0;
        }
    }
}
