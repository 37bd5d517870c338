package dev.panic;

import dev.panic.Model;
import dev.panic.ModelInfo;
import dev.panic.Parameters;
import java.util.List;

/**
 * A model-hosting platform (Replicate, OpenAI, a local Ollama server, the offline simulator).
 *
 * <p>Implementations are thread-safe. A platform reaches PANIC either through a
 * {@link PlatformProvider} found by {@link java.util.ServiceLoader}, or by hand with
 * {@link dev.panic.Platforms.Builder#register(Platform)}.
 */
public interface Platform {

    /** The id that prefixes its model ids, e.g. {@code replicate}; lower-case letters, digits, '-' and '_'. */
    String id();

    /** One line for listings. */
    String description();

    /**
     * The models this platform knows and can build, with their modalities. A platform may build
     * more than it lists (Replicate runs any model by name when told its modalities).
     */
    List<ModelInfo> models();

    /**
     * Whether calls can be expected to work now (an API key is set, the server answers), with a
     * line saying why not. May do a short network check; it never throws.
     */
    Readiness readiness();

    /**
     * Builds the model called {@code name} on this platform.
     *
     * @param name       the model's name without the platform prefix
     * @param parameters default parameters for its calls, over the platform's own defaults
     * @throws dev.panic.exception.NotFoundException if there is no such model; the message lists the known ones
     * @throws dev.panic.exception.ValidationException if the parameters are not valid for it
     */
    Model model(String name, Parameters parameters);
}
