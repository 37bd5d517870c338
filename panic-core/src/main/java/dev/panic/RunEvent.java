package dev.panic;

import java.time.Instant;

/**
 * What a run tells a frontend as it goes, in order: {@link Started}; then per step a
 * {@link PredictionStarted}, any {@link PartialOutput}s of a streaming model, then a
 * {@link PredictionMade} or {@link PredictionFailed} (and an
 * {@link Observed} where an observe-only rule would have stopped the run); then exactly one
 * {@link Finished}. A step cut short by cancellation or a time limit has no second event.
 */
public sealed interface RunEvent permits RunEvent.Started, RunEvent.PredictionStarted, RunEvent.PartialOutput,
        RunEvent.PredictionMade, RunEvent.PredictionFailed, RunEvent.Observed, RunEvent.Finished {

    /** The run this event belongs to. */
    String runId();

    /**
     * The run has started.
     *
     * @param runId   the run
     * @param network the network it runs
     * @param input   the initial input
     * @param at      when it started
     */
    record Started(String runId, Network network, Payload input, Instant at) implements RunEvent {
    }

    /**
     * A model has been called; its answer follows in a {@link PredictionMade} or {@link PredictionFailed}.
     *
     * @param runId    the run
     * @param sequence the prediction's sequence number
     * @param modelId  the model called
     * @param input    what it was given
     * @param at       when it was called
     */
    record PredictionStarted(String runId, int sequence, ModelId modelId, Payload input, Instant at)
            implements RunEvent {
    }

    /**
     * A piece of output a streaming model has produced so far (e.g. a few tokens), for showing
     * text as it arrives. The complete output follows in {@link PredictionMade}.
     *
     * @param runId    the run
     * @param sequence the prediction's sequence number
     * @param modelId  the model that is answering
     * @param piece    the new piece, to append to the pieces before it
     */
    record PartialOutput(String runId, int sequence, ModelId modelId, String piece) implements RunEvent {
    }

    /**
     * A prediction succeeded (and has been saved, if the run has a store).
     *
     * @param runId      the run
     * @param prediction the prediction
     */
    record PredictionMade(String runId, Prediction prediction) implements RunEvent {
    }

    /**
     * A prediction failed; the run ends with {@link RunStatus#FAILED} next.
     *
     * @param runId      the run
     * @param prediction the failed prediction, with its {@link Prediction#error()}
     */
    record PredictionFailed(String runId, Prediction prediction) implements RunEvent {
    }

    /**
     * An observe-only rule found what it looks for; the run goes on.
     *
     * @param runId  the run
     * @param reason where and why the rule would have stopped the run
     */
    record Observed(String runId, StopReason reason) implements RunEvent {
    }

    /**
     * The run has ended; nothing follows.
     *
     * @param runId  the run
     * @param status its final status
     * @param reason why it ended
     * @param at     when it ended
     */
    record Finished(String runId, RunStatus status, StopReason reason, Instant at) implements RunEvent {
    }
}
