package dev.panic.temporal.internal;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One PANIC run as a Temporal workflow: its loop, rules and detectors. Model calls are activities. */
@WorkflowInterface
public interface RunWorkflow {

    /** Runs until a rule, a signal or a failure ends it; returns how it ended. */
    @WorkflowMethod
    Messages.Progress run(Messages.RunStart start);

    /** Finish the step in flight, keep it, and end. */
    @SignalMethod
    void stop();

    /** End at once; a step in flight is abandoned. */
    @SignalMethod
    void cancel();

    /** Start no further step until {@link #unpause()}. */
    @SignalMethod
    void pause();

    @SignalMethod
    void unpause();

    /**
     * Changes the run from its next step on: a JSON list of changes as the run store writes a
     * revision's {@code changes} (text only, no media).
     */
    @SignalMethod
    void steer(String changesJson);

    /** Where the run is, and its latest outputs. */
    @QueryMethod
    Messages.Progress progress();
}
