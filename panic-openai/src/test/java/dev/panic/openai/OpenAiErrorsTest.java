package dev.panic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.panic.openai.OpenAiTesting.KEY;
import static dev.panic.openai.OpenAiTesting.json;
import static dev.panic.openai.OpenAiTesting.platform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.panic.Model;
import dev.panic.ModelOutput;
import dev.panic.Payload;
import dev.panic.exception.AuthenticationException;
import dev.panic.exception.ContentRejectedException;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.PanicException;
import dev.panic.exception.RateLimitedException;
import dev.panic.exception.UnavailableException;
import dev.panic.PlatformContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OpenAI's error answers ({@code ErrorResponse}), retries, headers and the key's secrecy. */
class OpenAiErrorsTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String CHAT = "/v1/chat/completions";
    private static final String OK = json("{'id': 'chatcmpl-1', 'object': 'chat.completion', 'created': 1,"
            + " 'model': 'gpt-4o-mini', 'choices': [{'index': 0, 'message': {'role': 'assistant', 'content': 'fine',"
            + " 'refusal': null}, 'logprobs': null, 'finish_reason': 'stop'}]}");

    private static String error(String message, String type, String code) {
        return json("{'error': {'message': '" + message + "', 'type': '" + type + "', 'param': null, 'code': "
                + (code == null ? "null" : "'" + code + "'") + "}}");
    }

    private static Model chat() {
        return platform(server).build().model("chat/gpt-4o-mini");
    }

    @Test
    void should_say_to_set_openai_api_key_when_the_key_is_refused_without_showing_it() {
        server.stubFor(post(CHAT).willReturn(aResponse().withStatus(401).withBody(
                error("Incorrect API key provided: " + KEY + ". You can find your API key at https://platform.openai.com/account/api-keys.",
                        "invalid_request_error", "invalid_api_key"))));

        assertThatThrownBy(() -> chat().invoke(Payload.text("hi")))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("OPENAI_API_KEY")
                .hasMessageContaining("invalid_api_key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
        server.verify(1, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void should_repeat_a_rate_limited_create_once_after_the_wait_asked_for() {
        server.stubFor(post(CHAT).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody(error("Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3.",
                                "requests", "rate_limit_exceeded")))
                .willSetStateTo("ok"));
        server.stubFor(post(CHAT).inScenario("429").whenScenarioStateIs("ok").willReturn(aResponse().withBody(OK)));

        long start = System.nanoTime();
        ModelOutput out = chat().invoke(Payload.text("hi"));

        assertThat(out.payload()).isEqualTo(Payload.text("fine"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        server.verify(2, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void should_report_exhausted_quota_as_a_permanent_error_and_not_retry_it() {
        server.stubFor(post(CHAT).willReturn(aResponse().withStatus(429).withBody(error(
                "You exceeded your current quota, please check your plan and billing details.",
                "insufficient_quota", "insufficient_quota"))));

        assertThatThrownBy(() -> chat().invoke(Payload.text("hi")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("quota is used up").hasMessageContaining("Retrying will not help")
                .satisfies(e -> assertThat(((PanicException) e).isRetriable()).isFalse());
        server.verify(1, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void should_report_a_safety_refusal_as_rejected_content() {
        server.stubFor(post("/v1/images/generations").willReturn(aResponse().withStatus(400).withBody(error(
                "Your request was rejected as a result of our safety system.", "invalid_request_error",
                "content_policy_violation"))));

        assertThatThrownBy(() -> platform(server).build().model("dall-e-3").invoke(Payload.text("something")))
                .isInstanceOf(ContentRejectedException.class).hasMessageContaining("safety system");
        server.verify(1, postRequestedFor(urlEqualTo("/v1/images/generations")));
    }

    @Test
    void should_not_repeat_a_paid_call_after_a_server_error() {
        server.stubFor(post(CHAT).willReturn(aResponse().withStatus(500).withBody(error(
                "The server had an error while processing your request.", "server_error", null))));

        assertThatThrownBy(() -> chat().invoke(Payload.text("hi")))
                .isInstanceOf(UnavailableException.class).hasMessageContaining("failed on its side");
        server.verify(1, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void should_send_organization_and_project_headers_from_the_builder_or_the_environment() {
        server.stubFor(post(CHAT).willReturn(aResponse().withBody(OK)));

        platform(server).organization("org-built").project("proj_built").build().model("chat/gpt-4o-mini")
                .invoke(Payload.text("hi"));
        platform(server).context(PlatformContext.of(Map.of("OPENAI_ORG_ID", "org-env", "OPENAI_PROJECT_ID", "proj_env")::get))
                .build().model("chat/gpt-4o-mini").invoke(Payload.text("hi"));

        server.verify(postRequestedFor(urlEqualTo(CHAT)).withHeader("OpenAI-Organization", equalTo("org-built"))
                .withHeader("OpenAI-Project", equalTo("proj_built")).withHeader("Authorization", equalTo("Bearer " + KEY)));
        server.verify(postRequestedFor(urlEqualTo(CHAT)).withHeader("OpenAI-Organization", equalTo("org-env"))
                .withHeader("OpenAI-Project", equalTo("proj_env")));
    }

    @Test
    void should_keep_the_key_out_of_logs_strings_and_metadata() throws Exception {
        server.stubFor(post(CHAT).willReturn(aResponse().withBody(OK)));
        OpenAiPlatform openai = platform(server).build();

        ModelOutput out = openai.model("chat/gpt-4o-mini").invoke(Payload.text("hi"));

        String logged = Files.readString(Path.of("target/panic-openai-test.log"));
        assertThat(logged).contains("openai POST " + server.baseUrl() + CHAT + " -> 200");
        assertThat(logged).doesNotContain(KEY);
        assertThat(openai.toString()).doesNotContain(KEY).contains("apiKey=set");
        assertThat(out.metadata().toString()).doesNotContain(KEY);
        assertThat(openai.readiness().detail()).doesNotContain(KEY);
    }
}
