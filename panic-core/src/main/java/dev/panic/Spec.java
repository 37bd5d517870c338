package dev.panic;

import dev.panic.exception.ValidationException;

/**
 * A component of a run described as data, so that it can be saved with the run and rebuilt: a
 * stop rule ({@code kind} is its name, e.g. {@code fixed-point}, with its settings) or a pacing
 * ({@code fixed}, {@code slowing-down}, {@code none}).
 *
 * <p>A component PANIC cannot describe (a rule made from a lambda with {@link StopRule#of}, a
 * custom {@link Pacing}) is described as {@code custom}: its name is kept so that a resumed run
 * can be given it again, and nothing is silently dropped.
 *
 * @param kind     the rule's name or the pacing's kind
 * @param settings its settings, JSON-like values (e.g. {@code threshold=0.95, window=3})
 * @param custom   true if PANIC cannot rebuild it from these settings
 */
public record Spec(String kind, Parameters settings, boolean custom) {

    /** Checks the kind is present. */
    public Spec {
        if (kind == null || kind.isBlank()) {
            throw new ValidationException("a spec needs a kind (a rule name or a pacing kind)");
        }
        settings = settings == null ? Parameters.empty() : settings;
    }

    /** A component PANIC can rebuild. */
    public static Spec of(String kind, Parameters settings) {
        return new Spec(kind, settings, false);
    }

    /** A component with no settings. */
    public static Spec of(String kind) {
        return new Spec(kind, Parameters.empty(), false);
    }

    /** A component PANIC cannot rebuild, known by its name only. */
    public static Spec custom(String name) {
        return new Spec(name, Parameters.empty(), true);
    }

    /** {@code fixed-point(threshold=0.95, window=3)}, or {@code my-rule (custom)}. */
    @Override
    public String toString() {
        if (custom) {
            return kind + " (custom)";
        }
        if (settings.isEmpty()) {
            return kind;
        }
        StringBuilder sb = new StringBuilder(kind).append('(');
        settings.asMap().forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '(' ? "" : ", ")
                .append(k).append('=').append(v));
        return sb.append(')').toString();
    }
}
