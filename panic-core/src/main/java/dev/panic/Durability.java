package dev.panic;

/**
 * How hard a store works to keep what a run has saved when the machine fails.
 *
 * <p>Either way, a record is handed to the operating system before the run goes on, so a crash of
 * the process (a kill, an exception, an out-of-memory error) loses at most the model call in
 * flight. Only a power loss or an operating-system crash can lose more, and {@link #FSYNC}
 * guards against that at a cost (see the README's benchmarks).
 */
public enum Durability {
    /** Each record reaches the operating system before the run goes on (the default). */
    FLUSH,
    /** Each record is forced to the disk (fsync) before the run goes on: survives a power loss. */
    FSYNC
}
