package dev.panic.replicate.internal;

import java.time.Duration;

/**
 * How a prediction is waited for.
 *
 * @param syncWait          how long Replicate holds the create request open ({@code Prefer: wait}); zero sends no such header
 * @param pollInterval      the first wait between polls of a prediction that is still running
 * @param maxPollInterval   the longest wait between polls; each wait is 1.5 times the one before up to this
 * @param predictionTimeout how long a prediction may take, from its creation, before it is cancelled
 * @param cancelAfter       the {@code Cancel-After} deadline sent with each prediction, or null for none
 */
public record FlowSettings(Duration syncWait, Duration pollInterval, Duration maxPollInterval,
                           Duration predictionTimeout, Duration cancelAfter) {

    /** Growth of the wait between polls: quick answers are seen soon, slow ones do not cost many requests. */
    static final double POLL_GROWTH = 1.5;
}
