package dev.panic;

import dev.panic.exception.ValidationException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to run a run again, as data: the network (models by id with their parameters
 * and templates, the links), the initial input, the stop and observe rules with their settings,
 * the embedders by id, pacing and limits. Saved with every run ({@link RunInfo#spec()}), accepted
 * by {@code panic run --spec FILE} in its JSON form ({@link dev.panic.json.RunSpecJson}), and
 * turned back into a run by {@link Run#builder(RunSpec, Platforms)}.
 *
 * <p>A spec holds no live objects, so reading one back needs no platform; building a run from it
 * looks the models and embedders up in a {@link Platforms}.
 *
 * @param network          the network
 * @param input            the initial input
 * @param stopRules        the rules that end the run, in order
 * @param observeRules     the rules that only record where they would have ended it
 * @param embedders        the ids of the embedders that embed every output
 * @param embeddingTimeout how long one embedder may take for one output
 * @param pacing           the wait before each prediction
 * @param maxBranches      the most branches (the run included) alive at once in a run with fan-outs
 * @param maxPredictions   the most predictions the run and all its branches make together
 *                         ({@link Long#MAX_VALUE}: no such limit)
 * @param forever          true if the run was explicitly allowed to run without any limit
 * @param durability       how each saved record is written
 */
public record RunSpec(NetworkSpec network, Payload input, List<Spec> stopRules, List<Spec> observeRules,
                      List<String> embedders, Duration embeddingTimeout, Spec pacing, int maxBranches,
                      long maxPredictions, boolean forever, Durability durability) {

    /** Checks and copies. */
    public RunSpec {
        if (network == null || input == null) {
            throw new ValidationException("a run spec needs a network and an initial input");
        }
        stopRules = stopRules == null ? List.of() : List.copyOf(stopRules);
        observeRules = observeRules == null ? List.of() : List.copyOf(observeRules);
        embedders = embedders == null ? List.of() : List.copyOf(embedders);
        embeddingTimeout = embeddingTimeout == null ? Run.Builder.DEFAULT_EMBEDDING_TIMEOUT : embeddingTimeout;
        pacing = pacing == null ? Spec.of("none") : pacing;
        durability = durability == null ? Durability.FLUSH : durability;
        if (maxBranches < 1) {
            throw new ValidationException("max branches must be at least 1, got " + maxBranches);
        }
        if (maxPredictions < 1) {
            throw new ValidationException("max predictions must be at least 1, got " + maxPredictions);
        }
    }

    /** The model ids of the network's nodes, in node order. */
    public List<ModelId> modelIds() {
        return network.nodes().stream().map(NodeSpec::model).toList();
    }

    /**
     * A network as data.
     *
     * @param nodes the nodes in order
     * @param links from node id to the ids it feeds, in order
     * @param entry the node that receives the initial input
     */
    public record NetworkSpec(List<NodeSpec> nodes, Map<String, List<String>> links, String entry) {
        /** Checks and copies. */
        public NetworkSpec {
            if (nodes == null || nodes.isEmpty()) {
                throw new ValidationException("a network needs at least one node");
            }
            nodes = List.copyOf(nodes);
            Map<String, List<String>> copy = new LinkedHashMap<>();
            if (links != null) {
                links.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            }
            links = Collections.unmodifiableMap(copy);
            entry = entry == null ? nodes.get(0).id() : entry;
        }

        /** The description of a built network. */
        public static NetworkSpec of(Network network) {
            return new NetworkSpec(network.nodes().stream().map(NodeSpec::of).toList(), network.links(),
                    network.entry().id());
        }

        /**
         * The network this describes, built with the model each node calls and checked as
         * {@link Network.Builder#build()} checks.
         *
         * @param models the model for a node (with the node's parameters), e.g. looked up in {@link Platforms}
         */
        public Network toNetwork(java.util.function.Function<NodeSpec, Model> models) {
            Network.Builder b = Network.builder();
            for (NodeSpec n : nodes) {
                Network.Node node = Network.Node.of(n.id(), models.apply(n)).withTemplate(n.template().orElse(null))
                        .withRejection(n.rejection());
                for (Map.Entry<String, String> t : n.parameterTemplates().entrySet()) {
                    node = node.withParameterTemplate(t.getKey(), Template.of(t.getValue()));
                }
                b.add(node);
            }
            if (!isRing()) {
                links.forEach((from, tos) -> tos.forEach(to -> b.link(from, to)));
                b.entry(entry);
            }
            return b.build();
        }

        /**
         * A ring as its model ids joined by arrows ({@code sim:painter -> sim:describer -> (loop)}),
         * another graph as its links.
         */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            if (isRing()) {
                nodes.forEach(n -> sb.append(n.model()).append(" -> "));
                return sb.append("(loop)").toString();
            }
            List<String> parts = new java.util.ArrayList<>();
            for (NodeSpec n : nodes) {
                List<String> to = links.getOrDefault(n.id(), List.of());
                String from = n.id() + "=" + n.model();
                parts.add(to.isEmpty() ? from + " -> (end)" : from + " -> " + String.join(" + ", to));
            }
            return "[" + String.join(", ", parts) + "] from " + entry;
        }

        /** True if its links make a ring of the nodes in order, starting at the first. */
        public boolean isRing() {
            int n = nodes.size();
            if (!entry.equals(nodes.get(0).id())) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                List<String> to = links.getOrDefault(nodes.get(i).id(), List.of());
                if (to.size() != 1 || !to.get(0).equals(nodes.get((i + 1) % n).id())) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * A node as data.
     *
     * @param id                 the node's id
     * @param model              the model it calls
     * @param parameters         the model's default parameters for this node
     * @param template           the template its text input is wrapped in; empty if none
     * @param parameterTemplates parameters filled from templates at each call
     * @param rejection          what the node does when its model refuses an input on content grounds
     */
    public record NodeSpec(String id, ModelId model, Parameters parameters, Optional<String> template,
                           Map<String, String> parameterTemplates, Rejection rejection) {
        /** Checks and copies; a {@code null} template is stored as empty. */
        public NodeSpec {
            if (id == null || model == null) {
                throw new ValidationException("a node needs an id and a model");
            }
            template = template == null ? Optional.empty() : template;
            parameters = parameters == null ? Parameters.empty() : parameters;
            parameterTemplates = parameterTemplates == null ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(parameterTemplates));
            rejection = rejection == null ? Rejection.fail() : rejection;
        }

        /** A node that fails on a refused input. */
        public NodeSpec(String id, ModelId model, Parameters parameters, Optional<String> template,
                        Map<String, String> parameterTemplates) {
            this(id, model, parameters, template, parameterTemplates, Rejection.fail());
        }

        /** The description of a built node. */
        public static NodeSpec of(Network.Node node) {
            Map<String, String> templates = new LinkedHashMap<>();
            node.parameterTemplates().forEach((k, v) -> templates.put(k, v.text()));
            return new NodeSpec(node.id(), node.model().id(), node.model().parameters(),
                    node.template().map(Template::text), templates, node.rejection());
        }
    }
}
