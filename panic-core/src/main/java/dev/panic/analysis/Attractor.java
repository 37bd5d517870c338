package dev.panic.analysis;

import dev.panic.Payload;
import java.util.List;

/**
 * A place several runs ended up in: a cluster of their final states.
 *
 * @param runIds                 the runs that fell into it, in the order they were given
 * @param representativeRunId    the member whose final state is closest to the cluster's centroid
 * @param representativeSequence the sequence number of that run's last output with a vector
 * @param representativeOutput   that output: what the attractor looks like
 * @param cohesion               the mean similarity of the members' final states to the centroid (1 for one member)
 */
public record Attractor(List<String> runIds, String representativeRunId, int representativeSequence,
                        Payload representativeOutput, double cohesion) {

    /** Copies the list. */
    public Attractor {
        runIds = List.copyOf(runIds);
    }

    /** How many runs fell into it. */
    public int size() {
        return runIds.size();
    }
}
