package dev.panic.temporal.internal;

import dev.panic.Model;
import dev.panic.Network;
import dev.panic.RunSpec;
import dev.panic.Template;
import java.util.Map;
import java.util.function.Function;

/** A spec's network with the models a caller gives for its nodes: real ones for a client, stand-ins in a workflow. */
public final class Networks {

    private Networks() {
    }

    public static Network of(RunSpec.NetworkSpec spec, Function<RunSpec.NodeSpec, Model> models) {
        Network.Builder b = Network.builder();
        for (RunSpec.NodeSpec n : spec.nodes()) {
            Network.Node node = Network.Node.of(n.id(), models.apply(n)).withTemplate(n.template().orElse(null));
            for (Map.Entry<String, String> t : n.parameterTemplates().entrySet()) {
                node = node.withParameterTemplate(t.getKey(), Template.of(t.getValue()));
            }
            b.add(node);
        }
        if (!spec.isRing()) {
            spec.links().forEach((from, tos) -> tos.forEach(to -> b.link(from, to)));
            b.entry(spec.entry());
        }
        return b.build();
    }
}
