package dev.panic.analysis;

import dev.panic.Modality;
import dev.panic.Similarity;
import java.util.List;

/**
 * The analysis of one run's outputs of one modality in the space of one embedder.
 *
 * @param modality     the outputs' modality
 * @param embedderId   the embedder whose vectors were compared
 * @param similarities one per output that has a vector from this embedder, in sequence order, each
 *                     measured against the earlier outputs of the same model exactly as the live
 *                     {@link dev.panic.RunEvent.Measured} events are: its {@code toOrigin} values
 *                     are the drift curve, its {@code toPrevious} values the step similarities
 * @param matrix       the similarities between these outputs (or an evenly spaced sample of them)
 * @param decay        the drift curve ({@code toOrigin} against {@code lap}) fitted to
 *                     {@code a * exp(-b * lap) + c}
 */
public record SeriesAnalysis(Modality modality, String embedderId, List<Similarity> similarities,
                             SimilarityMatrix matrix, DecayFit decay) {

    /** Copies the list. */
    public SeriesAnalysis {
        similarities = List.copyOf(similarities);
    }

    /** The similarity of each output to its origin, in sequence order (NaN where it could not be measured). */
    public double[] driftCurve() {
        return similarities.stream().mapToDouble(s -> s.toOrigin().orElse(Double.NaN)).toArray();
    }

    /** The similarity of each output to the previous output of the same model (NaN for the first ones). */
    public double[] stepSimilarities() {
        return similarities.stream().mapToDouble(s -> s.toPrevious().orElse(Double.NaN)).toArray();
    }
}
