package dev.panic;

/**
 * Receives a run's events in order, on the thread that runs the run. Keep it quick, or hand the
 * event to another thread: the next step waits for it. An exception it throws is logged and
 * does not stop the run.
 */
@FunctionalInterface
public interface RunListener {
    /** Handles one event. */
    void onEvent(RunEvent event);
}
