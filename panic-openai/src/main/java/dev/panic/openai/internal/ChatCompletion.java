package dev.panic.openai.internal;

import dev.panic.spi.Futures;
import dev.panic.spi.json.StructuredOutput;
import dev.panic.Metadata;
import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.ContentRejectedException;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.UnavailableException;
import dev.panic.exception.ValidationException;
import dev.panic.spi.http.ApiRequest;
import dev.panic.spi.http.ApiResponse;
import dev.panic.spi.media.DataUri;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * TEXT to TEXT and IMAGE to TEXT through {@code POST /chat/completions}
 * ({@code CreateChatCompletionRequest}). Text goes as the user message under a system prompt;
 * an image goes as a data URL in an {@code image_url} content part beside a text part saying what
 * to do with it. Any chat model name is accepted: the server knows which exist.
 */
final class ChatCompletion implements ModelKind {

    /** The default system prompt of a text model: in a loop, a rewrite drifts a little each step. */
    static final String DEFAULT_SYSTEM_PROMPT = "Rewrite the user's text in your own words, keeping its meaning."
            + " Answer with the rewritten text only.";

    /** The default instruction beside an image. */
    static final String DEFAULT_INSTRUCTION = "Describe this image";

    private static final List<String> DETAILS = List.of("auto", "low", "high");

    /** Whether OpenAI must follow the schema exactly ({@code json_schema.strict}); false by default, as in the API. */
    static final String STRICT = "json_schema_strict";

    // json_schema.name: a-z, A-Z, 0-9, underscores and dashes, at most 64 characters.
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ModelId id;
    private final String model;
    private final boolean vision;
    private final OpenAiClient client;

    ChatCompletion(ModelId id, String model, boolean vision, OpenAiClient client) {
        this.id = id;
        this.model = model;
        this.vision = vision;
        this.client = client;
    }

    @Override
    public Parameters defaults() {
        return vision ? Parameters.of("instruction", DEFAULT_INSTRUCTION)
                : Parameters.of("system_prompt", DEFAULT_SYSTEM_PROMPT);
    }

    private Set<String> names() {
        return vision
                ? ParameterCheck.names("instruction", "system_prompt", "detail", "temperature", "top_p",
                        "max_completion_tokens", "max_tokens", "seed", ModelInfo.JSON_SCHEMA, STRICT)
                : ParameterCheck.names("system_prompt", "temperature", "top_p", "max_completion_tokens",
                        "max_tokens", "seed", ModelInfo.JSON_SCHEMA, STRICT);
    }

    /** The checked parameters of one call. */
    private record Options(String systemPrompt, String instruction, String detail, Double temperature, Double topP,
                           Long maxCompletionTokens, Long maxTokens, Long seed, Wire.ResponseFormat format) {
    }

    @Override
    public void check(Parameters parameters) {
        options(parameters);
    }

    private Options options(Parameters parameters) {
        ParameterCheck p = ParameterCheck.of(id.toString(), parameters, names());
        Long maxCompletion = p.whole("max_completion_tokens", 1, Long.MAX_VALUE).orElse(null);
        // max_tokens is deprecated in favour of max_completion_tokens, but some compatible servers know only it.
        Long max = p.whole("max_tokens", 1, Long.MAX_VALUE).orElse(null);
        if (maxCompletion != null && max != null) {
            throw p.invalid("max_tokens", "must not be set with max_completion_tokens, which replaces it", max);
        }
        if (p.has(STRICT) && !p.has(ModelInfo.JSON_SCHEMA)) {
            throw p.invalid(STRICT, "is only read with " + ModelInfo.JSON_SCHEMA + "; give the schema too", "set");
        }
        Object strict = parameters.get(STRICT).orElse(false);
        if (!(strict instanceof Boolean)) {
            throw p.invalid(STRICT, "must be true or false", strict);
        }
        JsonNode schema = StructuredOutput.schema(parameters).orElse(null);
        return new Options(
                p.textOrEmpty("system_prompt").filter(s -> !s.isBlank()).orElse(null),
                vision ? p.text("instruction").orElse(DEFAULT_INSTRUCTION) : null,
                vision ? p.oneOf("detail", DETAILS).orElse(null) : null,
                p.number("temperature", 0, 2).orElse(null),
                p.number("top_p", 0, 1).orElse(null),
                maxCompletion, max,
                p.whole("seed", Long.MIN_VALUE, Long.MAX_VALUE).orElse(null),
                schema == null ? null : Wire.ResponseFormat.jsonSchema(schemaName(schema), schema, (Boolean) strict));
    }

