package dev.panic;

import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.RunInfo;
import java.util.List;

/**
 * A run read back from a {@link RunStore}.
 *
 * @param info        the run's description and last saved state
 * @param predictions its trajectory in sequence order: for a fork or branch, the parent's
 *                    predictions it shares first (they keep their parent's run id), then its own.
 *                    Media is read from the store only when used.
 * @param revisions   its steering changes, in order
 * @param warnings    what could not be read and was skipped, each with where and why (a line cut
 *                    short by a crash, a damaged line, a missing media file)
 */
public record StoredRun(RunInfo info, List<Prediction> predictions, List<Revision> revisions, List<String> warnings) {
    /** Makes the lists immutable. */
    public StoredRun {
        predictions = List.copyOf(predictions);
        revisions = revisions == null ? List.of() : List.copyOf(revisions);
        warnings = List.copyOf(warnings);
    }
}
