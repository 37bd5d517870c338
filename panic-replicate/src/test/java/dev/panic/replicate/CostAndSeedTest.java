package dev.panic.replicate;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.panic.replicate.Fake.BLIP_VERSION;
import static dev.panic.replicate.Fake.PNG;
import static dev.panic.replicate.Fake.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.ValidationException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cost from metrics.predict_time and a price per second; which models declare a seed input. */
class CostAndSeedTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final double PRICE = 0.000725; // US dollars a second, as a hardware's price is given

    private static void captions() {
        // Fake's finished predictions report metrics.predict_time 1.25
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "c1").succeeded("\"Caption: a dog\"").created()));
    }

    @Test
    void should_record_predict_time_times_the_price_set_on_the_platform() {
        captions();
        Model blip = Fake.platform(server).pricePerSecond("salesforce/blip", PRICE).build()
                .model("salesforce/blip", Parameters.empty());

        ModelOutput out = blip.invoke(Payload.image(PNG, "image/png"));

        assertThat(out.metadata().predictTime().orElseThrow().toMillis()).isEqualTo(1250);
        assertThat(out.metadata().costUsd().orElseThrow()).isCloseTo(1.25 * PRICE, within(1e-12));
        assertThat(out.metadata().modelVersion()).hasValue(BLIP_VERSION);
    }

    @Test
    void should_take_the_price_as_a_model_or_call_parameter_and_never_send_it() {
        captions();
        Model blip = Fake.platform(server).pricePerSecond("salesforce/blip", PRICE).build()
                .model("salesforce/blip", Parameters.of(ReplicatePlatform.PARAM_PRICE_PER_SECOND, 0.001));

        ModelOutput byModel = blip.invoke(Payload.image(PNG, "image/png"));
        ModelOutput byCall = blip.invoke(Payload.image(PNG, "image/png"),
                Parameters.of(ReplicatePlatform.PARAM_PRICE_PER_SECOND, 0.002));

        assertThat(byModel.metadata().costUsd().orElseThrow()).isCloseTo(0.00125, within(1e-12));
        assertThat(byCall.metadata().costUsd().orElseThrow()).isCloseTo(0.0025, within(1e-12));
        server.findAll(postRequestedFor(urlEqualTo("/v1/predictions")))
                .forEach(r -> assertThat(Fake.body(r).get("input").has(ReplicatePlatform.PARAM_PRICE_PER_SECOND)).isFalse());
    }

    @Test
    void should_leave_the_cost_unknown_without_a_price() {
        captions();

        ModelOutput out = Fake.platform(server).build().model("salesforce/blip", Parameters.empty())
                .invoke(Payload.image(PNG, "image/png"));

        assertThat(out.metadata().predictTime()).isPresent();
        assertThat(out.metadata().costUsd()).as("unknown, not free").isEmpty();
    }

    @Test
    void should_refuse_a_bad_price_before_any_call() {
        ReplicatePlatform replicate = Fake.platform(server).build();
        Model blip = replicate.model("salesforce/blip", Parameters.empty());

        assertThatThrownBy(() -> Fake.platform(server).pricePerSecond("salesforce/blip", -1))
                .isInstanceOf(ValidationException.class).hasMessageContaining("0 or more");
        assertThatThrownBy(() -> Fake.platform(server).pricePerSecond("someone/undeclared", 0.001).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("not declared");
        assertThatThrownBy(() -> replicate.model("salesforce/blip",
                Parameters.of(ReplicatePlatform.PARAM_PRICE_PER_SECOND, "cheap")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("US dollars per second");
        assertThatThrownBy(() -> Fake.join(blip.invokeAsync(Payload.image(PNG, "image/png"),
                Parameters.of(ReplicatePlatform.PARAM_PRICE_PER_SECOND, -0.5))))
                .isInstanceOf(ValidationException.class);
        server.verify(0, postRequestedFor(urlEqualTo("/v1/predictions")));
    }

    @Test
    void should_declare_the_seed_input_of_models_whose_schema_has_one() {
        ReplicatePlatform replicate = Fake.platform(server).build();
        Map<String, String> seeds = new java.util.HashMap<>();
        replicate.models().forEach(i -> seeds.put(i.id().name(), i.seedParameter().orElse("none")));

        assertThat(seeds).containsEntry("black-forest-labs/flux-schnell", "seed").containsEntry("meta/musicgen", "seed")
                .containsEntry("salesforce/blip", "none").containsEntry("yorickvp/llava-13b", "none");
        ModelInfo declared = replicate.model("someone/painter", Parameters.of(Map.of(
                ReplicatePlatform.PARAM_INPUT, "text", ReplicatePlatform.PARAM_OUTPUT, "image",
                ReplicatePlatform.PARAM_FIELD, "prompt", ReplicatePlatform.PARAM_SEED_INPUT, "noise_seed"))).info();
        assertThat(declared.seedParameter()).contains("noise_seed");
        assertThat(ReplicateModel.builder("a/b").input(Modality.TEXT).output(Modality.TEXT).inputField("prompt")
                .seedInput("seed").pricePerSecond(0.01).build().toBuilder().build())
                .isEqualTo(ReplicateModel.builder("a/b").input(Modality.TEXT).output(Modality.TEXT).inputField("prompt")
                        .seedInput("seed").pricePerSecond(0.01).build());
    }

    @Test
    void should_record_the_seed_sent_under_the_declared_input() {
        server.stubFor(post("/v1/predictions").willReturn(prediction(server, "s1")
                .model("someone/painter", Fake.OTHER_VERSION).succeeded("\"done\"").created()));
        Model model = Fake.platform(server).build().model("someone/painter", Parameters.of(Map.of(
                ReplicatePlatform.PARAM_INPUT, "text", ReplicatePlatform.PARAM_OUTPUT, "text",
                ReplicatePlatform.PARAM_FIELD, "prompt", ReplicatePlatform.PARAM_VERSION, Fake.OTHER_VERSION,
                ReplicatePlatform.PARAM_SEED_INPUT, "noise_seed")));

        ModelOutput out = model.invoke(Payload.text("a fox"), Parameters.of("noise_seed", 77L));

        assertThat(out.metadata().seed()).hasValue(77L);
        assertThat(Fake.body(server.findAll(postRequestedFor(urlEqualTo("/v1/predictions"))).get(0))
                .at("/input/noise_seed").asLong()).isEqualTo(77L);
    }
}
