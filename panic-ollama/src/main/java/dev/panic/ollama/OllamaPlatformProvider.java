package dev.panic.ollama;

import dev.panic.Platform;
import dev.panic.PlatformContext;
import dev.panic.PlatformProvider;

/**
 * Finds the Ollama platform for {@link java.util.ServiceLoader}: the server from
 * {@code OLLAMA_HOST} (default {@code http://localhost:11434}) and an optional bearer key from
 * {@code OLLAMA_API_KEY}, for hosted Ollama.
 */
public final class OllamaPlatformProvider implements PlatformProvider {

    /** Needed by {@link java.util.ServiceLoader}. */
    public OllamaPlatformProvider() {
    }

    @Override
    public String id() {
        return OllamaPlatform.ID;
    }

    @Override
    public Platform create(PlatformContext context) {
        return OllamaPlatform.builder().context(context).build();
    }
}
