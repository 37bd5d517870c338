package dev.panic.spi.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.panic.exception.RateLimitedException;
import dev.panic.http.HttpSettings;
import dev.panic.testing.ManualTime;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the limit and retry chain does with calls that wait: for a permit, for a platform-wide
 * pause, for a retry. Time is {@link ManualTime}, moved by the test, so no assertion depends on
 * how fast the machine is; only the exchanges themselves are real.
 */
class PlatformHttpLimitsTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final ManualTime time = new ManualTime();

    private PlatformHttp client(HttpSettings settings, double random) {
        return PlatformHttp.builder("testplat").settings(settings).bearer(Secret.of("sk-limits-0123456789abcdef", "K"))
                .scheduler(time).clock(time.clock()).random(() -> random).build();
    }

    private static URI uri(String path) {
        return URI.create(server.baseUrl() + path);
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Waits for something the real exchange does on its own threads, at most ten seconds. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).as("condition reached within 10 s").isTrue();
    }

    /** The refused call is back from the wire and its retry's timer is set: time may move on. */
    private boolean retryWaiting(PlatformHttp http) {
        return http.loadDescription().startsWith("0 in flight, 0 waiting") && time.pending() > 0;
    }

    private static int requests(String path) {
        return server.findAll(postRequestedFor(urlEqualTo(path))).size()
                + server.findAll(getRequestedFor(urlEqualTo(path))).size();
    }

    @Test
    void should_never_send_a_call_cancelled_or_withdrawn_while_it_waits_for_a_permit() {
        server.stubFor(post("/create").willReturn(aResponse().withStatus(201).withBody("{}")));
        PlatformHttp http = client(HttpSettings.builder().requestsPerPeriod(1).period(Duration.ofMinutes(1)).build(), 0);

        http.send(ApiRequest.create(uri("/create"), json("{}"))).join();
        PendingResponse cancelled = http.send(ApiRequest.create(uri("/create"), json("{}")));
        PendingResponse withdrawn = http.send(ApiRequest.create(uri("/create"), json("{}")));
        PendingResponse kept = http.send(ApiRequest.create(uri("/create"), json("{}")));

        cancelled.cancel(true);
        assertThat(withdrawn.withdraw()).isTrue();
        time.advance(Duration.ofSeconds(61)); // the next permit is due: it goes to the call still waiting
        kept.join();

        assertThat(cancelled).isCancelled();
        assertThat(withdrawn).isCancelled();
        assertThat(requests("/create")).isEqualTo(2);
    }

    @Test
    void should_not_withdraw_a_call_that_is_on_the_wire() throws Exception {
        server.stubFor(post("/slow").willReturn(aResponse().withStatus(201).withFixedDelay(500).withBody("{\"id\":\"p1\"}")));
        PlatformHttp http = client(HttpSettings.defaults(), 0);

        PendingResponse sent = http.send(ApiRequest.create(uri("/slow"), json("{}")));
        await(() -> requests("/slow") == 1);

        assertThat(sent.withdraw()).isFalse();
        assertThat(sent.join().json().get("id").asText()).isEqualTo("p1"); // its answer still arrives
    }

    @Test
    void should_never_resend_a_call_cancelled_while_it_waits_to_retry_a_429() throws Exception {
        server.stubFor(post("/busy").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "5")));
        server.stubFor(post("/after").willReturn(aResponse().withStatus(201).withBody("{}")));
        PlatformHttp http = client(HttpSettings.defaults(), 0);

        PendingResponse refused = http.send(ApiRequest.create(uri("/busy"), json("{}")));
        await(() -> http.permitsPerSecond() < 50); // its 429 came back and was counted
        refused.cancel(true);
        time.advance(Duration.ofSeconds(30));
        http.send(ApiRequest.create(uri("/after"), json("{}"))).join();

        assertThat(requests("/busy")).isEqualTo(1);
    }

    @Test
    void should_retry_429s_for_as_long_as_the_call_is_patient_not_a_fixed_number_of_times() throws Exception {
        for (int i = 0; i < 6; i++) {
            server.stubFor(get("/popular").inScenario("refusals").whenScenarioStateIs(i == 0 ? Scenario.STARTED : "r" + i)
                    .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("r" + (i + 1)));
        }
        server.stubFor(get("/popular").inScenario("refusals").whenScenarioStateIs("r6")
                .willReturn(aResponse().withBody("{\"ok\":true}")));
        PlatformHttp http = client(HttpSettings.builder().maxAttempts(4).build(), 0);

        PendingResponse answer = http.send(ApiRequest.get(uri("/popular")));
        for (int refusal = 1; refusal <= 6; refusal++) {
            int seen = refusal;
            await(() -> requests("/popular") == seen && retryWaiting(http));
            time.advance(Duration.ofSeconds(2));
        }

        assertThat(answer.join().json().get("ok").asBoolean()).isTrue();
        assertThat(requests("/popular")).isEqualTo(7);
    }

    @Test
    void should_fail_a_call_whose_patience_runs_out_while_the_platform_keeps_refusing() throws Exception {
        server.stubFor(get("/never").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
        PlatformHttp http = client(HttpSettings.builder().patience(Duration.ofSeconds(3)).build(), 0);

        PendingResponse answer = http.send(ApiRequest.get(uri("/never")));
        for (int refusal = 1; refusal <= 3 && !answer.isDone(); refusal++) {
            int seen = refusal;
            await(() -> answer.isDone() || (requests("/never") == seen && retryWaiting(http)));
            time.advance(Duration.ofMillis(1100));
        }

        assertThatThrownBy(answer::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(RateLimitedException.class).hasMessageContaining("patience of PT3S");
        assertThat(requests("/never")).isBetween(2, 3);
    }

    @Test
    void should_pause_every_call_of_the_platform_for_a_429s_retry_after_not_only_the_refused_one() throws Exception {
        server.stubFor(post("/first").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "5")));
        server.stubFor(post("/second").willReturn(aResponse().withStatus(201).withBody("{}")));
        PlatformHttp http = client(HttpSettings.builder().requestsPerPeriod(10).build(), 0);

        PendingResponse first = http.send(ApiRequest.create(uri("/first"), json("{}")));
        await(() -> http.permitsPerSecond() < 10);
        first.cancel(true);
        PendingResponse second = http.send(ApiRequest.create(uri("/second"), json("{}")));
        time.advance(Duration.ofMillis(4900));

        assertThat(http.loadDescription()).startsWith("0 in flight, 1 waiting");
        assertThat(second).isNotDone();
        time.advance(Duration.ofMillis(200));
        second.join();
        assertThat(requests("/second")).isEqualTo(1);
    }

    @Test
    void should_add_jitter_to_the_wait_a_429_asks_for() throws Exception {
        server.stubFor(get("/j").inScenario("j").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")).willSetStateTo("ok"));
        server.stubFor(get("/j").inScenario("j").whenScenarioStateIs("ok").willReturn(aResponse().withBody("{}")));
        // jitter 0.5 and a draw of 0.8: the retry waits 2 s + 0.8 * 0.5 * 2 s = 2.8 s, not the 2 s asked for.
        PlatformHttp http = client(HttpSettings.builder().jitter(0.5).build(), 0.8);

        PendingResponse answer = http.send(ApiRequest.get(uri("/j")));
        await(() -> requests("/j") == 1 && retryWaiting(http));
        time.advance(Duration.ofMillis(2700));

        assertThat(http.loadDescription()).startsWith("0 in flight, 0 waiting"); // still waiting for its timer
        assertThat(requests("/j")).isEqualTo(1);
        time.advance(Duration.ofMillis(200));
        answer.join();
        assertThat(requests("/j")).isEqualTo(2);
    }

    @Test
    void should_fail_a_call_rather_than_leave_it_waiting_forever_when_its_timer_cannot_be_set() {
        java.util.concurrent.ScheduledExecutorService stopped = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        stopped.shutdown();
        PlatformHttp http = PlatformHttp.builder("testplat").scheduler(stopped)
                .settings(HttpSettings.builder().requestsPerPeriod(1).period(Duration.ofHours(1)).build()).build();
        server.stubFor(get("/y").willReturn(aResponse().withBody("{}")));
        http.send(ApiRequest.get(uri("/y"))).join();

        assertThatThrownBy(() -> http.send(ApiRequest.get(uri("/y"))).join())
                .hasCauseInstanceOf(dev.panic.exception.PanicException.class).hasMessageContaining("the HTTP layer failed");
    }

    @Test
    void should_cancel_rather_than_fail_a_call_cancelled_while_it_waits() {
        PlatformHttp http = client(HttpSettings.builder().requestsPerPeriod(1).period(Duration.ofHours(1)).build(), 0);
        server.stubFor(get("/x").willReturn(aResponse().withBody("{}")));
        http.send(ApiRequest.get(uri("/x"))).join();

        PendingResponse waiting = http.send(ApiRequest.get(uri("/x")));
        waiting.cancel(true);

        assertThatThrownBy(waiting::join).isInstanceOf(CancellationException.class);
        assertThat(http.loadDescription()).startsWith("0 in flight, 0 waiting");
    }
}
