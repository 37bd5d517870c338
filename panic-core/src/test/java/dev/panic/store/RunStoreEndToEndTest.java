package dev.panic.store;

import dev.panic.StoredRun;

import dev.panic.RunStore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Network;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Run;
import dev.panic.RunStatus;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreEndToEndTest {

    @TempDir
    Path tmp;

    private static Model textModel(String id, UnaryOperator<String> f) {
        return Model.of(new ModelInfo(ModelId.parse(id), Modality.TEXT, Modality.TEXT, "test model " + id),
                Parameters.empty(), (in, params) -> CompletableFuture.completedFuture(
                        new ModelOutput(Payload.text(f.apply(((Payload.Text) in).text())), Metadata.empty())));
    }

    @Test
    void should_never_read_a_run_that_is_ending_here_as_interrupted() throws Exception {
        // A reader polls while runs stop: the end is saved, then the writer's lock goes. Read between
        // the two, a run must read as live or as ended, never as left behind by a dead writer.
        RunStore store = RunStore.directory(tmp.resolve("ending"));
        java.util.Set<RunStatus> seen = java.util.EnumSet.noneOf(RunStatus.class);
        dev.panic.Platforms platforms = dev.panic.Platforms.discover();
        for (int i = 0; i < 30; i++) {
            Run run = Run.builder(platforms.network("sim:contrarian"), Payload.text("a hot day")).maxSteps(100_000)
                    .pacing(dev.panic.Pacing.fixed(java.time.Duration.ofMillis(5))).store(store).start();
            Thread.sleep(20);
            run.stop();
            while (!run.await(java.time.Duration.ZERO)) {
                seen.add(store.info(run.id()).status());
            }
            seen.add(store.info(run.id()).status());
        }
        assertThat(seen).contains(RunStatus.STOPPED).doesNotContain(RunStatus.INTERRUPTED);
    }

    @Test
    void should_save_a_whole_run_as_the_engine_makes_it() throws Exception {
        // given
        Network network = Network.of(
                textModel("test:upper", s -> s.toUpperCase(Locale.ROOT) + "!"),
                textModel("test:lower", s -> s.toLowerCase(Locale.ROOT) + "?"));
        RunStore store = RunStore.directory(tmp);

        // when
        Run run = Run.builder(network, Payload.text("x")).maxSteps(5).store(store).start().await();
        StoredRun back = store.read(run.id());

        // then
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.predictions()).hasSize(5);
        assertThat(back.predictions()).isEqualTo(run.predictions());
        assertThat(back.info()).isEqualTo(run.info());
        assertThat(back.warnings()).isEmpty();
        assertThat(store.runIds()).containsExactly(run.id());
        JsonNode runJson = new ObjectMapper().readTree(tmp.resolve(run.id()).resolve("run.json").toFile());
        assertThat(runJson.get("status").textValue()).isEqualTo("COMPLETED");
        assertThat(runJson.get("prediction_count").intValue()).isEqualTo(5);
        assertThat(runJson.get("network")).extracting(JsonNode::textValue).containsExactly("test:upper", "test:lower");
    }
}
