package dev.panic.replicate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.panic.replicate.Fake.BLIP_VERSION;
import static dev.panic.replicate.Fake.PNG;
import static dev.panic.replicate.Fake.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.panic.Model;
import dev.panic.Network;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Run;
import dev.panic.RunStatus;
import dev.panic.exception.ContentRejectedException;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.PanicException;
import dev.panic.exception.CallTimeoutException;
import dev.panic.exception.UnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every status a prediction can end in, polling, deadlines and cancellation. */
class PredictionFlowTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final Payload IMAGE = Payload.image(PNG, "image/png");

    private Model blip() {
        return Fake.platform(server).build().model("salesforce/blip", Parameters.empty());
    }

    @Test
    void should_take_the_output_from_the_create_answer_when_the_sync_wait_was_enough() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "p1").succeeded("\"Caption: a red circle\"")
                .created()));

        ModelOutput out = blip().invoke(IMAGE);

        assertThat(out.payload()).isEqualTo(Payload.text("a red circle"));
        assertThat(out.metadata().platformPredictionId()).hasValue("p1");
        assertThat(out.metadata().modelVersion()).hasValue(BLIP_VERSION);
        assertThat(out.metadata().predictTime()).hasValue(Duration.ofMillis(1250));
        server.verify(1, postRequestedFor(urlEqualTo("/v1/predictions"))
                .withHeader("Prefer", equalTo("wait=1"))
                .withHeader("Authorization", equalTo("Bearer " + Fake.TOKEN))
                .withRequestBody(matchingJsonPath("$.version", equalTo(BLIP_VERSION)))
                .withRequestBody(matchingJsonPath("$.input.task", equalTo("image_captioning"))));
        server.verify(0, getRequestedFor(urlEqualTo("/v1/predictions/p1")));
    }

    @Test
    void should_poll_urls_get_from_starting_through_processing_to_succeeded() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "p2").created()));
        server.stubFor(get("/v1/predictions/p2").inScenario("run").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(prediction(server, "p2").ok()).willSetStateTo("processing"));
        server.stubFor(get("/v1/predictions/p2").inScenario("run").whenScenarioStateIs("processing")
                .willReturn(prediction(server, "p2").status("processing").ok()).willSetStateTo("done"));
        server.stubFor(get("/v1/predictions/p2").inScenario("run").whenScenarioStateIs("done")
                .willReturn(prediction(server, "p2").succeeded("\"Caption: two sheep\"").ok()));

        ModelOutput out = blip().invoke(IMAGE);

        assertThat(out.payload()).isEqualTo(Payload.text("two sheep"));
        server.verify(3, getRequestedFor(urlEqualTo("/v1/predictions/p2")));
        server.verify(1, postRequestedFor(urlEqualTo("/v1/predictions")));
    }

    @Test
    void should_fail_with_the_platforms_error_text_when_the_prediction_failed() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "p3")
                .failed("CUDA error: device-side assert triggered").created()));

        assertThatThrownBy(() -> blip().invoke(IMAGE)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("replicate prediction p3 of salesforce/blip failed: CUDA error: device-side assert")
                .satisfies(e -> assertThat(((PanicException) e).isRetriable()).isFalse());
    }

    @Test
    void should_report_a_safety_filter_failure_as_content_rejected() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "p4")
                .failed("NSFW content detected. Try running it again, or try a different prompt.").created()));

        assertThatThrownBy(() -> blip().invoke(IMAGE)).isInstanceOf(ContentRejectedException.class)
                .hasMessageContaining("NSFW content detected");
    }

    @Test
    void should_report_a_failure_that_asks_to_retry_as_retriable() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "p5")
                .failed("Prediction interrupted; please retry (code: PA)").created()));

        assertThatThrownBy(() -> blip().invoke(IMAGE)).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("please retry");
    }

    @Test
    void should_fail_clearly_when_the_prediction_was_canceled_on_replicate() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "p6").created()));
        server.stubFor(get("/v1/predictions/p6").willReturn(prediction(server, "p6").status("canceled").ok()));

        assertThatThrownBy(() -> blip().invoke(IMAGE)).isExactlyInstanceOf(PanicException.class)
                .hasMessageContaining("replicate prediction p6 of salesforce/blip was canceled on Replicate");
    }

    @Test
    void should_report_a_cancel_at_the_cancel_after_deadline_as_a_timeout() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "p6b").status("canceled").created()));
        Model model = Fake.platform(server).cancelAfter(Duration.ofSeconds(30)).build()
                .model("salesforce/blip", Parameters.empty());

        assertThatThrownBy(() -> model.invoke(IMAGE)).isInstanceOf(CallTimeoutException.class)
                .hasMessageContaining("Cancel-After deadline of PT30S");
        server.verify(postRequestedFor(urlEqualTo("/v1/predictions")).withHeader("Cancel-After", equalTo("30s")));
    }

    @Test
    void should_fail_as_retriable_when_the_prediction_was_aborted_before_it_started() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "p7").status("aborted").created()));

        assertThatThrownBy(() -> blip().invoke(IMAGE)).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("was aborted before it started running");
    }

    @Test
    void should_send_no_prefer_header_and_poll_when_the_sync_wait_is_zero() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "p8").created()));
        server.stubFor(get("/v1/predictions/p8").willReturn(prediction(server, "p8").succeeded("\"Caption: x\"").ok()));
        Model model = Fake.platform(server).syncWait(Duration.ZERO).build().model("salesforce/blip", Parameters.empty());

        assertThat(model.invoke(IMAGE).payload()).isEqualTo(Payload.text("x"));
        server.verify(postRequestedFor(urlEqualTo("/v1/predictions")).withoutHeader("Prefer"));
    }

    @Test
    void should_cancel_a_running_prediction_when_the_call_is_cancelled() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "c1").created()));
        server.stubFor(get("/v1/predictions/c1").willReturn(prediction(server, "c1").status("processing").ok()));
        server.stubFor(post("/v1/predictions/c1/cancel").willReturn(prediction(server, "c1").status("canceled").ok()));

        CompletableFuture<ModelOutput> call = blip().invokeAsync(IMAGE, Parameters.empty());
        Fake.eventually("the prediction is polled", () ->
                !server.findAll(getRequestedFor(urlEqualTo("/v1/predictions/c1"))).isEmpty());
        call.cancel(true);

        Fake.eventually("the cancel is posted", () ->
                server.findAll(postRequestedFor(urlEqualTo("/v1/predictions/c1/cancel"))).size() == 1);
        int polls = server.findAll(getRequestedFor(urlEqualTo("/v1/predictions/c1"))).size();
        sleep(150);
        assertThat(server.findAll(getRequestedFor(urlEqualTo("/v1/predictions/c1"))).size())
                .as("polling stops").isLessThanOrEqualTo(polls + 1);
        server.verify(1, postRequestedFor(urlEqualTo("/v1/predictions/c1/cancel")));
    }

    @Test
    void should_cancel_the_prediction_in_flight_when_its_run_is_cancelled() {
        server.stubFor(post("/v1/models/black-forest-labs/flux-schnell/predictions")
                .willReturn(prediction(server, "run1").model("black-forest-labs/flux-schnell", "hidden").created()));
        server.stubFor(get("/v1/predictions/run1").willReturn(prediction(server, "run1").status("processing").ok()));
        server.stubFor(post("/v1/predictions/run1/cancel").willReturn(prediction(server, "run1").status("canceled").ok()));
        ReplicatePlatform replicate = Fake.platform(server).build();
        Network loop = Network.of(replicate.model("black-forest-labs/flux-schnell", Parameters.empty()),
                replicate.model("salesforce/blip", Parameters.empty()));

        Run run = Run.builder(loop, Payload.text("a red circle")).maxSteps(4).start();
        Fake.eventually("the first prediction is polled", () ->
                !server.findAll(getRequestedFor(urlEqualTo("/v1/predictions/run1"))).isEmpty());
        run.cancel();

        Fake.eventually("the cancel is posted", () ->
                server.findAll(postRequestedFor(urlEqualTo("/v1/predictions/run1/cancel"))).size() == 1);
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void should_cancel_a_prediction_whose_creation_was_still_unanswered_when_the_call_was_cancelled() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "c2").created().withFixedDelay(400)));
        server.stubFor(post("/v1/predictions/c2/cancel").willReturn(prediction(server, "c2").status("canceled").ok()));

        CompletableFuture<ModelOutput> call = blip().invokeAsync(IMAGE, Parameters.empty());
        Fake.eventually("the create is sent", () ->
                !server.findAll(postRequestedFor(urlEqualTo("/v1/predictions"))).isEmpty());
        call.cancel(true);

        Fake.eventually("the cancel is posted once the id is known", () ->
                server.findAll(postRequestedFor(urlEqualTo("/v1/predictions/c2/cancel"))).size() == 1);
        server.verify(0, getRequestedFor(urlEqualTo("/v1/predictions/c2")));
    }

    @Test
    void should_cancel_and_time_out_a_prediction_that_runs_past_the_prediction_timeout() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "t1").created()));
        server.stubFor(get("/v1/predictions/t1").willReturn(prediction(server, "t1").status("processing").ok()));
        server.stubFor(post("/v1/predictions/t1/cancel").willReturn(prediction(server, "t1").status("canceled").ok()));
        Model model = Fake.platform(server).syncWait(Duration.ZERO).predictionTimeout(Duration.ofMillis(300)).build()
                .model("salesforce/blip", Parameters.empty());

        assertThatThrownBy(() -> model.invoke(IMAGE)).isInstanceOf(CallTimeoutException.class)
                .hasMessageContaining("replicate prediction t1 of salesforce/blip did not finish within PT0.3S")
                .hasMessageContaining("cancelled");
        Fake.eventually("the cancel is posted", () ->
                server.findAll(postRequestedFor(urlEqualTo("/v1/predictions/t1/cancel"))).size() == 1);
    }

    @Test
    void should_not_follow_a_poll_address_on_another_host_with_the_token() {
        String foreign = prediction(server, "h1").toString()
                .replace(server.baseUrl() + "/v1/predictions/h1", "https://elsewhere.example/steal/h1");
        server.stubFor(post("/v1/predictions").willReturn(aResponse().withStatus(201).withBody(foreign)));
        server.stubFor(get("/v1/predictions/h1").willReturn(prediction(server, "h1").succeeded("\"Caption: safe\"").ok()));

        assertThat(blip().invoke(IMAGE).payload()).isEqualTo(Payload.text("safe"));
        server.verify(1, getRequestedFor(urlEqualTo("/v1/predictions/h1")));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
