package dev.panic;

import dev.panic.Embedding;
import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.Verdict;
import dev.panic.RunInfo;
import dev.panic.internal.store.DirectoryRunStore;
import dev.panic.internal.store.MemoryRunStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where runs are saved as they go, and read back from.
 *
 * <p>The default, {@link #directory(Path)}, writes one folder per run: {@code run.json} with the
 * run's spec and state, {@code predictions.jsonl} with one line per prediction (written as each
 * output arrives, so a crash loses at most the model call in flight), {@code revisions.jsonl}
 * with its steering changes, and {@code media/} with every image and sound once, named by its
 * SHA-256. A fork or branch keeps only its own predictions and media; its parent's are read from
 * the parent's folder. An analysis can be saved beside a run ({@link #saveAnalysis},
 * {@code analysis.json}; {@code RunAnalysis.saveTo(store)} writes it). {@link #memory()} keeps runs in memory, for runs that need no saving.
 *
 * <p>A run is written by one {@link Recorder} at a time, which holds it (a lock the operating
 * system releases when the writing process dies): a run whose writer has gone reads as
 * {@link dev.panic.RunStatus#INTERRUPTED} and can be taken over with {@link #resume(String)}.
 *
 * <p>Implementations are thread-safe; many runs may write to one store at once.
 */
public interface RunStore {

    /**
     * Starts saving a new run (a fresh one, a fork or a branch: see {@link RunInfo#parent()}).
     *
     * @throws dev.panic.exception.PanicException if the run cannot be created (it exists already, the
     *                                            folder is not writable)
     */
    Recorder create(RunInfo info);

    /**
     * Takes over a saved run to go on writing it, as {@link dev.panic.Run#resume} does.
     * Temporary files an interrupted write left behind are removed.
     *
     * @throws dev.panic.exception.NotFoundException if there is no such run
     * @throws dev.panic.exception.PanicException    if another writer holds it (the message says which)
     */
    Recorder resume(String runId);

    /**
     * Reads a saved run, its trajectory through its ancestors included. What cannot be read (a line
     * cut short by a crash, a damaged line, a missing media file) is skipped and reported in
     * {@link StoredRun#warnings()}, not thrown.
     *
     * @throws dev.panic.exception.NotFoundException if there is no such run
     * @throws dev.panic.exception.PanicException    if its description cannot be read at all
     */
    StoredRun read(String runId);

    /**
     * A saved run's description and state, without its predictions: cheap, for listings.
     *
     * @throws dev.panic.exception.NotFoundException if there is no such run
     */
    RunInfo info(String runId);

    /**
     * The predictions of a run's trajectory from {@code fromSequence} on, in order, read as the
     * stream is consumed (close it when done): how a long run is read without holding it. Lines
     * that cannot be read are skipped.
     *
     * @throws dev.panic.exception.NotFoundException if there is no such run
     */
    Stream<Prediction> predictions(String runId, int fromSequence);

    /**
     * A saved run's steering revisions, in order (those that cannot be read are skipped).
     *
     * @throws dev.panic.exception.NotFoundException if there is no such run
     */
    List<Revision> revisions(String runId);

    /** The ids of the saved runs, oldest first. */
    List<String> runIds();

    /** The ids of the runs forked or branched from {@code runId}, oldest first. */
    List<String> children(String runId);

    /**
     * Deletes a saved run: its description, predictions, revisions, media and analysis. Refuses a
     * run that is live (being written, here or in another process) and a run that has forks or
     * branches, which read the predictions they share from it: delete those first.
     *
     * @throws dev.panic.exception.NotFoundException   if there is no such run
     * @throws dev.panic.exception.ValidationException naming its children, if it has any
     * @throws dev.panic.exception.PanicException      if it is live, or its files cannot be deleted
     * @throws UnsupportedOperationException           if this store does not delete runs
     */
    default void delete(String runId) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not delete runs");
    }

    /**
     * Saves the analysis of a run, a JSON document (as {@code dev.panic.analysis.RunAnalysis.saveTo}
     * writes it), beside the run, replacing an earlier one. The directory store writes it to
     * {@code analysis.json} in the run's folder. The store keeps the document as it is given.
     *
     * @throws dev.panic.exception.ValidationException if the id is not a run id or the document is null
     * @throws dev.panic.exception.NotFoundException if there is no such run
     * @throws UnsupportedOperationException if this store does not keep analyses (the default)
     */
    default void saveAnalysis(String runId, String json) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not keep analyses");
    }

    /**
     * Saves one run. Calls come from one thread at a time; {@link #close()} lets the run go so
     * another writer may take it over.
     */
    interface Recorder extends AutoCloseable {
        /**
         * Saves a prediction, with its media, handed to the operating system (or forced to disk, for
         * {@link dev.panic.Durability#FSYNC}) before this returns.
         *
         * @param prediction the prediction, with the vectors it has
         * @param complete   false if its vectors are still being computed: {@link #complete} follows
         */
        void append(Prediction prediction, boolean complete);

        /**
         * Saves what a prediction appended as not complete was waiting for: its vectors (empty if none
         * could be made) and the verdicts of judging rules (empty if none).
         */
        void complete(int sequence, Map<String, Embedding> embeddings, List<Verdict> verdicts);

        /** Records that a prediction appended as not complete is not part of the run after all. */
        void drop(int sequence, String reason);

        /** Saves a steering revision. */
        void revise(Revision revision);

        /** Replaces the saved description and state of the run. */
        void update(RunInfo info);

        /** Lets the run go; nothing can be written through this recorder afterwards. */
        @Override
        void close();
    }

    /** A store that writes a folder per run under {@code root}, creating {@code root} if needed. */
    static RunStore directory(Path root) {
        return new DirectoryRunStore(root);
    }

    /** A store that keeps runs in this process's memory; what a run without a store uses. */
    static RunStore memory() {
        return new MemoryRunStore();
    }
}
