package dev.panic;

import dev.panic.exception.ValidationException;
import java.util.ArrayList;
import java.util.List;

/**
 * An ordered cycle of models: each model's output is the next one's input, and the last model's
 * output feeds the first. Built with {@link #builder()} or {@link #of(Model...)}, which check every
 * link, including the one that wraps around.
 *
 * <pre>{@code
 * Network loop = Network.builder()
 *         .add(platforms.model("sim:painter"))     // TEXT -> IMAGE
 *         .add(platforms.model("sim:describer"))   // IMAGE -> TEXT, feeds the painter again
 *         .build();
 * }</pre>
 */
public final class Network {

    private final List<Model> models;

    private Network(List<Model> models) {
        this.models = List.copyOf(models);
    }

    /** A network of the given models, in order. */
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

    /** The models in order. */
    public List<Model> models() {
        return models;
    }

    /** Number of models. */
    public int size() {
        return models.size();
    }

    /** The model that makes prediction number {@code sequence} of a run (0-based, wrapping). */
    public Model modelAt(int sequence) {
        return models.get(Math.floorMod(sequence, models.size()));
    }

    /** The modality the first model takes: what a run's initial input must be. */
    public Modality input() {
        return models.get(0).input();
    }

    /** A builder with these models in it, to change and build again. */
    public Builder toBuilder() {
        return builder().addAll(models);
    }

    /** The model ids joined by arrows, e.g. {@code sim:painter -> sim:describer -> (loop)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Model m : models) {
            sb.append(m.id()).append(" -> ");
        }
        return sb.append("(loop)").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Network n && models.equals(n.models));
    }

    @Override
    public int hashCode() {
        return models.hashCode();
    }

    /** Collects models in order; {@link #build()} checks the links. */
    public static final class Builder {
        private final List<Model> models = new ArrayList<>();

        private Builder() {
        }

        /** Appends a model. */
        public Builder add(Model model) {
            if (model == null) {
                throw new ValidationException("model " + (models.size() + 1) + " of the network is null");
            }
            models.add(model);
            return this;
        }

        /** Appends models in order. */
        public Builder addAll(List<Model> more) {
            more.forEach(this::add);
            return this;
        }

        /**
         * The network.
         *
         * @throws ValidationException if it is empty or a link's modalities do not match; the message
         *                             names the link, e.g. "model 2 'x' outputs IMAGE but model 3 'y' takes TEXT"
         */
        public Network build() {
            if (models.isEmpty()) {
                throw new ValidationException("a network needs at least one model");
            }
            int n = models.size();
            for (int i = 0; i < n; i++) {
                Model from = models.get(i);
                Model to = models.get((i + 1) % n);
                if (from.output() != to.input()) {
                    String wrap = i == n - 1
                            ? " (the network is a closed loop: the last model feeds the first)" : "";
                    throw new ValidationException("model " + (i + 1) + " '" + from.id() + "' outputs " + from.output()
                            + " but model " + ((i + 1) % n + 1) + " '" + to.id() + "' takes " + to.input() + wrap);
                }
            }
            return new Network(models);
        }
    }
}
