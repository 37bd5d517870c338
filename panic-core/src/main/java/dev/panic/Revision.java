package dev.panic;

import dev.panic.exception.ValidationException;
import java.time.Instant;
import java.util.List;

/**
 * One steering of a live run: the changes made together, numbered. Revision 0 is the run as it
 * started; every prediction records the revision it was made under ({@link Prediction#revision()}).
 *
 * @param number        1 for the first steering, then 2, 3...
 * @param at            when it was made
 * @param afterSequence the last prediction started before it ({@code -1} if none): later calls use it
 * @param changes       what changed, in order
 */
public record Revision(int number, Instant at, int afterSequence, List<Change> changes) {
    /** Checks and copies. */
    public Revision {
        if (number < 1) {
            throw new ValidationException("a revision number starts at 1, got " + number);
        }
        if (at == null || changes == null || changes.isEmpty()) {
            throw new ValidationException("a revision needs a time and at least one change");
        }
        changes = List.copyOf(changes);
    }
}
