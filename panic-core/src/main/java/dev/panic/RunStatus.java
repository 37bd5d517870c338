package dev.panic;

/** Where a run is in its life. Every status but {@link #RUNNING} is final. */
public enum RunStatus {
    /** Predictions are being made. */
    RUNNING,
    /** A stop rule ended the run (step or time limit, a loop found...); see the stop reason. */
    COMPLETED,
    /** {@link Run#stop()} was called: the prediction in flight was finished and kept, then the run ended. */
    STOPPED,
    /** {@link Run#cancel()} was called: the prediction in flight was abandoned (and cancelled on its platform). */
    CANCELLED,
    /** A prediction failed (after the platform's retries) or the run could not be saved; see the stop reason. */
    FAILED;

    /** True for every status but {@link #RUNNING}. */
    public boolean isFinal() {
        return this != RUNNING;
    }
}
