package dev.panic.spi.http;

import dev.panic.exception.ValidationException;
import dev.panic.PlatformContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The one way an adapter reads its key and settings: each value given to the adapter's builder
 * wins, else it is read from the {@link PlatformContext} by its variable name (the process
 * environment by default).
 *
 * <pre>{@code
 * PlatformConfig config = PlatformConfig.of(context);
 * Optional<Secret> key = config.key("ACME_API_KEY", apiKeyGivenToTheBuilder);
 * URI base = config.value("ACME_BASE_URL", baseUrlGivenToTheBuilder, Acme::checkUrl).orElse(DEFAULT);
 * Readiness r = config.problem().map(Readiness::notReady).orElseGet(() -> ...);
 * }</pre>
 *
 * <p>A malformed value given in code is a bug and fails at once with a
 * {@link ValidationException}. A malformed value from the context fails nothing: it is left out
 * and kept as a {@linkplain #problem() problem}, which the platform reports as not ready, so that
 * one bad environment variable never stops discovery of the other platforms. Not thread-safe: use
 * it while building a platform.
 */
public final class PlatformConfig {

    private final PlatformContext context;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> fromCode = new HashSet<>();

    private PlatformConfig(PlatformContext context) {
        this.context = context == null ? PlatformContext.system() : context;
    }

    /** Reads from {@code context}; the process environment if null. */
    public static PlatformConfig of(PlatformContext context) {
        return new PlatformConfig(context);
    }

    /**
     * The key: {@code given} if not blank, else the setting {@code variable}.
     *
     * @throws ValidationException if {@code given} is malformed (a line break)
     */
    public Optional<Secret> key(String variable, String given) {
        return value(variable, given, v -> Secret.of(v, fromCode.contains(variable) ? "the API key" : variable));
    }

    /** A setting as text: {@code given} if not blank, else the setting {@code variable}. */
    public Optional<String> value(String variable, String given) {
        return value(variable, given, Function.identity());
    }

    /**
     * A setting read with {@code parse}: {@code given} if not blank, else the setting
     * {@code variable}. A value from the context that {@code parse} refuses is left out and kept
     * as a problem.
     *
     * @param parse checks and converts the text; throws {@link ValidationException} saying what is wrong
     * @throws ValidationException if {@code given} is refused by {@code parse}
     */
    public <T> Optional<T> value(String variable, String given, Function<String, T> parse) {
        Objects.requireNonNull(variable, "variable");
        if (given != null && !given.isBlank()) {
            fromCode.add(variable);
            return Optional.of(parse.apply(given.trim()));
        }
        Optional<String> set = context.setting(variable);
        if (set.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse.apply(set.get()));
        } catch (ValidationException e) {
            problems.add(variable + " is not usable: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** True if the value of {@code variable} was given in code rather than read from the context. */
    public boolean givenInCode(String variable) {
        return fromCode.contains(variable);
    }

    /** What is wrong with the settings read so far, with what to do; empty if nothing is. */
    public Optional<String> problem() {
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }
}
