package dev.panic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.panic.openai.OpenAiTesting.bodies;
import static dev.panic.openai.OpenAiTesting.json;
import static dev.panic.openai.OpenAiTesting.platform;
import static dev.panic.openai.OpenAiTesting.png;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.panic.Model;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.ValidationException;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ImageGenerationTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /** Stands in for the cloud storage OpenAI's image URLs point at: another origin. */
    @RegisterExtension
    static WireMockExtension storage = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final byte[] PNG = png(4, 3);

    private static void answer(String body) {
        server.stubFor(post("/v1/images/generations").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("x-request-id", "req_123").withBody(body)));
    }

    @Test
    void should_ask_dall_e_3_for_base64_and_keep_the_revised_prompt() {
        answer(json("{'created': 1713833628, 'data': [{'b64_json': '" + Base64.getEncoder().encodeToString(PNG)
                + "', 'revised_prompt': 'A red circle, centred, on a deep blue background'}]}"));
        Model model = platform(server).build().model("dall-e-3", Parameters.of("style", "natural"));

        ModelOutput out = model.invoke(Payload.text("a red circle on a blue background"),
                Parameters.of("size", "1792x1024", "quality", "hd"));

        assertThat(out.payload()).isEqualTo(Payload.image(PNG, "image/png"));
        assertThat(out.metadata().extras()).containsEntry("revised_prompt", "A red circle, centred, on a deep blue background")
                .containsEntry("request_id", "req_123");
        assertThat(out.metadata().platformPredictionId()).hasValue("req_123");
        assertThat(out.metadata().modelVersion()).as("the answer names none: the model asked for").hasValue("dall-e-3");
        assertThat(out.metadata().parameters().asMap()).containsEntry("size", "1792x1024").containsEntry("style", "natural");
        assertThat(out.metadata().costUsd()).as("no OpenAI prices for another server").isEmpty();
        JsonNode sent = bodies(server, "/v1/images/generations").get(0);
        assertThat(sent.get("model").asText()).isEqualTo("dall-e-3");
        assertThat(sent.get("prompt").asText()).isEqualTo("a red circle on a blue background");
        assertThat(sent.get("response_format").asText()).isEqualTo("b64_json");
        assertThat(sent.get("size").asText()).isEqualTo("1792x1024");
        assertThat(sent.get("quality").asText()).isEqualTo("hd");
        assertThat(sent.get("style").asText()).isEqualTo("natural");
        assertThat(sent.has("n")).isFalse();
    }

    @Test
    void should_download_an_image_that_comes_back_as_a_url_without_sending_the_key_there() {
        storage.stubFor(get("/img/abc.png").willReturn(aResponse().withHeader("Content-Type", "image/png").withBody(PNG)));
        answer(json("{'created': 1713833628, 'data': [{'url': '" + storage.baseUrl() + "/img/abc.png'}]}"));
        Model model = platform(server).organization("org-test").build().model("dall-e-2");

        ModelOutput out = model.invoke(Payload.text("a cat"));

        assertThat(out.payload()).isEqualTo(Payload.image(PNG, "image/png"));
        storage.verify(getRequestedFor(urlEqualTo("/img/abc.png")).withHeader("Authorization", absent())
                .withHeader("OpenAI-Organization", absent()));
        assertThat(bodies(server, "/v1/images/generations").get(0).get("size").asText())
                .as("DALL-E sizes are spelled out by default").isEqualTo("1024x1024");
    }

    @Test
    void should_retry_the_download_of_an_image_after_a_server_error_because_it_is_a_read() {
        storage.stubFor(get("/img/flaky.png").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("ok"));
        storage.stubFor(get("/img/flaky.png").inScenario("flaky").whenScenarioStateIs("ok")
                .willReturn(aResponse().withHeader("Content-Type", "image/png").withBody(PNG)));
        answer(json("{'created': 1, 'data': [{'url': '" + storage.baseUrl() + "/img/flaky.png'}]}"));

        ModelOutput out = platform(server).build().model("dall-e-3").invoke(Payload.text("a dog"));

        assertThat(out.payload()).isEqualTo(Payload.image(PNG, "image/png"));
        storage.verify(2, getRequestedFor(urlEqualTo("/img/flaky.png")));
        server.verify(1, anyRequestedFor(urlEqualTo("/v1/images/generations")));
    }

    @Test
    void should_never_send_response_format_to_a_gpt_image_model_and_use_its_output_format() {
        byte[] webp = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' '};
        answer(json("{'created': 1713833628, 'data': [{'b64_json': '" + Base64.getEncoder().encodeToString(webp)
                + "'}], 'background': 'opaque', 'output_format': 'webp', 'size': '1536x1024', 'quality': 'medium',"
                + " 'usage': {'total_tokens': 100, 'input_tokens': 50, 'output_tokens': 50,"
                + " 'input_tokens_details': {'text_tokens': 10, 'image_tokens': 40}}}"));
        Model model = platform(server).build().model("gpt-image-1");

        ModelOutput out = model.invoke(Payload.text("an otter"), Parameters.of("size", "auto", "quality", "medium")
                .with("output_format", "webp").with("output_compression", 80).with("background", "opaque"));

        assertThat(out.payload()).isEqualTo(Payload.image(webp, "image/webp"));
        assertThat(out.metadata().extras()).containsEntry("size", "1536x1024").containsEntry("output_format", "webp")
                .containsKey("usage");
        @SuppressWarnings("unchecked")
        Map<String, Object> usage = (Map<String, Object>) out.metadata().extras().get("usage");
        assertThat(usage).containsEntry("output_tokens", 50L);
        JsonNode sent = bodies(server, "/v1/images/generations").get(0);
        assertThat(sent.has("response_format")).isFalse();
        assertThat(sent.get("model").asText()).isEqualTo("gpt-image-1");
        assertThat(sent.get("output_format").asText()).isEqualTo("webp");
        assertThat(sent.get("output_compression").asInt()).isEqualTo(80);
        assertThat(sent.get("background").asText()).isEqualTo("opaque");
        assertThat(sent.get("size").asText()).isEqualTo("auto");
    }

    @Test
    void should_read_a_gpt_image_answer_as_png_when_no_format_was_asked() {
        answer(json("{'created': 1, 'data': [{'b64_json': '" + Base64.getEncoder().encodeToString(PNG) + "'}]}"));

        ModelOutput out = platform(server).build().model("gpt-image-1-mini").invoke(Payload.text("a fox"));

        assertThat(out.payload()).isEqualTo(Payload.image(PNG, "image/png"));
        assertThat(bodies(server, "/v1/images/generations").get(0).has("response_format")).isFalse();
    }

    @Test
    void should_refuse_sizes_and_qualities_a_model_does_not_have_before_any_request() {
        OpenAiPlatform openai = platform(server).build();
        Payload prompt = Payload.text("a tree");

        assertThatThrownBy(() -> openai.model("dall-e-3").invoke(prompt, Parameters.of("size", "512x512")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("parameter 'size' of openai:dall-e-3 must be one of 1024x1024, 1792x1024, 1024x1792")
                .hasMessageContaining("'512x512'");
        assertThatThrownBy(() -> openai.model("dall-e-2", Parameters.of("size", "1792x1024")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("256x256, 512x512, 1024x1024");
        assertThatThrownBy(() -> openai.model("dall-e-3").invoke(prompt, Parameters.of("quality", "high")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("parameter 'quality'")
                .hasMessageContaining("standard, hd");
        assertThatThrownBy(() -> openai.model("gpt-image-1", Parameters.of("quality", "hd")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("low, medium, high, auto");
        assertThatThrownBy(() -> openai.model("gpt-image-1", Parameters.of("size", "1792x1024")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("auto, 1024x1024, 1536x1024, 1024x1536");
        assertThatThrownBy(() -> openai.model("gpt-image-1", Parameters.of("style", "vivid")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("has no parameter 'style'");
        assertThatThrownBy(() -> openai.model("gpt-image-1", Parameters.of("output_format", "gif")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("png, jpeg, webp");
        assertThatThrownBy(() -> openai.model("gpt-image-1", Parameters.of("output_compression", 50)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("only with output_format jpeg or webp");
        assertThatThrownBy(() -> openai.model("gpt-image-1",
                Parameters.of("background", "transparent", "output_format", "jpeg")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("png or webp");
        assertThatThrownBy(() -> openai.model("dall-e-2").invoke(Payload.text("x".repeat(1001))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("at most 1000");

        server.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void should_take_any_size_within_the_limits_for_gpt_image_2_only() {
        OpenAiPlatform openai = platform(server).build();

        assertThat(openai.model("gpt-image-2", Parameters.of("size", "1536x864")).parameters().asMap())
                .containsEntry("size", "1536x864");
        for (String bad : new String[] {"1000x1000", "3840x1024", "4096x2304", "big"}) {
            assertThatThrownBy(() -> openai.model("gpt-image-2", Parameters.of("size", bad)))
                    .as(bad).isInstanceOf(ValidationException.class).hasMessageContaining("multiples of 16");
        }
        assertThatThrownBy(() -> openai.model("gpt-image-1.5", Parameters.of("size", "1536x864")))
                .isInstanceOf(ValidationException.class);
    }
}
