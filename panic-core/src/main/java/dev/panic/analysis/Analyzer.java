package dev.panic.analysis;

import dev.panic.Embedding;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Network;
import dev.panic.Parameters;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.Similarity;
import dev.panic.StopReason;
import dev.panic.StopRule;
import dev.panic.detection.Detectors;
import dev.panic.exception.UnavailableException;
import dev.panic.exception.ValidationException;
import dev.panic.internal.detect.SimilarityTracker;
import dev.panic.internal.detect.Vectors;
import dev.panic.StoredRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Analyses runs after the fact. For each modality and embedder of a run: the similarity of every
 * output to the previous and first outputs of the same model (the drift curve), a similarity
 * matrix, and an exponential fit of the drift; for the whole run, where each detector would first
 * have fired.
 *
 * <p>The cost is linear in the run's length except for the matrix, which is bounded: a run longer
 * than {@link #withMatrixSize(int) the matrix size} gets a matrix over an evenly spaced sample of
 * its outputs (a full matrix of 100,000 outputs would be 10^10 cosines and 80 GB). The analysis of
 * a 100,000-step run of 384-dimension vectors takes well under a second (see the README's
 * benchmarks).
 *
 * <pre>{@code
 * RunAnalysis a = Analyzer.defaults().withMatrixSize(128).analyse(Trajectory.of(store.read(id)));
 * a.saveTo(store);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Analyzer {

    /** 256 outputs: a readable heat map, 65,536 cosines, half a megabyte. */
    public static final int DEFAULT_MATRIX_SIZE = 256;

    private static final Analyzer DEFAULTS = new Analyzer(Detectors.defaults(), DEFAULT_MATRIX_SIZE);

    private final List<StopRule> rules;
    private final int matrixSize;

    private Analyzer(List<StopRule> rules, int matrixSize) {
        this.rules = List.copyOf(rules);
        this.matrixSize = matrixSize;
    }

    /** Every detector of {@link Detectors#defaults()}, matrices of at most {@value #DEFAULT_MATRIX_SIZE} outputs. */
    public static Analyzer defaults() {
        return DEFAULTS;
    }

    /** The same analyser running {@code rules} over each trajectory instead (none: no events). */
    public Analyzer withRules(List<StopRule> rules) {
        if (rules == null || rules.stream().anyMatch(java.util.Objects::isNull)) {
            throw new ValidationException("rules must not be null or contain null");
        }
        return new Analyzer(rules, matrixSize);
    }

    /** The same analyser running {@code rules} over each trajectory instead. */
    public Analyzer withRules(StopRule... rules) {
        return withRules(List.of(rules));
    }

    /** The same analyser with matrices of at most {@code outputs} outputs (at least 2). */
    public Analyzer withMatrixSize(int outputs) {
        if (outputs < 2) {
            throw new ValidationException("the matrix size must be at least 2 outputs, got " + outputs);
        }
        return new Analyzer(rules, outputs);
    }

    /** The rules run over each trajectory. */
    public List<StopRule> rules() {
        return rules;
    }

    /** The largest number of outputs in a similarity matrix. */
    public int matrixSize() {
        return matrixSize;
    }

    /** Analyses a run (a snapshot, if it is still going). */
    public RunAnalysis analyse(Run run) {
        return analyse(Trajectory.of(run));
    }

    /** Analyses a saved run. */
    public RunAnalysis analyse(StoredRun run) {
        return analyse(Trajectory.of(run));
    }

    /** Analyses a trajectory. */
    public RunAnalysis analyse(Trajectory trajectory) {
        List<Prediction> ok = new ArrayList<>();
        for (Prediction p : trajectory.predictions()) {
            if (p.succeeded()) {
                ok.add(p);
            }
        }
        ok.sort(Comparator.comparingInt(Prediction::sequence));
        List<String> warnings = new ArrayList<>();

        record Key(Modality modality, String embedderId) {
        }
        Map<Key, List<Similarity>> groups = new LinkedHashMap<>();
        Map<Integer, Prediction> bySequence = new HashMap<>();
        SimilarityTracker tracker = new SimilarityTracker();
        for (Prediction p : ok) {
            bySequence.putIfAbsent(p.sequence(), p);
            for (Similarity s : tracker.observe(p)) {
                groups.computeIfAbsent(new Key(p.output().modality(), s.embedderId()), k -> new ArrayList<>()).add(s);
            }
        }
        List<SeriesAnalysis> series = new ArrayList<>();
        for (Map.Entry<Key, List<Similarity>> g : groups.entrySet()) {
            List<Similarity> sims = g.getValue();
            series.add(new SeriesAnalysis(g.getKey().modality(), g.getKey().embedderId(), sims,
                    matrix(sims, g.getKey().embedderId(), bySequence), fit(sims)));
        }
        return new RunAnalysis(trajectory.runId(), trajectory.predictions().size(), series,
                events(trajectory, ok, warnings), warnings);
    }

    private SimilarityMatrix matrix(List<Similarity> sims, String embedderId, Map<Integer, Prediction> bySequence) {
        int n = sims.size();
        int m = Math.min(n, matrixSize);
        List<Integer> sequences = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            // Evenly spaced, first and last included.
            int index = m == 1 ? 0 : (int) ((long) i * (n - 1) / (m - 1));
            sequences.add(sims.get(index).sequence());
        }
        Embedding[] vectors = new Embedding[m];
        for (int i = 0; i < m; i++) {
            vectors[i] = bySequence.get(sequences.get(i)).embeddings().get(embedderId);
        }
        double[] values = new double[m * m];
        for (int i = 0; i < m; i++) {
            values[i * m + i] = vectors[i].norm() == 0 ? 0 : 1;
            for (int j = i + 1; j < m; j++) {
                double c = Vectors.cosine(vectors[i], vectors[j]);
                values[i * m + j] = c;
                values[j * m + i] = c;
            }
        }
        return new SimilarityMatrix(sequences, values, m < n);
    }

    private static DecayFit fit(List<Similarity> sims) {
        double[] x = new double[sims.size()];
        double[] y = new double[sims.size()];
        for (int i = 0; i < x.length; i++) {
            Similarity s = sims.get(i);
            x[i] = s.lap();
            y[i] = s.toOrigin().orElse(Double.NaN);
        }
        return DecayFit.fit(x, y);
    }

    /** Runs every rule over the trajectory as an observe-only rule: where each first fires. */
    private List<StopReason> events(Trajectory trajectory, List<Prediction> ok, List<String> warnings) {
        if (rules.isEmpty() || ok.isEmpty()) {
            return List.of();
        }
        Optional<Network> network = standIn(trajectory);
        if (network.isEmpty()) {
            warnings.add("the detectors were not run: the predictions do not show every model's modalities");
            return List.of();
        }
        List<StopRule> names = new ArrayList<>();
        List<StopRule.Check> checks = new ArrayList<>();
        for (StopRule rule : rules) {
            try {
                checks.add(rule.start(network.get()));
                names.add(rule);
            } catch (RuntimeException e) {
                warnings.add("rule " + rule.name() + " could not start: " + e.getMessage());
            }
        }
        List<StopReason> events = new ArrayList<>();
        boolean[] done = new boolean[checks.size()];
        int remaining = checks.size();
        java.time.Instant start = ok.get(0).startedAt();
        for (Prediction p : ok) {
            Duration elapsed = Duration.between(start, p.finishedAt());
            for (int i = 0; i < checks.size() && remaining > 0; i++) {
                if (done[i]) {
                    continue;
                }
                try {
                    Optional<StopReason> r = checks.get(i).afterPrediction(p, elapsed);
                    if (r != null && r.isPresent()) {
                        events.add(r.get());
                        done[i] = true;
                        remaining--;
                    }
                } catch (RuntimeException e) {
                    warnings.add("rule " + names.get(i).name() + " failed at output " + p.sequence() + ": "
                            + e.getMessage());
                    done[i] = true;
                    remaining--;
                }
            }
            if (remaining == 0) {
                break;
            }
        }
        return events;
    }

    /**
     * A network of stand-ins for rules that want one: a node per node of the trajectory, with the
     * saved model ids and the modalities the predictions show, linked as the outputs flowed. Its
     * models cannot be called. Empty if it cannot be built (a node whose modalities are unknown).
     */
    private static Optional<Network> standIn(Trajectory t) {
        Map<String, Prediction> first = new LinkedHashMap<>();
        Map<String, java.util.Set<String>> links = new LinkedHashMap<>();
        Prediction previous = null;
        for (Prediction p : t.predictions()) {
            first.putIfAbsent(p.node(), p);
            if (previous != null && previous.succeeded()) {
                links.computeIfAbsent(previous.node(), k -> new java.util.LinkedHashSet<>()).add(p.node());
            }
            previous = p;
        }
        Network.Builder b = Network.builder();
        for (Prediction p : first.values()) {
            Modality out = t.predictions().stream().filter(q -> q.node().equals(p.node()) && q.output() != null)
                    .map(q -> q.output().modality()).findFirst().orElse(null);
            if (out == null) {
                return Optional.empty();
            }
            ModelId id = p.modelId();
            b.add(Network.Node.of(p.node(), Model.of(new ModelInfo(id, p.input().modality(), out, "stand-in for analysis"),
                    Parameters.empty(), (input, params) -> CompletableFuture.<ModelOutput>failedFuture(
                            new UnavailableException("model '" + id + "' is a stand-in for analysing a saved run and"
                                    + " cannot be called")))));
        }
        links.forEach((from, tos) -> tos.forEach(to -> b.link(from, to)));
        if (links.isEmpty()) {
            String only = first.keySet().iterator().next();
            b.link(only, only);
        }
        b.entry(t.predictions().get(0).node());
        try {
            return Optional.of(b.build());
        } catch (ValidationException e) {
            return Optional.empty();
        }
    }
}
