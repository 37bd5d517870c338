package dev.panic.store;

import dev.panic.Prediction;
import dev.panic.RunInfo;
import java.util.List;

/**
 * A run read back from a {@link RunStore}.
 *
 * @param info        the run's description and last saved state
 * @param predictions its predictions in sequence order
 * @param warnings    what was wrong but not fatal, e.g. a last line cut short by a crash
 */
public record StoredRun(RunInfo info, List<Prediction> predictions, List<String> warnings) {
    /** Makes the lists immutable. */
    public StoredRun {
        predictions = List.copyOf(predictions);
        warnings = List.copyOf(warnings);
    }
}
