package dev.panic;

import dev.panic.exception.ValidationException;

/**
 * What a platform says about one of its models before it is built: identity, modalities and a
 * one-line description.
 *
 * @param id          {@code platform:name}
 * @param input       the modality the model takes
 * @param output      the modality the model gives
 * @param description   one line for listings, e.g. "FLUX.1 [schnell], fast text-to-image"
 * @param seedParameter the parameter that sets the model's random seed, or null if it takes none: a
 *                      run then draws a seed for each call that sets none, sends it, and records it
 */
public record ModelInfo(ModelId id, Modality input, Modality output, String description, String seedParameter) {
    /** Checks that nothing is missing. */
    public ModelInfo {
        if (id == null || input == null || output == null) {
            throw new ValidationException("model info needs an id, an input and an output modality");
        }
        description = description == null ? "" : description;
        if (seedParameter != null && seedParameter.isBlank()) {
            throw new ValidationException("the seed parameter of model '" + id + "' is blank; leave it null instead");
        }
    }

    /** A model that takes no seed. */
    public ModelInfo(ModelId id, Modality input, Modality output, String description) {
        this(id, input, output, description, null);
    }

    /** The same description, with the parameter that sets the model's seed. */
    public ModelInfo withSeedParameter(String name) {
        return new ModelInfo(id, input, output, description, name);
    }

    /** {@code TEXT -> IMAGE}. */
    public String modalities() {
        return input + " -> " + output;
    }
}
