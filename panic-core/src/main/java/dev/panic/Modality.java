package dev.panic;

/**
 * The kind of data a model takes or gives.
 *
 * <p>Each modality has exactly one {@link Payload} case. A new modality is added by adding a
 * constant here and a payload case beside the existing ones; nothing else in the run engine
 * switches on it.
 */
public enum Modality {
    /** Unicode text, e.g. a prompt or a caption. */
    TEXT,
    /** An encoded still image (PNG, JPEG, WebP...). */
    IMAGE,
    /** Encoded sound (WAV, MP3, FLAC...). */
    AUDIO;

    /** Lower-case wire name, as used in saved runs and the Fake Panic export ({@code "image"}). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Parses a modality name, ignoring case.
     *
     * @throws dev.panic.exception.ValidationException naming the accepted values if {@code name} is not one
     */
    public static Modality parse(String name) {
        if (name != null) {
            for (Modality m : values()) {
                if (m.name().equalsIgnoreCase(name.trim())) {
                    return m;
                }
            }
        }
        throw new dev.panic.exception.ValidationException(
                "unknown modality '" + name + "'; expected one of " + java.util.Arrays.toString(values()));
    }
}
