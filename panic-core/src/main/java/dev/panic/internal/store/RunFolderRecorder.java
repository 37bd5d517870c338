package dev.panic.internal.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.Bytes;
import dev.panic.Durability;
import dev.panic.Embedding;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.RunInfo;
import dev.panic.Verdict;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.RunStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one run folder: {@code run.json} replaced whole, {@code predictions.jsonl} and
 * {@code revisions.jsonl} appended a line at a time, media files written once. Holds the run's
 * {@link RunLock} from creation (or resumption) to {@link #close()}.
 *
 * <p>Each line goes to the operating system in one write before a call returns, and is forced to
 * the disk first with {@link Durability#FSYNC}. A write that fails is cut back to the last whole
 * line, so the file never keeps half a line that later lines would follow.
 */
final class RunFolderRecorder implements RunStore.Recorder {

    // Media file names this recorder has written or found, newest last: each output is also the next
    // prediction's input, so a short memory saves a stat per payload without growing with the run.
    private static final int RECENT_MEDIA = 64;

    private final JsonCodec codec;
    private final String runId;
    private final Path runDir;
    private final List<Path> ancestorDirs;
    private final Path runFile;
    private final Log predictions;
    private final Log revisions;
    private final boolean fsync;
    private final RunLock lock;
    private final Map<String, Boolean> recentMedia = new LinkedHashMap<>(RECENT_MEDIA, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENT_MEDIA;
        }
    };
    private boolean closed;

    private RunFolderRecorder(JsonCodec codec, String runId, Path runDir, List<Path> ancestorDirs,
                              Durability durability, RunLock lock) {
        this.codec = codec;
        this.runId = runId;
        this.runDir = runDir;
        this.ancestorDirs = ancestorDirs;
        this.runFile = runDir.resolve(RunFolderLayout.RUN_FILE);
        this.fsync = durability == Durability.FSYNC;
        this.lock = lock;
        this.predictions = new Log(runDir.resolve(RunFolderLayout.PREDICTIONS_FILE));
        this.revisions = new Log(runDir.resolve(RunFolderLayout.REVISIONS_FILE));
    }

    /** Creates the run folder (which must not exist yet), locks it and writes {@code run.json}. */
    static RunFolderRecorder create(JsonCodec codec, Path root, RunInfo info, List<Path> ancestorDirs) {
        String runId = RunFolderLayout.checkRunId(info.id());
        StoreFiles.createDirectories(root, "run store folder");
        Path runDir = root.resolve(runId);
        try {
            // createDirectory, not createDirectories: it fails if the folder exists, so two runs
            // with the same id can never write into one folder, even when created at the same moment.
            Files.createDirectory(runDir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new PanicException("could not create the folder of run '" + runId + "': " + runDir
                    + " already exists; give the run another id, resume it, or move the old folder away", e);
        } catch (IOException e) {
            throw new PanicException("could not create the folder of run '" + runId + "' " + runDir + ": "
                    + StoreFiles.describe(e) + "; check that " + root + " is writable", e);
        }
        RunLock lock = RunLock.acquire(runDir, runId);
        RunFolderRecorder recorder = new RunFolderRecorder(codec, runId, runDir, ancestorDirs,
                info.spec().durability(), lock);
        try {
            if (recorder.fsync) {
                StoreFiles.forceDirectory(root);
            }
            recorder.update(info);
            return recorder;
        } catch (RuntimeException e) {
            recorder.close();
            throw e;
        }
    }

    /**
     * Takes over an existing run folder: locks it, removes temporary files an interrupted write
     * left, and cuts a last line the crash left unfinished.
     */
    static RunFolderRecorder resume(JsonCodec codec, Path runDir, String runId, Durability durability,
                                    List<Path> ancestorDirs) {
        RunLock lock = RunLock.acquire(runDir, runId);
        try {
            StoreFiles.deleteTemporaryFiles(runDir);
            StoreFiles.deleteTemporaryFiles(runDir.resolve(RunFolderLayout.MEDIA_DIR));
            RunFolderRecorder recorder = new RunFolderRecorder(codec, runId, runDir, ancestorDirs, durability, lock);
            recorder.predictions.cutUnfinishedLine();
            recorder.revisions.cutUnfinishedLine();
            return recorder;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    public synchronized void append(Prediction prediction, boolean complete) {
        if (prediction == null) {
            throw new ValidationException("cannot save a null prediction");
        }
        if (!runId.equals(prediction.runId())) {
            throw new ValidationException("prediction " + prediction.sequence() + " belongs to run '"
                    + prediction.runId() + "', not to run '" + runId + "' that this recorder saves");
        }
        checkOpen();
        // Media before the line: a line on disk must never refer to a file that is not there yet.
        predictions.write(codec.encodePrediction(prediction, complete, this::writeMedia),
                "prediction " + prediction.sequence());
    }

    @Override
    public synchronized void complete(int sequence, Map<String, Embedding> embeddings, List<Verdict> verdicts) {
        checkOpen();
        predictions.write(codec.encodeCompletion(sequence, embeddings, verdicts), "the vectors of prediction "
                + sequence);
    }

    @Override
    public synchronized void drop(int sequence, String reason) {
        checkOpen();
        predictions.write(codec.encodeDrop(sequence, reason), "the drop of prediction " + sequence);
    }

    @Override
    public synchronized void revise(Revision revision) {
        checkOpen();
        revisions.write(codec.encodeRevision(revision, this::writeMedia), "revision " + revision.number());
    }

    @Override
    public synchronized void update(RunInfo info) {
        RunFolderLayout.checkInfoFor(runId, info);
        checkOpen();
        byte[] json;
        try {
            // Pretty: run.json is small and the file people open first.
            json = codec.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(codec.encodeRunInfo(info, this::writeMedia));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PanicException("could not encode the description of run '" + runId + "' as JSON: "
                    + e.getOriginalMessage(), e);
        }
        StoreFiles.writeAtomically(runFile, out -> out.write(json), "the description of run '" + runId + "'", fsync);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            predictions.close();
            revisions.close();
        } finally {
            lock.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new PanicException("the recorder of run '" + runId + "' is closed; resume the run to write to it");
        }
    }

    /**
     * Writes a media file once: not again if this folder has it, nor if an ancestor's folder has it
     * (a fork shares its parent's media rather than copying it).
     */
    private void writeMedia(Payload media, String relativePath) {
        if (recentMedia.containsKey(relativePath)) {
            return;
        }
        Path target = runDir.resolve(relativePath);
        boolean present = Files.exists(target);
        for (int i = 0; !present && i < ancestorDirs.size(); i++) {
            present = Files.exists(ancestorDirs.get(i).resolve(relativePath));
        }
        if (!present) {
            StoreFiles.createDirectories(target.getParent(), "media folder");
            Bytes data = media instanceof Payload.Image im ? im.data() : ((Payload.Audio) media).data();
            StoreFiles.writeAtomically(target, data::writeTo, "a " + media.modality().wireName() + " file", fsync);
        }
        recentMedia.put(relativePath, Boolean.TRUE);
    }

    /** An append-only file of JSON lines, opened on its first write. */
    private final class Log {
        private final Path file;
        private FileChannel channel;
        // End of the last complete line; a failed write is cut back to it so the file never keeps half a line.
        private long committedSize;
        // Set when a failed write could not be cut back: more lines would then follow a broken one.
        private String brokenBecause;

        Log(Path file) {
            this.file = file;
        }

        void write(ObjectNode record, String what) {
            if (brokenBecause != null) {
                throw new PanicException("not writing " + what + " to " + file + ": an earlier write failed ("
                        + brokenBecause + ") and may have left half a line; the run cannot be saved further");
            }
            byte[] json;
            try {
                json = codec.mapper().writeValueAsBytes(record);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new PanicException("could not encode " + what + " of run '" + runId + "' as JSON: "
                        + e.getOriginalMessage(), e);
            }
            ByteBuffer line = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
            open();
            try {
                // APPEND mode: each write goes to the end, and a single write() reaches the OS before we return.
                while (line.hasRemaining()) {
                    channel.write(line);
                }
                if (fsync) {
                    channel.force(false);
                }
                committedSize += line.capacity();
            } catch (IOException e) {
                String cutBack = cutBack(e);
                throw new PanicException("could not write " + what + " to " + file + ": " + StoreFiles.describe(e)
                        + "; check the disk is not full and the folder is writable" + cutBack, e);
            }
        }

        /** Removes a last line without its newline: the crash that stopped the last writer cut it short. */
        void cutUnfinishedLine() {
            if (!Files.exists(file)) {
                return;
            }
            try (FileChannel repair = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long size = repair.size();
                long keep = size;
                ByteBuffer one = ByteBuffer.allocate(1);
                while (keep > 0) {
                    one.clear();
                    repair.read(one, keep - 1);
                    if (one.get(0) == '\n') {
                        break;
                    }
                    keep--;
                }
                if (keep < size) {
                    repair.truncate(keep);
                    if (fsync) {
                        repair.force(false);
                    }
                }
            } catch (IOException e) {
                throw new PanicException("could not repair the end of " + file + ": " + StoreFiles.describe(e), e);
            }
        }

        private void open() {
            if (channel != null) {
                return;
            }
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
                committedSize = channel.size();
                if (fsync) {
                    StoreFiles.forceDirectory(runDir);
                }
            } catch (IOException e) {
                throw new PanicException("could not open " + file + " for appending: " + StoreFiles.describe(e)
                        + "; check that the run folder is writable", e);
            }
        }

        private String cutBack(IOException cause) {
            try {
                channel.truncate(committedSize);
                return "";
            } catch (IOException e) {
                cause.addSuppressed(e);
                brokenBecause = StoreFiles.describe(cause);
                return " (the partial line could not be removed: " + StoreFiles.describe(e) + ")";
            }
        }

        void close() {
            FileChannel ch = channel;
            channel = null;
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    throw new PanicException("could not close " + file + ": " + StoreFiles.describe(e)
                            + "; its last lines may not have been saved", e);
                }
            }
        }
    }
}
