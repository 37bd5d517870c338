package dev.panic.replicate;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.panic.replicate.Fake.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.panic.Model;
import dev.panic.ModelOutput;
import dev.panic.Payload;
import dev.panic.exception.PanicException;
import dev.panic.exception.UnavailableException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Predictions that fail for lack of capacity, the policy on paying for another try, and creates that never leave. */
class FailedPredictionsTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final Payload IMAGE = Payload.image(Fake.png(64), "image/png");

    private Model blip(int paidRetries) {
        return Fake.platform(server).http(Fake.http().paidRetries(paidRetries).build()).build().model("salesforce/blip",
                dev.panic.Parameters.empty());
    }

    @Test
    void should_type_a_gpu_out_of_memory_failure_as_retriable_and_not_pay_for_another_try_by_default() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "p1")
                .failed("CUDA out of memory. Tried to allocate 2.00 GiB").created()));

        assertThatThrownBy(() -> blip(0).invoke(IMAGE)).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("replicate prediction p1 of salesforce/blip failed: CUDA out of memory")
                .hasMessageContaining("not created again automatically, since each try may be billed")
                .satisfies(e -> assertThat(((PanicException) e).isRetriable()).isTrue());
        server.verify(1, postRequestedFor(urlEqualTo("/v1/predictions")));
    }

    @Test
    void should_create_a_failed_prediction_again_when_the_policy_allows_and_record_the_one_that_failed() {
        server.stubFor(post("/v1/predictions").inScenario("oom").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(prediction(server, "p1").failed("CUDA out of memory").created()).willSetStateTo("again"));
        server.stubFor(post("/v1/predictions").inScenario("oom").whenScenarioStateIs("again")
                .willReturn(prediction(server, "p2").succeeded("\"Caption: a cat\"").created()));

        ModelOutput out = blip(1).invoke(IMAGE);

        assertThat(out.payload()).isEqualTo(Payload.text("a cat"));
        assertThat(out.metadata().platformPredictionId()).hasValue("p2");
        assertThat(out.metadata().extras().get("failed_before"))
                .isEqualTo(List.of(Map.of("id", "p1", "error", "CUDA out of memory")));
        server.verify(2, postRequestedFor(urlEqualTo("/v1/predictions")));
    }

    @Test
    void should_not_create_again_a_prediction_whose_input_is_at_fault_whatever_the_policy() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "p3")
                .failed("CUDA error: device-side assert triggered").created()));

        assertThatThrownBy(() -> blip(3).invoke(IMAGE)).isInstanceOf(dev.panic.exception.InvalidRequestException.class);
        server.verify(1, postRequestedFor(urlEqualTo("/v1/predictions")));
    }

    @Test
    void should_never_send_a_create_whose_call_was_cancelled_while_it_waited() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "p4").succeeded("\"Caption: slow\"")
                .created().withFixedDelay(1000)));
        Model blip = Fake.platform(server).http(Fake.http().maxConcurrentCalls(1).build()).build()
                .model("salesforce/blip", dev.panic.Parameters.empty());

        CompletableFuture<ModelOutput> first = blip.invokeAsync(IMAGE, dev.panic.Parameters.empty());
        CompletableFuture<ModelOutput> waiting = blip.invokeAsync(IMAGE, dev.panic.Parameters.empty()); // no place in flight until the first ends
        waiting.cancel(true);
        first.join();
        blip.invoke(IMAGE); // would have come after the cancelled one, had it still been in line

        server.verify(2, postRequestedFor(urlEqualTo("/v1/predictions")));
        assertThat(waiting).isCancelled();
    }
}
