package dev.panic.spi.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.Metadata;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Payload;
import dev.panic.exception.InvalidAnswerException;
import dev.panic.spi.http.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Checks a model's answer against the JSON Schema it was given as {@value ModelInfo#JSON_SCHEMA},
 * and asks once more with what was wrong: what every adapter of a model that
 * {@linkplain ModelInfo#takesJsonSchema() takes a schema} does, so that all fail the same way.
 *
 * <p>The check covers the keywords structured-output APIs accept: {@code type} (one or a list),
 * {@code properties}, {@code required}, {@code additionalProperties} ({@code false} or a schema),
 * {@code items}, {@code enum}, {@code const}, {@code minLength}/{@code maxLength},
 * {@code minimum}/{@code maximum} (and the exclusive ones), {@code minItems}/{@code maxItems},
 * {@code anyOf}, {@code allOf} and local {@code $ref}s into {@code $defs} or {@code definitions}.
 * Other keywords (formats, patterns) are left to the platform.
 */
public final class StructuredOutput {

    private static final int ECHO_CHARS = 300;

    private StructuredOutput() {
    }

    /**
     * What was wrong with the previous answer, for the one call made again.
     *
     * @param answer  the previous answer, cut to a few hundred characters
     * @param problem what did not match the schema
     */
    public record Correction(String answer, String problem) {
        /** A short instruction to send with the call made again. */
        public String instruction() {
            return "Your previous answer was:\n" + answer + "\nIt does not match the required JSON schema: " + problem
                    + ". Answer again with only JSON that matches the schema.";
        }
    }

    /**
     * The JSON schema among a call's parameters, as a JSON tree; empty if none was given.
     * {@link dev.panic.Model#invokeAsync} has already checked that it is a non-empty object.
     */
    public static Optional<JsonNode> schema(dev.panic.Parameters parameters) {
        return parameters.get(ModelInfo.JSON_SCHEMA).map(s -> (JsonNode) Json.MAPPER.valueToTree(s));
    }

    /**
     * Calls, checks the text answer against {@code schema}, and if it does not match calls once more
     * with a {@link Correction}; a second answer that does not match fails the future with an
     * {@link InvalidAnswerException} naming both problems. The accepted output's metadata adds up
     * the cost of both calls (null if either is unknown) and records the first problem as
     * {@code json_schema_retry}. Cancelling the returned future cancels the call in flight.
     *
     * @param call makes one call: {@code null} for the first, the correction for the second
     */
    public static CompletableFuture<ModelOutput> checked(ModelId model, JsonNode schema,
                                                        Function<Correction, CompletableFuture<ModelOutput>> call) {
        Objects.requireNonNull(schema, "schema");
        AtomicReference<CompletableFuture<ModelOutput>> inFlight = new AtomicReference<>(call.apply(null));
        CompletableFuture<ModelOutput> result = inFlight.get().thenCompose(first -> {
            String problem = problem(text(first), schema).orElse(null);
            if (problem == null) {
                return CompletableFuture.completedFuture(first);
            }
            String raw = text(first);
            Correction correction = new Correction(raw.length() > ECHO_CHARS ? raw.substring(0, ECHO_CHARS) + "..." : raw,
                    problem);
            CompletableFuture<ModelOutput> again = call.apply(correction);
            inFlight.set(again);
            return again.thenApply(second -> {
                Optional<String> still = problem(text(second), schema);
                if (still.isPresent()) {
                    throw new InvalidAnswerException(model + " answered twice with JSON that does not match the schema"
                            + " given as '" + ModelInfo.JSON_SCHEMA + "': " + problem + " / " + still.get()
                            + "; simplify the schema, say more about it in the prompt, or use another model");
                }
                return new ModelOutput(second.payload(), retried(first.metadata(), second.metadata(), problem));
            });
        });
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                inFlight.get().cancel(true);
            }
        });
        return result;
    }

    private static Metadata retried(Metadata first, Metadata second, String problem) {
        java.util.OptionalDouble cost = first.costUsd().isPresent() && second.costUsd().isPresent()
                ? java.util.OptionalDouble.of(first.costUsd().getAsDouble() + second.costUsd().getAsDouble())
                : java.util.OptionalDouble.empty();
        Map<String, Object> extras = new LinkedHashMap<>(second.extras());
        extras.put("json_schema_retry", problem);
        return new Metadata(second.parameters(), second.seed(), second.modelVersion(), second.platformPredictionId(),
                second.predictTime(), cost, extras);
    }

    private static String text(ModelOutput out) {
        return out.payload() instanceof Payload.Text t ? t.text() : "";
    }

    /**
     * What is wrong with {@code answer} as JSON matching {@code schema}; empty if nothing is. A
     * Markdown code fence around the JSON is tolerated.
     */
    public static Optional<String> problem(String answer, JsonNode schema) {
        JsonNode value;
        try {
            value = Json.MAPPER.readTree(unfence(answer == null ? "" : answer));
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            return Optional.of("it is not valid JSON ("
                    + (msg == null ? "unreadable" : msg.lines().findFirst().orElse(msg)) + ")");
        }
        if (value == null || value.isMissingNode()) {
            return Optional.of("it is empty, not JSON");
        }
        List<String> problems = new ArrayList<>();
        check(value, schema, schema, "$", problems);
        return problems.isEmpty() ? Optional.empty()
                : Optional.of(String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
    }

    private static void check(JsonNode v, JsonNode s, JsonNode root, String at, List<String> out) {
        if (s == null || !s.isObject()) {
            return; // true, or a schema PANIC does not read: the platform's business
        }
        if (s.has("$ref")) {
            JsonNode target = resolve(root, s.get("$ref").asText());
            if (target == null) {
                return;
            }
            check(v, target, root, at, out);
        }
        JsonNode type = s.get("type");
        if (type != null && !typeMatches(v, type)) {
            out.add(at + " should be " + (type.isArray() ? "one of " + type : type.asText()) + " but is " + kind(v));
            return;
        }
        if (s.has("enum") && !contains(s.get("enum"), v)) {
            out.add(at + " should be one of " + s.get("enum") + " but is " + v);
        }
        if (s.has("const") && !s.get("const").equals(v)) {
            out.add(at + " should be " + s.get("const") + " but is " + v);
        }
        if (v.isTextual()) {
            int n = v.asText().codePointCount(0, v.asText().length());
            if (s.has("minLength") && n < s.get("minLength").asInt()) {
                out.add(at + " should have at least " + s.get("minLength").asInt() + " characters");
            }
            if (s.has("maxLength") && n > s.get("maxLength").asInt()) {
                out.add(at + " should have at most " + s.get("maxLength").asInt() + " characters");
            }
        }
        if (v.isNumber()) {
            double d = v.asDouble();
            if (s.has("minimum") && d < s.get("minimum").asDouble()
                    || s.has("exclusiveMinimum") && d <= s.get("exclusiveMinimum").asDouble()) {
                out.add(at + " is " + v + ", below the minimum");
            }
            if (s.has("maximum") && d > s.get("maximum").asDouble()
                    || s.has("exclusiveMaximum") && d >= s.get("exclusiveMaximum").asDouble()) {
                out.add(at + " is " + v + ", above the maximum");
            }
        }
        if (v.isArray()) {
            if (s.has("minItems") && v.size() < s.get("minItems").asInt()) {
                out.add(at + " should have at least " + s.get("minItems").asInt() + " items but has " + v.size());
            }
            if (s.has("maxItems") && v.size() > s.get("maxItems").asInt()) {
                out.add(at + " should have at most " + s.get("maxItems").asInt() + " items but has " + v.size());
            }
            if (s.has("items")) {
                for (int i = 0; i < v.size(); i++) {
                    check(v.get(i), s.get("items"), root, at + "[" + i + "]", out);
                }
            }
        }
        if (v.isObject()) {
            JsonNode props = s.path("properties");
            for (JsonNode r : s.path("required")) {
                if (!v.has(r.asText())) {
                    out.add(at + " is missing the required property \"" + r.asText() + "\"");
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (props.has(f.getKey())) {
                    check(f.getValue(), props.get(f.getKey()), root, at + "." + f.getKey(), out);
                } else if (s.has("additionalProperties")) {
                    JsonNode extra = s.get("additionalProperties");
                    if (extra.isBoolean() && !extra.asBoolean()) {
                        out.add(at + " has the property \"" + f.getKey() + "\", which the schema does not allow");
                    } else {
                        check(f.getValue(), extra, root, at + "." + f.getKey(), out);
                    }
                }
            }
        }
        for (JsonNode sub : s.path("allOf")) {
            check(v, sub, root, at, out);
        }
        if (s.has("anyOf")) {
            boolean any = false;
            for (JsonNode sub : s.get("anyOf")) {
                List<String> none = new ArrayList<>();
                check(v, sub, root, at, none);
                any |= none.isEmpty();
            }
            if (!any) {
                out.add(at + " matches none of the schemas of anyOf");
            }
        }
    }

    private static JsonNode resolve(JsonNode root, String ref) {
        if (!ref.startsWith("#")) {
            return null; // remote references are not fetched
        }
        JsonNode target = root.at(ref.substring(1));
        return target.isMissingNode() ? null : target;
    }

    private static boolean typeMatches(JsonNode v, JsonNode type) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(v, t)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber() || v.isNumber() && v.asDouble() == Math.rint(v.asDouble());
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> true;
        };
    }

    private static boolean contains(JsonNode values, JsonNode v) {
        for (JsonNode e : values) {
            if (e.equals(v)) {
                return true;
            }
        }
        return false;
    }

    private static String kind(JsonNode v) {
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "an array";
        }
        return v.isTextual() ? "the string " + v : v.isNull() ? "null" : v.toString();
    }

    /** The text inside a Markdown code fence ({@code ```json ... ```}), or the text itself, stripped. */
    public static String unfence(String raw) {
        String s = raw.strip();
        if (s.startsWith("```")) {
            int firstLine = s.indexOf('\n');
            int close = s.lastIndexOf("```");
            if (firstLine > 0 && close > firstLine) {
                return s.substring(firstLine + 1, close).strip();
            }
        }
        return s;
    }
}
