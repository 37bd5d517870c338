package dev.panic;

import dev.panic.exception.ValidationException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One change to a live run's configuration, applied between two model calls by
 * {@link Run#steer(Change...)}: another model, parameters or template for a node, an injected
 * input, new pacing or limits, a pause. Changes are data (a model by id, a pacing by its
 * {@link Spec}), so that they are saved with the run and a trajectory stays interpretable.
 *
 * <pre>{@code
 * run.steer(Change.template("painter", "A watercolour of {input}"),
 *           Change.model("describer", platforms.model("sim:contrarian")));   // one new revision
 * run.steer(Change.inject(Payload.text("a visitor's prompt")));
 * }</pre>
 */
public sealed interface Change permits Change.SetModel, Change.SetParameters, Change.SetTemplate,
        Change.SetParameterTemplate, Change.Inject, Change.SetPacing, Change.SetMaxSteps, Change.SetMaxDuration,
        Change.Pause, Change.Unpause {

    /** Node {@code node} calls another model (keeping its id, links and templates). */
    static Change model(String node, Model model) {
        if (model == null) {
            throw new ValidationException("the new model of node '" + node + "' is null");
        }
        return new SetModel(requireNode(node), model.id(), model.parameters(), model);
    }

    /** Node {@code node}'s model gets these parameters over its current ones. */
    static Change parameters(String node, Parameters parameters) {
        return new SetParameters(requireNode(node), Objects.requireNonNull(parameters, "parameters"));
    }

    /** Node {@code node} wraps its text input in {@code template} ({@link Template}); null removes it. */
    static Change template(String node, String template) {
        if (template != null) {
            Template.of(template); // fails now on a bad placeholder, not at the next call
        }
        return new SetTemplate(requireNode(node), template);
    }

    /** Node {@code node} fills parameter {@code name} from {@code template} at each call; null removes it. */
    static Change parameterTemplate(String node, String name, String template) {
        if (name == null || name.isBlank()) {
            throw new ValidationException("parameter name must not be blank");
        }
        if (template != null) {
            Template.of(template);
        }
        return new SetParameterTemplate(requireNode(node), name, template);
    }

    /**
     * The next call is given {@code input} instead of the previous output: made at the node the
     * run would call next if it takes that modality, else at the first node along the links that does.
     */
    static Change inject(Payload input) {
        return new Inject(null, Objects.requireNonNull(input, "input"));
    }

    /** The next call is made at node {@code node} with {@code input}; the run goes on from there. */
    static Change inject(String node, Payload input) {
        return new Inject(requireNode(node), Objects.requireNonNull(input, "input"));
    }

    /** The wait before each later prediction. */
    static Change pacing(Pacing pacing) {
        if (pacing == null) {
            throw new ValidationException("pacing is null; use Pacing.none() for no wait");
        }
        return new SetPacing(pacing.spec(), pacing);
    }

    /** The run's step limit (replacing any earlier one). */
    static Change maxSteps(int steps) {
        StopRule.maxSteps(steps); // checks the number
        return new SetMaxSteps(steps);
    }

    /** The run's time limit, counted from when the run (or its resumption) started, replacing any earlier one. */
    static Change maxDuration(Duration limit) {
        StopRule.maxDuration(limit);
        return new SetMaxDuration(limit);
    }

    /** No further call starts until {@link #unpause()}; the call in flight finishes and is kept. */
    static Change pause() {
        return new Pause();
    }

    /** Calls start again after a {@link #pause()}. */
    static Change unpause() {
        return new Unpause();
    }

    private static String requireNode(String node) {
        if (node == null || node.isBlank()) {
            throw new ValidationException("a change needs the id of the node it changes");
        }
        return node;
    }

    /**
     * Another model for a node.
     *
     * @param node       the node
     * @param modelId    the model
     * @param parameters its default parameters
     * @param model      the model itself when the change was made in this process; empty when read back
     */
    record SetModel(String node, ModelId modelId, Parameters parameters, Optional<Model> model) implements Change {
        /** Checks the fields. */
        public SetModel {
            requireNode(node);
            Objects.requireNonNull(modelId, "modelId");
            parameters = parameters == null ? Parameters.empty() : parameters;
            model = model == null ? Optional.empty() : model;
        }

        SetModel(String node, ModelId modelId, Parameters parameters, Model model) {
            this(node, modelId, parameters, Optional.of(model));
        }

        /** Equal when node, model id and parameters are; the live model is not compared. */
        @Override
        public boolean equals(Object o) {
            return o instanceof SetModel s && node.equals(s.node) && modelId.equals(s.modelId)
                    && parameters.equals(s.parameters);
        }

        @Override
        public int hashCode() {
            return Objects.hash(node, modelId, parameters);
        }

        @Override
        public String toString() {
            return node + ": model " + modelId + (parameters.isEmpty() ? "" : " " + parameters);
        }
    }

    /**
     * Parameters put over a node's model's current ones.
     *
     * @param node       the node
     * @param parameters the parameters to set
     */
    record SetParameters(String node, Parameters parameters) implements Change {
        @Override
        public String toString() {
            return node + ": parameters " + parameters;
        }
    }

    /**
     * A node's input template.
     *
     * @param node     the node
     * @param template the template text, or null to remove it
     */
    record SetTemplate(String node, String template) implements Change {
        @Override
        public String toString() {
            return node + (template == null ? ": no template" : ": template \"" + template + "\"");
        }
    }

    /**
     * A node's parameter template.
     *
     * @param node      the node
     * @param parameter the parameter it fills
     * @param template  the template text, or null to remove it
     */
    record SetParameterTemplate(String node, String parameter, String template) implements Change {
        @Override
        public String toString() {
            return node + ": parameter " + parameter + (template == null ? " without template" : " from \"" + template
                    + "\"");
        }
    }

    /**
     * An input for the next call.
     *
     * @param node  the node to call with it, or null for the node the run would call next (or the
     *              first along the links that takes its modality)
     * @param input the input
     */
    record Inject(String node, Payload input) implements Change {
        @Override
        public String toString() {
            return (node == null ? "next call" : node) + ": input " + input.summary(60);
        }
    }

    /**
     * New pacing.
     *
     * @param spec   its description
     * @param pacing the pacing itself when made in this process; empty when read back
     */
    record SetPacing(Spec spec, Optional<Pacing> pacing) implements Change {
        /** Checks the fields. */
        public SetPacing {
            Objects.requireNonNull(spec, "spec");
            pacing = pacing == null ? Optional.empty() : pacing;
        }

        SetPacing(Spec spec, Pacing pacing) {
            this(spec, Optional.of(pacing));
        }

        /** Equal when the specs are. */
        @Override
        public boolean equals(Object o) {
            return o instanceof SetPacing s && spec.equals(s.spec);
        }

        @Override
        public int hashCode() {
            return spec.hashCode();
        }

        @Override
        public String toString() {
            return "pacing " + spec;
        }
    }

    /**
     * A new step limit.
     *
     * @param steps the limit
     */
    record SetMaxSteps(int steps) implements Change {
        @Override
        public String toString() {
            return "max steps " + steps;
        }
    }

    /**
     * A new time limit.
     *
     * @param limit the limit
     */
    record SetMaxDuration(Duration limit) implements Change {
        @Override
        public String toString() {
            return "max duration " + limit;
        }
    }

    /** Pause the run. */
    record Pause() implements Change {
        @Override
        public String toString() {
            return "pause";
        }
    }

    /** Go on after a pause. */
    record Unpause() implements Change {
        @Override
        public String toString() {
            return "unpause";
        }
    }
}
