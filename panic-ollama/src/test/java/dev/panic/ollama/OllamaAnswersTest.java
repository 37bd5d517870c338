package dev.panic.ollama;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.panic.Model;
import dev.panic.Network;
import dev.panic.Payload;
import dev.panic.Run;
import dev.panic.PlatformContext;
import dev.panic.Readiness;
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
 * What readiness says of a server that answers wrongly, and a hosted server that echoes the key
 * (in streamed lines, error lines, readiness answers, pulls): the key reaches no message, saved
 * run or log line.
 */
class OllamaAnswersTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String KEY = "ollama-hosted-Kq7WmZ3xP9vR2tY6bN4c";
    private static final String SHOW = """
            {"capabilities":["completion"],"details":{"format":"gguf","family":"llama","families":["llama"]},
             "model_info":{"general.architecture":"llama"}}""";

    @TempDir
    Path runs;

    private static String echo(int at, int length) {
        String s = "x".repeat(at) + "unauthorized key " + KEY + " ";
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

    private static OllamaPlatform hosted() {
        return OllamaPlatform.builder().host(server.baseUrl()).apiKey(KEY).context(PlatformContext.of(n -> null)).build();
    }

    @Test
    void should_say_what_a_server_that_answers_500_said_instead_of_telling_to_start_it() {
        server.stubFor(get("/api/version").willReturn(aResponse().withStatus(500)
                .withBody("{\"error\":\"llama runner process has terminated\"}")));

        Readiness r = OllamaPlatform.builder().host(server.baseUrl()).context(PlatformContext.of(n -> null)).build()
                .readiness();

        assertThat(r.ready()).isFalse();
        assertThat(r.detail()).contains("the Ollama server at " + server.baseUrl() + " did not answer as expected")
                .contains("500: llama runner process has terminated").doesNotContain("ollama serve");
    }

    @Test
    void should_report_a_malformed_ollama_host_as_not_ready_instead_of_failing_discovery() {
        OllamaPlatform p = (OllamaPlatform) new OllamaPlatformProvider()
                .create(PlatformContext.of(Map.of("OLLAMA_HOST", "ftp://x")::get));

        assertThat(p.readiness().ready()).isFalse();
        assertThat(p.readiness().detail()).contains("OLLAMA_HOST is not usable").contains("ftp://x");
    }

    @Test
    void should_keep_an_echoed_key_out_of_readiness_messages_runs_and_logs() throws IOException {
        for (ResponseDefinitionBuilder version : List.of(aResponse().withStatus(500).withBody(echo(280, 800)),
                aResponse().withBody("<html>" + echo(0, 0)), aResponse().withStatus(401).withBody("{\"error\":\"" + echo(1, 0) + "\"}"))) {
            server.resetAll();
            server.stubFor(get("/api/version").willReturn(version));
            assertNoKey(hosted().readiness().detail());
        }

        RunStore store = RunStore.directory(runs);
        List<ResponseDefinitionBuilder> generations = List.of(
                aResponse().withBody("{\"response\":\"a\",\"done\":false}\n" + echo(3, 0) + "\n"),
                aResponse().withBody("{\"response\":\"a\",\"done\":false}\n{\"error\":\"" + echo(240, 700) + "\"}\n"),
                aResponse().withBody("{\"response\":\"" + echo(0, 0) + "\",\"done\":false}\n{\"done\":true}\n"),
                aResponse().withStatus(400).withBody(echo(290, 900)));
        for (ResponseDefinitionBuilder generation : generations) {
            server.resetAll();
            server.stubFor(post("/api/show").willReturn(aResponse().withBody(SHOW)));
            server.stubFor(post("/api/generate").willReturn(generation));
            Model llama = hosted().model("llama3", dev.panic.Parameters.empty());

            assertNoKey(messages(catchThrowable(() -> llama.invoke(Payload.text("hi")))));
            Run run = Run.builder(Network.builder().add(llama).build(), Payload.text("hi")).maxSteps(1).store(store).start();
            run.await();
            run.stopReason().ifPresent(s -> assertNoKey(s.message()));
        }

        server.resetAll();
        server.stubFor(post("/api/pull").willReturn(aResponse().withBody("{\"status\":\"pulling\"}\n{\"error\":\""
                + echo(10, 0) + "\"}\n")));
        assertNoKey(messages(catchThrowable(() -> hosted().pull("llama3", p -> { }).join())));

        try (Stream<Path> files = Files.walk(runs)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertNoKey(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        assertNoKey(Files.readString(Path.of("target/panic-test.log")));
    }
}
