package dev.panic.internal.detect;

import dev.panic.Embedding;
import dev.panic.Prediction;
import dev.panic.StopReason;
import dev.panic.StopRule;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The common part of the detectors on embeddings: splits a run's vectors into <em>series</em> of
 * comparable outputs — one per network node and embedder — and hands each new vector to its
 * series' state. Only outputs of the same node on successive visits (laps) are ever compared, so
 * an image's vector never meets a text's.
 *
 * <p>A lap with no vector in a series (the embedder failed, or a stored run lacks a line) is passed
 * on as a gap, which every detector treats as a break in its pattern: missing evidence never
 * confirms a pattern. Laps are counted per node over every successful output the check is shown,
 * with or without vectors, so a check must see every successful prediction in order.
 *
 * @param <S> the per-series state
 */
public abstract class SeriesCheck<S extends SeriesCheck.Series> implements StopRule.Check {

    /** The state a detector keeps for one series. */
    public abstract static class Series {
        int lastLap = -1;
        int lastSequence = -1;
    }

    /**
     * Where a vector comes from: enough to word a stop reason.
     *
     * @param prediction       the prediction whose output it is
     * @param embedderId       the embedder
     * @param lap              its node's visit count before it (0 for the node's first output)
     * @param previousSequence the sequence of the series' previous vector, or -1 if this is the first
     */
    protected record At(Prediction prediction, String embedderId, int lap, int previousSequence) {
        /** The sequence number of this output. */
        int sequence() {
            return prediction.sequence();
        }

        /** One lap in predictions: how far back the previous vector of the series is (0 if none). */
        int lapLength() {
            return previousSequence < 0 ? 0 : prediction.sequence() - previousSequence;
        }
    }

    private final String embedder;
    private final Map<String, Integer> laps = new HashMap<>();
    private final Map<String, Map<String, S>> series = new HashMap<>();

    /** @param embedder the only embedder to look at, or null for every embedder */
    protected SeriesCheck(String embedder) {
        this.embedder = embedder;
    }

    /** A fresh state for a new series. */
    protected abstract S newSeries();

    /**
     * Takes the next vector of a series.
     *
     * @param gap how many laps had no vector since the previous one (0 normally)
     * @return a reason if the pattern is now confirmed
     */
    protected abstract Optional<StopReason> observe(S series, Embedding vector, int gap, At at);

    @Override
    public final Optional<StopReason> afterPrediction(Prediction p, Duration elapsed) {
        if (!p.succeeded()) {
            return Optional.empty();
        }
        int lap = laps.merge(p.node(), 1, Integer::sum) - 1;
        if (p.embeddings().isEmpty()) {
            return Optional.empty();
        }
        Map<String, S> states = series.computeIfAbsent(p.node(), k -> new HashMap<>());
        Optional<StopReason> found = Optional.empty();
        for (Map.Entry<String, Embedding> e : p.embeddings().entrySet()) {
            if (embedder != null && !embedder.equals(e.getKey())) {
                continue;
            }
            S s = states.computeIfAbsent(e.getKey(), k -> newSeries());
            int gap = s.lastLap < 0 ? 0 : lap - s.lastLap - 1;
            At at = new At(p, e.getKey(), lap, s.lastSequence);
            s.lastLap = lap;
            s.lastSequence = p.sequence();
            // Every series is updated even after one has fired, so that the state stays true.
            Optional<StopReason> r = observe(s, e.getValue(), gap, at);
            if (found.isEmpty()) {
                found = r;
            }
        }
        return found;
    }
}
