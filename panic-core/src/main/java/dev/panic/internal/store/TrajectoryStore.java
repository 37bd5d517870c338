package dev.panic.internal.store;

import dev.panic.Lineage;
import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.RunInfo;
import dev.panic.RunStatus;
import dev.panic.exception.NotFoundException;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What every persistent store reads the same way: a whole run ({@link #read}) and its predictions
 * from a sequence on ({@link #predictions}), over the two readers a store writes for itself.
 */
public abstract class TrajectoryStore implements RunStore {

    /**
     * The run's own predictions (none of its parent's) {@code from} to {@code to}, read lazily as the
     * stream is consumed; what it skips goes to {@code warnings}.
     */
    protected abstract Stream<Prediction> ownPredictions(RunInfo info, int from, int to, Consumer<String> warnings);

    /** Where this store keeps runs, for messages: a folder, a database. */
    protected abstract String where();

    /**
     * The run's trajectory from {@code from} to {@code to}: its parent's predictions up to the fork
     * point first (read through the parent, recursively), then its own. Close the stream.
     */
    protected final Stream<Prediction> trajectory(RunInfo info, int from, int to, Consumer<String> warnings) {
        Lineage parent = info.parent().orElse(null);
        int ownFrom = Math.max(from, parent == null ? 0 : parent.sequence() + 1);
        Stream<Prediction> own = ownPredictions(info, ownFrom, to, warnings);
        if (parent == null || from > parent.sequence()) {
            return own;
        }
        RunInfo parentInfo;
        try {
            parentInfo = info(parent.runId());
        } catch (NotFoundException e) {
            warnings.accept("run '" + info.id() + "' was forked from run '" + parent.runId() + "', which is not in "
                    + where() + "; its first " + (parent.sequence() + 1) + " predictions cannot be read");
            return own;
        }
        return Stream.concat(trajectory(parentInfo, from, Math.min(to, parent.sequence()), warnings), own);
    }

    /** The run's revisions, in order; what it skips goes to {@code warnings}. */
    protected abstract List<Revision> readRevisions(String runId, Consumer<String> warnings);

    /** How to name a run's description in a warning, e.g. its {@code run.json}. */
    protected abstract String describe(String runId);

    /**
     * The run's description, trajectory and revisions, with a warning when a finished run counts
     * more or fewer predictions than were read (and nothing else explains it).
     */
    @Override
    public StoredRun read(String runId) {
        RunInfo info = info(runId);
        List<String> warnings = new ArrayList<>();
        List<Prediction> predictions = new ArrayList<>();
        try (Stream<Prediction> s = trajectory(info, 0, Integer.MAX_VALUE, warnings::add)) {
            s.forEach(predictions::add);
        }
        List<Revision> revisions = readRevisions(runId, warnings::add);
        if (info.status().isFinal() && info.status() != RunStatus.INTERRUPTED
                && info.predictions() != predictions.size() && warnings.isEmpty()) {
            warnings.add(describe(runId) + " counts " + info.predictions() + " predictions but " + predictions.size()
                    + " were read");
        }
        return new StoredRun(info, predictions, revisions, warnings);
    }

    @Override
    public Stream<Prediction> predictions(String runId, int fromSequence) {
        return trajectory(info(runId), fromSequence, Integer.MAX_VALUE, w -> { });
    }
}
