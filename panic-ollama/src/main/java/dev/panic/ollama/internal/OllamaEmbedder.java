package dev.panic.ollama.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.Embedding;
import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.BatchEmbedder;
import dev.panic.exception.UnavailableException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Text vectors from an installed Ollama embedding model, through {@code /api/embed}. */
public final class OllamaEmbedder extends BatchEmbedder {

    private final OllamaApi api;
    private final String model;
    private final int dimension;

    private OllamaEmbedder(OllamaApi api, String model, int dimension) {
        super("ollama:" + model, Set.of(Modality.TEXT), dimension);
        this.api = api;
        this.model = model;
        this.dimension = dimension;
    }

    /**
     * An embedder for {@code model}; its dimension comes from the model's details
     * ({@code <architecture>.embedding_length}), or from one trial embedding if they do not say.
     */
    public static OllamaEmbedder create(OllamaApi api, String model) {
        String name = OllamaModels.checkName(model);
        try {
            JsonNode info = api.show(name, false).join().path("model_info");
            String arch = info.path("general.architecture").asText("");
            int dim = info.path(arch + ".embedding_length").asInt(0);
            if (dim <= 0) {
                dim = api.embed(name, List.of("dimension probe")).join().get(0).length;
            }
            return new OllamaEmbedder(api, name, dim);
        } catch (CompletionException e) {
            throw api.explain(e, name);
        }
    }

    @Override
    protected CompletableFuture<List<Embedding>> embedBatch(List<? extends Payload> inputs) {
        List<String> texts = inputs.stream().map(p -> ((Payload.Text) p).text()).toList();
        return api.embed(model, texts).thenApply(vectors -> vectors.stream().map(v -> {
            if (v.length != dimension) {
                throw new UnavailableException("ollama model '" + model + "' returned a vector of " + v.length
                        + " dimensions, expected " + dimension);
            }
            return Embedding.of(v);
        }).toList());
    }

    @Override
    public String toString() {
        return "OllamaEmbedder[" + model + ", " + dimension + "d]";
    }
}
