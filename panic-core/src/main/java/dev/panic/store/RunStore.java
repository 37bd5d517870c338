package dev.panic.store;

import dev.panic.Prediction;
import dev.panic.RunInfo;
import dev.panic.analysis.RunAnalysis;
import dev.panic.internal.store.DirectoryRunStore;
import java.nio.file.Path;
import java.util.List;

/**
 * Where runs are saved as they go, and read back from.
 *
 * <p>The default, {@link #directory(Path)}, writes one folder per run: {@code run.json} with the
 * run's description and state, {@code predictions.jsonl} with one line per prediction (appended
 * and flushed as each completes, so a crash loses at most the prediction in flight), and
 * {@code media/} with every image and sound once, named by its SHA-256. Embedding vectors are
 * stored as base64 of little-endian float32, so they read back bit for bit. An analysis can be
 * saved beside a run ({@link #saveAnalysis}, {@code analysis.json}).
 *
 * <p>Implementations are thread-safe; many runs may write to one store at once.
 */
public interface RunStore {

    /**
     * Starts saving a new run.
     *
     * @throws dev.panic.exception.PanicException if the run cannot be created (e.g. the folder is not writable)
     */
    Recorder create(RunInfo info);

    /**
     * Reads a saved run. A last line cut short by a crash is skipped and reported in
     * {@link StoredRun#warnings()}, not thrown.
     *
     * @throws dev.panic.exception.NotFoundException if there is no such run
     */
    StoredRun read(String runId);

    /** The ids of the saved runs, oldest first. */
    List<String> runIds();

    /**
     * Saves an analysis beside its run ({@link RunAnalysis#runId()}), replacing an earlier one. The
     * directory store writes it to {@code analysis.json} in the run's folder.
     *
     * @throws dev.panic.exception.NotFoundException if there is no such run
     * @throws UnsupportedOperationException if this store does not keep analyses (the default)
     */
    default void saveAnalysis(RunAnalysis analysis) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not keep analyses");
    }

    /** Saves one run. Calls come from one thread at a time, in order. */
    interface Recorder {
        /** Appends a prediction, with its media and embeddings; durable when this returns. */
        void append(Prediction prediction);

        /** Replaces the saved description and state of the run (called when it ends). */
        void update(RunInfo info);
    }

    /** A store that writes a folder per run under {@code root}, creating {@code root} if needed. */
    static RunStore directory(Path root) {
        return new DirectoryRunStore(root);
    }
}
