package dev.panic.openai.internal;

import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import java.util.concurrent.CompletableFuture;

/** One kind of OpenAI call behind a PANIC model: its parameters, their checks, and the call. */
public interface ModelKind {

    /** The parameters this model gets unless told otherwise; part of {@link dev.panic.Model#parameters()}. */
    Parameters defaults();

    /**
     * Checks parameters before anything is sent.
     *
     * @throws dev.panic.exception.ValidationException naming the parameter and the allowed values
     */
    void check(Parameters parameters);

    /** Checks the parameters and the input, then calls the API; never blocks. */
    CompletableFuture<ModelOutput> invoke(Payload input, Parameters parameters);

    /**
     * What a model of {@code role} declares beyond its modalities: chat models (text or vision)
     * take {@code seed} ({@code CreateChatCompletionRequest.seed}) and a JSON schema (sent as
     * {@code response_format}); image, speech and transcription requests have neither.
     */
    static ModelInfo declare(Catalog.Role role, ModelInfo base) {
        return role == Catalog.Role.CHAT || role == Catalog.Role.VISION
                ? base.withSeedParameter("seed").withJsonSchema() : base;
    }

    /** The kind for a route. */
    static ModelKind of(Catalog.Route route, ModelId id, OpenAiClient client) {
        return switch (route.role()) {
            case IMAGE -> new ImageGeneration(id, route.wireName(), client);
            case CHAT, VISION -> new ChatCompletion(id, route.wireName(), route.role() == Catalog.Role.VISION, client);
            case SPEECH -> new Speech(id, route.wireName(), client);
            case TRANSCRIPTION -> new Transcription(id, route.wireName(), client);
        };
    }
}
