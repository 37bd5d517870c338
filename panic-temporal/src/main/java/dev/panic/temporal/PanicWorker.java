package dev.panic.temporal;

import dev.panic.Platforms;
import dev.panic.exception.ValidationException;
import dev.panic.RunStore;
import dev.panic.temporal.internal.RunActivitiesImpl;
import dev.panic.temporal.internal.RunWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * A process's share of durable runs: it runs the runs' workflow code and their model calls and
 * embeddings, for as many runs as come, next to any number of other workers on other machines.
 * All of them share one Temporal service and one run store (PostgreSQL, so that they see one
 * another's runs and media).
 *
 * <pre>{@code
 * try (PanicWorker worker = PanicWorker.builder("temporal.example.com:7233")
 *         .store(PostgresRunStore.open("postgresql://panic@db.example.com/panic"))
 *         .platforms(Platforms.discover())
 *         .build()) {
 *     worker.start();
 *     worker.awaitTermination();
 * }
 * }</pre>
 *
 * <p>It listens on the shared task queue ({@value TemporalRuns#DEFAULT_TASK_QUEUE} by default),
 * where workflows run and runs are claimed, and on a queue of its own, where the steps of the runs
 * it claimed go: a worker holds each of its runs in the store (a lease) between steps, so readers
 * see them live and nobody else can drive them. When it dies, the workflow notices (its step
 * stops heartbeating), and another worker claims the run once its lease has lapsed; a step whose
 * prediction was saved is not made again.
 */
public final class PanicWorker implements AutoCloseable {

    private final WorkerFactory factory;
    private final WorkflowServiceStubs service;
    private final RunActivitiesImpl activities;
    private final String ownQueue;

    private PanicWorker(WorkerFactory factory, WorkflowServiceStubs service, RunActivitiesImpl activities,
                        String ownQueue) {
        this.factory = factory;
        this.service = service;
        this.activities = activities;
        this.ownQueue = ownQueue;
    }

    /** A builder for a worker of the Temporal service at {@code target} ({@code host:port}). */
    public static Builder builder(String target) {
        return new Builder(target);
    }

    /**
     * Registers PANIC's workflow and activities on workers made by {@code newWorker} (one for the
     * shared queue, one for this process's own), for an application that runs its own Temporal
     * workers or a test environment. Returns the process's own queue.
     */
    public static String register(Function<String, Worker> newWorker, String taskQueue, RunStore store,
                                  Platforms platforms) {
        return registerOn(newWorker, taskQueue, store, platforms, true, true).ownQueue();
    }

    private record Registered(RunActivitiesImpl activities, String ownQueue) {
    }

    private static Registered registerOn(Function<String, Worker> newWorker, String taskQueue, RunStore store,
                                         Platforms platforms, boolean workflows, boolean steps) {
        String own = ownQueue(taskQueue);
        RunActivitiesImpl activities = new RunActivitiesImpl(store, platforms, own);
        Worker shared = newWorker.apply(taskQueue);
        if (workflows) {
            shared.registerWorkflowImplementationTypes(RunWorkflowImpl.class);
        }
        if (steps) {
            shared.registerActivitiesImplementations(activities);
            Worker mine = newWorker.apply(own);
            mine.registerActivitiesImplementations(activities);
        }
        return new Registered(activities, steps ? own : null);
    }

    /** A queue name of this process's own: the shared one, the host, the process id and a random part. */
    static String ownQueue(String taskQueue) {
        byte[] r = new byte[3];
        new SecureRandom().nextBytes(r);
        String host = System.getenv("HOSTNAME");
        return taskQueue + "@" + (host == null || host.isBlank() ? "host" : host) + "-"
                + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(r);
    }

    /** The queue this worker takes the steps of its runs from (its process id is in it); null if it makes no steps. */
    public String ownQueue() {
        return ownQueue;
    }

    /** Starts polling for work; returns at once. */
    public PanicWorker start() {
        factory.start();
        return this;
    }

    /** Blocks until the worker is closed. */
    public void awaitTermination() {
        while (!factory.isTerminated()) {
            factory.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        }
    }

    /** Stops taking work, lets its runs go so other workers claim them at once, and disconnects. */
    @Override
    public void close() {
        factory.shutdown();
        factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        activities.releaseAll();
        if (service != null) {
            service.shutdown();
        }
    }

    @Override
    public String toString() {
        return "PanicWorker[" + ownQueue + "]";
    }

    /** Settings of a {@link PanicWorker}. */
    public static final class Builder {
        private final String target;
        private String namespace = TemporalRuns.DEFAULT_NAMESPACE;
        private String taskQueue = TemporalRuns.DEFAULT_TASK_QUEUE;
        private RunStore store;
        private Platforms platforms;
        private Integer workflowCache;
        private boolean workflows = true;
        private boolean steps = true;

        private Builder(String target) {
            this.target = target;
        }

        /** The Temporal namespace (default {@value TemporalRuns#DEFAULT_NAMESPACE}). */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** The shared task queue (default {@value TemporalRuns#DEFAULT_TASK_QUEUE}). */
        public Builder taskQueue(String taskQueue) {
            this.taskQueue = taskQueue;
            return this;
        }

        /** The run store every worker and client shares. Required. */
        public Builder store(RunStore store) {
            this.store = store;
            return this;
        }

        /** Where models and embedders come from (default: {@link Platforms#discover()}). */
        public Builder platforms(Platforms platforms) {
            this.platforms = platforms;
            return this;
        }

        /**
         * How many workflows the worker keeps in memory between their tasks (the SDK's default
         * otherwise). 0 keeps none, so every workflow task replays the run's history and may go to
         * any worker: slower, but it needs nothing of the service when a worker dies (Temporal's
         * own service moves such tasks on after a few seconds; its test server does not).
         */
        public Builder workflowCache(int size) {
            if (size < 0) {
                throw new ValidationException("a workflow cache holds 0 or more workflows, got " + size);
            }
            this.workflowCache = size;
            return this;
        }

        /**
         * What this worker does (both by default): run the runs' workflow code, and make their
         * steps (claim runs, call models and embedders, save). A process that only runs workflow
         * code needs no platforms' keys; one that only makes steps can sit next to a GPU.
         */
        public Builder roles(boolean workflows, boolean steps) {
            if (!workflows && !steps) {
                throw new ValidationException("a worker must run workflows, make steps, or both");
            }
            this.workflows = workflows;
            this.steps = steps;
            return this;
        }

        /** Connects to the service; {@link PanicWorker#start()} then starts polling. */
        public PanicWorker build() {
            if (store == null) {
                throw new ValidationException("a worker needs the run store its runs are saved in; give .store(...)");
            }
            WorkflowServiceStubs service = TemporalRuns.connect(target);
            WorkflowClient client = WorkflowClient.newInstance(service,
                    WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
            WorkerFactoryOptions.Builder options = WorkerFactoryOptions.newBuilder();
            if (workflowCache != null) {
                options.setWorkflowCacheSize(workflowCache);
            }
            WorkerFactory factory = WorkerFactory.newInstance(client, options.build());
            Registered r = registerOn(factory::newWorker, taskQueue, store,
                    platforms == null ? Platforms.discover() : platforms, workflows, steps);
            return new PanicWorker(factory, service, r.activities(), r.ownQueue());
        }
    }
}