    /** The schema's {@code title} when it is a valid name, else {@code answer}: the name only labels the format. */
    private static String schemaName(JsonNode schema) {
        String title = schema.path("title").asText("");
        return NAME.matcher(title).matches() ? title : "answer";
    }

    @Override
    public CompletableFuture<ModelOutput> invoke(Payload input, Parameters parameters) {
        Options o = options(parameters);
        List<Wire.Message> messages = new ArrayList<>();
        if (o.systemPrompt() != null) {
            messages.add(new Wire.Message("system", o.systemPrompt()));
        }
        if (vision) {
            Payload.Image image = (Payload.Image) input;
            String dataUrl = DataUri.encode(image.data().toByteArray(), image.mediaType());
            messages.add(new Wire.Message("user", List.of(Wire.ContentPart.text(o.instruction()),
                    Wire.ContentPart.image(dataUrl, o.detail()))));
        } else {
            String text = ((Payload.Text) input).text();
            if (text.isBlank()) {
                throw new ValidationException("the input text for " + id + " is empty; a chat model needs something to answer");
            }
            messages.add(new Wire.Message("user", text));
        }
        if (o.format() == null) {
            return send(messages, o, parameters);
        }
        // A schema-following model can still answer otherwise (a refusal, a truncated object, a compatible
        // server that ignores response_format): told what was wrong, it gets one more chance.
        return StructuredOutput.checked(id, o.format().jsonSchema().schema(), correction -> {
            if (correction == null) {
                return send(messages, o, parameters);
            }
            List<Wire.Message> again = new ArrayList<>(messages);
            again.add(new Wire.Message("user", correction.instruction()));
            return send(again, o, parameters);
        });
    }

    private CompletableFuture<ModelOutput> send(List<Wire.Message> messages, Options o, Parameters parameters) {
        Wire.CreateChatCompletionRequest request = new Wire.CreateChatCompletionRequest(model, messages,
                o.temperature(), o.topP(), o.maxCompletionTokens(), o.maxTokens(), o.seed(), o.format());
        return Futures.linked(client.postJson("/chat/completions", request, ApiRequest.Kind.CREATE),
                response -> read(response, o, parameters));
    }

    private ModelOutput read(ApiResponse response, Options o, Parameters parameters) {
        Wire.CreateChatCompletionResponse answer = Wire.read(response, Wire.CreateChatCompletionResponse.class);
        if (answer.choices() == null || answer.choices().isEmpty() || answer.choices().get(0) == null
                || answer.choices().get(0).message() == null) {
            throw new UnavailableException(id + " answered without a message; try again", null, response.status(), null);
        }
        Wire.Choice choice = answer.choices().get(0);
        String content = choice.message().content();
        String finish = choice.finishReason();
        if ("content_filter".equals(finish)) {
            throw new ContentRejectedException(id + " withheld its answer (finish_reason content_filter); change the input,"
                    + " retrying it unchanged will not help", null, response.status(), null);
        }
        if ((content == null || content.isEmpty()) && choice.message().refusal() != null) {
            throw new ContentRejectedException(id + " refused: " + client.http().scrub(choice.message().refusal()),
                    null, response.status(), null);
        }
        if ((content == null || content.isBlank()) && "length".equals(finish)) {
            throw new InvalidRequestException(id + " used up its token limit before writing anything (finish_reason"
                    + " length); raise max_completion_tokens", null, response.status(), null);
        }
        Metadata.Builder m = Metadata.builder().parameters(parameters).seed(o.seed()).modelVersion(answer.model())
                .platformPredictionId(answer.id());
        OpenAiClient.record(response, m, false);
        if (finish != null) {
            m.extra("finish_reason", finish);
        }
        Object usage = JsonValues.plain(answer.usage());
        if (usage != null) {
            m.extra("usage", usage);
        }
        if (client.official()) {
            m.costUsd(Prices.chat(model, answer.usage()));
        }
        return new ModelOutput(Payload.text(content == null ? "" : content.strip()), m.build());
    }
}
