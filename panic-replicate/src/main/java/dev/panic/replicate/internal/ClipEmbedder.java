package dev.panic.replicate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.Embedding;
import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.BatchEmbedder;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.ValidationException;
import dev.panic.spi.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * CLIP features on Replicate ({@code andreasjansson/clip-features}): texts and images in one
 * 768-dimension space (CLIP ViT-L/14), many inputs in one prediction.
 *
 * <p>The model takes one string, {@code inputs}, of newline-separated lines, each a text or an
 * image address starting with {@code http(s)://}, and answers with a list of
 * {@code {"input", "embedding"}} in line order. So texts lose their line breaks (each becomes a
 * space), blank texts are refused, and images are always uploaded to Replicate's file store and
 * passed by address: a data URL would be read as text.
 */
public final class ClipEmbedder extends BatchEmbedder {

    /** The model's name on Replicate. */
    public static final String MODEL = "andreasjansson/clip-features";

    /** The length of CLIP ViT-L/14 vectors. */
    public static final int DIMENSION = 768;

    private final ReplicateClient client;
    private final String version;
    private final String missingToken;

    /**
     * @param version      the version id to run
     * @param missingToken why calls cannot be made, or null when a token is set
     */
    public ClipEmbedder(ReplicateClient client, String version, String missingToken) {
        super("clip", Set.of(Modality.TEXT, Modality.IMAGE), DIMENSION);
        this.client = client;
        this.version = version;
        this.missingToken = missingToken;
    }

    @Override
    protected CompletableFuture<List<Embedding>> embedBatch(List<? extends Payload> inputs) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i) instanceof Payload.Text t) {
                String line = t.text().replaceAll("[\\r\\n]+", " ").strip();
                if (line.isEmpty()) {
                    throw new ValidationException("input " + i + " to embedder 'clip' is blank; CLIP features"
                            + " takes one line per input, and a blank line would shift the others");
                }
                texts.add(line);
            } else {
                texts.add(null);
            }
        }
        if (missingToken != null) {
            return Vectors.missingToken(id(), missingToken);
        }
        Chain<List<Embedding>> chain = new Chain<>();
        List<CompletableFuture<String>> lines = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            lines.add(texts.get(i) != null ? CompletableFuture.completedFuture(texts.get(i))
                    : client.uploadedFile(inputs.get(i)));
        }
        CompletableFuture<Void> uploads = chain.track(CompletableFuture.allOf(lines.toArray(CompletableFuture[]::new)));
        return chain.finish(uploads.thenCompose(v -> {
            String joined = String.join("\n", lines.stream().map(CompletableFuture::join).toList());
            return chain.track(client.predict(MODEL, version, Json.object().put("inputs", joined)));
        }).thenApply(p -> vectors(p.output(), inputs.size(), "replicate prediction " + p.id() + " of " + MODEL)));
    }

    private static List<Embedding> vectors(JsonNode output, int expected, String who) {
        if (output == null || !output.isArray() || output.size() != expected) {
            throw new InvalidRequestException(who + " gave " + (output == null || !output.isArray() ? "no list"
                    : output.size() + " results") + " for " + expected + " inputs");
        }
        List<Embedding> out = new ArrayList<>(expected);
        for (JsonNode item : output) {
            out.add(Vectors.vector(item.get("embedding"), DIMENSION, who));
        }
        return out;
    }
}
