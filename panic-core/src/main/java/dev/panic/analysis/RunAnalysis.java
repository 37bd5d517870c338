package dev.panic.analysis;

import dev.panic.Modality;
import dev.panic.Run;
import dev.panic.StopReason;
import dev.panic.internal.analysis.AnalysisJson;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import java.util.List;
import java.util.Optional;

/**
 * What one run did, worked out from its predictions and their vectors by an {@link Analyzer}.
 * Save it beside the run with {@link #saveTo(RunStore)}.
 *
 * @param runId       the run
 * @param predictions how many predictions were analysed (failed ones included)
 * @param series      one per modality and embedder, in the order they first appear in the run
 * @param events      where each detector first fired over the whole trajectory, as observe-only
 *                    rules would have recorded it, in the order they fired
 * @param warnings    what could not be analysed and why (e.g. a rule that failed)
 */
public record RunAnalysis(String runId, int predictions, List<SeriesAnalysis> series, List<StopReason> events,
                          List<String> warnings) {

    /** Copies the lists. */
    public RunAnalysis {
        series = List.copyOf(series);
        events = List.copyOf(events);
        warnings = List.copyOf(warnings);
    }

    /** Analyses a run (a snapshot, if it is still going) with {@link Analyzer#defaults()}. */
    public static RunAnalysis of(Run run) {
        return Analyzer.defaults().analyse(Trajectory.of(run));
    }

    /** This analysis as JSON, the {@code analysis.json} document a store keeps. */
    public String toJson() {
        return AnalysisJson.encode(this);
    }

    /**
     * Saves this analysis beside its run in {@code store}, replacing an earlier one.
     *
     * @throws dev.panic.exception.NotFoundException if the store has no run {@link #runId()}
     * @throws UnsupportedOperationException if the store does not keep analyses
     */
    public void saveTo(RunStore store) {
        store.saveAnalysis(runId, toJson());
    }

    /** Analyses a saved run with {@link Analyzer#defaults()}. */
    public static RunAnalysis of(StoredRun run) {
        return Analyzer.defaults().analyse(Trajectory.of(run));
    }

    /** The series of {@code modality} in the space of {@code embedderId}, if the run has one. */
    public Optional<SeriesAnalysis> series(Modality modality, String embedderId) {
        return series.stream().filter(s -> s.modality() == modality && s.embedderId().equals(embedderId)).findFirst();
    }

    /** Where the rule named {@code rule} first fired, if it did. */
    public Optional<StopReason> event(String rule) {
        return events.stream().filter(e -> rule.equals(e.rule())).findFirst();
    }
}
