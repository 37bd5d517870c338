package dev.panic;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a run tells a frontend as it goes, in order: {@link Started}; then per step a
 * {@link PredictionStarted}, any {@link PartialOutput}s of a streaming model, then a
 * {@link PredictionMade} or {@link PredictionFailed}; after a
 * {@link PredictionMade}, an {@link EmbeddingFailed} for each embedder that could not embed its
 * output, a {@link Measured} if it has vectors, and an {@link Observed} where an observe-only rule
 * would have stopped the run, a {@link Branched} where a fan-out started a branch; a {@link Steered}
 * whenever someone steers the run; then exactly one {@link Finished}, after which nothing comes. A step
 * cut short by cancellation, a time limit or a rule that fired on an earlier step has no second event.
 *
 * <p>Listeners are called one at a time. Without embedders the steps' events do not overlap. With
 * embedders ({@link Run.Builder#embedWith}) the next model is called while the previous output is
 * being embedded, so the {@link PredictionStarted} of step {@code n + 1} may come before the
 * {@link PredictionMade} of step {@code n}; the events of each step keep their order, and
 * {@link PredictionMade} events come in sequence order.
 *
 * <p>The listeners and subscribers given to a run's builder also receive the events of the
 * branches its fan-outs start; each event names its own run.
 */
public sealed interface RunEvent permits RunEvent.Started, RunEvent.PredictionStarted, RunEvent.PartialOutput,
        RunEvent.PredictionMade, RunEvent.PredictionFailed, RunEvent.EmbeddingFailed, RunEvent.Measured,
        RunEvent.Observed, RunEvent.Steered, RunEvent.Branched, RunEvent.BranchSkipped, RunEvent.Finished {

    /** The run this event belongs to. */
    String runId();

    /**
     * The run has started, or been resumed.
     *
     * @param runId         the run
     * @param network       the network it runs
     * @param input         the initial input
     * @param at            when it started (or was resumed)
     * @param firstSequence the sequence of the first prediction it will make now: 0 for a new run,
     *                      more for a resumed run, a fork or a branch
     * @param parent        where a fork or branch came from; empty for a run started from scratch
     */
    record Started(String runId, Network network, Payload input, Instant at, int firstSequence,
                   Optional<Lineage> parent) implements RunEvent {
        /** Stores a {@code null} parent as empty. */
        public Started {
            parent = parent == null ? Optional.empty() : parent;
        }
    }

    /**
     * A model has been called; its answer follows in a {@link PredictionMade} or {@link PredictionFailed}.
     *
     * @param runId    the run
     * @param sequence the prediction's sequence number
     * @param node     the network node that called it
     * @param modelId  the model called
     * @param input    what it was given (after the node's template)
     * @param at       when it was called
     * @param revision the configuration revision it is made under
     */
    record PredictionStarted(String runId, int sequence, String node, ModelId modelId, Payload input, Instant at,
                             int revision) implements RunEvent {
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
     * The run was steered ({@link Run#steer}): the calls that start from now on use this revision.
     *
     * @param runId    the run
     * @param revision the changes, numbered
     */
    record Steered(String runId, Revision revision) implements RunEvent {
    }

    /**
     * A fan-out started a branch: a run of its own ({@link Run#branches()}) that shares this run's
     * predictions up to {@code sequence} and goes on from node {@code toNode}.
     *
     * @param runId    the run that branched
     * @param branchId the new branch's run id
     * @param sequence the prediction whose output feeds the branch
     * @param fromNode the node that made it
     * @param toNode   the node the branch calls first
     */
    record Branched(String runId, String branchId, int sequence, String fromNode, String toNode) implements RunEvent {
    }

    /**
     * A fan-out could not start a branch, because the run's limit of live branches was reached:
     * the link {@code fromNode -> toNode} is not followed for this output.
     *
     * @param runId    the run
     * @param sequence the prediction whose output it was
     * @param fromNode the node that made it
     * @param toNode   the node not called
     * @param reason   why, e.g. "8 branches are live, the limit"
     */
    record BranchSkipped(String runId, int sequence, String fromNode, String toNode, String reason)
            implements RunEvent {
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
