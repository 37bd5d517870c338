package dev.panic.spi.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.exception.AuthenticationException;
import dev.panic.exception.ContentRejectedException;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.PanicException;
import dev.panic.exception.RateLimitedException;
import dev.panic.exception.CallTimeoutException;
import dev.panic.exception.UnavailableException;
import dev.panic.exception.ValidationException;
import dev.panic.spi.media.DataUri;
import dev.panic.http.HttpSettings;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PlatformHttpTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String KEY = "r8_TopSecretKey0123456789";
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};

    /** Fast back-off so retries do not slow the suite; everything else as configured per test. */
    private static HttpSettings.Builder fast() {
        return HttpSettings.builder().initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(50));
    }

    private static PlatformHttp client(HttpSettings settings) {
        return PlatformHttp.builder("testplat").settings(settings).bearer(Secret.of(KEY, "TEST_KEY"))
                .keyHint("set TEST_KEY to a valid key").build();
    }

    private static URI uri(String path) {
        return URI.create(server.baseUrl() + path);
    }

    private static ApiResponse call(PlatformHttp http, ApiRequest request) {
        try {
            return http.send(request).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void should_retry_a_refused_create_after_the_wait_the_platform_asks_for() {
        server.stubFor(post("/v1/p").inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"title\":\"Too Many Requests\",\"detail\":\"Request was throttled.\",\"status\":429}"))
                .willSetStateTo("ok"));
        server.stubFor(post("/v1/p").inScenario("429").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(201).withBody("{\"id\":\"abc\"}")));
        PlatformHttp http = client(fast().build());

        long start = System.nanoTime();
        ApiResponse r = call(http, ApiRequest.create(uri("/v1/p"), json("{}")));

        assertThat(r.json().get("id").asText()).isEqualTo("abc");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        server.verify(2, postRequestedFor(urlEqualTo("/v1/p")));
    }

    @Test
    void should_honour_a_retry_after_field_in_the_body() {
        server.stubFor(get("/r").inScenario("body").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withBody("{\"error\":{\"message\":\"slow\",\"retry_after\":0.4}}"))
                .willSetStateTo("ok"));
        server.stubFor(get("/r").inScenario("body").whenScenarioStateIs("ok").willReturn(aResponse().withBody("{}")));

        long start = System.nanoTime();
        call(client(fast().build()), ApiRequest.get(uri("/r")));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(350));
    }

    @Test
    void should_fail_at_once_when_the_platform_asks_for_a_longer_wait_than_allowed() {
        server.stubFor(get("/long").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")));

        assertThatThrownBy(() -> call(client(fast().maxRetryAfter(Duration.ofSeconds(5)).build()), ApiRequest.get(uri("/long"))))
                .isInstanceOf(RateLimitedException.class)
                .satisfies(e -> assertThat(((PanicException) e).retryAfter()).hasValue(Duration.ofHours(1)));
        server.verify(1, getRequestedFor(urlEqualTo("/long")));
    }

    @Test
    void should_not_repeat_a_create_that_the_server_may_have_acted_on() {
        server.stubFor(post("/v1/p").willReturn(aResponse().withStatus(500).withBody("{\"detail\":\"boom\"}")));

        assertThatThrownBy(() -> call(client(fast().build()), ApiRequest.create(uri("/v1/p"), json("{}"))))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("testplat failed on its side (500: boom)");
        server.verify(1, postRequestedFor(urlEqualTo("/v1/p")));
    }

    @Test
    void should_repeat_reads_through_a_burst_of_server_errors() {
        server.stubFor(get("/poll").inScenario("burst").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        server.stubFor(get("/poll").inScenario("burst").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(502)).willSetStateTo("ok"));
        server.stubFor(get("/poll").inScenario("burst").whenScenarioStateIs("ok")
                .willReturn(aResponse().withBody("{\"status\":\"succeeded\"}")));

        ApiResponse r = call(client(fast().build()), ApiRequest.get(uri("/poll")));

        assertThat(r.json().get("status").asText()).isEqualTo("succeeded");
        server.verify(3, getRequestedFor(urlEqualTo("/poll")));
    }

    @Test
    void should_repeat_a_read_but_not_a_create_after_a_connection_reset() {
        server.stubFor(get("/reset").inScenario("reset").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("ok"));
        server.stubFor(get("/reset").inScenario("reset").whenScenarioStateIs("ok").willReturn(aResponse().withBody("{}")));
        server.stubFor(post("/create").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        PlatformHttp http = client(fast().build());

        call(http, ApiRequest.get(uri("/reset")));
        assertThatThrownBy(() -> call(http, ApiRequest.create(uri("/create"), json("{}"))))
                .isInstanceOf(UnavailableException.class).hasMessageContaining("connection to testplat");

        server.verify(2, getRequestedFor(urlEqualTo("/reset")));
        server.verify(1, postRequestedFor(urlEqualTo("/create")));
    }

    @Test
    void should_retry_a_create_when_no_connection_was_made() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        PlatformHttp http = client(fast().maxAttempts(2).build());

        assertThatThrownBy(() -> call(http, ApiRequest.create(URI.create("http://127.0.0.1:" + closedPort + "/x"), json("{}"))))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("could not connect to testplat at http://127.0.0.1:" + closedPort)
                .hasMessageContaining("connection refused");
    }

    @Test
    void should_map_each_error_status_to_its_typed_exception() {
        server.stubFor(get("/401").willReturn(aResponse().withStatus(401).withBody("{\"detail\":\"Invalid token.\"}")));
        server.stubFor(get("/404").willReturn(aResponse().withStatus(404).withBody("{\"detail\":\"Not found.\"}")));
        server.stubFor(get("/422").willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\":\"Input validation failed\",\"detail\":\"- input.prompt: Invalid type.\",\"status\":422}")));
        server.stubFor(get("/policy").willReturn(aResponse().withStatus(400).withBody(
                "{\"error\":{\"message\":\"Your request was rejected by our safety system.\",\"type\":\"invalid_request_error\",\"code\":\"content_policy_violation\"}}")));
        server.stubFor(get("/quota").willReturn(aResponse().withStatus(429).withBody(
                "{\"error\":{\"message\":\"You exceeded your current quota.\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}")));
        server.stubFor(get("/ollama").willReturn(aResponse().withStatus(404).withBody("{\"error\":\"model 'llava' not found\"}")));
        server.stubFor(get("/504").willReturn(aResponse().withStatus(504)));
        PlatformHttp http = client(fast().maxAttempts(1).build());

        assertThatThrownBy(() -> call(http, ApiRequest.get(uri("/401")))).isInstanceOf(AuthenticationException.class)
                .hasMessage("testplat refused the credentials (401: Invalid token.); set TEST_KEY to a valid key");
        assertThatThrownBy(() -> call(http, ApiRequest.get(uri("/404")))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> call(http, ApiRequest.get(uri("/422")))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("- input.prompt: Invalid type.")
                .satisfies(e -> assertThat(((PanicException) e).httpStatus()).hasValue(422));
        assertThatThrownBy(() -> call(http, ApiRequest.get(uri("/policy")))).isInstanceOf(ContentRejectedException.class)
                .hasMessageContaining("safety system");
        assertThatThrownBy(() -> call(http, ApiRequest.get(uri("/quota")))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("quota is used up").hasMessageContaining("Retrying will not help");
        assertThatThrownBy(() -> call(http, ApiRequest.get(uri("/ollama")))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("model 'llava' not found");
        assertThatThrownBy(() -> call(http, ApiRequest.get(uri("/504")))).isInstanceOf(CallTimeoutException.class);
    }

    @Test
    void should_never_let_the_key_reach_a_message_or_a_log_line() throws Exception {
        server.stubFor(post("/echo").willReturn(aResponse().withStatus(400)
                .withBody("{\"detail\":\"bad header: Bearer " + KEY + "\"}")));
        PlatformHttp http = client(fast().build());

        assertThatThrownBy(() -> call(http, ApiRequest.create(uri("/echo"), json("{}"))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("bad header: Bearer ****")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));

        server.verify(postRequestedFor(urlEqualTo("/echo")).withHeader("Authorization", equalTo("Bearer " + KEY)));
        Path log = Path.of("target/panic-test.log");
        assertThat(log).exists();
        String logged = Files.readString(log);
        assertThat(logged).contains("testplat POST " + server.baseUrl() + "/echo -> 400");
        assertThat(logged).doesNotContain(KEY);
        assertThat(Secret.of(KEY, "k").toString()).doesNotContain(KEY);
    }

    @Test
    void should_report_a_body_that_is_not_json() {
        server.stubFor(get("/garbage").willReturn(aResponse().withBody("<html>oops")));

        ApiResponse r = call(client(fast().build()), ApiRequest.get(uri("/garbage")));

        assertThatThrownBy(r::json).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("not valid JSON: '<html>oops'");
    }

    @Test
    void should_time_out_a_request_that_takes_too_long() {
        server.stubFor(get("/slow").willReturn(aResponse().withFixedDelay(3000).withBody("{}")));
        PlatformHttp http = client(fast().maxAttempts(1).requestTimeout(Duration.ofMillis(300)).build());

        assertThatThrownBy(() -> call(http, ApiRequest.get(uri("/slow")))).isInstanceOf(CallTimeoutException.class)
                .hasMessageContaining("did not answer GET /slow within PT0.3S");
    }

    @Test
    void should_open_the_circuit_after_repeated_server_failures_and_stop_calling() {
        server.stubFor(get("/down").willReturn(aResponse().withStatus(503)));
        PlatformHttp http = client(fast().maxAttempts(1).slidingWindowSize(3).minimumNumberOfCalls(3)
                .openStateWait(Duration.ofMinutes(5)).build());

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> call(http, ApiRequest.get(uri("/down")))).isInstanceOf(UnavailableException.class);
        }
        assertThatThrownBy(() -> call(http, ApiRequest.get(uri("/down"))))
                .isInstanceOf(UnavailableException.class).hasMessageContaining("circuit open");

        server.verify(3, getRequestedFor(urlEqualTo("/down")));
    }

    @Test
    void should_refuse_locally_what_the_rate_limit_cannot_let_through_within_the_calls_patience() {
        server.stubFor(get("/limited").willReturn(aResponse().withBody("{}")));
        PlatformHttp http = client(fast().maxAttempts(1).requestsPerPeriod(1).period(Duration.ofMinutes(10))
                .patience(Duration.ZERO).build());

        call(http, ApiRequest.get(uri("/limited")));
        assertThatThrownBy(() -> call(http, ApiRequest.get(uri("/limited"))))
                .isInstanceOf(RateLimitedException.class).hasMessageContaining("patience of PT0S")
                .hasMessageContaining("raise HttpSettings.patience");

        server.verify(1, getRequestedFor(urlEqualTo("/limited")));
    }

    @Test
    void should_space_requests_to_the_rate_limit_instead_of_failing() {
        server.stubFor(get("/paced").willReturn(aResponse().withBody("{}")));
        PlatformHttp http = client(fast().requestsPerPeriod(2).period(Duration.ofMillis(400)).build());

        long start = System.nanoTime();
        CompletableFuture<?>[] calls = new CompletableFuture<?>[6];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = http.send(ApiRequest.get(uri("/paced")));
        }
        CompletableFuture.allOf(calls).join();

        // Six requests at two per 400 ms need at least two further periods after the first.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        server.verify(6, getRequestedFor(urlEqualTo("/paced")));
    }

    @Test
    void should_fetch_outputs_by_https_data_or_loopback_only_and_check_their_type() {
        server.stubFor(get("/out.bin").willReturn(aResponse().withHeader("Content-Type", "application/octet-stream").withBody(PNG)));
        server.stubFor(get("/page").willReturn(aResponse().withHeader("Content-Type", "text/html").withBody("<html></html>")));
        server.stubFor(get("/big.png").willReturn(aResponse().withHeader("Content-Type", "image/png").withBody(new byte[5000])));
        PlatformHttp http = client(fast().maxDownloadBytes(4096).build());

        Payload sniffed = http.download(server.baseUrl() + "/out.bin", Modality.IMAGE).join();
        Payload inline = http.download(DataUri.encode(PNG, "image/png"), Modality.IMAGE).join();

        assertThat(sniffed).isEqualTo(Payload.image(PNG, "image/png"));
        assertThat(inline).isEqualTo(sniffed);
        assertThatThrownBy(() -> http.download(server.baseUrl() + "/page", Modality.IMAGE).join())
                .hasCauseInstanceOf(InvalidRequestException.class).hasMessageContaining("expected IMAGE").hasMessageContaining("text/html");
        assertThatThrownBy(() -> http.download(server.baseUrl() + "/big.png", Modality.IMAGE).join())
                .hasCauseInstanceOf(InvalidRequestException.class).hasMessageContaining("larger than maxDownloadBytes 4096");
        assertThatThrownBy(() -> http.download("http://example.com/a.png", Modality.IMAGE).join())
                .hasCauseInstanceOf(ValidationException.class).hasMessageContaining("only https: and data:");
        assertThatThrownBy(() -> http.download("file:///etc/passwd", Modality.IMAGE).join())
                .hasCauseInstanceOf(ValidationException.class);
    }

    @Test
    void should_hand_streamed_lines_over_as_they_come_and_stop_on_an_error_line() {
        server.stubFor(post("/stream").willReturn(aResponse().withHeader("Content-Type", "application/x-ndjson")
                .withBody("{\"response\":\"a\"}\n\n{\"response\":\"b\"}\n{\"error\":\"out of memory\"}\n{\"response\":\"c\"}\n")));
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        PlatformHttp http = client(fast().build());

        assertThatThrownBy(() -> http.sendStreaming(ApiRequest.create(uri("/stream"), json("{}")), line -> {
            if (line.contains("error")) {
                throw new UnavailableException("stream said: " + line);
            }
            lines.add(line);
        }).join()).hasCauseInstanceOf(UnavailableException.class).hasMessageContaining("out of memory");

        assertThat(lines).containsExactly("{\"response\":\"a\"}", "{\"response\":\"b\"}");
        server.verify(1, postRequestedFor(urlEqualTo("/stream")));
    }

    /** Another origin: a storage host, a proxy, anyone a redirect may point at. */
    @RegisterExtension
    static WireMockExtension elsewhere = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void should_follow_redirects_but_leave_the_key_behind_at_another_origin() {
        server.stubFor(get("/file").willReturn(aResponse().withStatus(302).withHeader("Location", elsewhere.baseUrl() + "/blob")));
        server.stubFor(get("/moved").willReturn(aResponse().withStatus(301).withHeader("Location", "/here")));
        server.stubFor(get("/here").willReturn(aResponse().withBody("{\"ok\":true}")));
        elsewhere.stubFor(get("/blob").willReturn(aResponse().withBody("{\"ok\":true}")));
        PlatformHttp http = client(fast().build());

        assertThat(call(http, ApiRequest.get(uri("/file"))).json().get("ok").asBoolean()).isTrue();
        assertThat(call(http, ApiRequest.get(uri("/moved"))).json().get("ok").asBoolean()).isTrue();

        elsewhere.verify(getRequestedFor(urlEqualTo("/blob")).withoutHeader("Authorization"));
        server.verify(getRequestedFor(urlEqualTo("/here")).withHeader("Authorization", equalTo("Bearer " + KEY)));
    }

    @Test
    void should_turn_a_post_into_a_get_after_303_and_give_up_on_endless_redirects() {
        server.stubFor(post("/submit").willReturn(aResponse().withStatus(303).withHeader("Location", "/result")));
        server.stubFor(get("/result").willReturn(aResponse().withBody("{\"done\":1}")));
        server.stubFor(get("/loop").willReturn(aResponse().withStatus(302).withHeader("Location", "/loop")));
        PlatformHttp http = client(fast().maxAttempts(1).build());

        assertThat(call(http, ApiRequest.create(uri("/submit"), json("{}"))).json().get("done").asInt()).isEqualTo(1);
        assertThatThrownBy(() -> call(http, ApiRequest.get(uri("/loop"))))
                .isInstanceOf(UnavailableException.class).hasMessageContaining("more than 5 times");
    }

    @Test
    void should_not_repeat_a_create_whose_retry_after_is_longer_than_allowed() {
        server.stubFor(post("/busy").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")));
        PlatformHttp http = client(fast().maxRetryAfter(Duration.ofSeconds(5)).build());

        assertThatThrownBy(() -> call(http, ApiRequest.create(uri("/busy"), json("{}"))))
                .isInstanceOf(RateLimitedException.class);
        server.verify(1, postRequestedFor(urlEqualTo("/busy")));
    }

    @Test
    void should_abort_the_exchange_and_free_its_place_when_the_call_is_cancelled() throws Exception {
        server.stubFor(get("/forever").willReturn(aResponse().withFixedDelay(20_000).withBody("{}")));
        PlatformHttp http = client(fast().maxConcurrentCalls(1).build());
        CompletableFuture<ApiResponse> first = http.send(ApiRequest.get(uri("/forever")));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.findAll(getRequestedFor(urlEqualTo("/forever"))).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        CompletableFuture<ApiResponse> second = http.send(ApiRequest.get(uri("/forever")));
        assertThat(http.loadDescription()).startsWith("1 in flight, 1 waiting");

        second.cancel(true);
        first.cancel(true);

        while (!http.loadDescription().startsWith("0 in flight, 0 waiting") && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(http.loadDescription()).startsWith("0 in flight, 0 waiting");
        server.verify(1, getRequestedFor(urlEqualTo("/forever")));
    }
}
