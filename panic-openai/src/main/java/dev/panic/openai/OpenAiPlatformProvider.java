package dev.panic.openai;

import dev.panic.Platform;
import dev.panic.PlatformContext;
import dev.panic.PlatformProvider;

/**
 * Makes the OpenAI platform discoverable: {@code Platforms.discover().platform("openai")}. Listed
 * in this module's {@code META-INF/services/dev.panic.PlatformProvider}.
 */
public final class OpenAiPlatformProvider implements PlatformProvider {

    /** For {@link java.util.ServiceLoader}. */
    public OpenAiPlatformProvider() {
    }

    /** {@code openai}. */
    @Override
    public String id() {
        return OpenAiPlatform.ID;
    }

    /**
     * The platform configured from {@code OPENAI_API_KEY}, {@code OPENAI_ORG_ID},
     * {@code OPENAI_PROJECT_ID} and {@code OPENAI_BASE_URL}. Never fails: a missing key, or a
     * malformed setting, is reported by the platform's readiness instead.
     */
    @Override
    public Platform create(PlatformContext context) {
        return OpenAiPlatform.builder().context(context).build();
    }
}
