package dev.panic.replicate;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.panic.replicate.Fake.PNG;
import static dev.panic.replicate.Fake.WAV;
import static dev.panic.replicate.Fake.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.InvalidRequestException;
import dev.panic.spi.media.DataUri;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each shape a Replicate output comes in, read into a payload of the model's modality. */
class OutputShapesTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /** Another origin, as replicate.delivery is for api.replicate.com. */
    @RegisterExtension
    static WireMockExtension delivery = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final Payload IMAGE = Payload.image(PNG, "image/png");

    private ModelOutput call(String model, Payload input) {
        return Fake.platform(server).build().model(model, Parameters.empty()).invoke(input);
    }

    @Test
    void should_download_a_single_url_output() {
        String url = Fake.serveFile(server, "/delivery/out.wav", WAV, "audio/wav");
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "m1")
                .model("meta/musicgen", Fake.MUSICGEN_VERSION).succeeded("\"" + url + "\"").created()));

        ModelOutput out = call("meta/musicgen", Payload.text("calm piano"));

        assertThat(out.payload()).isEqualTo(Payload.audio(WAV, "audio/wav"));
    }

    @Test
    void should_fetch_an_output_from_another_host_without_sending_it_the_token() {
        String url = Fake.serveFile(delivery, "/pbxt/out.png", PNG, "image/png");
        server.stubFor(post("/v1/models/black-forest-labs/flux-schnell/predictions").willReturn(prediction(server, "d1")
                .model("black-forest-labs/flux-schnell", "hidden").succeeded("[\"" + url + "\"]").created()));

        ModelOutput out = call("black-forest-labs/flux-schnell", Payload.text("a red circle"));

        assertThat(out.payload()).isEqualTo(IMAGE);
        delivery.verify(1, getRequestedFor(urlEqualTo("/pbxt/out.png")).withoutHeader("Authorization"));
    }

    @Test
    void should_take_the_first_of_a_list_of_urls_and_fetch_only_it() {
        String first = Fake.serveFile(server, "/delivery/out-0.png", PNG, "image/png");
        String second = Fake.serveFile(server, "/delivery/out-1.png", Fake.png(40), "image/png");
        server.stubFor(post("/v1/models/black-forest-labs/flux-schnell/predictions").willReturn(prediction(server, "f1")
                .model("black-forest-labs/flux-schnell", "hidden")
                .succeeded("[\"" + first + "\", \"" + second + "\"]").created()));

        ModelOutput out = call("black-forest-labs/flux-schnell", Payload.text("a red circle"));

        assertThat(out.payload()).isEqualTo(IMAGE);
        assertThat(out.metadata().modelVersion()).as("official models hide their version").isEmpty();
        server.verify(1, getRequestedFor(urlEqualTo("/delivery/out-0.png")));
        server.verify(0, getRequestedFor(urlEqualTo("/delivery/out-1.png")));
    }

    @Test
    void should_decode_a_data_uri_output() {
        server.stubFor(post("/v1/models/black-forest-labs/flux-schnell/predictions").willReturn(prediction(server, "f2")
                .model("black-forest-labs/flux-schnell", "hidden")
                .succeeded("[\"" + DataUri.encode(PNG, "image/png") + "\"]").created()));

        assertThat(call("black-forest-labs/flux-schnell", Payload.text("x")).payload()).isEqualTo(IMAGE);
    }

    @Test
    void should_join_a_list_of_text_tokens() {
        server.stubFor(post("/v1/models/meta/meta-llama-3-8b-instruct/predictions").willReturn(prediction(server, "l1")
                .model("meta/meta-llama-3-8b-instruct", "hidden")
                .succeeded("[\"\", \"The\", \" sheep\", \" graze\", \".\"]").created()));

        assertThat(call("meta/meta-llama-3-8b-instruct", Payload.text("Describe sheep")).payload())
                .isEqualTo(Payload.text("The sheep graze."));
    }

    @Test
    void should_join_llava_tokens_describing_an_image() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "v1")
                .model("yorickvp/llava-13b", Fake.LLAVA_VERSION)
                .succeeded("[\"The \", \"image \", \"shows \", \"a \", \"red \", \"circle.\"]").created()));

        assertThat(call("yorickvp/llava-13b", IMAGE).payload()).isEqualTo(Payload.text("The image shows a red circle."));
    }

    @Test
    void should_read_a_plain_string_and_strip_blips_caption_prefix() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "b1")
                .succeeded("\"Caption: a group of sheep grazing on lush grass\"").created()));

        assertThat(call("salesforce/blip", IMAGE).payload())
                .isEqualTo(Payload.text("a group of sheep grazing on lush grass"));
    }

    @Test
    void should_read_whispers_transcription_and_keep_its_detected_language() {
        String whisper = """
                {"segments": [{"id": 0, "start": 0, "end": 3.2, "text": " the little tales they tell are false"}],
                 "translation": null,
                 "transcription": " the little tales they tell are false",
                 "txt_file": null,
                 "srt_file": null,
                 "detected_language": "english"}""";
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "w1")
                .model("openai/whisper", Fake.WHISPER_VERSION).succeeded(whisper).created()));

        ModelOutput out = call("openai/whisper", Payload.audio(WAV, "audio/wav"));

        assertThat(out.payload()).isEqualTo(Payload.text("the little tales they tell are false"));
        assertThat(out.metadata().extras().get("output")).isEqualTo(Map.of("detected_language", "english"));
    }

    @Test
    void should_read_a_generic_object_by_its_text_field() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "g1")
                .succeeded("{\"caption\": \"a blue square\", \"score\": 0.9}").created()));

        ModelOutput out = call("salesforce/blip", IMAGE);

        assertThat(out.payload()).isEqualTo(Payload.text("a blue square"));
        assertThat(out.metadata().extras().get("output")).isEqualTo(Map.of("score", 0.9));
    }

    @Test
    void should_explain_an_output_that_does_not_fit_the_modality() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "g2")
                .succeeded("{\"boxes\": [[1, 2, 3, 4]]}").created()));

        assertThatThrownBy(() -> call("salesforce/blip", IMAGE)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("replicate prediction g2 of salesforce/blip gave an object without a text field")
                .hasMessageContaining("boxes");
    }

    @Test
    void should_refuse_a_url_output_that_is_not_of_the_expected_media_type() {
        String page = Fake.serveFile(server, "/delivery/page.html", "<html></html>".getBytes(), "text/html");
        server.stubFor(post("/v1/models/black-forest-labs/flux-schnell/predictions").willReturn(prediction(server, "f3")
                .succeeded("[\"" + page + "\"]").created()));

        assertThatThrownBy(() -> call("black-forest-labs/flux-schnell", Payload.text("x")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("expected IMAGE");
    }
}
