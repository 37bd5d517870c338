package dev.panic.embeddings.internal;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.panic.exception.UnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The quantized all-MiniLM-L6-v2 model as langchain4j runs it, loaded on first use.
 *
 * <p>langchain4j keeps the ONNX session and tokenizer in a static field of its model class, so
 * the weights are loaded once per class loader however many runtimes exist; what each runtime
 * owns is the langchain4j wrapper and, with it, the pool over which a batch is spread.
 */
public final class MiniLmRuntime {

    /** Length of every vector the model gives. */
    public static final int DIMENSION = 384;

    /**
     * What blank text is embedded as. langchain4j refuses blank segments, yet models in a run may
     * answer with nothing; a lone full stop is the nearest the model accepts to no content, and
     * gives every blank text the same vector, so a run stuck on empty answers still looks stuck.
     */
    public static final String BLANK_STAND_IN = ".";

    private final String owner;
    private final Executor workers;
    private final Object lock = new Object();
    private volatile EmbeddingModel model;
    private ModelUnavailableException loadFailure; // guarded by lock

    /**
     * @param owner   the embedder id, for error messages
     * @param workers the pool a batch is spread over, or null for the model's own (one thread per
     *                core, each ending after a second idle)
     */
    public MiniLmRuntime(String owner, Executor workers) {
        this.owner = owner;
        this.workers = workers;
    }

    /** True once the model has been loaded. */
    public boolean isLoaded() {
        return model != null;
    }

    /**
     * Loads the model if that has not happened yet; at most once, whatever the number of threads
     * asking.
     *
     * @throws ModelUnavailableException if it cannot be loaded, now or on any earlier attempt
     */
    public void load() {
        model();
    }

    /**
     * Embeds texts with one call of the model's batch API, in order.
     *
     * @throws ModelUnavailableException if the model cannot be loaded
     * @throws UnavailableException      if the model fails while embedding
     */
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of(); // langchain4j rejects an empty batch, but an empty answer is the honest one
        }
        EmbeddingModel m = model();
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String text : texts) {
            segments.add(TextSegment.from(text.isBlank() ? BLANK_STAND_IN : text));
        }
        List<Embedding> embeddings;
        try {
            embeddings = m.embedAll(segments).content();
        } catch (RuntimeException e) {
            throw new UnavailableException(owner + " failed while embedding " + texts.size() + " text(s): " + e, e);
        }
        if (embeddings == null || embeddings.size() != texts.size()) {
            throw new UnavailableException(owner + " asked for " + texts.size() + " vectors and got "
                    + (embeddings == null ? "none" : embeddings.size()));
        }
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding e : embeddings) {
            float[] v = e.vector();
            if (v.length != DIMENSION) {
                throw new UnavailableException(owner + " expected " + DIMENSION + " dimensions from the model, got "
                        + v.length);
            }
            vectors.add(v);
        }
        return vectors;
    }

    private EmbeddingModel model() {
        EmbeddingModel m = model;
        if (m != null) {
            return m;
        }
        synchronized (lock) {
            if (model != null) {
                return model;
            }
            if (loadFailure != null) {
                // A fresh exception per caller: a shared one would collect every caller's suppressed
                // exceptions and show the first caller's stack.
                throw new ModelUnavailableException(loadFailure.getMessage(), loadFailure.getCause());
            }
            try {
                model = workers == null
                        ? new AllMiniLmL6V2QuantizedEmbeddingModel()
                        : new AllMiniLmL6V2QuantizedEmbeddingModel(workers);
                return model;
            } catch (RuntimeException | LinkageError e) {
                // LinkageError covers a failed static initialiser and a native library that will not load.
                loadFailure = new ModelUnavailableException(owner + " could not load the all-MiniLM-L6-v2 model"
                        + " in process (ONNX Runtime and the model jar must be on the class path and the"
                        + " platform supported by ONNX Runtime): " + describe(e), e);
                throw loadFailure;
            }
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e + ", caused by " + root;
    }

    @Override
    public String toString() {
        return "MiniLmRuntime[" + (isLoaded() ? "loaded" : "not loaded") + "]";
    }
}
