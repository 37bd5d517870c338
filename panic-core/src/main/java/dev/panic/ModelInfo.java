package dev.panic;

import dev.panic.exception.ValidationException;
import java.util.Optional;

/**
 * What a platform says about one of its models before it is built: identity, modalities, a
 * one-line description, and the two things a caller may ask of any model in the same words
 * whatever its platform: a seed, and JSON that matches a schema.
 *
 * @param id              {@code platform:name}
 * @param input           the modality the model takes
 * @param output          the modality the model gives
 * @param description     one line for listings, e.g. "FLUX.1 [schnell], fast text-to-image"
 * @param seedParameter   the parameter that sets the model's random seed, if it takes one: a run then
 *                        draws a seed for each call that sets none, sends it, and records it
 *                        ({@code null} is taken as empty)
 * @param takesJsonSchema true if the model can be made to answer with JSON that matches a JSON Schema
 *                        given as the parameter {@value #JSON_SCHEMA}; a model that cannot refuses
 *                        that parameter
 */
public record ModelInfo(ModelId id, Modality input, Modality output, String description,
                        Optional<String> seedParameter, boolean takesJsonSchema) {

    /**
     * The parameter that asks a text model for structured output: its value is a JSON Schema (a map,
     * e.g. {@code {"type": "object", "properties": {...}, "required": [...]}}) that the answer must
     * match. Every platform takes it under this name and sends it the way its API wants (OpenAI's
     * {@code response_format}, Ollama's {@code format}); only models whose info
     * {@linkplain #takesJsonSchema() says so} accept it, and {@link Model#invokeAsync} refuses it for
     * any other before anything is sent.
     */
    public static final String JSON_SCHEMA = "json_schema";

    /** Checks that nothing is missing. */
    public ModelInfo {
        if (id == null || input == null || output == null) {
            throw new ValidationException("model info needs an id, an input and an output modality");
        }
        description = description == null ? "" : description;
        seedParameter = seedParameter == null ? Optional.empty() : seedParameter;
        if (seedParameter.filter(String::isBlank).isPresent()) {
            throw new ValidationException("the seed parameter of model '" + id + "' is blank; leave it empty instead");
        }
        if (takesJsonSchema && output != Modality.TEXT) {
            throw new ValidationException("model '" + id + "' gives " + output + "; only a model that gives text can"
                    + " take a JSON schema");
        }
    }

    /** A model that takes neither a seed nor a JSON schema. */
    public ModelInfo(ModelId id, Modality input, Modality output, String description) {
        this(id, input, output, description, Optional.empty(), false);
    }

    /** The same description, with the parameter that sets the model's seed. */
    public ModelInfo withSeedParameter(String name) {
        if (name == null) {
            throw new ValidationException("the seed parameter of model '" + id + "' is null; give its name");
        }
        return new ModelInfo(id, input, output, description, Optional.of(name), takesJsonSchema);
    }

    /** The same description, of a model that takes a JSON schema as {@value #JSON_SCHEMA}. */
    public ModelInfo withJsonSchema() {
        return new ModelInfo(id, input, output, description, seedParameter, true);
    }

    /** {@code TEXT -> IMAGE}. */
    public String modalities() {
        return input + " -> " + output;
    }
}
