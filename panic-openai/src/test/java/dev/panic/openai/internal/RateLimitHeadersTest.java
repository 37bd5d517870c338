package dev.panic.openai.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.panic.http.HttpSettings;
import dev.panic.spi.http.ApiRequest;
import dev.panic.spi.http.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The account's request limit, as OpenAI reports it on every answer, lowers the shared limiter. */
class RateLimitHeadersTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private OpenAiClient client(int perSecond) {
        return new OpenAiClient(URI.create(server.baseUrl() + "/v1"), Secret.of("sk-test-0123456789", "OPENAI_API_KEY"),
                null, null, HttpSettings.builder().requestsPerPeriod(perSecond).period(Duration.ofSeconds(1)).build());
    }

    private void answerWithLimit(String limit) {
        server.stubFor(post("/v1/chat/completions").willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withHeader("x-ratelimit-limit-requests", limit).withHeader("x-ratelimit-remaining-requests", "59")
                .withHeader("x-ratelimit-reset-requests", "1s").withBody("{}")));
    }

    @Test
    void should_lower_the_limit_to_the_accounts_requests_per_minute() {
        answerWithLimit("120");
        OpenAiClient c = client(50);

        c.postJson("/chat/completions", Map.of("model", "gpt-4o-mini"), ApiRequest.Kind.CREATE).join();

        assertThat(c.permitsPerSecond()).isEqualTo(2.0); // 120 a minute is 2 a second
    }

    @Test
    void should_hold_an_account_under_sixty_a_minute_to_its_rate_not_to_one_a_second() {
        answerWithLimit("20");
        OpenAiClient c = client(50);

        c.postJson("/chat/completions", Map.of("model", "gpt-4o-mini"), ApiRequest.Kind.CREATE).join();

        assertThat(c.permitsPerSecond()).isEqualTo(20 / 60.0);
    }

    @Test
    void should_never_raise_the_limit_above_the_configured_one_or_learn_from_nonsense() {
        answerWithLimit("30000");
        OpenAiClient generous = client(5);
        generous.postJson("/chat/completions", Map.of("model", "gpt-4o-mini"), ApiRequest.Kind.CREATE).join();

        answerWithLimit("lots");
        OpenAiClient confused = client(5);
        confused.postJson("/chat/completions", Map.of("model", "gpt-4o-mini"), ApiRequest.Kind.CREATE).join();

        assertThat(generous.permitsPerSecond()).isEqualTo(5.0);
        assertThat(confused.permitsPerSecond()).isEqualTo(5.0);
    }
}
