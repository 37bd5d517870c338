package dev.panic;

import dev.panic.exception.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model call within a run: what went in, what came out, when, and what the platform said.
 *
 * @param runId      the run this prediction belongs to
 * @param sequence   0 for the first prediction of the run, then 1, 2...
 * @param modelId    the model that was called
 * @param input      what the model was given
 * @param output     what it answered; null if and only if the call failed
 * @param startedAt  when the call was made
 * @param finishedAt when the answer (or the failure) arrived
 * @param metadata   what the platform reported about the call
 * @param embeddings vectors of the output, keyed by embedder id (empty until an embedder has run)
 * @param error      why the call failed; null if it succeeded
 */
public record Prediction(String runId, int sequence, ModelId modelId, Payload input, Payload output,
                         Instant startedAt, Instant finishedAt, Metadata metadata,
                         Map<String, Embedding> embeddings, Failure error) {

    /** Checks the record is consistent: exactly one of output and error is present. */
    public Prediction {
        if (runId == null || modelId == null || input == null || startedAt == null || finishedAt == null) {
            throw new ValidationException("a prediction needs a run id, a model id, an input and its times");
        }
        if (sequence < 0) {
            throw new ValidationException("prediction sequence must not be negative, got " + sequence);
        }
        if ((output == null) == (error == null)) {
            throw new ValidationException("a prediction has either an output or an error, not both or neither");
        }
        metadata = metadata == null ? Metadata.empty() : metadata;
        embeddings = embeddings == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(embeddings));
    }

    /**
     * Why a call failed.
     *
     * @param type    the exception type, e.g. {@code RateLimitedException}
     * @param message what went wrong, as the exception said it
     */
    public record Failure(String type, String message) {
        /** The failure recorded from an exception. */
        public static Failure of(Throwable t) {
            return new Failure(t.getClass().getSimpleName(), String.valueOf(t.getMessage()));
        }
    }

    /** True if the call gave an output. */
    public boolean succeeded() {
        return error == null;
    }

    /** Wall-clock time of the call as seen by the run. */
    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }

    /** A copy with the vector of {@code embedderId} added (or replaced). */
    public Prediction withEmbedding(String embedderId, Embedding embedding) {
        if (embedderId == null || embedderId.isBlank() || embedding == null) {
            throw new ValidationException("an embedding needs an embedder id and a vector");
        }
        Map<String, Embedding> copy = new LinkedHashMap<>(embeddings);
        copy.put(embedderId, embedding);
        return new Prediction(runId, sequence, modelId, input, output, startedAt, finishedAt, metadata, copy, error);
    }
}
