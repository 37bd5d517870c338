package dev.panic.temporal.internal;

import dev.panic.Embedding;
import dev.panic.Metadata;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.RunInfo;
import dev.panic.Embedder;
import dev.panic.exception.PanicException;
import dev.panic.internal.store.JsonCodec;
import dev.panic.RunStore;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's side of runs: it holds the runs it claimed (their recorders, and so their leases in
 * the store), calls models and embedders, and saves each prediction before it answers. A step
 * whose prediction the store holds already is answered from the store, so a step retried after
 * its worker died never calls the model again.
 */
public final class RunActivitiesImpl implements RunActivities {

    private static final Logger LOG = LoggerFactory.getLogger(RunActivitiesImpl.class);
    private static final long HEARTBEAT_MILLIS = 1000;
    private static final java.time.Duration CLAIM_WAIT = java.time.Duration.ofMinutes(2);
    private static final java.time.Duration CLAIM_POLL = java.time.Duration.ofMillis(500);

    private final RunStore store;
    private final Platforms platforms;
    private final String ownQueue;
    private final JsonCodec codec = new JsonCodec();
    private final Map<String, RunStore.Recorder> held = new ConcurrentHashMap<>();

    public RunActivitiesImpl(RunStore store, Platforms platforms, String ownQueue) {
        this.store = store;
        this.platforms = platforms;
        this.ownQueue = ownQueue;
    }

    @Override
    public String claim(String runId) {
        if (held.containsKey(runId)) {
            return ownQueue;
        }
        // Waits here, heartbeating, for a dead writer's lease to lapse, rather than failing and being retried.
        long deadline = System.nanoTime() + CLAIM_WAIT.toNanos();
        while (true) {
            try {
                RunStore.Recorder recorder = store.resume(runId);
                held.put(runId, recorder);
                LOG.info("claimed run {} on {}", runId, ownQueue);
                return ownQueue;
            } catch (dev.panic.exception.NotFoundException e) {
                throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "RunNotFound");
            } catch (PanicException e) {
                if (System.nanoTime() > deadline) {
                    throw ApplicationFailure.newFailure(e.getMessage(), "RunHeld");
                }
                Activity.getExecutionContext().heartbeat(null);
                try {
                    Thread.sleep(CLAIM_POLL.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw ApplicationFailure.newFailure("interrupted while claiming run " + runId, "Interrupted");
                }
            }
        }
    }

