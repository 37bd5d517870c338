package dev.panic;

import dev.panic.exception.ValidationException;
import java.util.regex.Pattern;

/**
 * A model's identity: the platform that hosts it and its name there, written {@code platform:name}
 * (e.g. {@code sim:painter}, {@code replicate:black-forest-labs/flux-schnell}, {@code ollama:llava:13b}).
 *
 * <p>The platform id is everything before the first colon; the name is the rest, and may itself
 * contain colons (Ollama tags) and slashes (Replicate owners).
 *
 * @param platform the platform id: lower-case letters, digits, '-' and '_'
 * @param name     the model's name on that platform, never blank
 */
public record ModelId(String platform, String name) {

    private static final Pattern PLATFORM = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    /** Checks both parts. */
    public ModelId {
        checkPlatformId(platform);
        if (name == null || name.isBlank()) {
            throw new ValidationException("model name is missing for platform '" + platform + "'");
        }
    }

    static String checkPlatformId(String platform) {
        if (platform == null || !PLATFORM.matcher(platform).matches()) {
            throw new ValidationException("platform id '" + platform
                    + "' is not valid; use lower-case letters, digits, '-' or '_' (e.g. 'replicate')");
        }
        return platform;
    }

    /**
     * Parses {@code platform:name}.
     *
     * @throws ValidationException if there is no colon or either part is invalid
     */
    public static ModelId parse(String id) {
        if (id == null) {
            throw new ValidationException("model id is null; expected 'platform:name', e.g. 'sim:painter'");
        }
        int colon = id.indexOf(':');
        if (colon <= 0 || colon == id.length() - 1) {
            throw new ValidationException("model id '" + id + "' is not of the form 'platform:name', e.g. 'sim:painter'");
        }
        return new ModelId(id.substring(0, colon).trim(), id.substring(colon + 1).trim());
    }

    /** {@code platform:name}. */
    @Override
    public String toString() {
        return platform + ":" + name;
    }
}
