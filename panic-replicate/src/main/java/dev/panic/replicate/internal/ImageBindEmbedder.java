package dev.panic.replicate.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.Embedding;
import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.BatchEmbedder;
import dev.panic.spi.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * ImageBind on Replicate ({@code daanelson/imagebind}): text, images and sounds in one 1024-dimension
 * space, so outputs of different modalities in a loop can be compared.
 *
 * <p>The model embeds one input per prediction: {@code modality} is {@code text}, {@code vision} or
 * {@code audio}; text goes in {@code text_input}, files in {@code input} (a data URL when small, an
 * upload otherwise). Several inputs are sent as concurrent predictions, within the platform's rate
 * limit. Its output is the vector as a list of numbers.
 */
public final class ImageBindEmbedder extends BatchEmbedder {

    /** The model's name on Replicate. */
    public static final String MODEL = "daanelson/imagebind";

    /** The length of ImageBind (huge) vectors. */
    public static final int DIMENSION = 1024;

    private final ReplicateClient client;
    private final String version;
    private final String missingToken;

    /**
     * @param version      the version id to run
     * @param missingToken why calls cannot be made, or null when a token is set
     */
    public ImageBindEmbedder(ReplicateClient client, String version, String missingToken) {
        super("imagebind", Set.of(Modality.TEXT, Modality.IMAGE, Modality.AUDIO), DIMENSION);
        this.client = client;
        this.version = version;
        this.missingToken = missingToken;
    }

    @Override
    protected CompletableFuture<List<Embedding>> embedBatch(List<? extends Payload> inputs) {
        if (missingToken != null) {
            return Vectors.missingToken(id(), missingToken);
        }
        List<CompletableFuture<Embedding>> parts = new ArrayList<>();
        for (Payload p : inputs) {
            parts.add(embedOne(p));
        }
        return Vectors.all(parts);
    }

    private CompletableFuture<Embedding> embedOne(Payload payload) {
        Chain<Embedding> chain = new Chain<>();
        CompletableFuture<ObjectNode> input;
        if (payload instanceof Payload.Text t) {
            ObjectNode in = Json.object().put("modality", "text").put("text_input", t.text());
            input = CompletableFuture.completedFuture(in);
        } else {
            String modality = payload.modality() == Modality.IMAGE ? "vision" : "audio";
            input = chain.track(client.fileInput(payload))
                    .thenApply(f -> Json.object().put("modality", modality).put("input", f.value()));
        }
        return chain.finish(input.thenCompose(in -> chain.track(client.predict(MODEL, version, in)))
                .thenApply(p -> Vectors.vector(p.output(), DIMENSION, "replicate prediction " + p.id() + " of " + MODEL)));
    }
}
