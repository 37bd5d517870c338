package dev.panic;

import dev.panic.exception.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model call within a run: what went in, what came out, when, and what the platform said.
 *
 * @param runId      the run this prediction belongs to
 * @param sequence   0 for the first prediction of the run, then 1, 2... (a resumed run goes on
 *                   counting; a fork or branch counts on from its parent's prediction it starts after)
 * @param node       the id of the network node that made it ({@link Network.Node#id()})
 * @param modelId    the model that was called
 * @param input      what the model was given (after its node's template, if any)
 * @param output     what it answered; null if and only if the call failed
 * @param startedAt  when the call was made
 * @param finishedAt when the answer (or the failure) arrived
 * @param metadata   what the platform reported about the call
 * @param embeddings vectors of the output, keyed by embedder id (empty until an embedder has run)
 * @param error      why the call failed; null if it succeeded
 * @param revision   which revision of the run's configuration made it: 0 as started, one more
 *                   for each {@linkplain Run#steer steering} change
 * @param verdicts   what judging rules (a language model asked about the output) answered, in rule order
 */
public record Prediction(String runId, int sequence, String node, ModelId modelId, Payload input, Payload output,
                         Instant startedAt, Instant finishedAt, Metadata metadata,
                         Map<String, Embedding> embeddings, Failure error, int revision, List<Verdict> verdicts) {

    /** Checks the record is consistent: exactly one of output and error is present. */
    public Prediction {
        if (runId == null || node == null || modelId == null || input == null || startedAt == null
                || finishedAt == null) {
            throw new ValidationException("a prediction needs a run id, a node, a model id, an input and its times");
        }
        if (sequence < 0) {
            throw new ValidationException("prediction sequence must not be negative, got " + sequence);
        }
        if (revision < 0) {
            throw new ValidationException("prediction revision must not be negative, got " + revision);
        }
        if ((output == null) == (error == null)) {
            throw new ValidationException("a prediction has either an output or an error, not both or neither");
        }
        metadata = metadata == null ? Metadata.empty() : metadata;
        embeddings = embeddings == null || embeddings.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(embeddings));
        verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
    }

    /** A prediction nothing has judged. */
    public Prediction(String runId, int sequence, String node, ModelId modelId, Payload input, Payload output,
                      Instant startedAt, Instant finishedAt, Metadata metadata, Map<String, Embedding> embeddings,
                      Failure error, int revision) {
        this(runId, sequence, node, modelId, input, output, startedAt, finishedAt, metadata, embeddings, error,
                revision, List.of());
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
        return withEmbeddings(copy);
    }

    /** A copy with these vectors instead of its own. */
    public Prediction withEmbeddings(Map<String, Embedding> vectors) {
        return new Prediction(runId, sequence, node, modelId, input, output, startedAt, finishedAt, metadata, vectors,
                error, revision, verdicts);
    }

    /** A copy with these verdicts instead of its own. */
    public Prediction withVerdicts(List<Verdict> judged) {
        return new Prediction(runId, sequence, node, modelId, input, output, startedAt, finishedAt, metadata,
                embeddings, error, revision, judged);
    }
}
