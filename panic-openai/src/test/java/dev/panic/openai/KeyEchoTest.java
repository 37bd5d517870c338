package dev.panic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.panic.openai.OpenAiTesting.KEY;
import static dev.panic.openai.OpenAiTesting.json;
import static dev.panic.openai.OpenAiTesting.mp3;
import static dev.panic.openai.OpenAiTesting.platform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.panic.Model;
import dev.panic.ModelOutput;
import dev.panic.Network;
import dev.panic.Payload;
import dev.panic.Run;
import dev.panic.exception.UnavailableException;
import dev.panic.RunStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that echoes the key in every kind of answer (unexpected successful bodies, answers of
 * the wrong shape, transcriptions of a multipart request, errors), in bodies shorter and longer
 * than any excerpt: the key reaches no message, saved run or log line. And the policy on paying
 * twice: a paid call repeated after a server error only when allowed, and then recorded.
 */
class KeyEchoTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String CHAT = "/v1/chat/completions";

    @TempDir
    Path runs;

    private static String echo(int at, int length) {
        String s = "x".repeat(at) + "Incorrect API key provided: " + KEY + " ";
        return s + "y".repeat(Math.max(0, length - s.length()));
    }

    private static void assertNoKey(String text) {
        for (int i = 0; i + 12 <= KEY.length(); i++) {
            assertThat(text).as("text holding part of the key").doesNotContain(KEY.substring(i, i + 12));
        }
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c).append('\n');
        }
        return all.toString();
    }

    private static List<ResponseDefinitionBuilder> chatAnswers() {
        return List.of(
                aResponse().withBody("<html>" + echo(3, 0) + "</html>"),
                aResponse().withBody(echo(190, 800)),
                aResponse().withHeader("Content-Type", "application/json").withBody("{\"choices\": \"" + echo(170, 600) + "\"}"),
                aResponse().withStatus(400).withBody(echo(290, 700)),
                aResponse().withStatus(401).withBody("{\"error\":{\"message\":\"" + echo(0, 0) + "\",\"code\":\"invalid_api_key\"}}"),
                aResponse().withHeader("Content-Type", "application/json").withBody(json("{'id': 'chatcmpl-1', 'model': 'm',"
                        + " 'choices': [{'index': 0, 'finish_reason': 'stop', 'message': {'content': '" + echo(2, 0) + "'}}]}")));
    }

    @Test
    void should_keep_an_echoed_key_out_of_messages_saved_runs_and_logs() throws IOException {
        RunStore store = RunStore.directory(runs);
        for (ResponseDefinitionBuilder answer : chatAnswers()) {
            server.resetAll();
            server.stubFor(post(CHAT).willReturn(answer));
            Model chat = platform(server).build().model("chat/gpt-4o-mini");

            assertNoKey(messages(catchThrowable(() -> chat.invoke(Payload.text("hi")))));
            Run run = Run.builder(Network.builder().add(chat).build(), Payload.text("hi")).maxSteps(1).store(store).start();
            run.await();
            run.stopReason().ifPresent(r -> assertNoKey(r.message()));
        }

        try (Stream<Path> files = Files.walk(runs)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertNoKey(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        assertNoKey(Files.readString(Path.of("target/panic-openai-test.log")));
    }

    @Test
    void should_keep_an_echoed_key_out_of_a_transcriptions_answer() {
        Model whisper = platform(server).build().model("whisper-1");
        for (ResponseDefinitionBuilder answer : List.of(
                aResponse().withHeader("Content-Type", "application/json").withBody(echo(5, 0)),
                aResponse().withHeader("Content-Type", "application/json").withBody("{\"words\": \"" + echo(195, 900) + "\"}"),
                aResponse().withHeader("Content-Type", "application/json").withBody(json("{'text': '" + echo(1, 0) + "'}")))) {
            server.resetAll();
            server.stubFor(post("/v1/audio/transcriptions").willReturn(answer));

            Throwable t = catchThrowable(() -> {
                ModelOutput out = whisper.invoke(Payload.audio(mp3(), "audio/mpeg"));
                assertNoKey(out.payload().toString());
                assertNoKey(((Payload.Text) out.payload()).text());
            });
            assertNoKey(messages(t));
        }
    }

    @Test
    void should_repeat_a_paid_call_after_a_server_error_only_when_allowed_and_record_it() {
        server.stubFor(post(CHAT).inScenario("500").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("{\"error\":{\"message\":\"server error\"}}"))
                .willSetStateTo("ok"));
        server.stubFor(post(CHAT).inScenario("500").whenScenarioStateIs("ok").willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(json("{'id': 'chatcmpl-2', 'model': 'm',"
                        + " 'choices': [{'index': 0, 'finish_reason': 'stop', 'message': {'content': 'fine'}}]}"))));

        assertThatThrownBy(() -> platform(server).build().model("chat/gpt-4o-mini").invoke(Payload.text("hi")))
                .isInstanceOf(UnavailableException.class);
        server.resetScenarios(); // the server fails once more, for the platform that may try again
        ModelOutput out = platform(server).http(OpenAiTesting.fastHttp().toBuilder().paidRetries(1).build()).build()
                .model("chat/gpt-4o-mini").invoke(Payload.text("hi"));

        assertThat(out.payload()).isEqualTo(Payload.text("fine"));
        assertThat(out.metadata().extras()).containsEntry("paid_retries", 1L);
        server.verify(3, postRequestedFor(urlEqualTo(CHAT)));
    }
}
