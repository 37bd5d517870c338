package dev.panic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.panic.openai.OpenAiTesting.bodies;
import static dev.panic.openai.OpenAiTesting.json;
import static dev.panic.openai.OpenAiTesting.platform;
import static dev.panic.openai.OpenAiTesting.png;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.ContentRejectedException;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.ValidationException;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChatCompletionTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static void answer(String content, String finishReason) {
        server.stubFor(post("/v1/chat/completions").willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody(completion(content == null ? "null" : "'" + content + "'", "null", finishReason))));
    }

    /** A {@code CreateChatCompletionResponse} as the description's example has it. */
    private static String completion(String content, String refusal, String finishReason) {
        return json("{'id': 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG', 'object': 'chat.completion', 'created': 1741570283,"
                + " 'model': 'gpt-4o-mini-2024-07-18', 'choices': [{'index': 0, 'message': {'role': 'assistant',"
                + " 'content': " + content + ", 'refusal': " + refusal + ", 'annotations': []}, 'logprobs': null,"
                + " 'finish_reason': '" + finishReason + "'}], 'usage': {'prompt_tokens': 1117, 'completion_tokens': 46,"
                + " 'total_tokens': 1163, 'prompt_tokens_details': {'cached_tokens': 0, 'audio_tokens': 0}},"
                + " 'service_tier': 'default', 'system_fingerprint': 'fp_fc9f1d7035'}");
    }

    @Test
    void should_describe_an_image_sent_as_a_data_url_in_an_image_url_part() {
        answer("A blue rectangle.", "stop");
        byte[] image = png(2, 2);
        Model model = platform(server).build().model("vision/gpt-4o-mini",
                Parameters.of("detail", "low", "system_prompt", "Be brief."));

        ModelOutput out = model.invoke(Payload.image(image, "image/png"), Parameters.of("max_completion_tokens", 50));

        assertThat(model.input()).isEqualTo(Modality.IMAGE);
        assertThat(out.payload()).isEqualTo(Payload.text("A blue rectangle."));
        assertThat(out.metadata().platformPredictionId()).hasValue("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG");
        assertThat(out.metadata().modelVersion()).hasValue("gpt-4o-mini-2024-07-18");
        assertThat(out.metadata().extras()).containsEntry("finish_reason", "stop");
        @SuppressWarnings("unchecked")
        Map<String, Object> usage = (Map<String, Object>) out.metadata().extras().get("usage");
        assertThat(usage).containsEntry("prompt_tokens", 1117L).containsEntry("completion_tokens", 46L);

        JsonNode sent = bodies(server, "/v1/chat/completions").get(0);
        assertThat(sent.get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(sent.get("max_completion_tokens").asInt()).isEqualTo(50);
        assertThat(sent.has("max_tokens")).isFalse();
        JsonNode messages = sent.get("messages");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
        assertThat(messages.get(0).get("content").asText()).isEqualTo("Be brief.");
        JsonNode user = messages.get(1);
        assertThat(user.get("role").asText()).isEqualTo("user");
        JsonNode text = user.get("content").get(0);
        assertThat(text.get("type").asText()).isEqualTo("text");
        assertThat(text.get("text").asText()).isEqualTo("Describe this image");
        JsonNode picture = user.get("content").get(1);
        assertThat(picture.get("type").asText()).isEqualTo("image_url");
        assertThat(picture.get("image_url").get("url").asText())
                .isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(image));
        assertThat(picture.get("image_url").get("detail").asText()).isEqualTo("low");
    }

    @Test
    void should_rewrite_text_under_the_default_system_prompt_with_a_temperature_and_seed() {
        answer("  A warm afternoon.\\n", "stop");
        Model model = platform(server).build().model("chat/gpt-4o-mini", Parameters.of("temperature", 0.7));

        ModelOutput out = model.invoke(Payload.text("a hot day"), Parameters.of("seed", 42));

        assertThat(model.output()).isEqualTo(Modality.TEXT);
        assertThat(out.payload()).isEqualTo(Payload.text("A warm afternoon."));
        assertThat(out.metadata().seed()).hasValue(42L);
        JsonNode sent = bodies(server, "/v1/chat/completions").get(0);
        assertThat(sent.get("temperature").asDouble()).isEqualTo(0.7);
        assertThat(sent.get("seed").asLong()).isEqualTo(42);
        assertThat(sent.get("messages").get(0).get("role").asText()).isEqualTo("system");
        assertThat(sent.get("messages").get(0).get("content").asText()).startsWith("Rewrite the user's text");
        assertThat(sent.get("messages").get(1).get("content").asText()).isEqualTo("a hot day");
    }

    @Test
    void should_send_no_system_message_when_the_system_prompt_is_empty() {
        answer("hi", "stop");

        platform(server).build().model("chat/llama3.2:1b", Parameters.of("system_prompt", "", "max_tokens", 10))
                .invoke(Payload.text("hello"));

        JsonNode sent = bodies(server, "/v1/chat/completions").get(0);
        assertThat(sent.get("model").asText()).isEqualTo("llama3.2:1b");
        assertThat(sent.get("messages")).hasSize(1);
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(10);
    }

    @Test
    void should_report_a_refusal_or_a_filtered_answer_as_rejected_content() {
        server.stubFor(post("/v1/chat/completions").willReturn(aResponse()
                .withBody(completion("null", "'I cannot help with that.'", "stop"))));
        Model model = platform(server).build().model("chat/gpt-4o-mini");

        assertThatThrownBy(() -> model.invoke(Payload.text("something bad")))
                .isInstanceOf(ContentRejectedException.class).hasMessageContaining("I cannot help with that.");

        answer("", "content_filter");
        assertThatThrownBy(() -> model.invoke(Payload.text("something bad")))
                .isInstanceOf(ContentRejectedException.class).hasMessageContaining("content_filter");
    }

    @Test
    void should_explain_an_answer_cut_off_before_any_text() {
        answer(null, "length");

        assertThatThrownBy(() -> platform(server).build().model("vision/gpt-4o-mini")
                .invoke(Payload.image(png(1, 1), "image/png")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("raise max_completion_tokens");
    }

    @Test
    void should_check_chat_parameters_before_any_request() {
        OpenAiPlatform openai = platform(server).build();

        assertThatThrownBy(() -> openai.model("vision/gpt-4o", Parameters.of("detail", "medium")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("parameter 'detail'")
                .hasMessageContaining("auto, low, high");
        assertThatThrownBy(() -> openai.model("chat/gpt-4o", Parameters.of("temperature", 2.5)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("from 0 to 2");
        assertThatThrownBy(() -> openai.model("chat/gpt-4o", Parameters.of("max_completion_tokens", 0)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("max_completion_tokens");
        assertThatThrownBy(() -> openai.model("chat/gpt-4o", Parameters.of("max_tokens", 5, "max_completion_tokens", 5)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("replaces it");
        assertThatThrownBy(() -> openai.model("chat/gpt-4o", Parameters.of("detail", "low")))
                .as("detail is for images").isInstanceOf(ValidationException.class)
                .hasMessageContaining("has no parameter 'detail'");
        assertThatThrownBy(() -> openai.model("chat/gpt-4o").invoke(Payload.text(" ")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("empty");

        server.verify(0, anyRequestedFor(anyUrl()));
    }
}
