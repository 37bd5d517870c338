package dev.panic;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a {@link PlatformProvider} may read when it creates its platform: configuration such as API
 * keys and server addresses, looked up by environment-variable name. By default the process
 * environment; tests and applications can supply their own.
 */
public final class PlatformContext {

    private static final PlatformContext SYSTEM = new PlatformContext(System::getenv);

    private final Function<String, String> settings;

    private PlatformContext(Function<String, String> settings) {
        this.settings = settings;
    }

    /** Reads the process environment. */
    public static PlatformContext system() {
        return SYSTEM;
    }

    /** Reads settings from {@code lookup} (a map's {@code get}, say) instead of the environment. */
    public static PlatformContext of(Function<String, String> lookup) {
        return new PlatformContext(Objects.requireNonNull(lookup, "lookup"));
    }

    /** The setting called {@code name} (e.g. {@code OPENAI_API_KEY}), if set and not blank. */
    public Optional<String> setting(String name) {
        String v = settings.apply(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }
}
