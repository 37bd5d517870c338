package dev.panic.replicate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.panic.replicate.Fake.TOKEN;
import static dev.panic.replicate.Fake.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.panic.Model;
import dev.panic.Network;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Run;
import dev.panic.RunStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Replicate that echoes the token in every kind of answer, in bodies shorter and longer than any
 * excerpt: the token reaches no exception message, no saved file of a run and no debug log line.
 */
class KeyEchoTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path runs;

    /** Text with the token somewhere past the first {@code at} characters, {@code length} long in all. */
    private static String echo(int at, int length) {
        String s = "x".repeat(at) + "Bearer " + TOKEN + " ";
        return s + "y".repeat(Math.max(0, length - s.length()));
    }

    private static void assertNoToken(String text) {
        for (int i = 0; i + 12 <= TOKEN.length(); i++) {
            assertThat(text).as("text holding part of the token").doesNotContain(TOKEN.substring(i, i + 12));
        }
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c).append('\n');
        }
        return all.toString();
    }

    private Model echoModel() {
        return Fake.platform(server).build().model("owner/echo", Parameters.of(Map.of("replicate.input", "text",
                "replicate.output", "text", "replicate.field", "prompt", "replicate.version", Fake.OTHER_VERSION)));
    }

    /** Every way the create can answer with the token in it. */
    private static List<ResponseDefinitionBuilder> answers() {
        return List.of(
                aResponse().withStatus(201).withBody("<html>" + echo(5, 0) + "</html>"),
                aResponse().withStatus(201).withBody(echo(190, 1000)),
                aResponse().withStatus(400).withBody(echo(285, 900)),
                aResponse().withStatus(422).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"title\":\"Input validation failed\",\"detail\":\"" + echo(250, 700) + "\",\"status\":422}"),
                prediction(server, "pf").failed(echo(150, 400)).created(),
                prediction(server, "ps").succeeded("\"" + echo(3, 0) + "\"").created(),
                prediction(server, "p-" + TOKEN).succeeded("\"fine\"").created());
    }

    @Test
    void should_keep_an_echoed_token_out_of_messages_saved_runs_and_logs() throws IOException {
        RunStore store = RunStore.directory(runs);
        for (ResponseDefinitionBuilder answer : answers()) {
            server.resetAll();
            server.stubFor(post("/v1/predictions").willReturn(answer));
            server.stubFor(post(com.github.tomakehurst.wiremock.client.WireMock.urlMatching("/v1/predictions/.*/cancel"))
                    .willReturn(aResponse().withStatus(200).withBody("{}")));
            Model model = echoModel();

            assertNoToken(messages(catchThrowable(() -> model.invoke(Payload.text("hello")))));
            Run run = Run.builder(Network.builder().add(model).build(), Payload.text("hello")).maxSteps(1).store(store)
                    .start();
            run.await();
            run.stopReason().ifPresent(r -> assertNoToken(r.message()));
        }

        try (Stream<Path> files = Files.walk(runs)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertNoToken(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        assertNoToken(Files.readString(Path.of("target/panic-test.log")));
    }

    @Test
    void should_keep_an_echoed_token_out_of_the_answer_to_an_upload() {
        server.stubFor(post("/v1/files").willReturn(aResponse().withStatus(201).withBody("not json " + echo(100, 500))));
        Model blip = Fake.platform(server).build().model("salesforce/blip", Parameters.empty());

        Throwable t = catchThrowable(() -> blip.invoke(Payload.image(Fake.png(300 * 1024), "image/png")));

        assertThat(t).isNotNull();
        assertNoToken(messages(t));
    }
}
