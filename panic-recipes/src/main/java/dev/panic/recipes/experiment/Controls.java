package dev.panic.recipes.experiment;

import dev.panic.Modality;
import dev.panic.ModelId;
import dev.panic.Parameters;
import dev.panic.Platforms;
import dev.panic.RunSpec;
import dev.panic.exception.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The control arms of a network, built as networks of their own (see {@link ExperimentSpec.Control}). */
final class Controls {

    /** The model that shuffles the captions of the shuffled-caption arm. */
    static final ModelId SHUFFLER = ModelId.parse("sim:shuffler");

    private Controls() {
    }

    static RunSpec.NetworkSpec arm(ExperimentSpec.NetworkEntry entry, ExperimentSpec.Control control,
                                   Platforms platforms) {
        RunSpec.NetworkSpec net = entry.network();
        RunSpec.NodeSpec first = net.nodes().stream().filter(n -> n.id().equals(net.entry())).findFirst().orElseThrow();
        if (platforms.model(first.model().toString()).input() != Modality.TEXT) {
            throw new ValidationException("the " + control.id() + " control of network '" + entry.name()
                    + "' needs an entry node that takes text; '" + first.id() + "' (" + first.model() + ") does not");
        }
        return switch (control) {
            case FIXED_CAPTION -> fixed(net, first);
            case SHUFFLED_CAPTION -> shuffled(entry, net, platforms);
        };
    }

    /** The entry node is given the initial prompt at every lap, whatever it is fed. */
    private static RunSpec.NetworkSpec fixed(RunSpec.NetworkSpec net, RunSpec.NodeSpec first) {
        String template = first.template().map(t -> t.replace("{input}", "{initial}")).orElse("{initial}");
        List<RunSpec.NodeSpec> nodes = new ArrayList<>();
        for (RunSpec.NodeSpec n : net.nodes()) {
            nodes.add(n == first ? new RunSpec.NodeSpec(n.id(), n.model(), n.parameters(), Optional.of(template),
                    n.parameterTemplates(), n.rejection()) : n);
        }
        return new RunSpec.NetworkSpec(nodes, net.links(), net.entry());
    }

    /** Every text fed back into the entry node passes through the shuffler first. */
    private static RunSpec.NetworkSpec shuffled(ExperimentSpec.NetworkEntry entry, RunSpec.NetworkSpec net,
                                                Platforms platforms) {
        String shuffleId = "shuffle";
        for (int i = 2; taken(net, shuffleId); i++) {
            shuffleId = "shuffle-" + i;
        }
        Map<String, List<String>> links = new LinkedHashMap<>();
        List<RunSpec.NodeSpec> nodes = new ArrayList<>();
        boolean fed = false;
        int lastFeeder = -1;
        for (int i = 0; i < net.nodes().size(); i++) {
            RunSpec.NodeSpec n = net.nodes().get(i);
            nodes.add(n);
            List<String> to = new ArrayList<>();
            for (String t : net.links().getOrDefault(n.id(), List.of())) {
                if (t.equals(net.entry()) && platforms.model(n.model().toString()).output() == Modality.TEXT) {
                    to.add(shuffleId);
                    fed = true;
                    lastFeeder = i;
                } else {
                    to.add(t);
                }
            }
            links.put(n.id(), to);
        }
        if (!fed) {
            throw new ValidationException("the shuffled-caption control of network '" + entry.name() + "' needs a text"
                    + " fed back into its entry node '" + net.entry() + "'; no node feeds it text");
        }
        // Placed after the last node that feeds it, so that a ring stays a ring in node order.
        nodes.add(lastFeeder + 1, new RunSpec.NodeSpec(shuffleId, SHUFFLER, Parameters.empty(), null, Map.of()));
        links.put(shuffleId, List.of(net.entry()));
        return new RunSpec.NetworkSpec(nodes, links, net.entry());
    }

    private static boolean taken(RunSpec.NetworkSpec net, String id) {
        return net.nodes().stream().anyMatch(n -> n.id().equals(id));
    }
}
