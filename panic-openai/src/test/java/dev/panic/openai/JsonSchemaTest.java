package dev.panic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.panic.openai.OpenAiTesting.JSON;
import static dev.panic.openai.OpenAiTesting.bodies;
import static dev.panic.openai.OpenAiTesting.platform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.panic.Model;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.InvalidAnswerException;
import dev.panic.exception.ValidationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Structured output and seeds on the chat models, against CreateChatCompletionRequest's shapes. */
class JsonSchemaTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final Map<String, Object> SCHEMA = Map.of("title", "image_prompt", "type", "object",
            "properties", Map.of("title", Map.of("type", "string"), "metatags", Map.of("type", "string")),
            "required", List.of("title", "metatags"), "additionalProperties", false);

    /** Answers {@code contents} in turn, one per request. */
    private static void answers(String... contents) {
        for (int i = 0; i < contents.length; i++) {
            ObjectNode body = JSON.createObjectNode().put("id", "chatcmpl-" + i).put("object", "chat.completion")
                    .put("model", "gpt-4o-mini-2024-07-18");
            ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", contents[i]).putNull("refusal");
            body.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 20).put("total_tokens", 120);
            server.stubFor(post("/v1/chat/completions").inScenario("answers")
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "answer " + i)
                    .willSetStateTo("answer " + (i + 1))
                    .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(body.toString())));
        }
    }

    @Test
    void should_send_the_schema_as_response_format_json_schema_with_the_seed() {
        answers("{\"title\":\"Dusk\",\"metatags\":\"sea, calm\"}");
        Model chat = platform(server).build().model("chat/gpt-4o-mini");

        ModelOutput out = chat.invoke(Payload.text("a prompt, please"),
                Parameters.of(ModelInfo.JSON_SCHEMA, SCHEMA, "seed", 42L).with("json_schema_strict", true));

        assertThat(out.payload()).isEqualTo(Payload.text("{\"title\":\"Dusk\",\"metatags\":\"sea, calm\"}"));
        assertThat(out.metadata().seed()).hasValue(42L);
        JsonNode sent = bodies(server, "/v1/chat/completions").get(0);
        assertThat(sent.get("seed").asLong()).isEqualTo(42L);
        // ResponseFormatJsonSchema: type json_schema, json_schema {name (required), schema, strict}
        assertThat(sent.get("response_format")).isEqualTo(JSON.valueToTree(Map.of("type", "json_schema",
                "json_schema", Map.of("name", "image_prompt", "schema", SCHEMA, "strict", true))));
    }

    @Test
    void should_ask_again_with_the_error_once_then_fail_with_an_invalid_answer() {
        answers("{\"title\":\"Dusk\"}", "{\"title\":\"Dusk\",\"metatags\":3}");
        Model chat = platform(server).build().model("chat/gpt-4o-mini", Parameters.of("system_prompt", "Be brief."));
        Map<String, Object> untitled = Map.of("type", "object", "properties", Map.of("metatags", Map.of("type", "string")),
                "required", List.of("title", "metatags"));

        assertThatThrownBy(() -> chat.invoke(Payload.text("a prompt, please"), Parameters.of(ModelInfo.JSON_SCHEMA, untitled)))
                .isInstanceOf(InvalidAnswerException.class)
                .hasMessageContaining("openai:chat/gpt-4o-mini answered twice")
                .hasMessageContaining("$ is missing the required property \"metatags\"")
                .hasMessageContaining("$.metatags should be string but is 3");

        List<JsonNode> sent = bodies(server, "/v1/chat/completions");
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).at("/response_format/json_schema/name").asText()).isEqualTo("answer");
        assertThat(sent.get(0).at("/response_format/json_schema/strict").asBoolean(true)).isFalse();
        assertThat(sent.get(0).get("messages")).hasSize(2);
        JsonNode retry = sent.get(1).get("messages");
        assertThat(retry).hasSize(3);
        assertThat(retry.get(1)).isEqualTo(sent.get(0).get("messages").get(1));
        assertThat(retry.get(2).get("role").asText()).isEqualTo("user");
        assertThat(retry.get(2).get("content").asText()).contains("{\"title\":\"Dusk\"}")
                .contains("missing the required property \"metatags\"");
        assertThat(sent.get(1).get("response_format")).isEqualTo(sent.get(0).get("response_format"));
    }

    @Test
    void should_keep_a_corrected_answer_and_record_what_was_wrong_first() {
        answers("Sure! {\"title\":\"Dusk\"}", "{\"title\":\"Dusk\",\"metatags\":\"sea\"}");
        Model chat = platform(server).build().model("chat/gpt-4o-mini");

        ModelOutput out = chat.invoke(Payload.text("a prompt"), Parameters.of(ModelInfo.JSON_SCHEMA, SCHEMA));

        assertThat(out.payload()).isEqualTo(Payload.text("{\"title\":\"Dusk\",\"metatags\":\"sea\"}"));
        assertThat((String) out.metadata().extras().get("json_schema_retry")).startsWith("it is not valid JSON");
        assertThat(out.metadata().platformPredictionId()).hasValue("chatcmpl-1");
        assertThat(out.metadata().costUsd()).as("no OpenAI prices for another server").isEmpty();
    }

    @Test
    void should_declare_seed_and_schema_on_chat_models_only_and_refuse_a_schema_elsewhere() {
        OpenAiPlatform openai = platform(server).build();

        assertThat(openai.model("chat/gpt-4o-mini").info().seedParameter()).contains("seed");
        assertThat(openai.model("vision/gpt-4o").info().takesJsonSchema()).isTrue();
        assertThat(openai.model("dall-e-3").info().seedParameter()).isEmpty();
        assertThat(openai.models()).filteredOn(i -> i.id().name().startsWith("chat/"))
                .allMatch(i -> i.takesJsonSchema() && i.seedParameter().filter("seed"::equals).isPresent());
        assertThat(openai.models()).filteredOn(i -> i.id().name().startsWith("tts"))
                .allMatch(i -> !i.takesJsonSchema() && i.seedParameter().isEmpty());
        Model tts = openai.model("tts-1");
        assertThatThrownBy(() -> tts.invokeAsync(Payload.text("hi"), Parameters.of(ModelInfo.JSON_SCHEMA, SCHEMA)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("cannot be given a JSON schema");
        assertThatThrownBy(() -> openai.model("chat/gpt-4o-mini", Parameters.of("json_schema_strict", true)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("give the schema too");
        assertThat(server.getAllServeEvents()).isEmpty();
    }
}
