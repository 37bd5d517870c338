package dev.panic.analysis;

import dev.panic.Embedding;
import dev.panic.Prediction;
import dev.panic.exception.ValidationException;
import dev.panic.internal.analysis.AverageLinkage;
import dev.panic.internal.detect.Vectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups runs by where they ended: each run's final state — the mean direction of the vectors of
 * its last {@link #tail(int) few} outputs — is clustered with average linkage on cosine similarity,
 * and runs whose final states are on average at least {@link #threshold(double) threshold} similar
 * share an attractor. Averaging the tail makes a run caught in a cycle land on the same state
 * whatever phase it stopped in.
 *
 * <pre>{@code
 * List<Trajectory> runs = store.runIds().stream().map(store::read).map(Trajectory::of).toList();
 * AttractorReport report = Attractors.defaults().embedder("minilm").find(runs);
 * report.attractors().forEach(a -> System.out.println(a.size() + " runs: " + a.representativeOutput().summary(60)));
 * }</pre>
 *
 * <p>Time and memory grow with the square of the number of runs (an n x n similarity matrix): fine
 * for thousands of runs. Immutable and thread-safe.
 */
public final class Attractors {

    /**
     * 0.9: runs that settled on the same content end up far above it, while end states that merely
     * share a topic fall below it.
     */
    public static final double DEFAULT_THRESHOLD = 0.9;
    /** 5 outputs: enough to average over a short cycle and the noise of a fixed point. */
    public static final int DEFAULT_TAIL = 5;

    private final String embedder;
    private final int tail;
    private final double threshold;

    private Attractors(String embedder, int tail, double threshold) {
        this.embedder = embedder;
        this.tail = tail;
        this.threshold = threshold;
    }

    /**
     * Threshold {@value #DEFAULT_THRESHOLD}, tail {@value #DEFAULT_TAIL}, and the embedder found on the
     * most runs' last outputs (ties: the first in alphabetical order).
     */
    public static Attractors defaults() {
        return new Attractors(null, DEFAULT_TAIL, DEFAULT_THRESHOLD);
    }

    /** Compares the vectors of this embedder. */
    public Attractors embedder(String embedderId) {
        if (embedderId == null || embedderId.isBlank()) {
            throw new ValidationException("embedder id is empty");
        }
        return new Attractors(embedderId, tail, threshold);
    }

    /** Averages the vectors of the last {@code outputs} outputs of each run (at least 1). */
    public Attractors tail(int outputs) {
        if (outputs < 1) {
            throw new ValidationException("the tail must be at least 1 output, got " + outputs);
        }
        return new Attractors(embedder, outputs, threshold);
    }

    /** The least average similarity for runs to share an attractor, between -1 and 1. */
    public Attractors threshold(double similarity) {
        if (!(similarity >= -1 && similarity <= 1)) {
            throw new ValidationException("the attractor threshold must be between -1 and 1, got " + similarity);
        }
        return new Attractors(embedder, tail, similarity);
    }

    /** Clusters the runs' final states into attractors. */
    public AttractorReport find(List<Trajectory> runs) {
        String id = embedder != null ? embedder : commonEmbedder(runs);
        List<String> skipped = new ArrayList<>();
        List<Trajectory> members = new ArrayList<>();
        List<float[]> states = new ArrayList<>();
        List<Prediction> lasts = new ArrayList<>();
        for (Trajectory t : runs) {
            List<float[]> recent = new ArrayList<>();
            Prediction last = null;
            List<Prediction> ps = t.predictions();
            for (int i = ps.size() - 1; i >= 0 && recent.size() < tail; i--) {
                Embedding e = id == null ? null : ps.get(i).embeddings().get(id);
                if (ps.get(i).succeeded() && e != null) {
                    recent.add(e.toArray());
                    last = last == null ? ps.get(i) : last;
                }
            }
            float[] state = meanDirection(recent);
            if (state == null) {
                skipped.add(t.runId());
                continue;
            }
            members.add(t);
            states.add(state);
            lasts.add(last);
        }
        int n = states.size();
        double[][] sim = new double[n][n];
        for (int i = 0; i < n; i++) {
            sim[i][i] = 1;
            for (int j = i + 1; j < n; j++) {
                sim[i][j] = cosine(states.get(i), states.get(j));
                sim[j][i] = sim[i][j];
            }
        }
        int[] labels = AverageLinkage.cluster(sim, threshold);
        Map<Integer, List<Integer>> clusters = new HashMap<>();
        for (int i = 0; i < n; i++) {
            clusters.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        }
        List<Attractor> attractors = new ArrayList<>();
        for (int label = 0; label < clusters.size(); label++) {
            List<Integer> idx = clusters.get(label);
            List<float[]> memberStates = new ArrayList<>();
            idx.forEach(i -> memberStates.add(states.get(i)));
            float[] centroid = meanDirection(memberStates);
            int best = idx.get(0);
            double bestSim = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (int i : idx) {
                double s = cosine(states.get(i), centroid);
                sum += s;
                if (s > bestSim) {
                    best = i;
                    bestSim = s;
                }
            }
            Prediction rep = lasts.get(best);
            attractors.add(new Attractor(idx.stream().map(i -> members.get(i).runId()).toList(),
                    members.get(best).runId(), rep.sequence(), rep.output(), sum / idx.size()));
        }
        // Labels follow the first member, so a stable sort keeps ties in the order of their first run.
        attractors.sort(Comparator.comparingInt(Attractor::size).reversed());
        return new AttractorReport(id, threshold, attractors, skipped);
    }

    private static double cosine(float[] a, float[] b) {
        return a.length != b.length ? Double.NaN : Vectors.cosine(a, Vectors.norm(a), b, Vectors.norm(b));
    }

    /** The mean of the unit vectors, as a unit vector; null if there are none or they cancel out. */
    private static float[] meanDirection(List<float[]> vectors) {
        if (vectors.isEmpty()) {
            return null;
        }
        int d = vectors.get(0).length;
        double[] sum = new double[d];
        for (float[] v : vectors) {
            if (v.length != d) {
                return null;
            }
            double norm = Vectors.norm(v);
            if (norm == 0) {
                continue;
            }
            for (int i = 0; i < d; i++) {
                sum[i] += v[i] / norm;
            }
        }
        double len = 0;
        for (double x : sum) {
            len += x * x;
        }
        if (len == 0) {
            return null;
        }
        len = Math.sqrt(len);
        float[] out = new float[d];
        for (int i = 0; i < d; i++) {
            out[i] = (float) (sum[i] / len);
        }
        return out;
    }

    /** The embedder found on the most runs' last outputs with a vector; null if none has one. */
    private static String commonEmbedder(List<Trajectory> runs) {
        Map<String, Integer> counts = new HashMap<>();
        for (Trajectory t : runs) {
            List<Prediction> ps = t.predictions();
            for (int i = ps.size() - 1; i >= 0; i--) {
                if (!ps.get(i).embeddings().isEmpty()) {
                    ps.get(i).embeddings().keySet().forEach(k -> counts.merge(k, 1, Integer::sum));
                    break;
                }
            }
        }
        return counts.entrySet().stream()
                .min(Comparator.<Map.Entry<String, Integer>>comparingInt(e -> -e.getValue())
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey).orElse(null);
    }
}
