package dev.panic.ollama;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.panic.Model;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.InvalidAnswerException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Structured output, seeds and cost on Ollama, against GenerateRequest's shape in the API description. */
class OllamaJsonSchemaTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> SCHEMA = Map.of("type", "object",
            "properties", Map.of("title", Map.of("type", "string"), "metatags", Map.of("type", "string")),
            "required", List.of("title", "metatags"));

    private OllamaPlatform ollama;

    @BeforeEach
    void setUp() {
        ollama = OllamaPlatform.builder().host(server.baseUrl()).build();
        server.stubFor(post("/api/show").withRequestBody(matchingJsonPath("$.model", equalTo("llama3")))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(
                        "{\"capabilities\":[\"completion\"],\"details\":{\"family\":\"llama\"}}")));
    }

    /** Answers {@code responses} in turn, one non-streamed {@code /api/generate} answer per request. */
    private static void answers(String... responses) {
        for (int i = 0; i < responses.length; i++) {
            ObjectNode body = JSON.createObjectNode().put("model", "llama3:latest").put("response", responses[i])
                    .put("done", true).put("total_duration", 1000);
            server.stubFor(post("/api/generate").inScenario("answers")
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "answer " + i).willSetStateTo("answer " + (i + 1))
                    .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(body.toString())));
        }
    }

    private static List<JsonNode> sent() {
        return server.findAll(postRequestedFor(urlEqualTo("/api/generate"))).stream().map(r -> {
            try {
                return JSON.readTree(r.getBodyAsString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
    }

    @Test
    void should_send_the_schema_as_format_and_the_seed_as_options_seed_and_cost_nothing() {
        answers("{\"title\":\"Dusk\",\"metatags\":\"sea\"}");
        Model llama = ollama.model("llama3", Parameters.of("stream", false));

        ModelOutput out = llama.invoke(Payload.text("a prompt"), Parameters.of(ModelInfo.JSON_SCHEMA, SCHEMA, "seed", 9L));

        assertThat(out.payload()).isEqualTo(Payload.text("{\"title\":\"Dusk\",\"metatags\":\"sea\"}"));
        assertThat(out.metadata().costUsd()).hasValue(0.0);
        assertThat(out.metadata().seed()).hasValue(9L);
        assertThat(out.metadata().modelVersion()).hasValue("llama3:latest");
        JsonNode body = sent().get(0);
        assertThat(body.get("format")).isEqualTo(JSON.valueToTree(SCHEMA));
        assertThat(body.get("options")).isEqualTo(JSON.valueToTree(Map.of("seed", 9)));
        assertThat(body.has(ModelInfo.JSON_SCHEMA)).isFalse();
        assertThat(llama.info().seedParameter()).contains("seed");
        assertThat(llama.info().takesJsonSchema()).isTrue();
    }

    @Test
    void should_ask_again_with_the_error_once_then_fail_with_an_invalid_answer() {
        answers("{\"title\":\"Dusk\"}", "{\"title\":\"Dusk\",\"metatags\":[\"sea\"]}");
        Model llama = ollama.model("llama3", Parameters.of("stream", false));

        assertThatThrownBy(() -> llama.invoke(Payload.text("a prompt"), Parameters.of(ModelInfo.JSON_SCHEMA, SCHEMA)))
                .isInstanceOf(InvalidAnswerException.class)
                .hasMessageContaining("ollama:llama3 answered twice")
                .hasMessageContaining("$.metatags should be string but is an array");

        List<JsonNode> bodies = sent();
        assertThat(bodies).hasSize(2);
        assertThat(bodies.get(1).get("format")).isEqualTo(bodies.get(0).get("format"));
        assertThat(bodies.get(0).get("prompt").asText()).isEqualTo("a prompt");
        assertThat(bodies.get(1).get("prompt").asText()).startsWith("a prompt\n\n").contains("{\"title\":\"Dusk\"}")
                .contains("missing the required property \"metatags\"");
    }

    @Test
    void should_keep_a_streamed_answer_corrected_on_the_second_try() {
        String bad = "{\"model\":\"llama3\",\"response\":\"{\\\"title\\\":\",\"done\":false}\n"
                + "{\"model\":\"llama3\",\"response\":\"\\\"Dusk\\\"}\",\"done\":true}\n";
        String good = "{\"model\":\"llama3\",\"response\":\"{\\\"title\\\":\\\"Dusk\\\",\\\"metatags\\\":\\\"sea\\\"}\","
                + "\"done\":true}\n";
        server.stubFor(post("/api/generate").inScenario("s").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("2")
                .willReturn(aResponse().withHeader("Content-Type", "application/x-ndjson").withBody(bad)));
        server.stubFor(post("/api/generate").inScenario("s").whenScenarioStateIs("2")
                .willReturn(aResponse().withHeader("Content-Type", "application/x-ndjson").withBody(good)));

        ModelOutput out = ollama.model("llama3", Parameters.empty())
                .invoke(Payload.text("a prompt"), Parameters.of(ModelInfo.JSON_SCHEMA, SCHEMA));

        assertThat(out.payload()).isEqualTo(Payload.text("{\"title\":\"Dusk\",\"metatags\":\"sea\"}"));
        assertThat((String) out.metadata().extras().get("json_schema_retry"))
                .isEqualTo("$ is missing the required property \"metatags\"");
        assertThat(out.metadata().costUsd()).hasValue(0.0);
    }
}
