package dev.panic.openai.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.exception.UnavailableException;
import dev.panic.spi.http.ApiResponse;
import dev.panic.spi.http.Json;
import java.util.List;

/**
 * The JSON bodies PANIC sends to and reads from the OpenAI API, one record per schema of the
 * OpenAPI description (openai/openai-openapi, {@code openapi.yaml}); each record names its schema.
 * Only the fields PANIC uses are here. Requests leave out null fields, so that a server default
 * applies and a GPT image model never sees {@code response_format}, which it rejects.
 */
public final class Wire {

    private Wire() {
    }

    /** {@code CreateImageRequest}, for {@code POST /images/generations}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CreateImageRequest(
            String model,
            String prompt,
            String size,
            String quality,
            String style,
            @JsonProperty("response_format") String responseFormat,
            @JsonProperty("output_format") String outputFormat,
            @JsonProperty("output_compression") Long outputCompression,
            String background,
            String moderation) {
    }

    /** {@code ImagesResponse}. */
    public record ImagesResponse(
            Long created,
            List<Image> data,
            String background,
            @JsonProperty("output_format") String outputFormat,
            String size,
            String quality,
            JsonNode usage) {
    }

    /** {@code Image}: base64 bytes or a URL, and dall-e-3's revised prompt. */
    public record Image(
            @JsonProperty("b64_json") String b64Json,
            String url,
            @JsonProperty("revised_prompt") String revisedPrompt) {
    }

    /** {@code CreateChatCompletionRequest}, for {@code POST /chat/completions}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CreateChatCompletionRequest(
            String model,
            List<Message> messages,
            Double temperature,
            @JsonProperty("top_p") Double topP,
            @JsonProperty("max_completion_tokens") Long maxCompletionTokens,
            @JsonProperty("max_tokens") Long maxTokens,
            Long seed,
            @JsonProperty("response_format") ResponseFormat responseFormat) {
    }

    /**
     * {@code ResponseFormatJsonSchema}: {@code {"type": "json_schema", "json_schema": {...}}}, the
     * structured-output form of {@code CreateChatCompletionRequest.response_format}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResponseFormat(String type, @JsonProperty("json_schema") JsonSchemaFormat jsonSchema) {
        /** A JSON-schema response format. */
        public static ResponseFormat jsonSchema(String name, JsonNode schema, boolean strict) {
            return new ResponseFormat("json_schema", new JsonSchemaFormat(name, schema, strict));
        }
    }

    /**
     * The {@code json_schema} object of {@link ResponseFormat}.
     *
     * @param name   a-z, A-Z, 0-9, underscores and dashes, at most 64 characters (required)
     * @param schema the JSON Schema ({@code ResponseFormatJsonSchemaSchema})
     * @param strict whether the model must follow the schema exactly (a subset of JSON Schema then)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JsonSchemaFormat(String name, JsonNode schema, Boolean strict) {
    }

    /**
     * {@code ChatCompletionRequestSystemMessage} or {@code ChatCompletionRequestUserMessage}.
     *
     * @param content a string, or a list of {@link ContentPart}s
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Message(String role, Object content) {
    }

    /**
     * {@code ChatCompletionRequestMessageContentPartText} ({@code type: text}) or
     * {@code ChatCompletionRequestMessageContentPartImage} ({@code type: image_url}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContentPart(String type, String text, @JsonProperty("image_url") ImageUrl imageUrl) {
        /** A text part. */
        public static ContentPart text(String text) {
            return new ContentPart("text", text, null);
        }

        /** An image part. */
        public static ContentPart image(String url, String detail) {
            return new ContentPart("image_url", null, new ImageUrl(url, detail));
        }
    }

    /** The {@code image_url} object of an image content part: a URL or a data URL, and the detail level. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImageUrl(String url, String detail) {
    }

    /** {@code CreateChatCompletionResponse}. */
    public record CreateChatCompletionResponse(
            String id,
            List<Choice> choices,
            String model,
            JsonNode usage) {
    }

    /** One of {@code CreateChatCompletionResponse.choices}. */
    public record Choice(
            Integer index,
            @JsonProperty("finish_reason") String finishReason,
            ResponseMessage message) {
    }

    /** {@code ChatCompletionResponseMessage}. */
    public record ResponseMessage(String content, String refusal) {
    }

    /**
     * {@code CreateSpeechRequest}, for {@code POST /audio/speech}.
     *
     * @param voice a built-in voice name, or a map {@code {"id": "voice_..."}} for a custom voice
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CreateSpeechRequest(
            String model,
            String input,
            Object voice,
            String instructions,
            @JsonProperty("response_format") String responseFormat,
            Double speed) {
    }

    /** {@code CreateTranscriptionResponseJson}. */
    public record CreateTranscriptionResponseJson(String text, JsonNode usage) {
    }

    /** {@code CreateEmbeddingRequest}, for {@code POST /embeddings}, with an array of strings as input. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CreateEmbeddingRequest(
            List<String> input,
            String model,
            @JsonProperty("encoding_format") String encodingFormat,
            Long dimensions) {
    }

    /** {@code CreateEmbeddingResponse}. */
    public record CreateEmbeddingResponse(List<EmbeddingItem> data, String model, JsonNode usage) {
    }

    /**
     * {@code Embedding}.
     *
     * @param embedding a base64 string of little-endian float32 when {@code encoding_format} is
     *                  {@code base64}, else an array of numbers
     */
    public record EmbeddingItem(Integer index, JsonNode embedding) {
    }

    /** The request body as JSON bytes. */
    public static byte[] bytes(Object request) {
        try {
            return Json.MAPPER.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a wire record always serialises", e);
        }
    }

    /**
     * A 2xx answer read as {@code type}.
     *
     * @throws UnavailableException if the body is not JSON or not of the documented shape: the
     *                              server misbehaved, and may not next time
     */
    public static <T> T read(ApiResponse response, Class<T> type) {
        JsonNode json = response.json();
        try {
            return Json.MAPPER.treeToValue(json, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new UnavailableException(response.platform() + " answered " + response.status()
                    + " with JSON that is not a " + type.getSimpleName() + ": '"
                    + response.excerpt(200) + "'", e, response.status(), null);
        }
    }
}
