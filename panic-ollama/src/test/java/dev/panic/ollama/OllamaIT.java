package dev.panic.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.panic.Modality;
import dev.panic.ModelInfo;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.PlatformContext;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Against a real Ollama server: runs only when OLLAMA_HOST is set and the server answers. */
@EnabledIfEnvironmentVariable(named = "OLLAMA_HOST", matches = ".+")
class OllamaIT {

    @Test
    void should_caption_a_simulator_painting_with_an_installed_vision_model() {
        Platforms platforms = Platforms.builder().context(PlatformContext.system()).discover().build();
        OllamaPlatform ollama = (OllamaPlatform) platforms.platform("ollama");
        assumeTrue(ollama.readiness().ready(), ollama.readiness().detail());
        Optional<ModelInfo> vision = ollama.models().stream().filter(m -> m.input() == Modality.IMAGE).findFirst();
        assumeTrue(vision.isPresent(), "no vision model installed; try `ollama pull moondream`");

        Payload image = platforms.model("sim:painter").invoke(Payload.text("a red circle on a white background")).payload();
        Payload caption = platforms.model(vision.get().id().toString()).invoke(image).payload();

        assertThat(((Payload.Text) caption).text()).isNotBlank();
    }
}
