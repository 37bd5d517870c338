package dev.panic;

/**
 * Where a run is in its life. {@link #RUNNING} and {@link #PAUSED} are the statuses of a live run;
 * every other status is final.
 */
public enum RunStatus {
    /** Predictions are being made. */
    RUNNING,
    /** {@link Run#pause()} was called: no further call starts until {@link Run#unpause()}. */
    PAUSED,
    /** A stop rule ended the run (step or time limit, a loop found...); see the stop reason. */
    COMPLETED,
    /** {@link Run#stop()} was called: the prediction in flight was finished and kept, then the run ended. */
    STOPPED,
    /** {@link Run#cancel()} was called: the prediction in flight was abandoned (and cancelled on its platform). */
    CANCELLED,
    /** A prediction failed (after the platform's retries) or the run could not be saved; see the stop reason. */
    FAILED,
    /**
     * Read from a store only: the run was live, but the process writing it has gone (a crash, a
     * kill, a power loss) without saving its end. It can be resumed ({@link Run#resume}).
     */
    INTERRUPTED;

    /** True for every status but {@link #RUNNING} and {@link #PAUSED}. */
    public boolean isFinal() {
        return this != RUNNING && this != PAUSED;
    }
}
