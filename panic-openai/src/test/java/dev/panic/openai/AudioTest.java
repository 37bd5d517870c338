package dev.panic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.panic.openai.OpenAiTesting.bodies;
import static dev.panic.openai.OpenAiTesting.json;
import static dev.panic.openai.OpenAiTesting.mp3;
import static dev.panic.openai.OpenAiTesting.platform;
import static dev.panic.openai.OpenAiTesting.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.panic.Model;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AudioTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void should_take_speech_as_the_bytes_of_the_format_asked_for_whatever_the_label() {
        byte[] flac = {'f', 'L', 'a', 'C', 0, 0, 0, 34, 1, 2, 3, 4};
        server.stubFor(post("/v1/audio/speech").willReturn(aResponse().withHeader("Content-Type", "text/plain")
                .withHeader("x-request-id", "req_speech").withBody(flac)));
        Model model = platform(server).build().model("gpt-4o-mini-tts", Parameters.of("voice", "coral"));

        ModelOutput out = model.invoke(Payload.text("Hello there."), Parameters.of("response_format", "flac", "speed", 1.5)
                .with("instructions", "Speak slowly."));

        assertThat(out.payload()).isEqualTo(Payload.audio(flac, "audio/flac"));
        assertThat(out.metadata().platformPredictionId()).hasValue("req_speech");
        assertThat(out.metadata().modelVersion()).hasValue("gpt-4o-mini-tts");
        assertThat(out.metadata().extras()).containsEntry("input_characters", 12L);
        JsonNode sent = bodies(server, "/v1/audio/speech").get(0);
        assertThat(sent.get("model").asText()).isEqualTo("gpt-4o-mini-tts");
        assertThat(sent.get("input").asText()).isEqualTo("Hello there.");
        assertThat(sent.get("voice").asText()).isEqualTo("coral");
        assertThat(sent.get("response_format").asText()).isEqualTo("flac");
        assertThat(sent.get("speed").asDouble()).isEqualTo(1.5);
        assertThat(sent.get("instructions").asText()).isEqualTo("Speak slowly.");
    }

    @Test
    void should_default_speech_to_mp3_with_alloy_and_accept_a_custom_voice_reference() {
        server.stubFor(post("/v1/audio/speech").willReturn(aResponse()
                .withHeader("Content-Type", "application/octet-stream").withBody(mp3())));
        OpenAiPlatform openai = platform(server).build();

        ModelOutput out = openai.model("tts-1").invoke(Payload.text("One."));
        openai.model("tts-1-hd", Parameters.of("voice", Map.of("id", "voice_1234"))).invoke(Payload.text("Two."));

        assertThat(out.payload()).isEqualTo(Payload.audio(mp3(), "audio/mpeg"));
        assertThat(bodies(server, "/v1/audio/speech").get(0).get("voice").asText()).isEqualTo("alloy");
        assertThat(bodies(server, "/v1/audio/speech").get(0).get("response_format").asText()).isEqualTo("mp3");
        assertThat(bodies(server, "/v1/audio/speech").get(1).get("voice").get("id").asText()).isEqualTo("voice_1234");
    }

    @Test
    void should_check_speech_parameters_before_any_request() {
        OpenAiPlatform openai = platform(server).build();

        assertThatThrownBy(() -> openai.model("tts-1", Parameters.of("voice", "hal")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("parameter 'voice'")
                .hasMessageContaining("alloy, ash, ballad, coral, echo, fable, onyx, nova, sage, shimmer, verse, marin, cedar");
        assertThatThrownBy(() -> openai.model("tts-1", Parameters.of("response_format", "ogg")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("mp3, opus, aac, flac, wav");
        assertThatThrownBy(() -> openai.model("tts-1", Parameters.of("response_format", "pcm")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("wav");
        assertThatThrownBy(() -> openai.model("tts-1", Parameters.of("speed", 5)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("from 0.25 to 4");
        assertThatThrownBy(() -> openai.model("tts-1", Parameters.of("instructions", "whisper")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("not supported by tts-1");
        assertThatThrownBy(() -> openai.model("tts-1").invoke(Payload.text("x".repeat(4097))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("at most 4096");
        // A compatible server's own voices are its business.
        assertThat(openai.model("speech/kokoro", Parameters.of("voice", "af_bella")).parameters().asMap())
                .containsEntry("voice", "af_bella");

        server.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void should_upload_audio_as_a_multipart_file_named_for_its_type_and_read_a_json_answer() {
        server.stubFor(post("/v1/audio/transcriptions").willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody(json("{'text': 'Hello there.', 'usage': {'type': 'duration', 'seconds': 3}}"))));
        Model model = platform(server).build().model("whisper-1", Parameters.of("language", "en"));

        ModelOutput out = model.invoke(Payload.audio(mp3(), "audio/mpeg"),
                Parameters.of("prompt", "A greeting.", "temperature", 0.2));

        assertThat(out.payload()).isEqualTo(Payload.text("Hello there."));
        assertThat(out.metadata().extras()).containsKey("usage");
        assertThat(out.metadata().modelVersion()).hasValue("whisper-1");
        LoggedRequest sent = requests(server, "/v1/audio/transcriptions").get(0);
        assertThat(sent.getHeader("Content-Type")).startsWith("multipart/form-data; boundary=");
        Request.Part file = sent.getPart("file");
        assertThat(file.getHeader("Content-Disposition").firstValue()).contains("name=\"file\"")
                .contains("filename=\"audio.mp3\"");
        assertThat(file.getHeader("Content-Type").firstValue()).isEqualTo("audio/mpeg");
        assertThat(file.getBody().asBytes()).isEqualTo(mp3());
        assertThat(text(sent, "model")).isEqualTo("whisper-1");
        assertThat(text(sent, "language")).isEqualTo("en");
        assertThat(text(sent, "prompt")).isEqualTo("A greeting.");
        assertThat(text(sent, "temperature")).isEqualTo("0.2");
        assertThat(sent.getPart("response_format")).isNull();
    }

    @Test
    void should_read_a_plain_text_transcription() {
        server.stubFor(post("/v1/audio/transcriptions").willReturn(aResponse()
                .withHeader("Content-Type", "text/plain; charset=utf-8").withBody("Hello there.\n")));
        byte[] wav = {'R', 'I', 'F', 'F', 36, 0, 0, 0, 'W', 'A', 'V', 'E', 'f', 'm', 't', ' '};

        ModelOutput out = platform(server).build().model("transcription/whisper-large-v3",
                Parameters.of("response_format", "text")).invoke(Payload.audio(wav, "audio/wav"));

        assertThat(out.payload()).isEqualTo(Payload.text("Hello there."));
        LoggedRequest sent = requests(server, "/v1/audio/transcriptions").get(0);
        assertThat(text(sent, "response_format")).isEqualTo("text");
        assertThat(text(sent, "model")).isEqualTo("whisper-large-v3");
        assertThat(sent.getPart("file").getHeader("Content-Disposition").firstValue()).contains("filename=\"audio.wav\"");
    }

    @Test
    void should_send_opus_speech_as_the_ogg_file_it_is() {
        server.stubFor(post("/v1/audio/transcriptions").willReturn(aResponse().withBody(json("{'text': 'ok'}"))));
        byte[] oggOpus = {'O', 'g', 'g', 'S', 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 'O', 'p', 'u', 's'};

        platform(server).build().model("gpt-4o-transcribe").invoke(Payload.audio(oggOpus, "audio/opus"));

        Request.Part file = requests(server, "/v1/audio/transcriptions").get(0).getPart("file");
        assertThat(file.getHeader("Content-Disposition").firstValue()).contains("filename=\"audio.ogg\"");
        assertThat(file.getHeader("Content-Type").firstValue()).isEqualTo("audio/ogg");
    }

    @Test
    void should_check_transcription_parameters_and_formats_before_any_request() {
        OpenAiPlatform openai = platform(server).build();

        assertThatThrownBy(() -> openai.model("gpt-4o-transcribe", Parameters.of("response_format", "text")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("must be one of json");
        assertThatThrownBy(() -> openai.model("whisper-1", Parameters.of("response_format", "srt")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("json, text");
        assertThatThrownBy(() -> openai.model("whisper-1", Parameters.of("language", "English")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("ISO-639-1");
        assertThatThrownBy(() -> openai.model("whisper-1", Parameters.of("temperature", 1.5)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("from 0 to 1");
        assertThatThrownBy(() -> openai.model("whisper-1").invoke(Payload.audio(new byte[] {1, 2, 3}, "audio/aac")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("cannot transcribe audio/aac")
                .hasMessageContaining("flac, mp3, mp4, mpeg, mpga, m4a, ogg, wav or webm");

        server.verify(0, anyRequestedFor(anyUrl()));
    }

    private static String text(LoggedRequest request, String part) {
        return new String(request.getPart(part).getBody().asBytes(), StandardCharsets.UTF_8);
    }
}
