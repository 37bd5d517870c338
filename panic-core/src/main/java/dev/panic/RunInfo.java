package dev.panic;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of a run's description and state, as saved in a run store.
 *
 * @param id           the run id
 * @param spec         everything needed to run it again, as it was started (steering changes are
 *                     its {@linkplain dev.panic.StoredRun#revisions() revisions})
 * @param status       where it is in its life ({@link RunStatus#INTERRUPTED} when read back from a
 *                     store whose writer has gone)
 * @param stopReason   why it ended; empty while it runs
 * @param startedAt    when it started (a resumed run: when it first started)
 * @param finishedAt   when it ended; empty while it runs
 * @param predictions  how many predictions its trajectory holds so far, those it shares with its
 *                     parent included (failed ones included)
 * @param observations what observe-only rules found, in order
 * @param parent       where a fork or branch came from; empty for a run started from scratch
 * @param revision     the latest revision of its configuration (0 if never steered)
 * @param costUsd      what its own predictions cost, in US dollars, as far as the platforms say
 *                     (those that do not count as free)
 * @param provenance   what made it: versions of PANIC, the JVM, its platforms and embedders
 */
public record RunInfo(String id, RunSpec spec, RunStatus status, Optional<StopReason> stopReason, Instant startedAt,
                      Optional<Instant> finishedAt, int predictions, List<StopReason> observations,
                      Optional<Lineage> parent,
                      int revision, double costUsd, Provenance provenance) {
    /** Makes the lists immutable and stores a {@code null} stop reason, end or parent as empty. */
    public RunInfo {
        stopReason = stopReason == null ? Optional.empty() : stopReason;
        finishedAt = finishedAt == null ? Optional.empty() : finishedAt;
        parent = parent == null ? Optional.empty() : parent;
        observations = observations == null ? List.of() : List.copyOf(observations);
        provenance = provenance == null ? Provenance.unknown() : provenance;
    }

    /** A snapshot with no cost and no provenance recorded. */
    public RunInfo(String id, RunSpec spec, RunStatus status, Optional<StopReason> stopReason, Instant startedAt,
                   Optional<Instant> finishedAt, int predictions, List<StopReason> observations,
                   Optional<Lineage> parent, int revision) {
        this(id, spec, status, stopReason, startedAt, finishedAt, predictions, observations, parent, revision, 0,
                null);
    }

    /** The model ids of its network, in node order. */
    public List<ModelId> network() {
        return spec.modelIds();
    }

    /** What the first model was given. */
    public Payload initialInput() {
        return spec.input();
    }

    /** Where a fork or branch came from, if it is one: the same as {@link #parent()}. */
    public Optional<Lineage> lineage() {
        return parent;
    }

    /** True if it can be resumed: its writer has ended it or gone (any status but a live one). */
    public boolean resumable() {
        return status.isFinal();
    }

    /** The same snapshot with another status (how a store reports a run whose writer has gone). */
    public RunInfo withStatus(RunStatus newStatus) {
        return new RunInfo(id, spec, newStatus, stopReason, startedAt, finishedAt, predictions, observations, parent,
                revision, costUsd, provenance);
    }
}
