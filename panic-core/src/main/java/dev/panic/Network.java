package dev.panic;

import dev.panic.exception.NotFoundException;
import dev.panic.exception.ValidationException;
import dev.panic.internal.RingIds;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A directed graph of models, each a {@link Node}: every node's output feeds the nodes it links
 * to, and the modalities must match at every link. A run starts at the {@linkplain #entry() entry
 * node} and follows the links.
 *
 * <p>The usual network is a <b>ring</b>: models in order, the last feeding the first, which is
 * what {@link #builder()} makes when no links are given, and what {@link #of(Model...)} makes:
 * <pre>{@code
 * Network loop = Network.builder()
 *         .add(platforms.model("sim:painter"))     // TEXT -> IMAGE, node "painter"
 *         .add(platforms.model("sim:describer"))   // IMAGE -> TEXT, feeds the painter again
 *         .build();
 * }</pre>
 * Other shapes: a <b>prelude</b> that runs once and then enters the ring
 * ({@link Builder#prelude(Model)}), or any graph given link by link ({@link Builder#link}). A node
 * with several outgoing links is a <b>fan-out</b>: its output feeds every one of them, the run
 * following the first link and a new branch (a run of its own, see {@link Run#branches()})
 * following each of the others. A node with no outgoing link ends the run when it has answered.
 *
 * <p>Immutable. Built networks have been checked: unique node ids, every link's modalities, every
 * node reachable from the entry, every template's references.
 */
public final class Network {

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final List<Node> nodes;
    private final Map<String, Node> byId;
    private final Map<String, List<String>> links;
    private final Map<String, List<Node>> successors;
    private final String entry;
    private final boolean ring;

    private Network(List<Node> nodes, Map<String, List<String>> links, String entry, boolean ring) {
        this.nodes = List.copyOf(nodes);
        Map<String, Node> index = new LinkedHashMap<>();
        nodes.forEach(n -> index.put(n.id(), n));
        this.byId = Collections.unmodifiableMap(index);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        for (Node n : nodes) {
            copy.put(n.id(), List.copyOf(links.getOrDefault(n.id(), List.of())));
        }
        this.links = Collections.unmodifiableMap(copy);
        Map<String, List<Node>> next = new LinkedHashMap<>();
        copy.forEach((from, tos) -> next.put(from, tos.stream().map(index::get).toList()));
        this.successors = Collections.unmodifiableMap(next);
        this.entry = entry;
        this.ring = ring;
    }

    /** A ring of the given models, in order. */
    public static Network of(Model... models) {
        if (models == null) {
            throw new ValidationException("a network needs at least one model; got null");
        }
        return builder().addAll(List.of(models)).build();
    }

    /** A builder for a network. */
    public static Builder builder() {
        return new Builder();
    }

    /** The nodes, in the order they were added. */
    public List<Node> nodes() {
        return nodes;
    }

    /**
     * The node with this id.
     *
     * @throws NotFoundException listing the node ids if there is none
     */
    public Node node(String id) {
        Node n = byId.get(id);
        if (n == null) {
            throw new NotFoundException("the network has no node '" + id + "'; its nodes are "
                    + String.join(", ", byId.keySet()));
        }
        return n;
    }

    /** True if a node has this id. */
    public boolean hasNode(String id) {
        return byId.containsKey(id);
    }

    /** Where a run starts: the node that receives the initial input. */
    public Node entry() {
        return byId.get(entry);
    }

    /** The nodes {@code id} feeds, in link order; empty for a node that ends the run. */
    public List<Node> next(String id) {
        List<Node> to = successors.get(id);
        if (to == null) {
            throw new NotFoundException("the network has no node '" + id + "'; its nodes are "
                    + String.join(", ", byId.keySet()));
        }
        return to;
    }

    /** Every link, as from-node id to the ids it feeds, in order. */
    public Map<String, List<String>> links() {
        return links;
    }

    /** True for a ring: nodes in order, each feeding the next and the last the first. */
    public boolean isRing() {
        return ring;
    }

    /**
     * True if a run can go on for ever: some cycle of links is reachable from the entry. A network
     * without one (a chain) ends by itself.
     */
    public boolean isCyclic() {
        // Every node is reachable from the entry, so any cycle at all is reachable.
        Map<String, Integer> state = new LinkedHashMap<>();
        for (Node n : nodes) {
            if (hasCycleFrom(n.id(), state)) {
                return true;
            }
        }
        return false;
    }

    private boolean hasCycleFrom(String id, Map<String, Integer> state) {
        Integer s = state.get(id);
        if (s != null) {
            return s == 1;
        }
        state.put(id, 1);
        for (String to : links.get(id)) {
            if (hasCycleFrom(to, state)) {
                return true;
            }
        }
        state.put(id, 2);
        return false;
    }

    /** The models of the nodes, in node order. */
    public List<Model> models() {
        return nodes.stream().map(Node::model).toList();
    }

    /** Number of nodes. */
    public int size() {
        return nodes.size();
    }

    /** The modality the entry node takes: what a run's initial input must be. */
    public Modality input() {
        return entry().model().input();
    }

    /**
     * The same network with node {@code id} replaced by {@code node} (which may have another
     * model or template, but keeps the id), checked as {@link Builder#build()} checks.
     *
     * @throws ValidationException if the change breaks a link's modalities, with the message build() gives
     */
    public Network with(Node node) {
        Objects.requireNonNull(node, "node");
        node(node.id());
        List<Node> changed = new ArrayList<>(nodes);
        changed.replaceAll(n -> n.id().equals(node.id()) ? node : n);
        return check(changed, links, entry, ring);
    }

    /** A builder with these nodes and links in it, to change and build again. */
    public Builder toBuilder() {
        Builder b = builder();
        nodes.forEach(b::add);
        if (!ring) {
            links.forEach((from, tos) -> tos.forEach(to -> b.link(from, to)));
            b.entry(entry);
        }
        return b;
    }

    /**
     * A ring as its models joined by arrows, e.g. {@code sim:painter -> sim:describer -> (loop)};
     * another graph as its links, e.g. {@code intro:sim:drifter -> painter:sim:painter, ...}.
     */
    @Override
    public String toString() {
        return RunSpec.NetworkSpec.of(this).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Network n && nodes.equals(n.nodes) && links.equals(n.links)
                && entry.equals(n.entry));
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodes, links, entry);
    }

    /**
     * A place in a network: an id, the model it calls, and optionally a template that wraps the
     * text it receives and templates for some of its parameters ({@link Template}).
     */
    public static final class Node {
        private final String id;
        private final Model model;
        private final Template template;
        private final Map<String, Template> parameterTemplates;
        private final Rejection rejection;

        private Node(String id, Model model, Template template, Map<String, Template> parameterTemplates) {
            this(id, model, template, parameterTemplates, Rejection.fail());
        }

        private Node(String id, Model model, Template template, Map<String, Template> parameterTemplates,
                     Rejection rejection) {
            if (id == null || !NODE_ID.matcher(id).matches()) {
                throw new ValidationException("node id '" + id
                        + "' is not valid; use 1 to 64 letters, digits, '.', '_' or '-'");
            }
            if (model == null) {
                throw new ValidationException("node '" + id + "' has no model");
            }
            if (template != null && model.input() != Modality.TEXT) {
                throw new ValidationException("node '" + id + "' has a template but its model '" + model.id()
                        + "' takes " + model.input() + "; only a node that takes text can wrap its input in a template"
                        + " (use a parameter template for an instruction that goes with an image or sound)");
            }
            this.id = id;
            this.model = model;
            this.template = template;
            this.parameterTemplates = Collections.unmodifiableMap(new LinkedHashMap<>(parameterTemplates));
            this.rejection = rejection == null ? Rejection.fail() : rejection;
            if (this.rejection.policy().equals("replace") && model.input() != Modality.TEXT) {
                throw new ValidationException("node '" + id + "' would replace a refused input with text, but its model '"
                        + model.id() + "' takes " + model.input() + "; use retry or skip");
            }
        }

        /**
         * A node calling {@code model}.
         *
         * @throws ValidationException if the id is not 1 to 64 letters, digits, '.', '_' or '-'
         */
        public static Node of(String id, Model model) {
            return new Node(id, model, null, Map.of());
        }

        /** The node's id, unique in its network. */
        public String id() {
            return id;
        }

        /** The model it calls. */
        public Model model() {
            return model;
        }

        /** The template its text input is wrapped in, if any. */
        public Optional<Template> template() {
            return Optional.ofNullable(template);
        }

        /** Parameters whose values are filled from a template at each call (e.g. a captioner's {@code prompt}). */
        public Map<String, Template> parameterTemplates() {
            return parameterTemplates;
        }

        /** What the node does when its model refuses an input on content grounds; failing by default. */
        public Rejection rejection() {
            return rejection;
        }

        /** The same node with another {@link Rejection} policy. */
        public Node withRejection(Rejection policy) {
            return new Node(id, model, template, parameterTemplates, policy);
        }

        /** The same node calling another model. */
        public Node withModel(Model model) {
            return new Node(id, model, model != null && model.input() != Modality.TEXT ? null : template,
                    parameterTemplates, model != null && model.input() != Modality.TEXT
                    && rejection.policy().equals("replace") ? Rejection.fail() : rejection);
        }

        /** The same node with its input wrapped in {@code template}; null for none. */
        public Node withTemplate(Template template) {
            return new Node(id, model, template, parameterTemplates, rejection);
        }

        /** The same node with its input wrapped in the template {@code text}, see {@link Template}. */
        public Node withTemplate(String text) {
            return withTemplate(text == null ? null : Template.of(text));
        }

        /** The same node with parameter {@code name} filled from {@code template} at each call; null removes it. */
        public Node withParameterTemplate(String name, Template template) {
            if (name == null || name.isBlank()) {
                throw new ValidationException("parameter name must not be blank");
            }
            Map<String, Template> copy = new LinkedHashMap<>(parameterTemplates);
            if (template == null) {
                copy.remove(name);
            } else {
                copy.put(name, template);
            }
            return new Node(id, model, this.template, copy, rejection);
        }

        /** Every template of this node: the input's and the parameters'. */
        List<Template> templates() {
            List<Template> all = new ArrayList<>();
            if (template != null) {
                all.add(template);
            }
            all.addAll(parameterTemplates.values());
            return all;
        }

        @Override
        public boolean equals(Object o) {
            return o == this || (o instanceof Node n && id.equals(n.id) && model.equals(n.model)
                    && Objects.equals(template, n.template) && parameterTemplates.equals(n.parameterTemplates)
                    && rejection.equals(n.rejection));
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, model, template, parameterTemplates, rejection);
        }

        /** {@code painter=sim:painter (TEXT -> IMAGE)}. */
        @Override
        public String toString() {
            return id + "=" + model + (template == null ? "" : " template \"" + template + "\"");
        }
    }

    /**
     * Collects nodes and links; {@link #build()} checks them. Without {@link #link} calls the nodes
     * form a ring in the order added, after the {@link #prelude} nodes if any.
     */
    public static final class Builder {
        private final List<Node> prelude = new ArrayList<>();
        private final List<Node> nodes = new ArrayList<>();
        private final Map<String, List<String>> links = new LinkedHashMap<>();
        private String entry;
        private int added;

        private Builder() {
        }

        /** Appends a node calling {@code model}, its id taken from the model's name (made unique). */
        public Builder add(Model model) {
            if (model == null) {
                throw new ValidationException("model " + (added + 1) + " of the network is null");
            }
            return add(Node.of(RingIds.unique(model.id(), takenIds()), model));
        }

        /** Appends a node with this id calling {@code model}. */
        public Builder add(String id, Model model) {
            if (model == null) {
                throw new ValidationException("model of node '" + id + "' is null");
            }
            return add(Node.of(id, model));
        }

        /** Appends a node. */
        public Builder add(Node node) {
            if (node == null) {
                throw new ValidationException("node " + (added + 1) + " of the network is null");
            }
            nodes.add(node);
            added++;
            return this;
        }

        /** Appends models in order. */
        public Builder addAll(List<Model> more) {
            more.forEach(this::add);
            return this;
        }

        /**
         * Adds a node that runs once, before the ring: preludes are called in the order given, the
         * last feeding the first ring node; the run then loops over the ring. Only with an implicit
         * ring (no {@link #link} calls).
         */
        public Builder prelude(Model model) {
            if (model == null) {
                throw new ValidationException("prelude model " + (prelude.size() + 1) + " is null");
            }
            return prelude(Node.of(RingIds.unique(model.id(), takenIds()), model));
        }

        /** Adds a prelude node; see {@link #prelude(Model)}. */
        public Builder prelude(Node node) {
            if (node == null) {
                throw new ValidationException("prelude node " + (prelude.size() + 1) + " is null");
            }
            prelude.add(node);
            return this;
        }

        /**
         * Links node {@code from} to node {@code to}: {@code from}'s output feeds {@code to}. Once
         * one link is given, the network has exactly the links given (no implicit ring). Links from
         * one node are followed in the order given; the second and later ones start branches.
         */
        public Builder link(String from, String to) {
            if (from == null || to == null) {
                throw new ValidationException("a link needs both node ids; got " + from + " -> " + to);
            }
            List<String> out = links.computeIfAbsent(from, k -> new ArrayList<>());
            if (out.contains(to)) {
                throw new ValidationException("the link " + from + " -> " + to + " is given twice");
            }
            out.add(to);
            return this;
        }

        /** The node that receives the initial input; the first node added (or first prelude) by default. */
        public Builder entry(String nodeId) {
            this.entry = nodeId;
            return this;
        }

        /**
         * The network.
         *
         * @throws ValidationException if it is empty, an id repeats, a link's modalities do not match (the
         *                             message names the link, e.g. "model 2 'x' outputs IMAGE but model 3 'y'
         *                             takes TEXT"), a node cannot be reached from the entry, or a template
         *                             refers to a node that does not exist or does not output text
         */
        public Network build() {
            if (nodes.isEmpty() && prelude.isEmpty()) {
                throw new ValidationException("a network needs at least one model");
            }
            List<Node> all = new ArrayList<>(prelude);
            all.addAll(nodes);
            Set<String> ids = new HashSet<>();
            for (Node n : all) {
                if (!ids.add(n.id())) {
                    throw new ValidationException("two nodes have the id '" + n.id() + "'; give each node its own id");
                }
            }
            if (links.isEmpty()) {
                if (entry != null) {
                    throw new ValidationException("entry('" + entry + "') needs explicit links; a ring starts at its"
                            + " first node (or its first prelude)");
                }
                if (nodes.isEmpty()) {
                    throw new ValidationException("a prelude needs a ring to enter; add at least one node after it");
                }
                Map<String, List<String>> implicit = new LinkedHashMap<>();
                for (int i = 0; i < all.size(); i++) {
                    String to = i + 1 < all.size() ? all.get(i + 1).id() : nodes.get(0).id();
                    implicit.put(all.get(i).id(), List.of(to));
                }
                return check(all, implicit, all.get(0).id(), prelude.isEmpty());
            }
            if (!prelude.isEmpty()) {
                throw new ValidationException("prelude() works with the implicit ring only; with explicit links, add"
                        + " the prelude nodes with add() and link them");
            }
            for (Map.Entry<String, List<String>> e : links.entrySet()) {
                if (!ids.contains(e.getKey())) {
                    throw new ValidationException("the link " + e.getKey() + " -> " + e.getValue().get(0)
                            + " starts at a node that does not exist; the nodes are " + String.join(", ", ids));
                }
                for (String to : e.getValue()) {
                    if (!ids.contains(to)) {
                        throw new ValidationException("the link " + e.getKey() + " -> " + to
                                + " ends at a node that does not exist; the nodes are " + String.join(", ", ids));
                    }
                }
            }
            String start = entry != null ? entry : all.get(0).id();
            if (!ids.contains(start)) {
                throw new ValidationException("the entry node '" + start + "' does not exist; the nodes are "
                        + String.join(", ", ids));
            }
            return check(all, links, start, false);
        }

        private Set<String> takenIds() {
            Set<String> taken = new HashSet<>();
            prelude.forEach(n -> taken.add(n.id()));
            nodes.forEach(n -> taken.add(n.id()));
            return taken;
        }
    }

    private static Network check(List<Node> nodes, Map<String, List<String>> links, String entry, boolean ring) {
        Map<String, Node> byId = new LinkedHashMap<>();
        nodes.forEach(n -> byId.put(n.id(), n));
        int size = nodes.size();
        for (int i = 0; i < size; i++) {
            Node from = nodes.get(i);
            for (String toId : links.getOrDefault(from.id(), List.of())) {
                Node to = byId.get(toId);
                if (from.model().output() != to.model().input()) {
                    if (ring) {
                        int j = nodes.indexOf(to);
                        String wrap = i == size - 1
                                ? " (the network is a closed loop: the last model feeds the first)" : "";
                        throw new ValidationException("model " + (i + 1) + " '" + from.model().id() + "' outputs "
                                + from.model().output() + " but model " + (j + 1) + " '" + to.model().id()
                                + "' takes " + to.model().input() + wrap);
                    }
                    throw new ValidationException("node '" + from.id() + "' (" + from.model().id() + ") outputs "
                            + from.model().output() + " but the node it feeds, '" + to.id() + "' ("
                            + to.model().id() + "), takes " + to.model().input());
                }
            }
        }
        Set<String> reached = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(entry));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (reached.add(id)) {
                todo.addAll(links.getOrDefault(id, List.of()));
            }
        }
        for (Node n : nodes) {
            if (!reached.contains(n.id())) {
                throw new ValidationException("node '" + n.id() + "' cannot be reached from the entry node '" + entry
                        + "'; link it from another node or remove it");
            }
            for (Template t : n.templates()) {
                for (String ref : t.history().keySet()) {
                    Node source = byId.get(ref);
                    if (source == null) {
                        throw new ValidationException("the template of node '" + n.id() + "' refers to node '" + ref
                                + "', which the network does not have; its nodes are "
                                + String.join(", ", byId.keySet()));
                    }
                    if (source.model().output() != Modality.TEXT) {
                        throw new ValidationException("the template of node '" + n.id() + "' refers to the outputs of"
                                + " node '" + ref + "', but they are " + source.model().output()
                                + "; a template can quote text outputs only");
                    }
                }
            }
        }
        return new Network(nodes, links, entry, ring);
    }
}
