package dev.panic;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Small hand-made models for engine tests, so they do not depend on the simulator's behaviour. */
final class TestModels {
    private TestModels() {
    }

    static Model model(String id, Modality in, Modality out, Function<Payload, Payload> f) {
        return Model.of(new ModelInfo(ModelId.parse(id), in, out, "test model"), Parameters.empty(),
                (input, params) -> CompletableFuture.completedFuture(new ModelOutput(f.apply(input), Metadata.of(params))));
    }

    static Model text(String id, Function<String, String> f) {
        return model(id, Modality.TEXT, Modality.TEXT, p -> Payload.text(f.apply(((Payload.Text) p).text())));
    }

    /** Appends "+" forever: never repeats. */
    static Model grower() {
        return text("test:grow", s -> s + "+");
    }

    static Payload.Image png(int seed) {
        return Payload.image(new byte[] {(byte) 0x89, 'P', 'N', 'G', (byte) seed}, "image/png");
    }
}
