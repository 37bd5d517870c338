package dev.panic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.panic.openai.OpenAiTesting.bodies;
import static dev.panic.openai.OpenAiTesting.join;
import static dev.panic.openai.OpenAiTesting.json;
import static dev.panic.openai.OpenAiTesting.platform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.panic.Embedding;
import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.Embedder;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.ValidationException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenAiEmbedderTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /** What {@code encoding_format: base64} returns: little-endian float32, base64-encoded. */
    private static String base64(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static String item(int index, String embedding) {
        return "{'object': 'embedding', 'index': " + index + ", 'embedding': " + embedding + "}";
    }

    private static String response(String... items) {
        return json("{'object': 'list', 'model': 'text-embedding-3-small', 'data': [" + String.join(", ", items)
                + "], 'usage': {'prompt_tokens': 8, 'total_tokens': 8}}");
    }

    @Test
    void should_decode_base64_vectors_in_input_order_by_index() {
        float[] first = {0.0023064255f, -0.009327292f, 1.5f, -0f};
        float[] second = {Float.MIN_VALUE, 3.4e38f, -2.5f, 0.1f};
        // Deliberately out of order: the index, not the position, says which input a vector is for.
        server.stubFor(post("/v1/embeddings").willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody(response(item(1, "'" + base64(second) + "'"), item(0, "'" + base64(first) + "'")))));
        Embedder embedder = platform(server).build().embedder("text-embedding-3-small", 4);

        List<Embedding> vectors = join(embedder.embedAll(List.of(Payload.text("a red circle"), Payload.text("a blue square"))));

        assertThat(vectors).containsExactly(Embedding.of(first), Embedding.of(second));
        assertThat(embedder.id()).isEqualTo("openai:text-embedding-3-small@4");
        assertThat(embedder.dimension()).isEqualTo(4);
        assertThat(embedder.modalities()).containsExactly(Modality.TEXT);
        JsonNode sent = bodies(server, "/v1/embeddings").get(0);
        assertThat(sent.get("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(sent.get("encoding_format").asText()).isEqualTo("base64");
        assertThat(sent.get("dimensions").asInt()).isEqualTo(4);
        assertThat(sent.get("input").isArray()).isTrue();
        assertThat(sent.get("input").get(0).asText()).isEqualTo("a red circle");
        assertThat(sent.get("input").get(1).asText()).isEqualTo("a blue square");
    }

    @Test
    void should_read_float_arrays_from_a_server_that_ignores_base64_and_not_send_dimensions_it_does_not_know() {
        server.stubFor(post("/v1/embeddings").willReturn(aResponse()
                .withBody(response(item(0, "[0.5, -0.25, 0.125]")))));
        Embedder embedder = platform(server).build().embedder("nomic-embed-text", 3);

        Embedding vector = join(embedder.embed(Payload.text("hello")));

        assertThat(vector).isEqualTo(Embedding.of(new float[] {0.5f, -0.25f, 0.125f}));
        assertThat(embedder.id()).isEqualTo("openai:nomic-embed-text");
        assertThat(bodies(server, "/v1/embeddings").get(0).has("dimensions")).isFalse();
    }

    @Test
    void should_retry_an_embedding_after_a_server_error_because_it_creates_nothing() {
        server.stubFor(post("/v1/embeddings").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502)).willSetStateTo("ok"));
        server.stubFor(post("/v1/embeddings").inScenario("flaky").whenScenarioStateIs("ok")
                .willReturn(aResponse().withBody(response(item(0, "'" + base64(1f, 2f) + "'")))));

        Embedding vector = join(platform(server).build().embedder("text-embedding-3-large", 2).embed(Payload.text("x")));

        assertThat(vector.toArray()).containsExactly(1f, 2f);
        server.verify(2, postRequestedFor(urlEqualTo("/v1/embeddings")));
    }

    @Test
    void should_refuse_a_vector_of_the_wrong_length() {
        server.stubFor(post("/v1/embeddings").willReturn(aResponse().withBody(response(item(0, "'" + base64(1f, 2f, 3f) + "'")))));

        assertThatThrownBy(() -> join(platform(server).build().embedder("text-embedding-3-small", 2).embed(Payload.text("x"))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("3 dimensions, not 2");
    }

    @Test
    void should_allow_dimensions_for_text_embedding_3_models_only() {
        OpenAiPlatform openai = platform(server).build();

        assertThat(openai.embedder("text-embedding-3-small").dimension()).isEqualTo(1536);
        assertThat(openai.embedder("text-embedding-3-large").dimension()).isEqualTo(3072);
        assertThat(openai.embedder("text-embedding-ada-002").dimension()).isEqualTo(1536);
        assertThat(openai.embedder("text-embedding-3-large", 256).dimension()).isEqualTo(256);
        assertThatThrownBy(() -> openai.embedder("text-embedding-ada-002", 256))
                .isInstanceOf(ValidationException.class).hasMessageContaining("only by text-embedding-3");
        assertThatThrownBy(() -> openai.embedder("text-embedding-3-small", 2000))
                .isInstanceOf(ValidationException.class).hasMessageContaining("from 1 to 1536");
        assertThatThrownBy(() -> openai.embedder("text-embedding-3-small", 0))
                .isInstanceOf(ValidationException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> openai.embedder("nomic-embed-text"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("embedder(\"nomic-embed-text\", dimensions)");
        assertThatThrownBy(() -> openai.embedder("text-embedding-3-small").embedAll(List.of(Payload.text(""))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("input 0");
        assertThatThrownBy(() -> openai.embedder("text-embedding-3-small").embedAll(List.of(Payload.image(new byte[] {1}, "image/png"))))
                .isInstanceOf(ValidationException.class);

        server.verify(0, anyRequestedFor(anyUrl()));
    }
}
