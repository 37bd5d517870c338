package dev.panic;

/**
 * The service that {@link java.util.ServiceLoader} finds: one per platform module, named in
 * {@code META-INF/services/dev.panic.PlatformProvider}. It must have a public no-argument
 * constructor.
 */
public interface PlatformProvider {

    /** The id of the platform it creates, e.g. {@code ollama}. */
    String id();

    /**
     * Creates the platform. Must not fail for missing configuration such as an API key: the
     * platform reports that through {@link Platform#readiness()} instead, so that listings work.
     */
    Platform create(PlatformContext context);
}
