package dev.panic.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.Embedding;
import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.BatchEmbedder;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.UnavailableException;
import dev.panic.exception.ValidationException;
import dev.panic.spi.http.ApiRequest;
import dev.panic.spi.http.ApiResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Text embeddings through {@code POST /embeddings} ({@code CreateEmbeddingRequest}). Vectors are
 * asked for as base64 little-endian float32, a quarter of the size of JSON numbers and exact;
 * a server that answers with arrays of numbers anyway is read too.
 *
 * <p>The request is sent as a read: an embedding creates nothing and the same text gives the same
 * vector, so repeating it after a server error cannot do harm beyond a fraction of a cent.
 */
public final class OpenAiEmbedder extends BatchEmbedder {

    /** The models whose {@code dimensions} may be set ("text-embedding-3 and later models"). */
    private static final String DIMENSIONS_PREFIX = "text-embedding-3";

    /**
     * Native vector lengths. Assumption: the API description gives only ada-002's (1536, in the
     * {@code Embedding} example); the text-embedding-3 lengths are from OpenAI's embeddings guide.
     */
    private static final Map<String, Integer> NATIVE = Map.of("text-embedding-ada-002", 1536,
            "text-embedding-3-small", 1536, "text-embedding-3-large", 3072);

    /** {@code CreateEmbeddingRequest.input}: at most 2048 strings per request. */
    private static final int MAX_BATCH = 2048;

    private final String model;
    private final Integer requestedDimensions;
    private final int dimension;
    private final String id;
    private final OpenAiClient client;

    /**
     * An embedder.
     *
     * @param dimensions for text-embedding-3 models, a shorter vector length to ask for (sent as
     *                   {@code dimensions}), or null for the full length; for models PANIC does not
     *                   know (on a compatible server), their vector length, which is required and
     *                   not sent; for ada-002, null
     * @throws ValidationException if the model and the dimensions do not go together
     */
    public OpenAiEmbedder(String model, Integer dimensions, OpenAiClient client) {
        this(Shape.of(model, dimensions), client);
    }

    private OpenAiEmbedder(Shape shape, OpenAiClient client) {
        super(shape.id(), Set.of(Modality.TEXT), shape.dimension());
        this.model = shape.model();
        this.requestedDimensions = shape.requestedDimensions();
        this.dimension = shape.dimension();
        this.id = shape.id();
        this.client = client;
    }

    /** The model, the length asked for and the vectors' length, checked before the embedder exists. */
    private record Shape(String model, Integer requestedDimensions, int dimension, String id) {
        static Shape of(String name, Integer dimensions) {
            if (name == null || name.isBlank()) {
                throw new ValidationException("an OpenAI embedder needs a model name, e.g. text-embedding-3-small");
            }
            String model = name.trim();
            Integer known = NATIVE.get(model);
            boolean shortens = model.startsWith(DIMENSIONS_PREFIX);
            if (dimensions != null && dimensions < 1) {
                throw new ValidationException("parameter 'dimensions' of embedder openai:" + model
                        + " must be a whole number of at least 1; got " + dimensions);
            }
            if (dimensions != null && known != null && !shortens) {
                throw new ValidationException("parameter 'dimensions' is supported only by text-embedding-3 and later"
                        + " models, not " + model + "; leave it out (its vectors have " + known + " dimensions)");
            }
            if (dimensions != null && known != null && dimensions > known) {
                throw new ValidationException("parameter 'dimensions' of embedder openai:" + model
                        + " must be from 1 to " + known + "; got " + dimensions);
            }
            if (dimensions == null && known == null) {
                throw new ValidationException("PANIC does not know the vector length of '" + model
                        + "'; give it: OpenAiPlatform.embedder(\"" + model + "\", dimensions)");
            }
            // Only the models the description names as taking it get the field; others would refuse it.
            Integer requested = dimensions != null && shortens ? dimensions : null;
            return new Shape(model, requested, dimensions != null ? dimensions : known,
                    "openai:" + model + (requested == null ? "" : "@" + requested));
        }
    }

    @Override
    protected CompletableFuture<List<Embedding>> embedBatch(List<? extends Payload> inputs) {
        List<String> texts = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            String text = ((Payload.Text) inputs.get(i)).text();
            if (text.isEmpty()) {
                // The description: "cannot be an empty string".
                throw new ValidationException("input " + i + " to embedder '" + id + "' is empty; OpenAI embeds no empty text");
            }
            texts.add(text);
        }
        List<CompletableFuture<List<Embedding>>> batches = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += MAX_BATCH) {
            batches.add(batch(texts.subList(from, Math.min(texts.size(), from + MAX_BATCH))));
        }
        return CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Embedding> all = new ArrayList<>(texts.size());
            batches.forEach(b -> all.addAll(b.join()));
            return List.copyOf(all);
        });
    }

    private CompletableFuture<List<Embedding>> batch(List<String> texts) {
        Wire.CreateEmbeddingRequest request = new Wire.CreateEmbeddingRequest(List.copyOf(texts), model, "base64",
                requestedDimensions == null ? null : requestedDimensions.longValue());
        return client.postJson("/embeddings", request, ApiRequest.Kind.READ).thenApply(r -> read(r, texts.size()));
    }

    private List<Embedding> read(ApiResponse response, int expected) {
        Wire.CreateEmbeddingResponse answer = Wire.read(response, Wire.CreateEmbeddingResponse.class);
        if (answer.data() == null || answer.data().size() != expected) {
            throw new UnavailableException(id + " sent " + (answer.data() == null ? 0 : answer.data().size())
                    + " embeddings for " + expected + " inputs", null, response.status(), null);
        }
        // The answer's order is not promised; each item says which input it belongs to.
        Embedding[] ordered = new Embedding[expected];
        for (Wire.EmbeddingItem item : answer.data()) {
            Integer index = item == null ? null : item.index();
            if (index == null || index < 0 || index >= expected || ordered[index] != null) {
                throw new UnavailableException(id + " sent an embedding with a missing, repeated or out-of-range index "
                        + index, null, response.status(), null);
            }
            float[] vector = vector(item.embedding(), response.status());
            if (vector.length != dimension) {
                throw new InvalidRequestException(id + " sent vectors of " + vector.length + " dimensions, not "
                        + dimension + "; give the model's length: OpenAiPlatform.embedder(\"" + model + "\", "
                        + vector.length + ")", null, response.status(), null);
            }
            ordered[index] = Embedding.of(vector);
        }
        return List.of(ordered);
    }

    private float[] vector(JsonNode embedding, int status) {
        if (embedding != null && embedding.isTextual()) {
            return decodeFloats(embedding.asText(), status);
        }
        if (embedding != null && embedding.isArray()) {
            float[] v = new float[embedding.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) embedding.get(i).asDouble();
            }
            return v;
        }
        throw new UnavailableException(id + " sent an embedding that is neither base64 nor an array", null, status, null);
    }

    /** Base64 of little-endian float32, as {@code encoding_format: base64} returns. */
    static float[] decodeFloats(String base64, int status) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new UnavailableException("openai sent an embedding that is not valid base64", e, status, null);
        }
        if (bytes.length % Float.BYTES != 0) {
            throw new UnavailableException("openai sent an embedding of " + bytes.length
                    + " bytes, not a whole number of float32 values", null, status, null);
        }
        FloatBuffer floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] v = new float[floats.remaining()];
        floats.get(v);
        return v;
    }

    @Override
    public String toString() {
        return "OpenAiEmbedder[" + id + ", dimension=" + dimension + "]";
    }
}
