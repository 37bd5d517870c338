package dev.panic;

import dev.panic.exception.ValidationException;

/**
 * What a platform says about one of its models before it is built: identity, modalities and a
 * one-line description.
 *
 * @param id          {@code platform:name}
 * @param input       the modality the model takes
 * @param output      the modality the model gives
 * @param description one line for listings, e.g. "FLUX.1 [schnell], fast text-to-image"
 */
public record ModelInfo(ModelId id, Modality input, Modality output, String description) {
    /** Checks that nothing is missing. */
    public ModelInfo {
        if (id == null || input == null || output == null) {
            throw new ValidationException("model info needs an id, an input and an output modality");
        }
        description = description == null ? "" : description;
    }

    /** {@code TEXT -> IMAGE}. */
    public String modalities() {
        return input + " -> " + output;
    }
}
