package dev.panic.openai.internal;

import dev.panic.Parameters;
import dev.panic.exception.ValidationException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a model's parameters and refuses, before anything is sent, a name the model does not
 * have or a value outside what the API description allows. Every call is paid, so a typo should
 * cost an exception, not a request.
 */
public final class ParameterCheck {

    private final String model;
    private final Parameters given;

    private ParameterCheck(String model, Parameters given) {
        this.model = model;
        this.given = given;
    }

    /**
     * A check of {@code given} for {@code model}.
     *
     * @param model the model id, for messages
     * @param known every parameter name the model reads
     * @throws ValidationException naming the first unknown parameter and listing the known ones
     */
    public static ParameterCheck of(String model, Parameters given, Collection<String> known) {
        for (String key : given.asMap().keySet()) {
            if (!known.contains(key)) {
                throw new ValidationException(model + " has no parameter '" + key + "'; its parameters are: "
                        + String.join(", ", known));
            }
        }
        return new ParameterCheck(model, given);
    }

    /** True if the parameter is set. */
    public boolean has(String key) {
        return given.get(key).isPresent();
    }

    /**
     * A string parameter that must be one of {@code allowed}.
     *
     * @throws ValidationException naming the parameter and the allowed values
     */
    public Optional<String> oneOf(String key, Collection<String> allowed) {
        Optional<String> v = text(key);
        if (v.isPresent() && !allowed.contains(v.get())) {
            throw invalid(key, "must be one of " + String.join(", ", allowed), v.get());
        }
        return v;
    }

    /**
     * A string parameter, not blank.
     *
     * @throws ValidationException if it is not a string or is blank
     */
    public Optional<String> text(String key) {
        Optional<Object> v = given.get(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (!(v.get() instanceof String s) || s.isBlank()) {
            throw invalid(key, "must be a non-blank string", v.get());
        }
        return Optional.of(s);
    }

    /**
     * A string parameter that may be empty (an empty system prompt means none).
     *
     * @throws ValidationException if it is not a string
     */
    public Optional<String> textOrEmpty(String key) {
        Optional<Object> v = given.get(key);
        if (v.isPresent() && !(v.get() instanceof String)) {
            throw invalid(key, "must be a string", v.get());
        }
        return v.map(String.class::cast);
    }

    /**
     * A number from {@code min} to {@code max}.
     *
     * @throws ValidationException naming the parameter and the range
     */
    public Optional<Double> number(String key, double min, double max) {
        Optional<Object> v = given.get(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (!(v.get() instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max) {
            throw invalid(key, "must be a number from " + plain(min) + " to " + plain(max), v.get());
        }
        return Optional.of(n.doubleValue());
    }

    /**
     * A whole number from {@code min} to {@code max}.
     *
     * @throws ValidationException naming the parameter and the range
     */
    public Optional<Long> whole(String key, long min, long max) {
        Optional<Object> v = given.get(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        // Parameters keeps whole numbers as Long, so a Double here had a fraction.
        if (!(v.get() instanceof Long n) || n < min || n > max) {
            throw invalid(key, "must be a whole number from " + min + " to "
                    + (max == Long.MAX_VALUE ? "any" : String.valueOf(max)), v.get());
        }
        return Optional.of(n);
    }

    /**
     * A value that is a string or a map with one string {@code id} (a custom voice reference).
     *
     * @throws ValidationException if it is neither
     */
    public Optional<Object> textOrId(String key, Collection<String> allowedText) {
        Optional<Object> v = given.get(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof Map<?, ?> m && m.size() == 1 && m.get("id") instanceof String id && !id.isBlank()) {
            return v;
        }
        if (v.get() instanceof String s && (allowedText == null || allowedText.contains(s))) {
            return v;
        }
        throw invalid(key, allowedText == null ? "must be a string or {\"id\": \"...\"}"
                : "must be one of " + String.join(", ", allowedText) + ", or {\"id\": \"voice_...\"} for a custom voice",
                v.get());
    }

    /** A validation error for {@code key}: what it must be and what it was. */
    public ValidationException invalid(String key, String mustBe, Object got) {
        return new ValidationException("parameter '" + key + "' of " + model + " " + mustBe + "; got "
                + (got instanceof String ? "'" + got + "'" : String.valueOf(got)));
    }

    /** The model id this check is for. */
    public String model() {
        return model;
    }

    /** Names in a stable order for messages. */
    public static Set<String> names(String... names) {
        return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(java.util.List.of(names)));
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
