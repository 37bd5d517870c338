package dev.panic.simulator;

import dev.panic.Platform;
import dev.panic.PlatformContext;
import dev.panic.PlatformProvider;

/**
 * Makes the offline simulator platform discoverable: {@code Platforms.discover().platform("sim")}.
 * Listed in panic-core's {@code META-INF/services/dev.panic.PlatformProvider}.
 */
public final class SimulatorPlatformProvider implements PlatformProvider {

    /** For {@link java.util.ServiceLoader}. */
    public SimulatorPlatformProvider() {
    }

    /** {@code sim}. */
    @Override
    public String id() {
        return SimulatorPlatform.ID;
    }

    /** The default simulator platform (no latency, no failures); it reads no settings. */
    @Override
    public Platform create(PlatformContext context) {
        return SimulatorPlatform.builder().build();
    }
}
