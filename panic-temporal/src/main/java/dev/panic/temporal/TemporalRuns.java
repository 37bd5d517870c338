package dev.panic.temporal;

import dev.panic.Network;
import dev.panic.Platforms;
import dev.panic.RunInfo;
import dev.panic.RunListener;
import dev.panic.RunSpec;
import dev.panic.RunStatus;
import dev.panic.Spec;
import dev.panic.exception.PanicException;
import dev.panic.exception.UnavailableException;
import dev.panic.exception.ValidationException;
import dev.panic.internal.store.JsonCodec;
import dev.panic.RunStore;
import dev.panic.temporal.internal.Messages;
import dev.panic.temporal.internal.Networks;
import dev.panic.temporal.internal.RunWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Starts and watches durable runs: runs whose loop is a Temporal workflow, carried on by
 * {@link PanicWorker}s on any number of machines, surviving the death of any of them.
 *
 * <pre>{@code
 * try (TemporalRuns runs = TemporalRuns.builder("localhost:7233").store(store).build()) {
 *     TemporalRun run = runs.start(Run.builder(loop, Payload.text("a red circle")).maxSteps(40).spec(),
 *             event -> System.out.println(event));
 *     run.await(Duration.ofHours(1));
 * }
 * }</pre>
 *
 * <p>The client creates the run in the shared store (so its initial input's media is there, and
 * only hashes go to Temporal) and starts its workflow; listeners get the same {@link dev.panic.RunEvent}s
 * as a run in this process ({@code Started}, {@code PredictionMade}, {@code PredictionFailed},
 * {@code Observed}, {@code Steered}, {@code Finished}), read from the store as workers save them.
 *
 * <p>A durable run has no fan-outs (branches), takes only built-in rules and embedders known by id,
 * and embeds each output before its next step starts.
 *
 * <p>To reach Temporal Cloud or a cluster with TLS, set {@code TEMPORAL_TLS_CERT} and
 * {@code TEMPORAL_TLS_KEY} (paths of a PEM client certificate and PKCS#8 key) or
 * {@code TEMPORAL_API_KEY}; the namespace is {@link Builder#namespace}.
 */
public final class TemporalRuns implements AutoCloseable {

    /** The namespace used unless another is given. */
    public static final String DEFAULT_NAMESPACE = "default";
    /** The task queue workers and clients share unless another is given. */
    public static final String DEFAULT_TASK_QUEUE = "panic";

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(30);

    private final WorkflowClient client;
    private final WorkflowServiceStubs service;
    private final RunStore store;
    private final Platforms platforms;
    private final Messages.Settings settings;
    private final JsonCodec codec = new JsonCodec();

    private TemporalRuns(WorkflowClient client, WorkflowServiceStubs service, RunStore store, Platforms platforms,
                         Messages.Settings settings) {
        this.client = client;
        this.service = service;
        this.store = store;
        this.platforms = platforms;
        this.settings = settings;
    }

    /** A builder for the Temporal service at {@code target} ({@code host:port}). */
    public static Builder builder(String target) {
        return new Builder(target, null);
    }

    /** A builder on a client the application made (its own connection, a test environment's). */
    public static Builder builder(WorkflowClient client) {
        return new Builder(null, client);
    }

    /**
     * Starts a run of {@code spec} on the workers; returns at once.
     *
     * @throws ValidationException if the spec has what a durable run cannot do (a fan-out, a custom rule)
     */
    public TemporalRun start(RunSpec spec, RunListener... listeners) {
        check(spec);
        Network network = network(spec);
        Instant now = Instant.now();
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        String runId = ID_TIME.format(now) + "-" + HexFormat.of().formatHex(b);
        // Created here, so that the initial input's media is in the store and only its hash goes to Temporal.
        store.create(new RunInfo(runId, spec, RunStatus.RUNNING, null, now, null, 0, List.of(), null, 0)).close();
        String specJson;
        try {
            specJson = codec.mapper().writeValueAsString(codec.encodeSpec(spec, (payload, path) -> { }));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PanicException("could not encode the spec of run '" + runId + "': " + e.getOriginalMessage(), e);
        }
        RunWorkflow workflow = client.newWorkflowStub(RunWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(settings.sharedQueue())
                .setWorkflowId(workflowId(runId))
                .build());
        WorkflowClient.start(workflow::run, new Messages.RunStart(runId, specJson, settings, null));
        TemporalRun run = new TemporalRun(runId, client, store, network, spec.input(), now);
        for (RunListener l : listeners) {
            run.listen(l);
        }
        return run;
    }

    /** A run started earlier, by this process or another, to watch or steer. */
    public TemporalRun attach(String runId) {
        RunInfo info = store.info(runId);
        return new TemporalRun(runId, client, store, network(info.spec()), info.initialInput(), info.startedAt());
    }

    /** The spec's network with this client's models: checks every model is known and every link fits. */
    private Network network(RunSpec spec) {
        return Networks.of(spec.network(), n -> platforms.model(n.model().toString(), n.parameters()));
    }

    /** The workflow id of a run: {@code panic-run-RUNID}. */
    public static String workflowId(String runId) {
        return "panic-run-" + runId;
    }

    private static void check(RunSpec spec) {
        for (Map.Entry<String, List<String>> e : spec.network().links().entrySet()) {
            if (e.getValue().size() > 1) {
                throw new ValidationException("node '" + e.getKey() + "' fans out to " + e.getValue() + "; a durable"
                        + " run follows one link from each node: run fan-outs in one process (leave out --on)");
            }
        }
        for (List<Spec> rules : List.of(spec.stopRules(), spec.observeRules())) {
            for (Spec s : rules) {
                if (s.custom()) {
                    throw new ValidationException("rule '" + s.kind() + "' was made in code; a durable run's rules"
                            + " are rebuilt by its workflow, so only built-in rules can be used");
                }
            }
        }
    }

    /** Connects to a Temporal service, with TLS or an API key when the environment gives them. */
    static WorkflowServiceStubs connect(String target) {
        if (target == null || target.isBlank()) {
            throw new ValidationException("no Temporal service given; give host:port, e.g. localhost:7233");
        }
        WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder().setTarget(target);
        String cert = System.getenv("TEMPORAL_TLS_CERT");
        String key = System.getenv("TEMPORAL_TLS_KEY");
        String apiKey = System.getenv("TEMPORAL_API_KEY");
        try {
            if (cert != null && key != null) {
                try (InputStream c = Files.newInputStream(Path.of(cert)); InputStream k = Files.newInputStream(Path.of(key))) {
                    options.setSslContext(SimpleSslContextBuilder.forPKCS8(c, k).build());
                }
            } else if (apiKey != null && !apiKey.isBlank()) {
                options.setEnableHttps(true).addApiKey(() -> apiKey);
            }
            WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(options.build());
            // A service (or a machine) under load may answer its first health check late.
            long deadline = System.nanoTime() + CONNECT_WAIT.toNanos();
            while (true) {
                try {
                    service.healthCheck();
                    return service;
                } catch (RuntimeException e) {
                    if (System.nanoTime() > deadline) {
                        service.shutdownNow();
                        throw e;
                    }
                    sleep(Duration.ofMillis(500));
                }
            }
        } catch (IOException e) {
            throw new ValidationException("could not read the TLS certificate or key in TEMPORAL_TLS_CERT /"
                    + " TEMPORAL_TLS_KEY: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new UnavailableException("could not reach the Temporal service at " + target + ": " + e.getMessage()
                    + "; check that it runs (e.g. temporal server start-dev) and the address", e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while connecting to Temporal", e);
        }
    }

    @Override
    public void close() {
        if (service != null) {
            service.shutdown();
        }
    }

    /** Settings of {@link TemporalRuns}. */
    public static final class Builder {
        private final String target;
        private final WorkflowClient client;
        private String namespace = DEFAULT_NAMESPACE;
        private String taskQueue = DEFAULT_TASK_QUEUE;
        private RunStore store;
        private Platforms platforms;
        private Duration heartbeat = Duration.ofSeconds(10);
        private Duration pickUp = Duration.ofSeconds(15);
        private int continueAfter = 500;

        private Builder(String target, WorkflowClient client) {
            this.target = target;
            this.client = client;
        }

        /** The Temporal namespace (default {@value #DEFAULT_NAMESPACE}). */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** The task queue the workers share (default {@value #DEFAULT_TASK_QUEUE}). */
        public Builder taskQueue(String taskQueue) {
            this.taskQueue = taskQueue;
            return this;
        }

        /** The run store the workers share. Required. */
        public Builder store(RunStore store) {
            this.store = store;
            return this;
        }

        /** Where the client looks models up to check a network (default: {@link Platforms#discover()}). */
        public Builder platforms(Platforms platforms) {
            this.platforms = platforms;
            return this;
        }

        /**
         * How long a worker may go silent in a model call before its run goes to another worker
         * (default 10 s), and how long a step may wait for the worker holding its run to pick it up
         * (default 15 s).
         */
        public Builder failover(Duration heartbeat, Duration pickUp) {
            if (heartbeat.toSeconds() < 1 || pickUp.toSeconds() < 1) {
                throw new ValidationException("failover times are whole seconds, at least 1");
            }
            this.heartbeat = heartbeat;
            this.pickUp = pickUp;
            return this;
        }

        /** Steps one workflow execution makes before it continues as new (default 500), to keep its history small. */
        public Builder continueAsNewAfter(int steps) {
            if (steps < 1) {
                throw new ValidationException("continue-as-new needs at least 1 step, got " + steps);
            }
            this.continueAfter = steps;
            return this;
        }

        public TemporalRuns build() {
            if (store == null) {
                throw new ValidationException("durable runs need the run store the workers share; give .store(...)");
            }
            WorkflowServiceStubs service = client == null ? connect(target) : null;
            WorkflowClient c = client != null ? client : WorkflowClient.newInstance(service,
                    WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
            return new TemporalRuns(c, service, store, platforms == null ? Platforms.discover() : platforms,
                    new Messages.Settings(taskQueue, (int) heartbeat.toSeconds(), (int) pickUp.toSeconds(),
                            continueAfter));
        }
    }
}
