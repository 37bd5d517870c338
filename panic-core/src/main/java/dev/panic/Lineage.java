package dev.panic;

import dev.panic.exception.ValidationException;

/**
 * Where a forked run or a branch came from: it shares its parent's predictions {@code 0..sequence}
 * and makes its own from {@code sequence + 1} on.
 *
 * @param runId    the parent run
 * @param sequence the parent's last prediction the child shares
 * @param branch   true for a branch a fan-out started, false for a fork someone asked for
 */
public record Lineage(String runId, int sequence, boolean branch) {
    /** Checks the fields. */
    public Lineage {
        if (runId == null || runId.isBlank()) {
            throw new ValidationException("a lineage needs the parent's run id");
        }
        if (sequence < 0) {
            throw new ValidationException("a fork point must not be negative, got " + sequence);
        }
    }
}
