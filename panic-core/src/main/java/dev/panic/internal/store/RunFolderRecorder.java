package dev.panic.internal.store;

import dev.panic.Bytes;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.RunInfo;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.store.RunStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves one run into its folder. Keeps {@code predictions.jsonl} open between appends and closes
 * it when {@link #update} records a final status.
 *
 * <p>The run engine calls one recorder from one thread at a time, but a {@code cancel()} from
 * another thread can end the run (and call {@link #update}) while the run's own thread is still
 * appending the prediction it just received. The methods are therefore synchronized, and an append
 * after the final update is still written, by opening the file for that one line, so the folder
 * holds every prediction the in-memory run kept.
 */
final class RunFolderRecorder implements RunStore.Recorder {

    private static final Logger LOG = LoggerFactory.getLogger(RunFolderRecorder.class);

    private final JsonCodec codec;
    private final String runId;
    private final Path runDir;
    private final Path runFile;
    private final Path predictionsFile;
    // File names under media/ written (or found) by this recorder; saves a stat per payload, since
    // each output is also the next prediction's input.
    private final Set<String> mediaWritten = new HashSet<>();

    private FileChannel channel;
    private boolean ended;
    // End of the last complete line; a failed write is cut back to it so the file never keeps half a line.
    private long committedSize;
    // Set when a failed write could not be cut back: more lines would then follow a broken one.
    private String brokenBecause;

    private RunFolderRecorder(JsonCodec codec, String runId, Path runDir) {
        this.codec = codec;
        this.runId = runId;
        this.runDir = runDir;
        this.runFile = runDir.resolve(RunFolderLayout.RUN_FILE);
        this.predictionsFile = runDir.resolve(RunFolderLayout.PREDICTIONS_FILE);
    }

    /**
     * Creates the run folder (which must not exist yet), writes {@code run.json} and opens the
     * predictions file.
     */
    static RunFolderRecorder create(JsonCodec codec, Path root, RunInfo info) {
        String runId = RunFolderLayout.checkRunId(info.id());
        StoreFiles.createDirectories(root, "run store folder");
        Path runDir = root.resolve(runId);
        try {
            // createDirectory, not createDirectories: it fails if the folder exists, so two runs
            // with the same id can never write into one folder, even when created at the same moment.
            Files.createDirectory(runDir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new PanicException("could not create the folder of run '" + runId + "': " + runDir
                    + " already exists; give the run another id, or move the old folder away", e);
        } catch (IOException e) {
            throw new PanicException("could not create the folder of run '" + runId + "' " + runDir + ": "
                    + StoreFiles.describe(e) + "; check that " + root + " is writable", e);
        }
        RunFolderRecorder recorder = new RunFolderRecorder(codec, runId, runDir);
        recorder.writeRunFile(info);
        synchronized (recorder) {
            recorder.channel = recorder.openPredictions();
        }
        return recorder;
    }

    @Override
    public synchronized void append(Prediction prediction) {
        if (prediction == null) {
            throw new ValidationException("cannot save a null prediction");
        }
        if (!runId.equals(prediction.runId())) {
            throw new ValidationException("prediction " + prediction.sequence() + " belongs to run '"
                    + prediction.runId() + "', not to run '" + runId + "' that this recorder saves");
        }
        if (brokenBecause != null) {
            throw new PanicException("not appending prediction " + prediction.sequence() + " to " + predictionsFile
                    + ": an earlier write failed (" + brokenBecause + ") and may have left half a line;"
                    + " the run cannot be saved further");
        }
        // Media before the line: a line on disk must never refer to a file that is not there yet.
        byte[] json;
        try {
            json = codec.mapper().writeValueAsBytes(codec.encodePrediction(prediction, this::writeMedia));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PanicException("could not encode prediction " + prediction.sequence() + " of run '" + runId
                    + "' as JSON: " + e.getOriginalMessage(), e);
        }
        ByteBuffer line = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();

        boolean lateAppend = channel == null;
        if (lateAppend) {
            LOG.debug("run {} already ended; appending prediction {} to {} anyway", runId, prediction.sequence(),
                    predictionsFile);
            channel = openPredictions();
        }
        try {
            writeLine(line, prediction.sequence());
        } finally {
            if (lateAppend && ended) {
                closePredictions();
            }
        }
    }

    @Override
    public synchronized void update(RunInfo info) {
        if (info == null) {
            throw new ValidationException("cannot save a null run info");
        }
        if (!runId.equals(info.id())) {
            throw new ValidationException("run info is for run '" + info.id() + "', not for run '" + runId
                    + "' that this recorder saves");
        }
        boolean last = info.status() != null && info.status().isFinal();
        try {
            writeRunFile(info);
        } finally {
            if (last) {
                ended = true;
                closePredictions();
            }
        }
    }

    private void writeLine(ByteBuffer line, int sequence) {
        try {
            // APPEND mode: each write goes to the end, and a single write() reaches the OS before we return.
            while (line.hasRemaining()) {
                channel.write(line);
            }
            committedSize += line.capacity();
        } catch (IOException e) {
            String cutBack = cutBack(e);
            throw new PanicException("could not append prediction " + sequence + " to " + predictionsFile + ": "
                    + StoreFiles.describe(e) + "; check the disk is not full and the folder is writable"
                    + cutBack, e);
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

    private FileChannel openPredictions() {
        try {
            FileChannel ch = FileChannel.open(predictionsFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            committedSize = ch.size();
            return ch;
        } catch (IOException e) {
            throw new PanicException("could not open " + predictionsFile + " for appending: "
                    + StoreFiles.describe(e) + "; check that the run folder is writable", e);
        }
    }

    private void closePredictions() {
        FileChannel ch = channel;
        channel = null;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                throw new PanicException("could not close " + predictionsFile + ": " + StoreFiles.describe(e)
                        + "; its last lines may not have been saved", e);
            }
        }
    }

    private void writeRunFile(RunInfo info) {
        byte[] json;
        try {
            // Pretty: run.json is small and the file people open first.
            json = codec.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(codec.encodeRunInfo(info, this::writeMedia));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PanicException("could not encode the description of run '" + runId + "' as JSON: "
                    + e.getOriginalMessage(), e);
        }
        StoreFiles.writeAtomically(runFile, out -> out.write(json), "the description of run '" + runId + "'");
    }

    /** Writes a media file once per run folder; each folder is self-contained so it can be copied alone. */
    private void writeMedia(Payload media, String relativePath) {
        if (mediaWritten.contains(relativePath)) {
            return;
        }
        Path target = runDir.resolve(relativePath);
        if (!Files.exists(target)) {
            StoreFiles.createDirectories(target.getParent(), "media folder");
            Bytes data = media instanceof Payload.Image i ? i.data() : ((Payload.Audio) media).data();
            StoreFiles.writeAtomically(target, data::writeTo, "a " + media.modality().wireName() + " file");
        }
        mediaWritten.add(relativePath);
    }
}
