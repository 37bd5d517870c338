package dev.panic.notebook;

import dev.panic.Network;
import dev.panic.Pacing;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Run;
import dev.panic.embeddings.OfflineEmbedders;
import java.time.Duration;

/** Offline simulator payloads and runs for the notebook tests. */
final class Sims {

    static final Platforms PLATFORMS = Platforms.discover();

    private Sims() {
    }

    static Payload.Image picture(String prompt) {
        return (Payload.Image) PLATFORMS.model("sim:painter").invoke(Payload.text(prompt)).payload();
    }

    static Payload.Audio sound(String words) {
        return (Payload.Audio) PLATFORMS.model("sim:synth").invoke(Payload.text(words)).payload();
    }

    /** A painter/describer loop of {@code steps} steps, each call {@code pace} apart, embedded offline. */
    static Run loop(int steps, Duration pace) {
        Network loop = Network.builder().add(PLATFORMS.model("sim:painter")).add(PLATFORMS.model("sim:describer"))
                .build();
        return Run.builder(loop, Payload.text("a big blue square on a yellow background"))
                .embedWith(OfflineEmbedders.image())
                .maxSteps(steps)
                .pacing(Pacing.fixed(pace))
                .start();
    }
}
