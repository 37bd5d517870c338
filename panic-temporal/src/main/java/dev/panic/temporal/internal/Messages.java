package dev.panic.temporal.internal;

import dev.panic.RunStatus;
import dev.panic.StopReason;
import java.util.List;
import java.util.Map;

/** What the workflow, its activities and its clients pass each other: plain data, small, and free of media bytes. */
public final class Messages {

    private Messages() {
    }

    /**
     * How a run's workflow calls its workers.
     *
     * @param sharedQueue       the task queue every worker listens on (claims, model descriptions)
     * @param heartbeatSeconds  how long a step may go without a heartbeat before its worker counts as gone
     * @param pickUpSeconds     how long a task on a worker's own queue may wait to be picked up
     * @param continueAfter     steps made by one workflow execution before it continues as new
     */
    public record Settings(String sharedQueue, int heartbeatSeconds, int pickUpSeconds, int continueAfter) {
    }

    /**
     * What a workflow execution starts from.
     *
     * @param runId    the run, created in the store by the client
     * @param specJson its spec as the store's JSON (media by reference), with the changes made so far
     * @param settings how to call workers
     * @param carry    where the previous execution stopped, or null for a new run
     */
    public record RunStart(String runId, String specJson, Settings settings, Carry carry) {
    }

    /**
     * The state a workflow hands to its next execution when it continues as new.
     *
     * @param sequence       the next prediction's sequence
     * @param node           the node that makes it
     * @param input          what it is given
     * @param inputSource    the sequence whose output that is ({@code -1}: the initial input; {@code -2}: injected)
     * @param revision       the configuration's revision
     * @param paused         whether the run is paused
     * @param workerQueue    the queue of the worker that holds the run, or null
     * @param elapsedMillis  workflow time the run has lasted so far
     * @param recent         the last steps, replayed through fresh rules (detectors need a window)
     * @param texts          the last text outputs per node, for templates
     * @param observations   what observe-only rules found so far
     */
    public record Carry(int sequence, String node, PayloadRef input, int inputSource, int revision, boolean paused,
                        String workerQueue, long elapsedMillis, List<Step> recent, Map<String, List<String>> texts,
                        List<StopReason> observations) {
    }

    /**
     * One prediction for a worker to make.
     *
     * @param inputSource see {@link Carry#inputSource()}: where a worker reads media input from
     * @param embedders   the ids of the embedders to embed the output with
     */
    public record StepRequest(String runId, int sequence, String node, String model, Map<String, Object> parameters,
                              PayloadRef input, int inputSource, int revision, List<String> embedders) {
    }

    /**
     * One prediction made (or found already saved).
     *
     * @param output         null if the call failed
     * @param embeddings     vectors by embedder id
     * @param errorType      the failure's type, if it failed
     * @param errorMessage   the failure's message, if it failed
     * @param alreadySaved   true if the store held it already, so no model was called
     */
    public record Step(int sequence, String node, String model, PayloadRef input, PayloadRef output,
                       Map<String, float[]> embeddings, long startedAtMillis, long finishedAtMillis, String errorType,
                       String errorMessage, int revision, boolean alreadySaved) {
    }

    /** How a run ended, for the worker that saves it. */
    public record Finish(RunStatus status, StopReason reason, long finishedAtMillis, int predictions,
                         List<StopReason> observations, int revision) {
    }

    /**
     * What a query tells about a running workflow.
     *
     * @param status       RUNNING, PAUSED, or the final status once it ended
     * @param next         the sequence of the next prediction
     * @param revision     the configuration's revision
     * @param workerQueue  the queue of the worker holding the run, or null between workers
     * @param latest       the last outputs, newest last
     * @param reason       why it ended, once it did
     * @param observations what observe-only rules found
     */
    public record Progress(RunStatus status, int next, int revision, String workerQueue, List<Step> latest,
                           StopReason reason, List<StopReason> observations) {
    }
}
