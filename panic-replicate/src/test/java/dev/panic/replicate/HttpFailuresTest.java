package dev.panic.replicate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.panic.replicate.Fake.PNG;
import static dev.panic.replicate.Fake.prediction;
import static dev.panic.replicate.Fake.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.panic.Model;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.AuthenticationException;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.PanicException;
import dev.panic.exception.CallTimeoutException;
import dev.panic.exception.UnavailableException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Error answers and broken connections, as the shared HTTP layer maps and retries them for Replicate. */
class HttpFailuresTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final Payload IMAGE = Payload.image(PNG, "image/png");

    private Model blip() {
        return Fake.platform(server).build().model("salesforce/blip", Parameters.empty());
    }

    @Test
    void should_name_replicate_api_token_when_the_token_is_refused() {
        server.stubFor(post("/v1/predictions").willReturn(problem(401, "Unauthenticated",
                "You did not pass a valid authentication token")));

        assertThatThrownBy(() -> blip().invoke(IMAGE)).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("You did not pass a valid authentication token")
                .hasMessageContaining("REPLICATE_API_TOKEN")
                .hasMessageContaining("https://replicate.com/account/api-tokens")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(Fake.TOKEN));
        server.verify(1, postRequestedFor(urlEqualTo("/v1/predictions")));
    }

    @Test
    void should_report_a_model_replicate_does_not_have_as_not_found() {
        server.stubFor(post("/v1/models/black-forest-labs/flux-schnell/predictions")
                .willReturn(problem(404, "Not found", "The requested resource could not be found.")));

        assertThatThrownBy(() -> Fake.platform(server).build().model("black-forest-labs/flux-schnell", Parameters.empty())
                .invoke(Payload.text("x"))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("The requested resource could not be found.");
    }

    @Test
    void should_put_the_detail_of_a_422_problem_in_the_message() {
        server.stubFor(post("/v1/predictions").willReturn(problem(422, "Input validation failed",
                "- input.image: Does not match format 'uri'")));

        assertThatThrownBy(() -> blip().invoke(IMAGE)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("- input.image: Does not match format 'uri'")
                .satisfies(e -> assertThat(((PanicException) e).httpStatus()).hasValue(422));
    }

    @Test
    void should_repeat_a_throttled_create_once_after_the_wait_replicate_asks_for() {
        server.stubFor(post("/v1/predictions").inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(problem(429, "Too Many Requests", "Request was throttled. Your rate limit resets in ~1s.")
                        .withHeader("Retry-After", "1"))
                .willSetStateTo("ok"));
        server.stubFor(post("/v1/predictions").inScenario("429").whenScenarioStateIs("ok")
                .willReturn(prediction(server, "r1").succeeded("\"Caption: patience\"").created()));

        long start = System.nanoTime();
        assertThat(blip().invoke(IMAGE).payload()).isEqualTo(Payload.text("patience"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        server.verify(2, postRequestedFor(urlEqualTo("/v1/predictions")));
    }

    @Test
    void should_poll_through_a_burst_of_server_errors() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "r2").created()));
        server.stubFor(get("/v1/predictions/r2").inScenario("burst").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502)).willSetStateTo("503"));
        server.stubFor(get("/v1/predictions/r2").inScenario("burst").whenScenarioStateIs("503")
                .willReturn(problem(503, "Service Unavailable", "try later")).willSetStateTo("ok"));
        server.stubFor(get("/v1/predictions/r2").inScenario("burst").whenScenarioStateIs("ok")
                .willReturn(prediction(server, "r2").succeeded("\"Caption: still here\"").ok()));

        assertThat(blip().invoke(IMAGE).payload()).isEqualTo(Payload.text("still here"));
        server.verify(3, getRequestedFor(urlEqualTo("/v1/predictions/r2")));
        server.verify(1, postRequestedFor(urlEqualTo("/v1/predictions")));
    }

    @Test
    void should_report_a_create_answer_that_is_not_json() {
        server.stubFor(post("/v1/predictions").willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": \"m1\", \"status\": ")));

        assertThatThrownBy(() -> blip().invoke(IMAGE)).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("not valid JSON");
        server.verify(1, postRequestedFor(urlEqualTo("/v1/predictions")));
    }

    @Test
    void should_not_repeat_a_create_whose_connection_was_reset() {
        server.stubFor(post("/v1/predictions").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> blip().invoke(IMAGE)).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("connection to replicate");
        server.verify(1, postRequestedFor(urlEqualTo("/v1/predictions")));
    }

    @Test
    void should_time_out_a_create_that_is_not_answered_in_time_without_repeating_it() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "slow").created().withFixedDelay(4000)));
        Model model = Fake.platform(server).http(Fake.http().requestTimeout(Duration.ofMillis(1500)).build()).build()
                .model("salesforce/blip", Parameters.empty());

        assertThatThrownBy(() -> model.invoke(IMAGE)).isInstanceOf(CallTimeoutException.class)
                .hasMessageContaining("did not answer POST /v1/predictions within PT1.5S");
        server.verify(1, postRequestedFor(urlEqualTo("/v1/predictions")));
    }

    @Test
    void should_scrub_the_token_from_a_failed_predictions_error() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "e1")
                .failed("bad auth header Bearer " + Fake.TOKEN).created()));

        assertThatThrownBy(() -> blip().invoke(IMAGE)).hasMessageContaining("Bearer ****")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(Fake.TOKEN));
    }
}
