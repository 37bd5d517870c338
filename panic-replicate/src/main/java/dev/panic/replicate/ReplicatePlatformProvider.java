package dev.panic.replicate;

import dev.panic.Platform;
import dev.panic.PlatformContext;
import dev.panic.PlatformProvider;

/**
 * Makes Replicate discoverable: {@code Platforms.discover().platform("replicate")}. Listed in this
 * module's {@code META-INF/services/dev.panic.PlatformProvider}.
 */
public final class ReplicatePlatformProvider implements PlatformProvider {

    /** For {@link java.util.ServiceLoader}. */
    public ReplicatePlatformProvider() {
    }

    /** {@code replicate}. */
    @Override
    public String id() {
        return ReplicatePlatform.ID;
    }

    /**
     * The platform with its defaults, its token read from {@code REPLICATE_API_TOKEN} in the
     * context; without one it is created anyway and reports itself not ready.
     */
    @Override
    public Platform create(PlatformContext context) {
        return ReplicatePlatform.builder().context(context).build();
    }
}
