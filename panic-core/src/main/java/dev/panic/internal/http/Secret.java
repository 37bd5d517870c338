package dev.panic.internal.http;

import dev.panic.exception.ValidationException;

/**
 * An API key that never shows itself: {@code toString()} is a mask, and {@link #scrub} removes it
 * from any text (an error body that echoes the request, say) before that text reaches a log or an
 * exception.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * Wraps a key.
     *
     * @param name what the key is, for the error message (e.g. "REPLICATE_API_TOKEN")
     * @throws ValidationException if it is blank or has line breaks
     */
    public static Secret of(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new ValidationException(name + " is empty; set it to your key");
        }
        String v = value.strip();
        if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            throw new ValidationException(name + " contains a line break; check how it was copied");
        }
        return new Secret(v);
    }

    /** The key itself, for the one header that carries it. */
    public String reveal() {
        return value;
    }

    /** {@code text} with every occurrence of the key replaced by a mask. */
    public String scrub(String text) {
        return text == null ? null : text.replace(value, "****");
    }

    @Override
    public String toString() {
        return "****";
    }
}
