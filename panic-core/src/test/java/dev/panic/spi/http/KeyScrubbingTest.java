package dev.panic.spi.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.panic.exception.PanicException;
import dev.panic.http.HttpSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A server that echoes the key, whole or cut, in every kind of answer: the key reaches no message, line or log. */
class KeyScrubbingTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String KEY = "sk-scrub-Zq8vKx2LmN4pR7tW9yB3cD5fG6hJ0aE1";

    /** Every piece of the key long enough to matter: none may appear. */
    static void assertNoKey(String text) {
        for (int i = 0; i + Secret.FRAGMENT <= KEY.length(); i++) {
            assertThat(text).as("text holding part of the key").doesNotContain(KEY.substring(i, i + Secret.FRAGMENT));
        }
    }

    private static PlatformHttp client() {
        return PlatformHttp.builder("testplat").bearer(Secret.of(KEY, "TEST_KEY")).settings(HttpSettings.builder()
                .maxAttempts(1).initialBackoff(Duration.ofMillis(10)).build()).build();
    }

    private static URI uri(String path) {
        return URI.create(server.baseUrl() + path);
    }

    private static String message(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c).append('\n');
        }
        return all.toString();
    }

    @Test
    void should_mask_the_key_and_any_long_piece_of_it_keeping_byte_lengths() {
        Secret s = Secret.of(KEY, "K");
        String cut = "Bearer " + KEY.substring(0, 30) + "…";
        String tail = "...'" + KEY.substring(KEY.length() - 14) + "'";

        assertNoKey(s.scrub("header was Bearer " + KEY + " and again " + KEY));
        assertNoKey(s.scrub(cut));
        assertNoKey(s.scrub(tail));
        assertThat(s.scrub("short: " + KEY.substring(0, 8))).isEqualTo("short: " + KEY.substring(0, 8));
        byte[] body = ("{\"echo\":\"" + KEY + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(s.scrub(body)).hasSameSizeAs(body);
        assertNoKey(new String(s.scrub(body), StandardCharsets.UTF_8));
        assertThat(s.scrub("nothing here")).isEqualTo("nothing here");
        assertThat(Secret.of("tiny", "K").scrub("a tiny key")).isEqualTo("a **** key");
    }

    @Test
    void should_scrub_an_error_body_before_cutting_it_wherever_the_key_falls() {
        String filler = "x".repeat(290);
        server.stubFor(get("/long").willReturn(aResponse().withStatus(400).withBody(filler + KEY + filler)));
        server.stubFor(get("/short").willReturn(aResponse().withStatus(400).withBody("bad: " + KEY)));
        server.stubFor(get("/json").willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}")));
        PlatformHttp http = client();

        for (String path : List.of("/long", "/short", "/json")) {
            Throwable t = catchThrowable(() -> http.send(ApiRequest.get(uri(path))).join());
            assertThat(t).hasCauseInstanceOf(PanicException.class);
            assertNoKey(message(t));
        }
    }

    @Test
    void should_scrub_a_successful_answer_that_is_not_the_json_expected() {
        server.stubFor(get("/html").willReturn(aResponse().withBody("<html>Bearer " + KEY + "</html>")));
        server.stubFor(get("/big").willReturn(aResponse().withBody("y".repeat(195) + KEY + "z".repeat(400))));
        PlatformHttp http = client();

        for (String path : List.of("/html", "/big")) {
            ApiResponse r = http.send(ApiRequest.get(uri(path))).join();
            assertNoKey(new String(r.body(), StandardCharsets.UTF_8));
            assertNoKey(message(catchThrowable(r::json)));
            assertNoKey(r.excerpt(200));
        }
    }

    @Test
    void should_scrub_streamed_lines_before_the_adapter_sees_them() {
        server.stubFor(post("/stream").willReturn(aResponse().withBody("{\"response\":\"" + KEY + "\"}\nnot json " + KEY + "\n")));
        List<String> lines = new CopyOnWriteArrayList<>();

        client().sendStreaming(ApiRequest.create(uri("/stream"), new byte[0]), lines::add).join();

        assertThat(lines).hasSize(2);
        lines.forEach(KeyScrubbingTest::assertNoKey);
    }

    @Test
    void should_keep_the_key_out_of_the_debug_log() throws Exception {
        server.stubFor(get("/log").willReturn(aResponse().withStatus(503).withBody("down, key " + KEY)));
        catchThrowable(() -> client().send(ApiRequest.get(uri("/log"))).join());

        Path log = Path.of("target/panic-test.log");
        assertThat(Files.readString(log)).contains("testplat GET " + server.baseUrl() + "/log -> 503");
        assertNoKey(Files.readString(log));
    }
}
