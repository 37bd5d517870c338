package dev.panic;

import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.spi.Futures;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The one way to write an {@link Embedder}: give its id, modalities and dimension, and a batch
 * function; this class does the rest the contract asks for. Inputs are checked before the batch
 * function sees them (none null, each of an accepted modality; an empty batch answers at once
 * without calling it), and its answer is checked after (one vector per input, each of
 * {@link #dimension()} values). Cancelling the returned future cancels the batch function's.
 *
 * <p>Subclass it (as the offline and platform embedders do), or make one from a function with
 * {@link Embedder#of}.
 */
public abstract class BatchEmbedder implements Embedder {

    private final String id;
    private final Set<Modality> modalities;
    private final int dimension;

    /**
     * @param id         a stable id, the key of the vectors in {@link Prediction#embeddings()}
     * @param modalities what it embeds, at least one
     * @param dimension  the length of every vector, at least 1
     * @throws ValidationException if one of them is missing or out of range
     */
    protected BatchEmbedder(String id, Set<Modality> modalities, int dimension) {
        if (id == null || id.isBlank()) {
            throw new ValidationException("an embedder needs an id, e.g. 'minilm'");
        }
        if (modalities == null || modalities.isEmpty()) {
            throw new ValidationException("embedder '" + id + "' needs at least one modality it embeds");
        }
        if (dimension < 1) {
            throw new ValidationException("embedder '" + id + "' has dimension " + dimension + "; it must be at least 1");
        }
        this.id = id;
        this.modalities = Set.copyOf(modalities);
        this.dimension = dimension;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Set<Modality> modalities() {
        return modalities;
    }

    @Override
    public final int dimension() {
        return dimension;
    }

    /**
     * Embeds a checked, non-empty batch.
     *
     * @param inputs one or more payloads, none null, each of a modality this embedder takes
     * @return a future of one vector per input, in input order; it fails with a
     *         {@link PanicException} subclass saying why
     * @throws ValidationException at once for an input it can tell is wrong without working on it
     */
    protected abstract CompletableFuture<List<Embedding>> embedBatch(List<? extends Payload> inputs);

    /** What {@link #eachNow} runs on one input. */
    @FunctionalInterface
    protected interface Each {
        /**
         * @param index the input's place in the batch, for messages
         * @throws PanicException saying what is wrong with the input
         */
        Embedding embed(int index, Payload input);
    }

    /**
     * Embeds the inputs one by one in the calling thread, for embedders whose work per input is a
     * few milliseconds of CPU: an already completed future, or a failed one with the first
     * {@link PanicException} thrown.
     */
    protected static CompletableFuture<List<Embedding>> eachNow(List<? extends Payload> inputs, Each each) {
        List<Embedding> out = new ArrayList<>(inputs.size());
        try {
            for (int i = 0; i < inputs.size(); i++) {
                out.add(each.embed(i, inputs.get(i)));
            }
        } catch (PanicException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public final CompletableFuture<List<Embedding>> embedAll(List<? extends Payload> inputs) {
        checkInputs(inputs);
        if (inputs.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        CompletableFuture<List<Embedding>> batch = embedBatch(inputs);
        if (batch == null) {
            return CompletableFuture.failedFuture(new PanicException("embedder '" + id + "' returned no future;"
                    + " this is a bug in the embedder"));
        }
        return Futures.linked(batch, vectors -> checked(vectors, inputs.size()));
    }

    private List<Embedding> checked(List<Embedding> vectors, int inputs) {
        if (vectors == null || vectors.size() != inputs) {
            throw new PanicException("embedder '" + id + "' returned " + (vectors == null ? "no list" : vectors.size()
                    + " vectors") + " for " + inputs + " inputs; this is a bug in the embedder");
        }
        for (int i = 0; i < inputs; i++) {
            Embedding v = vectors.get(i);
            if (v == null || v.dimension() != dimension) {
                throw new PanicException("embedder '" + id + "' returned " + (v == null ? "no vector"
                        : "a vector of " + v.dimension() + " values") + " for input " + i + ", expected " + dimension);
            }
        }
        return List.copyOf(vectors);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + id + ", " + dimension + " dims]";
    }
}
