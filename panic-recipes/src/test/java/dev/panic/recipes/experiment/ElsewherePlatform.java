package dev.panic.recipes.experiment;

import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.Parameters;
import dev.panic.Platforms;
import dev.panic.exception.NotFoundException;
import dev.panic.Platform;
import dev.panic.Readiness;
import java.util.List;

/**
 * A platform that is not the simulator, id {@code elsewhere}, whose one model, {@code painter},
 * draws as the simulator's painter does and takes a {@code seed}: for forecasts that cannot read a
 * price or latency from the simulator's settings, and for seeds an experiment gives.
 */
final class ElsewherePlatform implements Platform {

    private final Model sim = Platforms.discover().model("sim:painter");
    private final ModelInfo info = new ModelInfo(ModelId.parse("elsewhere:painter"), sim.input(), sim.output(), "a painter")
            .withSeedParameter("seed");

    @Override
    public String id() {
        return "elsewhere";
    }

    @Override
    public String description() {
        return "not the simulator";
    }

    @Override
    public List<ModelInfo> models() {
        return List.of(info);
    }

    @Override
    public Readiness readiness() {
        return Readiness.ready("always");
    }

    @Override
    public Model model(String name, Parameters parameters) {
        if (!name.equals("painter")) {
            throw new NotFoundException("elsewhere has only 'painter'");
        }
        return Model.of(info, parameters, sim::invokeAsync);
    }

    static Platforms with() {
        return Platforms.builder().discover().register(new ElsewherePlatform()).build();
    }
}
