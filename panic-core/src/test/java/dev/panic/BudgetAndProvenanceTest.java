package dev.panic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panic.exception.ValidationException;
import dev.panic.json.RunSpecJson;
import dev.panic.testing.TestEmbedders;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What runs cost, a budget that stops before overspending, and what a run records of what made it. */
class BudgetAndProvenanceTest {

    @TempDir
    Path dir;

    private final AtomicInteger calls = new AtomicInteger();

    /** A text model whose every call costs 30 cents. */
    private Model pricey() {
        return Model.of(new ModelInfo(ModelId.parse("t:pricey"), Modality.TEXT, Modality.TEXT, "costs 30 cents"),
                Parameters.empty(), (in, p) -> {
                    calls.incrementAndGet();
                    return CompletableFuture.completedFuture(new ModelOutput(
                            Payload.text(((Payload.Text) in).text() + "+"),
                            Metadata.builder().parameters(p).costUsd(0.30).build()));
                });
    }

    @Test
    void should_stop_before_the_call_that_would_overspend_and_total_the_cost() throws Exception {
        // given
        RunStore store = RunStore.directory(dir);

        // when
        Run run = Run.builder(Network.of(pricey()), Payload.text("x")).stopWhen(StopRule.budget(1.00)).forever()
                .store(store).start().await();

        // then: three calls spend 0.90; a fourth, expected to cost what the last did, would bring 1.20
        assertThat(calls).hasValue(3);
        assertThat(run.stopReason().orElseThrow().rule()).isEqualTo("budget");
        assertThat(run.stopReason().orElseThrow().message()).contains("$0.9000 to $1.2000", "budget of $1.0000");
        assertThat(run.info().costUsd()).isCloseTo(0.90, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(store.info(run.id()).costUsd()).isCloseTo(0.90, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void should_expect_a_call_to_cost_its_listed_price_and_keep_the_prices_in_the_spec() {
        // when
        Run run = Run.builder(Network.of(pricey()), Payload.text("x"))
                .stopWhen(StopRule.budget(1.00, Map.of("t:pricey", 0.50))).forever().start().await();

        // then: 0.30 spent + 0.50 expected; 0.60 + 0.50 would overspend
        assertThat(calls).hasValue(2);
        RunSpec spec = RunSpecJson.read(RunSpecJson.write(run.spec()), null);
        assertThat(StopRule.of(spec.stopRules().get(0)).spec()).isEqualTo(run.spec().stopRules().get(0));
        assertThat(spec.stopRules().get(0).settings().asMap()).containsEntry("usd", 1.0)
                .containsEntry("prices", Map.of("t:pricey", 0.5));
        assertThatThrownBy(() -> StopRule.budget(-1)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> StopRule.budget(1, Map.of("nope", 1.0))).isInstanceOf(ValidationException.class);
    }

    @Test
    void should_record_what_made_the_run_and_count_the_simulator_as_free() throws Exception {
        // given
        Platforms platforms = Platforms.discover();
        RunStore store = RunStore.directory(dir);

        // when
        Run run = Run.builder(platforms.network("sim:contrarian"), Payload.text("a hot day")).maxSteps(2)
                .embedWith(TestEmbedders.words("w", 8)).store(store).start().await();

        // then
        Provenance p = store.info(run.id()).provenance();
        assertThat(p.panic()).isEqualTo(Provenance.panicVersion());
        assertThat(p.java()).startsWith(System.getProperty("java.version"));
        assertThat(p.os()).startsWith(System.getProperty("os.name"));
        assertThat(p.platforms()).containsOnlyKeys("sim");
        assertThat(p.embedders()).containsOnlyKeys("w");
        assertThat(run.predictions()).allSatisfy(pr -> assertThat(pr.metadata().costUsd()).hasValue(0.0));
        JsonNode json = new ObjectMapper().readTree(dir.resolve(run.id()).resolve("run.json").toFile());
        assertThat(json.at("/provenance/platforms/sim").asText()).isNotBlank();
    }
}
