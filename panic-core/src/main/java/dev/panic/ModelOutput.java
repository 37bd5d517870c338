package dev.panic;

import dev.panic.exception.ValidationException;

/**
 * The answer of one model call: the output payload and what the platform said about the call.
 *
 * @param payload  the output, of the model's output modality
 * @param metadata timings, parameters, seed, version, ids and cost, as far as the platform reports them
 */
public record ModelOutput(Payload payload, Metadata metadata) {
    /** Checks the payload is present; a missing metadata becomes {@link Metadata#empty()}. */
    public ModelOutput {
        if (payload == null) {
            throw new ValidationException("a model output needs a payload");
        }
        metadata = metadata == null ? Metadata.empty() : metadata;
    }
}
