package dev.panic.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.ValidationException;
import dev.panic.Platform;
import dev.panic.PlatformContext;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulatorPlatformTest {

    @Test
    void should_be_found_by_service_loader_discovery() {
        // given / when
        Platform sim = Platforms.discover().platform("sim");

        // then
        assertThat(sim).isInstanceOf(SimulatorPlatform.class);
        assertThat(sim.id()).isEqualTo("sim");
        assertThat(sim.readiness().ready()).isTrue();
        assertThat(sim.readiness().detail()).isEqualTo("offline simulator, no key needed");
    }

    @Test
    void should_record_its_version_on_every_call() {
        ModelOutput out = Platforms.discover().model("sim:painter").invoke(Payload.text("a red circle"));

        assertThat(out.metadata().modelVersion()).contains(dev.panic.Provenance.panicVersion());
    }

    @Test
    void should_build_models_by_id_through_platforms() {
        // given
        Platforms platforms = Platforms.discover();

        // when
        Model painter = platforms.model("sim:painter");

        // then
        assertThat(painter.id().toString()).isEqualTo("sim:painter");
        assertThat(painter.input()).isEqualTo(Modality.TEXT);
        assertThat(painter.output()).isEqualTo(Modality.IMAGE);
    }

    @Test
    void should_provide_the_default_platform_from_the_provider() {
        // given
        SimulatorPlatformProvider provider = new SimulatorPlatformProvider();

        // when
        Platform platform = provider.create(PlatformContext.of(name -> null));

        // then
        assertThat(provider.id()).isEqualTo("sim");
        SimulatorPlatform sim = (SimulatorPlatform) platform;
        assertThat(sim.latency()).isEqualTo(Duration.ZERO);
        assertThat(sim.latencyJitter()).isEqualTo(Duration.ZERO);
        assertThat(sim.failureRate()).isZero();
        assertThat(sim.seed()).isEmpty();
    }

    @Test
    void should_cover_all_nine_modality_pairs_with_models_described_as_simulators() {
        // given
        List<ModelInfo> models = SimTesting.SIM.models();

        // when
        Set<String> pairs = new HashSet<>();
        models.forEach(m -> pairs.add(m.modalities()));

        // then
        assertThat(pairs).hasSize(9);
        assertThat(models).hasSize(14);
        assertThat(models).allSatisfy(m -> {
            assertThat(m.id().platform()).isEqualTo("sim");
            assertThat(m.description()).startsWith("simulator: ");
        });
        assertThat(models).filteredOn(m -> m.input() == Modality.TEXT && m.output() == Modality.TEXT)
                .extracting(m -> m.id().name()).containsExactly("contrarian", "drifter", "judge", "refiner", "prompter", "shuffler");
    }

    @Test
    void should_reject_an_unknown_model_name_listing_the_known_ones() {
        assertThatThrownBy(() -> SimTesting.SIM.model("picasso", Parameters.empty()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("picasso")
                .hasMessageContaining("painter, describer, contrarian, drifter, judge, refiner, prompter, shuffler, synth,"
                        + " listener, smudger, echo,"
                        + " sonifier, spectrograph");
        assertThatThrownBy(() -> Platforms.discover().model("sim:nope")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void should_reject_invalid_parameters_naming_the_parameter() {
        assertThatThrownBy(() -> SimTesting.SIM.model("painter", Parameters.of("size", 10)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'size'")
                .hasMessageContaining("64 to 1024");
        assertThatThrownBy(() -> SimTesting.SIM.model("painter", Parameters.of("size", 100.5)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("'size'");
        assertThatThrownBy(() -> SimTesting.SIM.model("synth", Parameters.of("sample_rate", "fast")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("'sample_rate'");
    }

    @Test
    void should_reject_invalid_call_overrides_with_a_failed_future() {
        // given
        Model painter = SimTesting.model("painter");

        // when / then
        assertThatThrownBy(() -> painter.invoke(Payload.text("a red circle"), Parameters.of("size", 5000)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'size'");
    }

    @Test
    void should_record_the_parameters_used_with_defaults_filled_in() {
        // given
        Model painter = SimTesting.model("painter").withParameter("style", "ignored");

        // when
        ModelOutput out = painter.invoke(Payload.text("a red circle"));
        ModelOutput bigger = painter.invoke(Payload.text("a red circle"), Parameters.of("size", "256"));

        // then
        assertThat(out.metadata().parameters().asMap()).containsEntry("size", 128L).containsEntry("style", "ignored");
        assertThat(out.metadata().seed()).isEmpty();
        assertThat(out.metadata().predictTime()).isPresent();
        assertThat(bigger.metadata().parameters().asMap()).containsEntry("size", 256L);
        assertThat(((Payload.Image) bigger.payload()).size()).hasValue(new Payload.Image.Size(256, 256));
    }

    @Test
    void should_record_the_platform_seed_in_the_metadata_when_set() {
        // given
        SimulatorPlatform seeded = SimulatorPlatform.builder().seed(7).build();

        // when
        ModelOutput out = seeded.model("describer", Parameters.empty())
                .invoke(SimTesting.call("painter", Payload.text("a red circle")));

        // then
        assertThat(out.metadata().seed()).hasValue(7L);
        assertThat(seeded.seed()).hasValue(7L);
    }
}
