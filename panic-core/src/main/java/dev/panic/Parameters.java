package dev.panic;

import dev.panic.exception.ValidationException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable, ordered map of model parameters ({@code temperature}, {@code seed},
 * {@code num_inference_steps}...).
 *
 * <p>Values are JSON-like: strings, numbers, booleans, and lists or maps of those. Whole numbers
 * are kept as {@code Long} and others as {@code Double}, so equal values compare equal whatever
 * type they were given in. A model has
 * default parameters; a call may {@linkplain #merge(Parameters) override} some of them.
 */
public final class Parameters {

    private static final Parameters EMPTY = new Parameters(Map.of());

    private final Map<String, Object> values;

    private Parameters(Map<String, Object> values) {
        this.values = values;
    }

    /** No parameters. */
    public static Parameters empty() {
        return EMPTY;
    }

    /** Parameters from a map; its iteration order is kept. */
    public static Parameters of(Map<String, ?> values) {
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) {
            return EMPTY;
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(checkKey(k), checkValue(k, v)));
        return new Parameters(Collections.unmodifiableMap(copy));
    }

    /** One parameter. */
    public static Parameters of(String key, Object value) {
        return EMPTY.with(key, value);
    }

    /** Two parameters. */
    public static Parameters of(String k1, Object v1, String k2, Object v2) {
        return EMPTY.with(k1, v1).with(k2, v2);
    }

    /** A copy with {@code key} set to {@code value}. */
    public Parameters with(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(checkKey(key), checkValue(key, value));
        return new Parameters(Collections.unmodifiableMap(copy));
    }

    /** A copy with {@code key} removed. */
    public Parameters without(String key) {
        if (!values.containsKey(key)) {
            return this;
        }
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.remove(key);
        return copy.isEmpty() ? EMPTY : new Parameters(Collections.unmodifiableMap(copy));
    }

    /** These parameters with every entry of {@code overrides} put over them. */
    public Parameters merge(Parameters overrides) {
        if (overrides == null || overrides.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return overrides;
        }
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.putAll(overrides.values);
        return new Parameters(Collections.unmodifiableMap(copy));
    }

    /** The value of {@code key}, if set. */
    public Optional<Object> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** The value of {@code key} as a string ({@code String.valueOf} of whatever is set). */
    public Optional<String> getString(String key) {
        return get(key).map(String::valueOf);
    }

    /**
     * The value of {@code key} as a number.
     *
     * @throws ValidationException if it is set but is neither a number nor a string holding one
     */
    public Optional<Double> getNumber(String key) {
        return get(key).map(v -> {
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            try {
                return Double.parseDouble(v.toString().trim());
            } catch (NumberFormatException e) {
                throw new ValidationException("parameter '" + key + "' must be a number, got '" + v + "'");
            }
        });
    }

    /** True if there are no parameters. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** An unmodifiable view of the entries. */
    public Map<String, Object> asMap() {
        return values;
    }

    private static String checkKey(String key) {
        if (key == null || key.isBlank()) {
            throw new ValidationException("parameter name must not be blank");
        }
        return key;
    }

    private static Object checkValue(String key, Object v) {
        if (v == null) {
            throw new ValidationException("parameter '" + key + "' has a null value; leave it out instead");
        }
        if (v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Number n) {
            return normalise(key, n);
        }
        if (v instanceof List<?> list) {
            return List.copyOf(list.stream().map(x -> checkValue(key, x)).toList());
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, x) -> copy.put(String.valueOf(k), checkValue(key, x)));
            return Collections.unmodifiableMap(copy);
        }
        throw new ValidationException("parameter '" + key + "' has a " + v.getClass().getSimpleName()
                + "; use a string, number, boolean, list or map");
    }

    /**
     * Whole numbers become {@code Long} and fractional ones {@code Double}, so that parameters
     * compare equal however they were written (4, 4L) and after a JSON round trip, which reads
     * small whole numbers back as {@code Integer}.
     */
    private static Object normalise(String key, Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return n.longValue();
        }
        if (n instanceof Float f) {
            return Double.valueOf(f.toString()); // 0.1f stays 0.1, not 0.10000000149011612
        }
        if (n instanceof java.math.BigInteger b) {
            if (b.bitLength() < 64) {
                return b.longValue();
            }
            throw new ValidationException("parameter '" + key + "' is too large for a 64-bit integer: " + b);
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new ValidationException("parameter '" + key + "' must be a finite number, got " + n);
        }
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Parameters p && values.equals(p.values));
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
