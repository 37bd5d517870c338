package dev.panic.replicate;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.panic.replicate.Fake.BLIP_VERSION;
import static dev.panic.replicate.Fake.PNG;
import static dev.panic.replicate.Fake.prediction;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.spi.media.DataUri;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What is sent (inputs, files, versions) and what is recorded about it. */
class InputsAndMetadataTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static JsonNode sentTo(String path) {
        return Fake.only(server.findAll(postRequestedFor(urlEqualTo(path))));
    }

    @Test
    void should_send_a_small_image_inline_as_a_data_url() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "d1").succeeded("\"Caption: a\"").created()));

        ModelOutput out = Fake.platform(server).build().model("salesforce/blip", Parameters.empty())
                .invoke(Payload.image(PNG, "image/png"));

        JsonNode body = sentTo("/v1/predictions");
        assertThat(body.get("version").asText()).isEqualTo(BLIP_VERSION);
        assertThat(body.get("input").get("image").asText()).isEqualTo(DataUri.encode(PNG, "image/png"));
        assertThat(body.get("input").get("task").asText()).isEqualTo("image_captioning");
        server.verify(0, postRequestedFor(urlEqualTo("/v1/files")));
        @SuppressWarnings("unchecked")
        Map<String, Object> recorded = (Map<String, Object>) out.metadata().extras().get("input");
        assertThat(recorded.get("image").toString()).startsWith("image/png").contains("data URL").doesNotContain("base64");
    }

    @Test
    void should_upload_an_image_over_256_kib_and_pass_its_file_url() {
        byte[] large = Fake.png(300_000);
        Fake.acceptUploads(server, "file1");
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "u1").succeeded("\"Caption: big\"").created()));

        ModelOutput out = Fake.platform(server).build().model("salesforce/blip", Parameters.empty())
                .invoke(Payload.image(large, "image/png"));

        server.verify(1, postRequestedFor(urlEqualTo("/v1/files"))
                .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing("multipart/form-data"))
                .withRequestBodyPart(aMultipart().withName("content").withHeader("Content-Type", equalTo("image/png"))
                        .withBody(binaryEqualTo(large)).build())
                .withRequestBodyPart(aMultipart().withName("type").withBody(equalTo("image/png")).build())
                .withRequestBodyPart(aMultipart().withName("filename").withBody(equalTo("input.png")).build()));
        String fileUrl = server.baseUrl() + "/v1/files/file1";
        assertThat(sentTo("/v1/predictions").get("input").get("image").asText()).isEqualTo(fileUrl);
        @SuppressWarnings("unchecked")
        Map<String, Object> recorded = (Map<String, Object>) out.metadata().extras().get("input");
        assertThat(recorded.get("image").toString()).contains("uploaded as " + fileUrl);
        assertThat(out.metadata().toString().length()).as("no file data in metadata").isLessThan(2_000);
    }

    @Test
    void should_send_the_prompt_and_default_inputs_to_an_official_model_without_a_version() {
        String url = Fake.serveFile(server, "/delivery/flux.png", PNG, "image/png");
        server.stubFor(post("/v1/models/black-forest-labs/flux-schnell/predictions").willReturn(prediction(server, "s1")
                .model("black-forest-labs/flux-schnell", "hidden").logs("Using seed: 1234\n4it [00:00, 9.5it/s]")
                .succeeded("[\"" + url + "\"]").created()));

        ModelOutput out = Fake.platform(server).build().model("black-forest-labs/flux-schnell", Parameters.empty())
                .invoke(Payload.text("a red circle"));

        JsonNode body = sentTo("/v1/models/black-forest-labs/flux-schnell/predictions");
        assertThat(body.has("version")).isFalse();
        assertThat(body.get("input").get("prompt").asText()).isEqualTo("a red circle");
        assertThat(body.get("input").get("output_format").asText()).isEqualTo("png");
        assertThat(body.get("input").get("num_outputs").asInt()).isEqualTo(1);
        assertThat(out.metadata().seed()).as("seed reported in the logs").hasValue(1234L);
    }

    @Test
    void should_record_parameters_input_seed_and_ids_in_the_metadata() {
        server.stubFor(post("/v1/models/meta/meta-llama-3-8b-instruct/predictions").willReturn(prediction(server, "s2")
                .model("meta/meta-llama-3-8b-instruct", "hidden").succeeded("[\"Hi\"]").created()));

        ModelOutput out = Fake.platform(server).build()
                .model("meta/meta-llama-3-8b-instruct", Parameters.of("seed", 42, "temperature", 0.5))
                .invoke(Payload.text("Say hi"));

        Metadata m = out.metadata();
        assertThat(m.seed()).hasValue(42L);
        assertThat(m.platformPredictionId()).hasValue("s2");
        assertThat(m.parameters().asMap()).containsEntry("temperature", 0.5).containsEntry("seed", 42L)
                .containsEntry("system_prompt", "You are a helpful assistant");
        assertThat(m.extras()).containsEntry("model", "meta/meta-llama-3-8b-instruct")
                .containsEntry("url", "https://replicate.com/p/s2");
        @SuppressWarnings("unchecked")
        Map<String, Object> input = (Map<String, Object>) m.extras().get("input");
        assertThat(input).containsEntry("prompt", "Say hi").containsEntry("seed", 42L);
        JsonNode sent = sentTo("/v1/models/meta/meta-llama-3-8b-instruct/predictions").get("input");
        assertThat(sent.get("seed").asLong()).isEqualTo(42);
        assertThat(sent.get("system_prompt").asText()).isEqualTo("You are a helpful assistant");
    }

    @Test
    void should_let_a_builder_version_and_a_call_parameter_override_the_pinned_version() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "o1")
                .model("salesforce/blip", Fake.OTHER_VERSION).succeeded("\"Caption: a\"").created()));
        ReplicatePlatform platform = Fake.platform(server).version("salesforce/blip", Fake.OTHER_VERSION).build();

        ModelOutput out = platform.model("salesforce/blip", Parameters.empty()).invoke(Payload.image(PNG, "image/png"));
        platform.model("salesforce/blip", Parameters.empty())
                .invoke(Payload.image(PNG, "image/png"), Parameters.of(ReplicatePlatform.PARAM_VERSION, BLIP_VERSION));

        var bodies = server.findAll(postRequestedFor(urlEqualTo("/v1/predictions")));
        assertThat(Fake.body(bodies.get(0)).get("version").asText()).isEqualTo(Fake.OTHER_VERSION);
        assertThat(Fake.body(bodies.get(1)).get("version").asText()).isEqualTo(BLIP_VERSION);
        assertThat(Fake.body(bodies.get(1)).get("input").has(ReplicatePlatform.PARAM_VERSION)).isFalse();
        assertThat(out.metadata().modelVersion()).hasValue(Fake.OTHER_VERSION);
    }

    @Test
    void should_run_a_model_declared_by_parameters_and_keep_panics_parameters_out_of_its_input() {
        String url = Fake.serveFile(server, "/delivery/p.png", PNG, "image/png");
        server.stubFor(post("/v1/models/someone/painter/predictions").willReturn(prediction(server, "x1")
                .model("someone/painter", "hidden").succeeded("\"" + url + "\"").created()));
        Parameters declaration = Parameters.of(Map.of(ReplicatePlatform.PARAM_INPUT, "text",
                ReplicatePlatform.PARAM_OUTPUT, "image", ReplicatePlatform.PARAM_FIELD, "text_prompt",
                ReplicatePlatform.PARAM_OFFICIAL, "true", "steps", 4));

        var model = Fake.platform(server).build().model("someone/painter", declaration);
        ModelOutput out = model.invoke(Payload.text("a cat"));

        assertThat(model.input()).isEqualTo(Modality.TEXT);
        assertThat(model.output()).isEqualTo(Modality.IMAGE);
        assertThat(out.payload()).isEqualTo(Payload.image(PNG, "image/png"));
        JsonNode input = sentTo("/v1/models/someone/painter/predictions").get("input");
        assertThat(input.get("text_prompt").asText()).isEqualTo("a cat");
        assertThat(input.get("steps").asInt()).isEqualTo(4);
        assertThat(input.size()).as("only model inputs are sent").isEqualTo(2);
    }

    @Test
    void should_look_up_the_latest_version_of_a_community_model_declared_without_one_once() {
        server.stubFor(get("/v1/models/someone/captioner").willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"url\": \"https://replicate.com/someone/captioner\", \"owner\": \"someone\","
                        + " \"name\": \"captioner\", \"visibility\": \"public\", \"is_official\": false,"
                        + " \"latest_version\": {\"id\": \"" + Fake.OTHER_VERSION + "\","
                        + " \"created_at\": \"2024-01-01T00:00:00Z\", \"cog_version\": \"0.9.4\", \"openapi_schema\": {}}}")));
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "lv1")
                .model("someone/captioner", Fake.OTHER_VERSION).succeeded("\"a cat\"").created()));
        ReplicatePlatform platform = Fake.platform(server).model(ReplicateModel.builder("someone/captioner")
                .input(Modality.IMAGE).output(Modality.TEXT).inputField("img").build()).build();

        var model = platform.model("someone/captioner", Parameters.empty());
        ModelOutput first = model.invoke(Payload.image(PNG, "image/png"));
        model.invoke(Payload.image(PNG, "image/png"));

        assertThat(first.metadata().modelVersion()).hasValue(Fake.OTHER_VERSION);
        server.verify(1, getRequestedFor(urlEqualTo("/v1/models/someone/captioner")));
        server.verify(2, postRequestedFor(urlEqualTo("/v1/predictions")));
        assertThat(Fake.body(server.findAll(postRequestedFor(urlEqualTo("/v1/predictions"))).get(0))
                .get("version").asText()).isEqualTo(Fake.OTHER_VERSION);
    }
}
