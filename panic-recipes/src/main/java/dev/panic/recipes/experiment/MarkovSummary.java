package dev.panic.recipes.experiment;

import dev.panic.Embedding;
import dev.panic.Prediction;
import dev.panic.analysis.Attractor;
import dev.panic.analysis.AttractorReport;
import dev.panic.analysis.Attractors;
import dev.panic.analysis.Trajectory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs as walks between attractor states: each output with a vector is in attractor {@code Ak} when
 * it is at least the census threshold similar to one of the final outputs of a run that ended in
 * {@code Ak} (the {@value Attractors#DEFAULT_TAIL} outputs a run's final state is made of), else
 * {@code transient}. Counting the steps from state to state over all runs gives a Markov chain:
 * how often each state follows each, how long a run stays in a state once there, and which states
 * no run ever left.
 *
 * @param embedderId  the embedder whose vectors place the outputs
 * @param states      the states: {@code A1}, {@code A2}... in the census's order, then {@code transient}
 * @param transitions from state to state to how many steps went that way (self-steps included)
 * @param visits      per state, how many outputs were in it
 * @param meanDwell   per state, the mean number of consecutive outputs a run stayed in it
 * @param absorbing   the states that were entered and never left by any run
 */
public record MarkovSummary(String embedderId, List<String> states, Map<String, Map<String, Long>> transitions,
                            Map<String, Long> visits, Map<String, Double> meanDwell, List<String> absorbing) {

    /** The state of an output near no attractor. */
    public static final String TRANSIENT = "transient";

    /** Copies. */
    public MarkovSummary {
        states = List.copyOf(states);
        Map<String, Map<String, Long>> t = new LinkedHashMap<>();
        transitions.forEach((k, v) -> t.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        transitions = Collections.unmodifiableMap(t);
        visits = Collections.unmodifiableMap(new LinkedHashMap<>(visits));
        meanDwell = Collections.unmodifiableMap(new LinkedHashMap<>(meanDwell));
        absorbing = List.copyOf(absorbing);
    }

    /** The name of the {@code index}-th attractor of a census (from 0): {@code A1}, {@code A2}... */
    public static String state(int index) {
        return "A" + (index + 1);
    }

    /** The chain over these runs, with the attractors {@code census} found among them. */
    public static MarkovSummary of(AttractorReport census, List<Trajectory> runs) {
        String embedder = census.embedderId();
        List<List<Embedding>> anchors = new ArrayList<>();
        Map<String, Trajectory> byId = new HashMap<>();
        runs.forEach(t -> byId.put(t.runId(), t));
        for (Attractor a : census.attractors()) {
            List<Embedding> tail = new ArrayList<>();
            for (String id : a.runIds()) {
                List<Embedding> vectors = vectors(byId.get(id), embedder);
                tail.addAll(vectors.subList(Math.max(0, vectors.size() - Attractors.DEFAULT_TAIL), vectors.size()));
            }
            anchors.add(tail);
        }
        List<String> states = new ArrayList<>();
        for (int i = 0; i < anchors.size(); i++) {
            states.add(state(i));
        }
        states.add(TRANSIENT);
        Map<String, Map<String, Long>> transitions = new LinkedHashMap<>();
        Map<String, Long> visits = new LinkedHashMap<>();
        Map<String, long[]> dwell = new LinkedHashMap<>(); // per state: stays, outputs in stays
        states.forEach(s -> {
            transitions.put(s, new LinkedHashMap<>());
            visits.put(s, 0L);
            dwell.put(s, new long[2]);
        });
        for (Trajectory t : runs) {
            if (census.skipped().contains(t.runId())) {
                continue;
            }
            String previous = null;
            for (Embedding e : vectors(t, embedder)) {
                String s = place(e, anchors, census.threshold());
                visits.merge(s, 1L, Long::sum);
                dwell.get(s)[1]++;
                if (!s.equals(previous)) {
                    dwell.get(s)[0]++;
                }
                if (previous != null) {
                    transitions.get(previous).merge(s, 1L, Long::sum);
                }
                previous = s;
            }
        }
        Map<String, Double> meanDwell = new LinkedHashMap<>();
        List<String> absorbing = new ArrayList<>();
        for (String s : states) {
            long[] d = dwell.get(s);
            meanDwell.put(s, d[0] == 0 ? 0.0 : (double) d[1] / d[0]);
            boolean left = transitions.get(s).keySet().stream().anyMatch(to -> !to.equals(s));
            if (visits.get(s) > 0 && !left) {
                absorbing.add(s);
            }
        }
        return new MarkovSummary(embedder, states, transitions, visits, meanDwell, absorbing);
    }

    private static String place(Embedding e, List<List<Embedding>> anchors, double threshold) {
        int best = -1;
        double bestSim = threshold;
        for (int k = 0; k < anchors.size(); k++) {
            for (Embedding a : anchors.get(k)) {
                if (a.dimension() == e.dimension()) {
                    double s = e.cosine(a);
                    if (s >= bestSim) {
                        bestSim = s;
                        best = k;
                    }
                }
            }
        }
        return best < 0 ? TRANSIENT : state(best);
    }

    private static List<Embedding> vectors(Trajectory t, String embedder) {
        List<Embedding> out = new ArrayList<>();
        if (t == null || embedder == null) {
            return out;
        }
        for (Prediction p : t.predictions()) {
            Embedding e = p.embeddings().get(embedder);
            if (p.succeeded() && e != null) {
                out.add(e);
            }
        }
        return out;
    }
}
