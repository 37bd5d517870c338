package dev.panic.temporal.internal;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * What workers do for a run's workflow. {@link #claim} and {@link #describe} go to the queue every
 * worker listens on; the rest go to the queue of the one worker that holds the run, which keeps
 * the run's recorder (and its lease in the store) open between steps.
 */
@ActivityInterface
public interface RunActivities {

    /** Takes the run over in the store (waiting, by retries, for a dead writer's lease to lapse); returns this worker's queue. */
    String claim(String runId);

    /** The modalities of these models, {@code TEXT>IMAGE}, in order: for the workflow's picture of its network. */
    List<String> describe(List<String> modelIds);

    /** Makes one prediction and saves it, unless the store holds it already. */
    Messages.Step step(Messages.StepRequest request);

    /** Saves a steering revision (the store's JSON), unless it is saved already. */
    void revise(String runId, String revisionJson);

    /** Saves how the run ended and lets it go. */
    void finish(String runId, Messages.Finish finish);

    /** Lets the run go without ending it, so another worker may claim it. */
    void release(String runId);
}
