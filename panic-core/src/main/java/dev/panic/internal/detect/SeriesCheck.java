package dev.panic.internal.detect;

import dev.panic.Embedding;
import dev.panic.Network;
import dev.panic.Prediction;
import dev.panic.StopReason;
import dev.panic.StopRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The common part of the detectors on embeddings: splits a run's vectors into <em>series</em> of
 * comparable outputs — one per network position and embedder — and hands each new vector to its
 * series' state. Only outputs of the same model one lap apart are ever compared, so an image's
 * vector never meets a text's.
 *
 * <p>A lap with no vector in a series (the embedder failed, or a stored run lacks a line) is passed
 * on as a gap, which every detector treats as a break in its pattern: missing evidence never
 * confirms a pattern.
 *
 * @param <S> the per-series state
 */
public abstract class SeriesCheck<S extends SeriesCheck.Series> implements StopRule.Check {

    /** The state a detector keeps for one series. */
    public abstract static class Series {
        int lastLap = -1;
    }

    /** Where a vector comes from: enough to word a stop reason. */
    protected record At(Prediction prediction, String embedderId, int position, int lap, int networkSize) {
        /** The sequence number of the output {@code laps} laps before this one. */
        int sequenceAt(int lapOfOutput) {
            return lapOfOutput * networkSize + position;
        }
    }

    private final int size;
    private final String embedder;
    private final List<Map<String, S>> series = new ArrayList<>();

    /**
     * @param network  the run's network
     * @param embedder the only embedder to look at, or null for every embedder
     */
    protected SeriesCheck(Network network, String embedder) {
        this.size = network.size();
        this.embedder = embedder;
        for (int i = 0; i < size; i++) {
            series.add(new HashMap<>());
        }
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
        if (!p.succeeded() || p.embeddings().isEmpty()) {
            return Optional.empty();
        }
        int position = p.sequence() % size;
        int lap = p.sequence() / size;
        Map<String, S> states = series.get(position);
        Optional<StopReason> found = Optional.empty();
        for (Map.Entry<String, Embedding> e : p.embeddings().entrySet()) {
            if (embedder != null && !embedder.equals(e.getKey())) {
                continue;
            }
            S s = states.computeIfAbsent(e.getKey(), k -> newSeries());
            if (lap <= s.lastLap) {
                continue; // a duplicate or out-of-order line of a stored run: nothing new
            }
            int gap = s.lastLap < 0 ? 0 : lap - s.lastLap - 1;
            s.lastLap = lap;
            // Every series is updated even after one has fired, so that the state stays true.
            Optional<StopReason> r = observe(s, e.getValue(), gap,
                    new At(p, e.getKey(), position, lap, size));
            if (found.isEmpty()) {
                found = r;
            }
        }
        return found;
    }
}
