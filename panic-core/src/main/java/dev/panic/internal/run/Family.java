package dev.panic.internal.run;

import dev.panic.RunStore;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a run shares with the branches its fan-outs start: the store, the scheduler, the event bus,
 * and the limits on live branches and on predictions, which hold for all of them together so that
 * a fan-out inside a cycle cannot grow without bound.
 */
final class Family {

    /** The run the family grew from: its branches are named after it. */
    final String rootId;
    final RunStore store;
    final ScheduledExecutorService scheduler;
    final EventBus events;
    final int maxBranches;
    final long maxPredictions;
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger branchNumbers = new AtomicInteger();
    private final AtomicLong predictions = new AtomicLong();

    Family(String rootId, RunStore store, ScheduledExecutorService scheduler, EventBus events, int maxBranches,
           long maxPredictions) {
        this.rootId = rootId;
        this.store = store;
        this.scheduler = scheduler;
        this.events = events;
        this.maxBranches = maxBranches;
        this.maxPredictions = maxPredictions;
    }

    /** Counts a run in; false (and nothing counted) if {@link #maxBranches} runs are live. */
    boolean join() {
        while (true) {
            int n = live.get();
            if (n >= maxBranches) {
                return false;
            }
            if (live.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Counts a run out when it ends. */
    void leave() {
        live.decrementAndGet();
    }

    int live() {
        return live.get();
    }

    /** A number for a new branch, unique in the family. */
    int nextBranchNumber() {
        return branchNumbers.incrementAndGet();
    }

    /** Takes one prediction of the family's allowance; false if it is used up. */
    boolean reservePrediction() {
        while (true) {
            long n = predictions.get();
            if (n >= maxPredictions) {
                return false;
            }
            if (predictions.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

}
