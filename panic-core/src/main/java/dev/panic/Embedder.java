package dev.panic;

import dev.panic.exception.ValidationException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Turns outputs into vectors, so that a run can measure how close each output is to earlier ones:
 * the basis of fixed-point, cycle and drift detection.
 *
 * <p>Some embedders run in process (panic-embeddings) and answer at once; others call a platform
 * (Replicate ImageBind, OpenAI or Ollama embeddings) and answer later. Both return futures.
 * Implementations are thread-safe.
 */
public interface Embedder {

    /**
     * What an embedder made by {@link #of} runs: embeds a checked, non-empty batch.
     */
    @FunctionalInterface
    interface Batch {
        /** One vector per input, in input order, or a future failed with a {@link dev.panic.exception.PanicException}. */
        CompletableFuture<List<Embedding>> embed(List<? extends Payload> inputs);
    }

    /**
     * An embedder from a batch function, checked as {@link BatchEmbedder} checks.
     *
     * @param id         a stable id, e.g. {@code my-clip}
     * @param modalities what it embeds
     * @param dimension  the length of every vector
     * @param identity   what the vectors come from (model, weights, code version), for a run's provenance
     * @param batch      embeds a checked, non-empty batch
     * @throws ValidationException if an argument is missing or out of range
     */
    static Embedder of(String id, Set<Modality> modalities, int dimension, String identity, Batch batch) {
        if (batch == null || identity == null || identity.isBlank()) {
            throw new ValidationException("embedder '" + id + "' needs an identity and a batch function");
        }
        return new BatchEmbedder(id, modalities, dimension) {
            @Override
            protected CompletableFuture<List<Embedding>> embedBatch(List<? extends Payload> inputs) {
                return batch.embed(inputs);
            }

            @Override
            public String identity() {
                return identity;
            }

            @Override
            public String toString() {
                return "Embedder[" + id + ", " + dimension + " dims]";
            }
        };
    }

    /** A stable id, used as the key of the vector in {@link dev.panic.Prediction#embeddings()}, e.g. {@code minilm}. */
    String id();

    /**
     * What the vectors come from, for a run's provenance: the model and its weights, and the
     * version of the code. By default the id, the class and its module's version; embedders with
     * weights name them.
     */
    default String identity() {
        Package p = getClass().getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return id() + " (" + getClass().getSimpleName() + ", " + (v == null ? "development" : v) + ")";
    }

    /** The modalities it can embed. */
    Set<Modality> modalities();

    /** The length of every vector it returns. */
    int dimension();

    /**
     * Embeds several payloads in one call, which is faster for most embedders.
     *
     * @return a future of one vector per input, in input order; it fails with a
     *         {@link dev.panic.exception.PanicException} subclass saying why
     * @throws ValidationException at once if an input is null or of a modality it does not accept
     */
    CompletableFuture<List<Embedding>> embedAll(List<? extends Payload> inputs);

    /**
     * Embeds one payload.
     *
     * @throws ValidationException at once if it is null or of a modality it does not accept
     */
    default CompletableFuture<Embedding> embed(Payload input) {
        if (input == null) {
            throw new ValidationException("input to embedder '" + id() + "' is null");
        }
        return embedAll(List.of(input)).thenApply(list -> list.get(0));
    }

    /** True if it can embed payloads of {@code modality}. */
    default boolean accepts(Modality modality) {
        return modalities().contains(modality);
    }

    /**
     * Checks that every input is present and of an accepted modality; for implementations to call
     * first in {@link #embedAll}.
     *
     * @throws ValidationException naming the first bad input
     */
    default void checkInputs(List<? extends Payload> inputs) {
        if (inputs == null) {
            throw new ValidationException("inputs to embedder '" + id() + "' are null");
        }
        for (int i = 0; i < inputs.size(); i++) {
            Payload p = inputs.get(i);
            if (p == null) {
                throw new ValidationException("input " + i + " to embedder '" + id() + "' is null");
            }
            if (!accepts(p.modality())) {
                throw new ValidationException("embedder '" + id() + "' takes " + modalities() + " but input " + i
                        + " is " + p.modality());
            }
        }
    }
}