    @Override
    public List<String> describe(List<String> modelIds) {
        List<String> out = new ArrayList<>();
        for (String id : modelIds) {
            try {
                Model m = platforms.model(id);
                out.add(m.input().name() + ">" + m.output().name());
            } catch (PanicException e) {
                throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "UnknownModel");
            }
        }
        return out;
    }

    @Override
    public Messages.Step step(Messages.StepRequest r) {
        RunStore.Recorder recorder = recorder(r.runId());
        Optional<Prediction> saved = saved(r.runId(), r.sequence());
        if (saved.isPresent()) {
            LOG.info("step {} of run {} is saved already; not calling {} again", r.sequence(), r.runId(), r.model());
            return step(saved.get(), true);
        }
        Payload input = input(r);
        Model model = platforms.model(r.model(), Parameters.of(r.parameters()));
        Instant startedAt = Instant.now();
        Prediction p;
        try {
            ModelOutput out = await(model.invokeAsync(input, Parameters.empty()));
            Map<String, Embedding> vectors = embed(r.embedders(), out.payload());
            p = new Prediction(r.runId(), r.sequence(), r.node(), ModelId.parse(r.model()), input, out.payload(),
                    startedAt, Instant.now(), out.metadata(), vectors, null, r.revision());
        } catch (PanicException e) {
            p = new Prediction(r.runId(), r.sequence(), r.node(), ModelId.parse(r.model()), input, null, startedAt,
                    Instant.now(), Metadata.empty(), Map.of(), Prediction.Failure.of(e), r.revision());
        }
        recorder.append(p, true);
        return step(p, false);
    }

    @Override
    public void revise(String runId, String revisionJson) {
        RunStore.Recorder recorder = recorder(runId);
        Revision revision;
        try {
            revision = codec.decodeRevision(codec.mapper().readTree(revisionJson), JsonCodec.NO_MEDIA);
        } catch (java.io.IOException | RuntimeException e) {
            throw ApplicationFailure.newNonRetryableFailure("a revision that cannot be read: " + e.getMessage(),
                    "BadRevision");
        }
        boolean savedAlready = store.revisions(runId).stream().anyMatch(x -> x.number() == revision.number());
        if (!savedAlready) {
            recorder.revise(revision);
        }
    }

    @Override
    public void finish(String runId, Messages.Finish f) {
        RunStore.Recorder recorder = recorder(runId);
        RunInfo info = store.info(runId);
        recorder.update(new RunInfo(runId, info.spec(), f.status(), Optional.ofNullable(f.reason()), info.startedAt(),
                Optional.of(Instant.ofEpochMilli(f.finishedAtMillis())), f.predictions(), f.observations(), info.parent(),
                f.revision()));
        held.remove(runId);
        recorder.close();
        LOG.info("run {} ended {} on {}", runId, f.status(), ownQueue);
    }

    @Override
    public void release(String runId) {
        RunStore.Recorder recorder = held.remove(runId);
        if (recorder != null) {
            recorder.close();
        }
    }

    /** Lets every run go, as a worker shutting down cleanly does; their workflows claim them elsewhere. */
    public void releaseAll() {
        for (String runId : new ArrayList<>(held.keySet())) {
            release(runId);
        }
    }

    private RunStore.Recorder recorder(String runId) {
        RunStore.Recorder r = held.get(runId);
        if (r == null) {
            throw ApplicationFailure.newNonRetryableFailure("run " + runId + " is not held by " + ownQueue
                    + "; the workflow claims it again", "NotHeld");
        }
        return r;
    }

    private Optional<Prediction> saved(String runId, int sequence) {
        try (Stream<Prediction> s = store.predictions(runId, sequence)) {
            return s.findFirst().filter(p -> p.sequence() == sequence && p.runId().equals(runId));
        }
    }

    /** The step's input: a text as given; media read from the store, from the prediction whose output it is. */
    private Payload input(Messages.StepRequest r) {
        if (r.input().textual()) {
            return Payload.text(r.input().text());
        }
        Payload found = null;
        if (r.inputSource() == -1) {
            found = store.info(r.runId()).initialInput();
        } else if (r.inputSource() >= 0) {
            found = saved(r.runId(), r.inputSource()).map(Prediction::output).orElse(null);
        }
        if (found == null || !PayloadRef.of(found).sha256().equals(r.input().sha256())) {
            throw ApplicationFailure.newNonRetryableFailure("the input of step " + r.sequence() + " of run "
                    + r.runId() + " (media " + r.input().sha256() + ") is not in the store", "InputMissing");
        }
        return found;
    }

    private Map<String, Embedding> embed(List<String> embedderIds, Payload output) {
        Map<String, Embedding> vectors = new LinkedHashMap<>();
        for (String id : embedderIds) {
            Embedder e = platforms.embedder(id);
            if (!e.accepts(output.modality())) {
                continue;
            }
            try {
                vectors.put(id, await(e.embed(output)));
            } catch (PanicException failed) {
                // As in a run in one process: the prediction is kept without this vector.
                LOG.warn("could not embed an output with {}: {}", id, failed.getMessage());
            }
        }
        return vectors;
    }

    /** Waits for a call, heartbeating so that Temporal notices when this worker dies, and cancelling it if asked. */
    private static <T> T await(CompletableFuture<T> future) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        while (true) {
            try {
                return future.get(HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException notYet) {
                try {
                    context.heartbeat(null);
                } catch (ActivityCompletionException cancelled) {
                    future.cancel(true);
                    throw cancelled;
                }
            } catch (ExecutionException e) {
                throw PanicException.from(e);
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new PanicException("interrupted while waiting for a model", e);
            }
        }
    }

    private static Messages.Step step(Prediction p, boolean alreadySaved) {
        Map<String, float[]> vectors = new LinkedHashMap<>();
        p.embeddings().forEach((id, e) -> vectors.put(id, e.toArray()));
        return new Messages.Step(p.sequence(), p.node(), p.modelId().toString(), PayloadRef.of(p.input()),
                p.output() == null ? null : PayloadRef.of(p.output()), vectors, p.startedAt().toEpochMilli(),
                p.finishedAt().toEpochMilli(), p.error() == null ? null : p.error().type(),
                p.error() == null ? null : p.error().message(), p.revision(), alreadySaved);
    }
}
