package dev.panic.web.internal;

import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.RunEvent;
import dev.panic.RunInfo;
import dev.panic.Similarity;
import dev.panic.StopReason;
import dev.panic.analysis.Analyzer;
import dev.panic.analysis.RunAnalysis;
import dev.panic.analysis.SeriesAnalysis;
import dev.panic.json.RunJson;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * A saved run told as the events it made, for pages of runs this server is not running: its
 * predictions, their similarities (worked out again from the saved vectors, as the run measured
 * them live), its steering revisions and observations, and its end.
 */
final class History {

    /** Similarities only: the detectors' findings are the run's own observations. */
    private static final Analyzer MEASURES = Analyzer.defaults().withRules(List.of()).withMatrixSize(2);

    private History() {
    }

    /**
     * The events of run {@code runId} before prediction {@code before} (all of them for
     * {@link Integer#MAX_VALUE}), as JSON, with a finished event if the run has ended.
     */
    static List<String> of(RunStore store, String runId, int before, RunJson json) {
        StoredRun run = store.read(runId);
        RunInfo info = run.info();
        Map<Integer, List<Similarity>> measured = new TreeMap<>();
        if (run.predictions().stream().anyMatch(p -> !p.embeddings().isEmpty())) {
            RunAnalysis analysis = MEASURES.analyse(run);
            for (SeriesAnalysis s : analysis.series()) {
                for (Similarity sim : s.similarities()) {
                    measured.computeIfAbsent(sim.sequence(), k -> new ArrayList<>()).add(sim);
                }
            }
        }
        List<String> out = new ArrayList<>();
        List<Revision> revisions = new ArrayList<>(run.revisions());
        for (Prediction p : run.predictions()) {
            if (p.sequence() >= before) {
                break;
            }
            while (!revisions.isEmpty() && revisions.get(0).afterSequence() < p.sequence()) {
                out.add(json.write(new RunEvent.Steered(runId, revisions.remove(0))));
            }
            out.add(json.write(p.succeeded() ? new RunEvent.PredictionMade(runId, p)
                    : new RunEvent.PredictionFailed(runId, p)));
            List<Similarity> sims = measured.get(p.sequence());
            if (sims != null) {
                out.add(json.write(new RunEvent.Measured(runId, p.sequence(), sims)));
            }
            for (StopReason o : info.observations()) {
                if (o.sequence().equals(OptionalInt.of(p.sequence()))) {
                    out.add(json.write(new RunEvent.Observed(runId, o)));
                }
            }
        }
        if (before == Integer.MAX_VALUE) {
            revisions.forEach(r -> out.add(json.write(new RunEvent.Steered(runId, r))));
            if (info.status().isFinal() && info.stopReason().isPresent() && info.finishedAt().isPresent()) {
                out.add(json.write(new RunEvent.Finished(runId, info.status(), info.stopReason().get(),
                        info.finishedAt().get())));
            }
        }
        return out;
    }
}
