package dev.panic.spi.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.panic.http.HttpSettings;
import dev.panic.http.PermitSource;
import dev.panic.testing.ManualTime;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A platform's calls drawing permits from a {@link PermitSource} shared with other processes: how
 * the bucket is named, that a call waits for its shared slot (on a timer), that a 429's
 * {@code Retry-After} pauses the shared bucket, and that calls go on when the source fails.
 */
class SharedPermitsTest {

    private static final String KEY = "sk-shared-0123456789abcdef0123";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final ManualTime time = new ManualTime();

    /** A source that answers each reservation with a fixed wait, or fails, and records what it was asked. */
    static final class Recording implements PermitSource {
        final List<String> reserved = new CopyOnWriteArrayList<>();
        final List<Duration> intervals = new CopyOnWriteArrayList<>();
        final List<Duration> pauses = new CopyOnWriteArrayList<>();
        volatile Duration wait = Duration.ZERO;
        volatile boolean down;

        @Override
        public CompletableFuture<Duration> reserve(String bucket, Duration interval) {
            reserved.add(bucket);
            intervals.add(interval);
            return down ? CompletableFuture.failedFuture(new IllegalStateException("database unreachable"))
                    : CompletableFuture.completedFuture(wait);
        }

        @Override
        public CompletableFuture<Void> pause(String bucket, Duration pause) {
            pauses.add(pause);
            return CompletableFuture.completedFuture(null);
        }
    }

    private PlatformHttp client(String key, PermitSource permits) {
        return client(key, permits, 4);
    }

    private PlatformHttp client(String key, PermitSource permits, int perSecond) {
        PlatformHttp.Builder b = PlatformHttp.builder("acme")
                .settings(HttpSettings.builder().requestsPerPeriod(perSecond).period(Duration.ofSeconds(1)).build())
                .credentialsOnlyFor(URI.create(server.baseUrl())).scheduler(time).clock(time.clock()).random(() -> 0);
        if (key != null) {
            b.bearer(Secret.of(key, "ACME_API_KEY"));
        }
        return b.permits(permits).build();
    }

    private static PendingResponse create(PlatformHttp http) {
        return http.send(ApiRequest.create(URI.create(server.baseUrl() + "/create"), "{}".getBytes(StandardCharsets.UTF_8)));
    }

    private static int creates() {
        return server.findAll(postRequestedFor(urlEqualTo("/create"))).size();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).as("condition reached within 10 s").isTrue();
    }

    @Test
    void should_name_one_bucket_per_key_origin_and_limit_without_the_key() {
        Recording source = new Recording();
        String bucket = client(KEY, source).sharedBucket().orElseThrow();

        assertThat(bucket).matches("acme:[0-9a-f]{16}").doesNotContain(KEY.substring(3, 15));
        assertThat(client(KEY, source).sharedBucket()).contains(bucket);
        assertThat(client(KEY + "x", source).sharedBucket().orElseThrow()).startsWith("acme:").isNotEqualTo(bucket);
        assertThat(client(KEY, source, 10).sharedBucket().orElseThrow()).as("another limit of the platform")
                .isNotEqualTo(bucket);
        assertThat(client(null, source).sharedBucket()).as("no key, no account to share").isEmpty();
        assertThat(client(KEY, null).sharedBucket()).as("no source").isEmpty();
    }

    @Test
    void should_use_the_process_default_unless_the_builder_names_a_source() {
        Recording source = new Recording();
        PermitSource.shareByDefault(source);
        try {
            PlatformHttp http = PlatformHttp.builder("acme").bearer(Secret.of(KEY, "ACME_API_KEY")).build();
            assertThat(http.sharedBucket()).isPresent();
            assertThat(PermitSource.byDefault()).containsSame(source);
            assertThat(client(KEY, null).sharedBucket()).as("permits(null) opts out").isEmpty();
        } finally {
            PermitSource.shareByDefault(null);
        }
        assertThat(PlatformHttp.builder("acme").bearer(Secret.of(KEY, "ACME_API_KEY")).build().sharedBucket()).isEmpty();
    }

    @Test
    void should_send_a_call_when_its_shared_slot_comes_and_not_before() throws Exception {
        server.stubFor(post("/create").willReturn(aResponse().withStatus(201).withBody("{}")));
        Recording source = new Recording();
        source.wait = Duration.ofSeconds(5);
        PlatformHttp http = client(KEY, source);

        PendingResponse answer = create(http);
        await(() -> time.pending() > 0 && !source.reserved.isEmpty());
        assertThat(source.intervals).containsExactly(Duration.ofMillis(250)); // 4 a second
        time.advance(Duration.ofMillis(4900));
        assertThat(creates()).isZero();
        assertThat(answer).isNotDone();
        time.advance(Duration.ofMillis(100));
        answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(creates()).isEqualTo(1);
    }

    @Test
    void should_pause_the_shared_bucket_for_a_retry_after_and_go_on_when_the_source_fails() throws Exception {
        server.stubFor(post("/create").inScenario("busy").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing
                        .Scenario.STARTED).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2"))
                .willSetStateTo("free"));
        server.stubFor(post("/create").inScenario("busy").whenScenarioStateIs("free")
                .willReturn(aResponse().withStatus(201).withBody("{}")));
        Recording source = new Recording();
        source.down = true;
        PlatformHttp http = client(KEY, source);

        PendingResponse answer = create(http);
        await(() -> !source.pauses.isEmpty());
        assertThat(source.pauses).containsExactly(Duration.ofSeconds(2));
        assertThat(creates()).as("sent although the shared source failed").isEqualTo(1);
        await(() -> time.pending() > 0);
        time.advance(Duration.ofSeconds(3));
        answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(creates()).isEqualTo(2);
        assertThat(source.reserved).hasSize(2);
    }
}
