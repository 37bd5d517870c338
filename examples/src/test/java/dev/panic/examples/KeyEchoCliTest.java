package dev.panic.examples;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.panic.Platforms;
import dev.panic.PlatformContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against platforms that echo the key in their answers: the key appears in no
 * output, no log line and no file of a saved run, whatever the command.
 */
class KeyEchoCliTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String KEY = "sk-proj-CliEchoKey7Hq2Lw9Vz4Xn8Mb3Rk";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private PrintStream systemErr;

    @BeforeEach
    void captureLog() {
        systemErr = System.err;
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8)); // where the program's log goes
    }

    @AfterEach
    void restoreLog() {
        System.setErr(systemErr);
    }

    private int panic(String... args) {
        Map<String, String> settings = Map.of("OPENAI_API_KEY", KEY, "OPENAI_BASE_URL", server.baseUrl() + "/v1",
                "OLLAMA_HOST", server.baseUrl(), "OLLAMA_API_KEY", KEY);
        return PanicCli.execute(() -> Platforms.builder().context(PlatformContext.of(settings::get)).discover().build(),
                new PrintWriter(out), new PrintWriter(err), false, args);
    }

    private static String echo(int at, int length) {
        String s = "x".repeat(at) + "Incorrect API key provided: " + KEY + " ";
        return s + "y".repeat(Math.max(0, length - s.length()));
    }

    private void assertNoKeyAnywhere() throws Exception {
        List<String> texts = new java.util.ArrayList<>(List.of(out.toString(), err.toString(),
                logged.toString(StandardCharsets.UTF_8)));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                texts.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        for (String text : texts) {
            for (int i = 0; i + 12 <= KEY.length(); i++) {
                assertThat(text).as("output holding part of the key").doesNotContain(KEY.substring(i, i + 12));
            }
        }
    }

    @Test
    void should_keep_an_echoed_key_out_of_run_analyse_and_export() throws Exception {
        for (ResponseDefinitionBuilder answer : List.of(aResponse().withBody("<html>" + echo(1, 0)),
                aResponse().withBody(echo(195, 900)), aResponse().withStatus(400).withBody(echo(290, 900)),
                aResponse().withHeader("Content-Type", "application/json").withBody("{\"id\":\"c1\",\"model\":\"m\","
                        + "\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"content\":\"" + echo(0, 0)
                        + "\"}}]}"))) {
            server.resetAll();
            server.stubFor(post("/v1/chat/completions").willReturn(answer));

            panic("run", "-s", "2", "--no-embed", "-n", "openai:chat/gpt-4o-mini", "-p", "hi", "-o", dir.toString());
        }
        panic("analyse", dir.toString());
        panic("export", dir.toString(), "-o", dir.resolve("export.json").toString());

        assertThat(out.toString()).contains("openai:chat/gpt-4o-mini");
        assertNoKeyAnywhere();
    }

    @Test
    void should_keep_an_echoed_key_out_of_the_models_listing() throws Exception {
        server.stubFor(get("/api/version").willReturn(aResponse().withStatus(500).withBody(echo(250, 700))));
        server.stubFor(get("/api/tags").willReturn(aResponse().withBody("not json " + echo(10, 300))));

        panic("models");

        assertThat(out.toString()).contains("ollama  [not ready: the Ollama server at " + server.baseUrl());
        assertNoKeyAnywhere();
    }
}
