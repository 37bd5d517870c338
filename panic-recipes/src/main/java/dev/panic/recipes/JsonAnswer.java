package dev.panic.recipes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.InvalidAnswerException;
import dev.panic.exception.ValidationException;
import dev.panic.spi.json.StructuredOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Asks a text model for a JSON object with given string fields, checks the answer, and asks again
 * with the error when it is not right. An answer is accepted when it is one JSON object (optionally
 * in a Markdown code fence) whose required fields are non-empty strings; after the last attempt the
 * future fails with an {@link InvalidAnswerException} listing what was wrong each time.
 *
 * <p>A model that {@linkplain ModelInfo#takesJsonSchema() takes a JSON schema} (OpenAI chat models,
 * Ollama models) is also given one, as {@value ModelInfo#JSON_SCHEMA}, requiring the fields as
 * strings, unless the parameters give a schema of their own: the platform then shapes the answer,
 * and the adapter asks once more itself if it still does not match (failing with an
 * {@code InvalidAnswerException} if the second answer misses too). Any other model is asked in the
 * prompt alone.
 *
 * <pre>{@code
 * JsonAnswer.Answer a = JsonAnswer.of(platforms.model("sim:prompter"), "title", "description", "metatags")
 *         .attempts(3)
 *         .ask("Write an image prompt as JSON ...").join();
 * String title = a.text("title");
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class JsonAnswer {

    /** Three tries: one answer and two corrections. */
    public static final int DEFAULT_ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int ECHO_CHARS = 300;

    private final Model model;
    private final List<String> fields;
    private final int attempts;
    private final Parameters parameters;

    private JsonAnswer(Model model, List<String> fields, int attempts, Parameters parameters) {
        this.model = model;
        this.fields = fields;
        this.attempts = attempts;
        this.parameters = parameters;
    }

    /**
     * Answers from {@code model} with these required string fields.
     *
     * @throws ValidationException if the model does not take and give text, or no field is named
     */
    public static JsonAnswer of(Model model, String... requiredFields) {
        if (model == null || model.input() != Modality.TEXT || model.output() != Modality.TEXT) {
            throw new ValidationException("a JSON answer needs a model that takes and gives text; got "
                    + (model == null ? "null" : model.id() + " (" + model.info().modalities() + ")"));
        }
        if (requiredFields == null || requiredFields.length == 0) {
            throw new ValidationException("name the fields the JSON answer must have");
        }
        return new JsonAnswer(model, List.of(requiredFields), DEFAULT_ATTEMPTS, Parameters.empty());
    }

    /** How many answers to ask for at most (1 or more); {@value #DEFAULT_ATTEMPTS} by default. */
    public JsonAnswer attempts(int attempts) {
        if (attempts < 1) {
            throw new ValidationException("a JSON answer needs at least 1 attempt, got " + attempts);
        }
        return new JsonAnswer(model, fields, attempts, parameters);
    }

    /** Parameters for every call (a system prompt, a temperature, a schema where the model takes one). */
    public JsonAnswer parameters(Parameters parameters) {
        return new JsonAnswer(model, fields, attempts, parameters == null ? Parameters.empty() : parameters);
    }

    /** The required fields, in order. */
    public List<String> fields() {
        return fields;
    }

    /**
     * An accepted answer.
     *
     * @param values   the JSON object as plain Java values (strings, numbers, lists, maps)
     * @param raw      the answer as the model gave it
     * @param attempts how many answers it took (1 if the first was right)
     * @param rejected what was wrong with each earlier answer, in order
     * @param costUsd  what the calls cost together, as far as the platform said (0 if it said nothing)
     */
    public record Answer(Map<String, Object> values, String raw, int attempts, List<String> rejected, double costUsd) {
        /** Copies. */
        public Answer {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
            rejected = List.copyOf(rejected);
        }

        /** A required field's text. */
        public String text(String field) {
            Object v = values.get(field);
            return v == null ? null : v.toString();
        }
    }

    /**
     * Asks, checks, and asks again with the error until an answer is right or the attempts are used.
     *
     * @return a future of the accepted answer; it fails with an {@link InvalidAnswerException} when no
     *         answer was right, or with the model's own error if a call fails
     */
    public CompletableFuture<Answer> ask(String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw new ValidationException("the prompt for a JSON answer is empty");
        }
        return attempt(prompt, prompt, 1, new ArrayList<>(), 0.0);
    }

    /**
     * What is wrong with {@code answer}, or empty if it is right: one JSON object (optionally in a
     * Markdown code fence) whose {@code fields} are non-empty strings.
     */
    public static Optional<String> problem(String answer, List<String> fields) {
        return Optional.ofNullable(firstProblem(answer, fields));
    }

    private static String firstProblem(String answer, List<String> fields) {
        JsonNode node;
        try {
            node = JSON.readTree(StructuredOutput.unfence(answer));
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            return "it is not valid JSON (" + (msg == null ? e.getClass().getSimpleName() : msg.lines().findFirst()
                    .orElse(msg)) + ")";
        }
        if (node == null || !node.isObject()) {
            return "it is not a JSON object";
        }
        List<String> wrong = new ArrayList<>();
        for (String f : fields) {
            JsonNode v = node.get(f);
            if (v == null || v.isNull()) {
                wrong.add("the field \"" + f + "\" is missing");
            } else if (!v.isTextual()) {
                wrong.add("the field \"" + f + "\" is not a string");
            } else if (v.asText().isBlank()) {
                wrong.add("the field \"" + f + "\" is empty");
            }
        }
        return wrong.isEmpty() ? null : String.join("; ", wrong);
    }

    /** The parameters of each call: with a schema of the fields when the model takes one and none is given. */
    private Parameters callParameters() {
        if (!model.info().takesJsonSchema() || model.parameters().merge(parameters).get(ModelInfo.JSON_SCHEMA).isPresent()) {
            return parameters;
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        fields.forEach(f -> properties.put(f, Map.of("type", "string")));
        return parameters.with(ModelInfo.JSON_SCHEMA, Map.of("type", "object", "properties", properties,
                "required", fields));
    }

    private CompletableFuture<Answer> attempt(String original, String prompt, int n, List<String> rejected,
                                              double cost) {
        CompletableFuture<ModelOutput> call;
        try {
            call = model.invokeAsync(Payload.text(prompt), callParameters());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return call.thenCompose(out -> {
            double spent = cost + out.metadata().costUsd().orElse(0);
            String raw = out.payload() instanceof Payload.Text t ? t.text() : out.payload().summary(200);
            String problem = firstProblem(raw, fields);
            if (problem == null) {
                return CompletableFuture.completedFuture(new Answer(values(raw), raw, n, rejected, spent));
            }
            rejected.add(problem);
            if (n >= attempts) {
                return CompletableFuture.failedFuture(new InvalidAnswerException(model.id() + " did not answer with"
                        + " a JSON object with the fields " + fields + " in " + attempts + " attempt"
                        + (attempts == 1 ? "" : "s") + ": " + String.join(" / ", rejected)
                        + "; try another model, or clearer examples"));
            }
            String shown = raw.length() > ECHO_CHARS ? raw.substring(0, ECHO_CHARS) + "..." : raw;
            String retry = original + "\n\nYour previous answer was:\n" + shown + "\nIt is not valid: " + problem
                    + ". Answer again with only a JSON object with the keys " + String.join(", ", fields) + ".";
            return attempt(original, retry, n + 1, rejected, spent);
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> values(String raw) {
        try {
            return JSON.readValue(StructuredOutput.unfence(raw), Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer found valid could not be read again", e);
        }
    }

    @Override
    public String toString() {
        return "JsonAnswer[" + model.id() + ", fields=" + fields + ", attempts=" + attempts + "]";
    }
}
