package dev.panic.temporal;

import dev.panic.Change;
import dev.panic.Network;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.RunEvent;
import dev.panic.RunListener;
import dev.panic.RunStatus;
import dev.panic.StopReason;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.internal.store.JsonCodec;
import dev.panic.RunStore;
import dev.panic.temporal.internal.Messages;
import dev.panic.temporal.internal.RunWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A durable run, as its client sees it: its status and latest outputs (queries), stop, cancel,
 * pause and steering (signals), and its events, read from the shared store as workers save
 * predictions. Thread-safe.
 */
public final class TemporalRun {

    private static final Duration POLL = Duration.ofMillis(200);

    private final String runId;
    private final RunStore store;
    private final Network network;
    private final Payload input;
    private final Instant startedAt;
    private final RunWorkflow workflow;
    private final WorkflowStub untyped;
    private final List<RunListener> listeners = new CopyOnWriteArrayList<>();
    private final JsonCodec codec = new JsonCodec();
    private final CompletableFuture<Messages.Progress> result;
    private Thread watcher;

    TemporalRun(String runId, WorkflowClient client, RunStore store, Network network, Payload input, Instant startedAt) {
        this.runId = runId;
        this.store = store;
        this.network = network;
        this.input = input;
        this.startedAt = startedAt;
        this.workflow = client.newWorkflowStub(RunWorkflow.class, TemporalRuns.workflowId(runId));
        this.untyped = WorkflowStub.fromTyped(workflow);
        this.result = untyped.getResultAsync(Messages.Progress.class);
    }

    /** The run id, as in the store. */
    public String id() {
        return runId;
    }

    /** Where the run is: asks its workflow. */
    public RunStatus status() {
        return result.isDone() ? result.join().status() : workflow.progress().status();
    }

    /**
     * One of the latest outputs, as the workflow knows it.
     *
     * @param sequence the prediction's sequence
     * @param node     the node that made it
     * @param revision the configuration's revision it was made under
     * @param output   a text, or a description of an image or sound ({@code image image/png 812 B sha256=…})
     * @param sha256   the content hash of an image or sound, null for a text (its bytes are in the store)
     */
    public record Output(int sequence, String node, int revision, String output, String sha256) {
    }

    /** The latest outputs (up to 8), newest last: a query of the workflow. */
    public List<Output> latest() {
        return progress().latest().stream().filter(s -> s.output() != null)
                .map(s -> new Output(s.sequence(), s.node(), s.revision(), s.output().summary(200),
                        s.output().sha256()))
                .toList();
    }

    /** The sequence of the next prediction: how far the run has got. */
    public int next() {
        return progress().next();
    }

    /** The task queue of the worker holding the run (its host and process id are in the name), if one does. */
    public Optional<String> holder() {
        return Optional.ofNullable(progress().workerQueue());
    }

    /** The configuration's revision: 0, then one more for each steering. */
    public int revision() {
        return progress().revision();
    }

    private Messages.Progress progress() {
        return result.isDone() ? result.join() : workflow.progress();
    }

    /** Why it ended, once it has. */
    public Optional<StopReason> stopReason() {
        return result.isDone() ? Optional.ofNullable(result.join().reason()) : Optional.empty();
    }

    /** Finishes the step in flight, keeps it, and ends. */
    public void stop() {
        workflow.stop();
    }

    /** Ends at once; the step in flight is abandoned. */
    public void cancel() {
        workflow.cancel();
    }

    /** Starts no further step until {@link #unpause()}. */
    public void pause() {
        workflow.pause();
    }

    public void unpause() {
        workflow.unpause();
    }

    /**
     * Changes the run from its next step on (templates, parameters, a text to inject, pacing,
     * limits, pause): saved as a revision, and every later prediction carries its number.
     *
     * @throws ValidationException if a change carries media (inject text) or another model (start a fork)
     */
    public void steer(Change... changes) {
        if (changes.length == 0) {
            throw new ValidationException("steering needs at least one change");
        }
        var list = codec.mapper().createArrayNode();
        for (Change c : changes) {
            if (c instanceof Change.SetModel) {
                throw new ValidationException("a durable run's models are fixed; fork the run to change a model");
            }
            list.add(codec.encodeChange(c, (payload, path) -> {
                throw new ValidationException("a durable run is steered with text; media cannot be injected");
            }));
        }
        workflow.steer(list.toString());
    }

    /** Waits until the run has ended; true if it did within {@code timeout}. */
    public boolean await(Duration timeout) {
        try {
            result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Thread w = watcher;
            if (w != null) {
                w.join(timeout.toMillis());
            }
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw PanicException.from(e);
        }
    }

    /**
     * Sends this run's events to {@code listener}, from now to its end: {@code Started} first, then
     * each prediction as it is saved, observations, revisions, and {@code Finished}.
     */
    public synchronized TemporalRun listen(RunListener listener) {
        listeners.add(listener);
        if (watcher == null) {
            watcher = new Thread(this::watch, "panic-watch-" + runId);
            watcher.setDaemon(true);
            watcher.start();
        }
        return this;
    }

    private void watch() {
        publish(new RunEvent.Started(runId, network, input, startedAt, 0, null));
        int next = 0;
        int revisions = 0;
        int observations = 0;
        while (true) {
            boolean ended = result.isDone();
            try (Stream<Prediction> s = store.predictions(runId, next)) {
                for (Iterator<Prediction> it = s.iterator(); it.hasNext(); ) {
                    Prediction p = it.next();
                    publish(p.succeeded() ? new RunEvent.PredictionMade(runId, p) : new RunEvent.PredictionFailed(runId, p));
                    next = p.sequence() + 1;
                }
            } catch (RuntimeException e) {
                // The store is briefly unreachable: try again at the next poll.
            }
            try {
                List<Revision> saved = store.revisions(runId);
                for (int i = revisions; i < saved.size(); i++) {
                    publish(new RunEvent.Steered(runId, saved.get(i)));
                }
                revisions = saved.size();
                List<StopReason> seen = progress().observations();
                for (int i = observations; i < seen.size(); i++) {
                    publish(new RunEvent.Observed(runId, seen.get(i)));
                }
                observations = seen.size();
            } catch (RuntimeException e) {
                // as above
            }
            if (ended) {
                Messages.Progress end = result.join();
                publish(new RunEvent.Finished(runId, end.status(), end.reason(), Instant.now()));
                return;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void publish(RunEvent event) {
        for (RunListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(TemporalRun.class).warn("a listener of run {} failed on {}: {}",
                        runId, event.getClass().getSimpleName(), e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "TemporalRun[" + runId + "]";
    }
}
