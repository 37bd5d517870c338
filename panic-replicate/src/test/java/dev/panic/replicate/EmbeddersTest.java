package dev.panic.replicate;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.panic.replicate.Fake.PNG;
import static dev.panic.replicate.Fake.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.panic.Embedding;
import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.Embedder;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.ValidationException;
import dev.panic.spi.media.DataUri;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ImageBind and CLIP features: what is sent for each input, and how vectors come back. */
class EmbeddersTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String IMAGEBIND = "0383f62e173dc821ec52663ed22a076d9c970549c209666ac3db181618b7a304";
    private static final String CLIP = "75b33f253f7714a281ad3e9b28f63e3232d583716ef6718f2e46641077ea040a";

    @Test
    void should_embed_text_image_and_audio_with_imagebind_one_prediction_each() {
        for (String[] m : new String[][] {{"text", "t", "0.25"}, {"vision", "v", "0.5"}, {"audio", "a", "0.75"}}) {
            server.stubFor(post("/v1/predictions").withRequestBody(matchingJsonPath("$.input.modality", equalTo(m[0])))
                    .willReturn(prediction(server, "ib-" + m[1]).model("daanelson/imagebind", IMAGEBIND)
                            .succeeded(Fake.vector(1024, Double.parseDouble(m[2])).toString()).created()));
        }
        Embedder imagebind = Fake.platform(server).build().imageBindEmbedder();

        List<Embedding> vectors = Fake.join(imagebind.embedAll(List.of(Payload.text("a red circle"),
                Payload.image(PNG, "image/png"), Payload.audio(Fake.WAV, "audio/wav"))));

        assertThat(imagebind.id()).isEqualTo("imagebind");
        assertThat(imagebind.modalities()).containsExactlyInAnyOrder(Modality.TEXT, Modality.IMAGE, Modality.AUDIO);
        assertThat(vectors).extracting(Embedding::dimension).containsOnly(1024);
        assertThat(vectors).extracting(v -> v.get(0)).containsExactly(0.25f, 0.5f, 0.75f);
        server.verify(postRequestedFor(urlEqualTo("/v1/predictions"))
                .withRequestBody(matchingJsonPath("$.version", equalTo(IMAGEBIND)))
                .withRequestBody(matchingJsonPath("$.input.modality", equalTo("text")))
                .withRequestBody(matchingJsonPath("$.input.text_input", equalTo("a red circle"))));
        server.verify(postRequestedFor(urlEqualTo("/v1/predictions"))
                .withRequestBody(matchingJsonPath("$.input.modality", equalTo("vision")))
                .withRequestBody(matchingJsonPath("$.input.input", equalTo(DataUri.encode(PNG, "image/png")))));
        server.verify(postRequestedFor(urlEqualTo("/v1/predictions"))
                .withRequestBody(matchingJsonPath("$.input.modality", equalTo("audio")))
                .withRequestBody(matchingJsonPath("$.input.input", equalTo(DataUri.encode(Fake.WAV, "audio/wav")))));
    }

    @Test
    void should_refuse_a_vector_of_the_wrong_length() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "ib-short")
                .succeeded(Fake.vector(512, 0.1).toString()).created()));

        assertThatThrownBy(() -> Fake.join(Fake.platform(server).build().imageBindEmbedder().embed(Payload.text("x"))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("vector of 512 numbers where 1024");
    }

    @Test
    void should_embed_a_batch_with_clip_in_one_prediction_uploading_images() {
        Fake.acceptUploads(server, "img1");
        String fileUrl = server.baseUrl() + "/v1/files/img1";
        ArrayNode output = Fake.JSON.createArrayNode();
        output.addObject().put("input", "a red circle on a blue background").set("embedding", Fake.vector(768, 0.1));
        output.addObject().put("input", fileUrl).set("embedding", Fake.vector(768, 0.2));
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "clip1")
                .model("andreasjansson/clip-features", CLIP).succeeded(output.toString()).created()));
        Embedder clip = Fake.platform(server).build().clipEmbedder();

        List<Embedding> vectors = Fake.join(clip.embedAll(List.of(
                Payload.text("a red circle\non a blue background"), Payload.image(PNG, "image/png"))));

        assertThat(clip.dimension()).isEqualTo(768);
        assertThat(vectors).extracting(v -> v.get(767)).containsExactly(0.1f, 0.2f);
        JsonNode body = Fake.only(server.findAll(postRequestedFor(urlEqualTo("/v1/predictions"))));
        assertThat(body.get("version").asText()).isEqualTo(CLIP);
        assertThat(body.get("input").get("inputs").asText()).isEqualTo("a red circle on a blue background\n" + fileUrl);
        server.verify(1, postRequestedFor(urlEqualTo("/v1/files")));
    }

    @Test
    void should_refuse_a_blank_text_for_clip_before_calling() {
        Embedder clip = Fake.platform(server).build().clipEmbedder();

        assertThatThrownBy(() -> clip.embedAll(List.of(Payload.text("a"), Payload.text("  "))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("input 1");
        assertThatThrownBy(() -> clip.embedAll(List.of(Payload.audio(Fake.WAV, "audio/wav"))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("AUDIO");
    }
}
