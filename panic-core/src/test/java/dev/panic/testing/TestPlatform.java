package dev.panic.testing;

import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.exception.NotFoundException;
import dev.panic.Platform;
import dev.panic.Readiness;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A platform of hand-made models that records every call, so that tests can tell which model was
 * called with what, across runs that are resumed or forked and find their models by id again.
 */
public final class TestPlatform implements Platform {

    /** One call: the model's name and its input. */
    public record Call(String model, Payload input, Parameters parameters) {
    }

    private record Def(ModelInfo info, Function<Payload, Payload> f) {
    }

    private final String id;
    private final Map<String, Def> models = new LinkedHashMap<>();
    public final List<Call> calls = new CopyOnWriteArrayList<>();

    public TestPlatform(String id) {
        this.id = id;
    }

    /** Adds a model. */
    public TestPlatform model(String name, Modality in, Modality out, Function<Payload, Payload> f) {
        models.put(name, new Def(new ModelInfo(new ModelId(id, name), in, out, "test model"), f));
        return this;
    }

    /** Adds a text-to-text model. */
    public TestPlatform text(String name, Function<String, String> f) {
        return model(name, Modality.TEXT, Modality.TEXT, p -> Payload.text(f.apply(((Payload.Text) p).text())));
    }

    /** A registry with this platform only. */
    public Platforms platforms() {
        return Platforms.builder().register(this).build();
    }

    /** The inputs of the calls to {@code model}, as texts (media as their summary). */
    public List<String> inputs(String model) {
        List<String> out = new ArrayList<>();
        for (Call c : calls) {
            if (c.model().equals(model)) {
                out.add(c.input() instanceof Payload.Text t ? t.text() : c.input().summary(40));
            }
        }
        return out;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return "models made by a test";
    }

    @Override
    public List<ModelInfo> models() {
        return models.values().stream().map(Def::info).toList();
    }

    @Override
    public Readiness readiness() {
        return Readiness.ready("in memory");
    }

    @Override
    public Model model(String name, Parameters parameters) {
        Def def = models.get(name);
        if (def == null) {
            throw new NotFoundException("no model '" + name + "' on " + id + "; known: " + models.keySet());
        }
        return Model.of(def.info(), parameters, (in, p) -> {
            calls.add(new Call(name, in, p));
            return CompletableFuture.completedFuture(new ModelOutput(def.f().apply(in), Metadata.of(p)));
        });
    }
}
