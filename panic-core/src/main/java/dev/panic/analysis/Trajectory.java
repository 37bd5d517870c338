package dev.panic.analysis;

import dev.panic.ModelId;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.exception.ValidationException;
import dev.panic.StoredRun;
import java.util.List;

/**
 * A run's predictions as the analysis sees them, in sequence order. Which outputs are comparable
 * (the same node's, on successive visits) the predictions' {@link Prediction#node()} tells.
 *
 * @param runId       the run
 * @param network     the model ids of its network's nodes, in order
 * @param predictions the predictions, in sequence order (failed ones are ignored by the analysis)
 */
public record Trajectory(String runId, List<ModelId> network, List<Prediction> predictions) {

    /** Checks and copies. */
    public Trajectory {
        if (runId == null || network == null || network.isEmpty() || predictions == null) {
            throw new ValidationException("a trajectory needs a run id, the model ids of its network and its predictions");
        }
        network = List.copyOf(network);
        predictions = List.copyOf(predictions);
    }

    /** A snapshot of a run, finished or not. */
    public static Trajectory of(Run run) {
        return new Trajectory(run.id(), run.network().models().stream().map(m -> m.id()).toList(), run.predictions());
    }

    /** A run read back from a store. */
    public static Trajectory of(StoredRun run) {
        return new Trajectory(run.info().id(), run.info().network(), run.predictions());
    }

}
