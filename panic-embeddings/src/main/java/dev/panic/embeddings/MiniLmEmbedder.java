package dev.panic.embeddings;

import dev.panic.Embedding;
import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.BatchEmbedder;
import dev.panic.embeddings.internal.MiniLmRuntime;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Sentence embeddings of text with all-MiniLM-L6-v2 (quantized to 8 bits), run in process through
 * ONNX Runtime: no network, no key, nothing downloaded at run time. Id {@value #ID}, text only,
 * {@value #DIMENSION} dimensions.
 *
 * <p><b>Vectors</b> are float32 and unit length (L2 norm 1 within float rounding), as the model
 * gives them after mean pooling, so the cosine of two is their dot product. Texts with similar
 * meaning get close vectors ("a dog runs across the park" and "a puppy is running through the
 * park"), unrelated ones distant vectors. The model reads English best. A text longer than the
 * model's window (510 word pieces) is cut into windows whose vectors are averaged, weighted by
 * length. Blank text, which some models answer with, has no word pieces to read; it is embedded as
 * a lone full stop, so every blank text gets the same vector. The same text always gives the same
 * vector within a process; a text embedded alone or in a batch agrees to within float rounding.
 *
 * <p><b>Loading.</b> The model (about 23 MB of weights and a tokenizer, inside the langchain4j jar)
 * loads on the first call that needs it, or on {@link #load()}, once, however many threads ask at
 * the same time; that takes about a second. Loading extracts ONNX Runtime's native library to the
 * temporary directory and the tokenizer's to {@code ~/.djl.ai} (or {@code DJL_CACHE_DIR}).
 *
 * <p><b>Memory.</b> Loading adds about 180 MB to the process's resident memory (ONNX Runtime, the
 * model and the tokenizer), almost all of it outside the Java heap, so {@code -Xmx} does not bound
 * it. The model is held in a static field of langchain4j's model class, shared by every
 * {@code MiniLmEmbedder} in the class loader and never released: make as many embedders as you
 * like, the weights load once.
 *
 * <p><b>Threads.</b> Thread-safe. {@link #embedAll} computes in the calling thread and returns an
 * already completed future: the work is a few milliseconds of CPU per text, so handing it to
 * another thread would only add a hop, and callers that must not block (an event loop) already
 * have an executor to call it from. A batch of more than one text is passed whole to the model's
 * batch API, which spreads its texts over a pool of workers and waits for them: by default the
 * model's own pool of one thread per core, whose threads end after a second idle; pass an
 * {@link Executor} to the constructor to use yours instead.
 *
 * <p><b>Failures.</b> Inputs that are null or not text throw a {@link ValidationException} at
 * once. A model that cannot load (no native ONNX Runtime for this platform) fails the future with
 * an {@link dev.panic.exception.UnavailableException} that is not retriable, and so does every
 * later call in the same process; a failure while embedding fails it with a retriable one.
 */
public final class MiniLmEmbedder extends BatchEmbedder {

    /** The id, {@value}: the key of its vectors in a prediction's embeddings. */
    public static final String ID = "minilm";

    /** The length of every vector, {@value}. */
    public static final int DIMENSION = MiniLmRuntime.DIMENSION;

    private static final Set<Modality> MODALITIES = Set.of(Modality.TEXT);

    private final MiniLmRuntime runtime;

    /** An embedder whose batches are spread over the model's own pool of one thread per core. */
    public MiniLmEmbedder() {
        super(ID, MODALITIES, DIMENSION);
        this.runtime = new MiniLmRuntime(ID, null);
    }

    /**
     * An embedder whose batches are spread over {@code workers}. The calling thread waits for them,
     * so {@code workers} must not be a pool that the caller itself runs on and fills: with every
     * thread waiting for work queued behind it, a batch would never finish.
     *
     * @throws ValidationException if {@code workers} is null
     */
    public MiniLmEmbedder(Executor workers) {
        super(ID, MODALITIES, DIMENSION);
        if (workers == null) {
            throw new ValidationException("the executor of embedder '" + ID + "' must not be null;"
                    + " use new MiniLmEmbedder() for the model's own pool");
        }
        this.runtime = new MiniLmRuntime(ID, workers);
    }

    /**
     * Loads the model now rather than on first use, so that the first embedding is not the slow
     * one (a benchmark's warm-up, a server's start). Does nothing if it is already loaded.
     *
     * @return this embedder
     * @throws dev.panic.exception.UnavailableException if the model cannot be loaded
     */
    public MiniLmEmbedder load() {
        runtime.load();
        return this;
    }

    /** True once this embedder has loaded the model, on first use or through {@link #load()}. */
    public boolean isLoaded() {
        return runtime.isLoaded();
    }

    /**
     * Embeds texts in one call of the model's batch API, in the calling thread (see the class
     * description); an empty list gives an empty list without loading the model.
     *
     * @return an already completed future of one unit-length vector per text, in input order, or
     *         a failed one with an {@link dev.panic.exception.UnavailableException}
     * @throws ValidationException at once if an input is null or not text
     */
    @Override
    protected CompletableFuture<List<Embedding>> embedBatch(List<? extends Payload> inputs) {
        List<String> texts = new ArrayList<>(inputs.size());
        for (Payload p : inputs) {
            texts.add(((Payload.Text) p).text());
        }
        try {
            List<float[]> vectors = runtime.embedAll(texts);
            List<Embedding> out = new ArrayList<>(vectors.size());
            for (float[] v : vectors) {
                out.add(Embedding.of(v));
            }
            return CompletableFuture.completedFuture(List.copyOf(out));
        } catch (PanicException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public String toString() {
        return "MiniLmEmbedder[" + ID + ", " + DIMENSION + " dims, " + (isLoaded() ? "loaded" : "not loaded") + "]";
    }
}
