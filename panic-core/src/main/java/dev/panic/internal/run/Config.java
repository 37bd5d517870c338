package dev.panic.internal.run;

import dev.panic.Change;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.Network;
import dev.panic.Pacing;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.StopRule;
import dev.panic.Template;
import dev.panic.exception.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A run's configuration at one revision: what steering changes. Immutable; {@link #apply} makes
 * the next revision or refuses a change with the message {@link Network.Builder#build()} would give.
 *
 * @param network   the network
 * @param pacing    the wait before each prediction
 * @param stopRules the rules that end the run
 * @param paused    true while no call may start
 * @param revision  its number
 * @param injection an input for the next call, made at this revision, or null
 */
record Config(Network network, Pacing pacing, List<StopRule> stopRules, boolean paused, int revision,
              Injection injection) {

    /** An injected input and the revision that brought it. */
    record Injection(String node, Payload input, int revision) {
    }

    /** Finds the model a change names, when the change was read back without it. */
    interface Models {
        Model model(ModelId id, Parameters parameters);
    }

    Config {
        stopRules = List.copyOf(stopRules);
    }

    /**
     * The next revision with {@code changes} applied in order.
     *
     * @throws ValidationException if a change names an unknown node, breaks a link's modalities,
     *                             or injects an input no node takes
     */
    Config apply(List<Change> changes, Models models) {
        Network net = network;
        Pacing pace = pacing;
        List<StopRule> rules = new ArrayList<>(stopRules);
        boolean pause = paused;
        Injection inject = null;
        int next = revision + 1;
        for (Change c : changes) {
            if (c instanceof Change.SetModel m) {
                Model model = m.model().orElseGet(() -> {
                    if (models == null) {
                        throw new ValidationException("cannot find model '" + m.modelId() + "' for node '" + m.node()
                                + "': this run was given no platforms; pass the model itself with Change.model");
                    }
                    return models.model(m.modelId(), m.parameters());
                });
                net = net.with(net.node(m.node()).withModel(model));
            } else if (c instanceof Change.SetParameters p) {
                Network.Node node = net.node(p.node());
                net = net.with(node.withModel(node.model().withParameters(p.parameters())));
            } else if (c instanceof Change.SetTemplate t) {
                net = net.with(net.node(t.node()).withTemplate(t.template()));
            } else if (c instanceof Change.SetParameterTemplate t) {
                net = net.with(net.node(t.node()).withParameterTemplate(t.parameter(),
                        t.template() == null ? null : Template.of(t.template())));
            } else if (c instanceof Change.Inject i) {
                if (i.node() != null) {
                    Network.Node node = net.node(i.node());
                    if (node.model().input() != i.input().modality()) {
                        throw new ValidationException("cannot inject " + i.input().modality() + " at node '" + i.node()
                                + "': its model '" + node.model().id() + "' takes " + node.model().input());
                    }
                } else if (net.nodes().stream().noneMatch(n -> n.model().input() == i.input().modality())) {
                    throw new ValidationException("cannot inject " + i.input().modality() + ": no node of the network"
                            + " takes it");
                }
                inject = new Injection(i.node(), i.input(), next);
            } else if (c instanceof Change.SetPacing p) {
                pace = p.pacing().orElseGet(() -> Pacing.of(p.spec()));
            } else if (c instanceof Change.SetMaxSteps m) {
                replace(rules, StopRule.maxSteps(m.steps()));
            } else if (c instanceof Change.SetMaxDuration m) {
                replace(rules, StopRule.maxDuration(m.limit()));
            } else if (c instanceof Change.Pause) {
                pause = true;
            } else if (c instanceof Change.Unpause) {
                pause = false;
            }
        }
        return new Config(net, pace, rules, pause, next, inject != null ? inject : injection);
    }

    /** The shortest time limit among the rules, if any. */
    Optional<Duration> timeLimit() {
        return stopRules.stream().map(StopRule::timeLimit).flatMap(Optional::stream).min(Duration::compareTo);
    }

    /** Replaces the rule of the same name, or adds {@code rule}: a run has one step limit and one time limit. */
    static void replace(List<StopRule> rules, StopRule rule) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).name().equals(rule.name())) {
                rules.set(i, rule);
                return;
            }
        }
        rules.add(rule);
    }
}
