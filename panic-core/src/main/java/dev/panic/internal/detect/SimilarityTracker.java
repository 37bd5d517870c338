package dev.panic.internal.detect;

import dev.panic.Embedding;
import dev.panic.Prediction;
import dev.panic.Similarity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Computes {@link Similarity} values for a run's predictions as they come, in sequence order.
 * Keeps, per network node and embedder, only the origin and the latest vector, so a step costs two
 * cosines whatever the length of the run. Laps are counted per node over every successful output
 * it is shown. Not thread-safe: one run, one thread at a time.
 */
public final class SimilarityTracker {

    private final Map<String, Integer> laps = new HashMap<>();
    private final Map<String, Map<String, State>> byNode = new HashMap<>();

    private static final class State {
        final int originSequence;
        final Embedding origin;
        int lastSequence;
        Embedding last;

        State(int sequence, Embedding v) {
            originSequence = sequence;
            origin = v;
            lastSequence = sequence;
            last = v;
        }
    }

    /**
     * Measures {@code p}'s vectors against the earlier comparable outputs and remembers them.
     *
     * @return one entry per vector of {@code p}, in the order of its embeddings; empty if it has none
     */
    public List<Similarity> observe(Prediction p) {
        if (!p.succeeded()) {
            return List.of();
        }
        int lap = laps.merge(p.node(), 1, Integer::sum) - 1;
        if (p.embeddings().isEmpty()) {
            return List.of();
        }
        Map<String, State> states = byNode.computeIfAbsent(p.node(), k -> new HashMap<>());
        List<Similarity> out = new ArrayList<>(p.embeddings().size());
        for (Map.Entry<String, Embedding> e : p.embeddings().entrySet()) {
            Embedding v = e.getValue();
            State s = states.get(e.getKey());
            if (s == null) {
                states.put(e.getKey(), new State(p.sequence(), v));
                out.add(Similarity.origin(e.getKey(), p.sequence(), lap));
                continue;
            }
            out.add(new Similarity(e.getKey(), p.sequence(), lap, OptionalInt.of(s.lastSequence),
                    comparable(Vectors.cosine(v, s.last)), s.originSequence, comparable(Vectors.cosine(v, s.origin))));
            s.lastSequence = p.sequence();
            s.last = v;
        }
        return out;
    }

    /** Empty for NaN, which is what the cosine of vectors of different dimensions gives. */
    private static OptionalDouble comparable(double d) {
        return Double.isNaN(d) ? OptionalDouble.empty() : OptionalDouble.of(d);
    }
}
