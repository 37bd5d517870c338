package dev.panic.analysis;

import java.util.List;

/**
 * Which attractors a set of runs fell into.
 *
 * @param embedderId the embedder whose vectors were compared
 * @param threshold  the least average similarity between final states for runs to share an attractor
 * @param attractors the attractors, largest first (ties: in the order of their first run)
 * @param skipped    the runs left out because they have no output with a vector from that embedder
 */
public record AttractorReport(String embedderId, double threshold, List<Attractor> attractors, List<String> skipped) {

    /** Copies the lists. */
    public AttractorReport {
        attractors = List.copyOf(attractors);
        skipped = List.copyOf(skipped);
    }
}
