package dev.panic;

import dev.panic.exception.NotFoundException;
import java.util.List;

/**
 * A provider listed in no services file on the test class path: only a class loader that the
 * test builds can find it, as a notebook kernel's loader would find a platform added at run time.
 */
public class HiddenTestProvider implements PlatformProvider {

    @Override
    public String id() {
        return "hidden";
    }

    @Override
    public Platform create(PlatformContext context) {
        return new KeyedPlatform("hidden", context.setting("HIDDEN_API_KEY").isPresent());
    }

    /** A one-model platform that is ready when its key is set. */
    static final class KeyedPlatform implements Platform {
        private final String id;
        private final boolean keySet;

        KeyedPlatform(String id, boolean keySet) {
            this.id = id;
            this.keySet = keySet;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String description() {
            return "test platform";
        }

        @Override
        public List<ModelInfo> models() {
            return List.of(new ModelInfo(new ModelId(id, "upper"), Modality.TEXT, Modality.TEXT, "upper-cases"));
        }

        @Override
        public Readiness readiness() {
            return keySet ? Readiness.ready("key set") : Readiness.notReady("set HIDDEN_API_KEY");
        }

        @Override
        public Model model(String name, Parameters parameters) {
            if (!name.equals("upper")) {
                throw new NotFoundException("no model '" + name + "' on " + id + "; known: upper");
            }
            return Model.of(models().get(0), parameters, (in, p) -> java.util.concurrent.CompletableFuture
                    .completedFuture(new ModelOutput(Payload.text(((Payload.Text) in).text().toUpperCase()), null)));
        }
    }
}
