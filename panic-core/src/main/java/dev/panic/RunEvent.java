package dev.panic;

import java.time.Instant;
import java.util.List;

/**
 * What a run tells a frontend as it goes, in order: {@link Started}; then per step a
 * {@link PredictionStarted}, any {@link PartialOutput}s of a streaming model, then a
 * {@link PredictionMade} or {@link PredictionFailed}; after a
 * {@link PredictionMade}, an {@link EmbeddingFailed} for each embedder that could not embed its
 * output, a {@link Measured} if it has vectors, and an {@link Observed} where an observe-only rule
 * would have stopped the run; then exactly one {@link Finished}, after which nothing comes. A step
 * cut short by cancellation, a time limit or a rule that fired on an earlier step has no second event.
 *
 * <p>Listeners are called one at a time. Without embedders the steps' events do not overlap. With
 * embedders ({@link Run.Builder#embedWith}) the next model is called while the previous output is
 * being embedded, so the {@link PredictionStarted} of step {@code n + 1} may come before the
 * {@link PredictionMade} of step {@code n}; the events of each step keep their order, and
 * {@link PredictionMade} events come in sequence order.
 */
public sealed interface RunEvent permits RunEvent.Started, RunEvent.PredictionStarted, RunEvent.PartialOutput,
        RunEvent.PredictionMade, RunEvent.PredictionFailed, RunEvent.EmbeddingFailed, RunEvent.Measured,
        RunEvent.Observed, RunEvent.Finished {

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
     * A prediction succeeded and has its vectors, if the run has embedders (and has been saved, if
     * the run has a store).
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
     * An embedder could not embed an output; the prediction is kept (and saved) without that vector
     * and the run goes on. Follows the prediction's {@link PredictionMade}.
     *
     * @param runId      the run
     * @param sequence   the prediction whose output was not embedded
     * @param embedderId the embedder that failed
     * @param message    why, e.g. the embedder's exception message or "timed out after PT2M"
     */
    record EmbeddingFailed(String runId, int sequence, String embedderId, String message) implements RunEvent {
    }

    /**
     * How a prediction's output compares with the earlier comparable outputs, one entry per vector
     * it has; follows its {@link PredictionMade}. For live charts of convergence and drift.
     *
     * @param runId        the run
     * @param sequence     the prediction measured
     * @param similarities one per embedder that embedded its output
     */
    record Measured(String runId, int sequence, List<Similarity> similarities) implements RunEvent {
        /** Makes the list immutable. */
        public Measured {
            similarities = List.copyOf(similarities);
        }
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
