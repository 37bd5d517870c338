package dev.panic;

import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * How one output compares with earlier <em>comparable</em> outputs, in the vector space of one
 * embedder: the live measure of whether a run is settling, cycling or drifting.
 *
 * <p>Comparable outputs are those of the same network position, i.e. of the same model, one lap
 * of the network apart: in a network of {@code L} models output {@code n} is compared with outputs
 * {@code n - L}, {@code n - 2L}... and so with outputs of one modality whose vectors come from one
 * embedder. An image's vector is therefore never compared with a text's, even when one embedder
 * (a CLIP-like model) embeds both.
 *
 * @param embedderId the embedder whose vectors are compared
 * @param sequence   the output measured
 * @param lap        its index among the comparable outputs, {@code sequence / L}
 * @param previous   the latest earlier comparable output that has a vector from this embedder
 *                   (normally {@code sequence - L}); empty for the first one
 * @param toPrevious cosine similarity to {@code previous}; empty if there is none, or if the two vectors
 *                   cannot be compared (their dimensions differ)
 * @param origin     the first comparable output that has a vector from this embedder: the run's
 *                   starting point for this model, which drift is measured from
 * @param toOrigin   cosine similarity to {@code origin} (1 for the origin itself); empty if
 *                   the two vectors cannot be compared (their dimensions differ)
 */
public record Similarity(String embedderId, int sequence, int lap, OptionalInt previous, OptionalDouble toPrevious,
                         int origin, OptionalDouble toOrigin) {

    /** Stores a {@code null} part as empty. */
    public Similarity {
        previous = previous == null ? OptionalInt.empty() : previous;
        toPrevious = toPrevious == null ? OptionalDouble.empty() : toPrevious;
        toOrigin = toOrigin == null ? OptionalDouble.empty() : toOrigin;
    }

    /** The measure of a series' first output: its own origin, with nothing before it. */
    public static Similarity origin(String embedderId, int sequence, int lap) {
        return new Similarity(embedderId, sequence, lap, OptionalInt.empty(), OptionalDouble.empty(), sequence,
                OptionalDouble.of(1.0));
    }
}
