package dev.panic;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a run's description and state, as saved in a run store's {@code run.json}.
 *
 * @param id           the run id
 * @param network      the model ids of its network, in order
 * @param initialInput what the first model was given
 * @param status       where it is in its life
 * @param stopReason   why it ended; null while it runs
 * @param startedAt    when it started
 * @param finishedAt   when it ended; null while it runs
 * @param predictions  how many predictions it has made so far (failed ones included)
 * @param observations what observe-only rules found, in order
 */
public record RunInfo(String id, List<ModelId> network, Payload initialInput, RunStatus status,
                      StopReason stopReason, Instant startedAt, Instant finishedAt, int predictions,
                      List<StopReason> observations) {
    /** Makes the lists immutable. */
    public RunInfo {
        network = List.copyOf(network);
        observations = observations == null ? List.of() : List.copyOf(observations);
    }
}
