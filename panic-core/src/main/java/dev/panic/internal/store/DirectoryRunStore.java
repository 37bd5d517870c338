package dev.panic.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.Bytes;
import dev.panic.Prediction;
import dev.panic.RunInfo;
import dev.panic.analysis.RunAnalysis;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.store.RunStore;
import dev.panic.store.StoredRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A {@link RunStore} that writes one folder per run under a root folder.
 *
 * <h2>Layout</h2>
 * <pre>
 * &lt;root&gt;/&lt;runId&gt;/run.json            the run's description and last saved state
 * &lt;root&gt;/&lt;runId&gt;/predictions.jsonl   one JSON object per line, one line per prediction, in order
 * &lt;root&gt;/&lt;runId&gt;/media/&lt;sha256&gt;.&lt;ext&gt;  every image and sound, input or output, once
 * &lt;root&gt;/&lt;runId&gt;/analysis.json       the run's analysis, if one was saved
 * </pre>
 * Each run folder is self-contained (media is shared only within a folder), so one can be copied
 * alone. Files starting with {@code .} are temporary files of an interrupted write and can be deleted.
 *
 * <h2>JSON</h2>
 * Field names are snake_case. Fields whose value is unknown (null) are left out, and so are empty
 * maps. Instants are ISO-8601 strings ({@link Instant#toString()}, e.g. {@code "2025-01-31T12:00:00.123Z"}),
 * durations ISO-8601 strings ({@link java.time.Duration#toString()}, e.g. {@code "PT1.5S"}).
 *
 * <p>A <b>payload</b> is {@code {"modality":"text","text":"a red circle"}}, or for media
 * {@code {"modality":"image","media_type":"image/png","sha256":"…","file":"media/….png","width":256,"height":256}}
 * and {@code {"modality":"audio","media_type":"audio/wav","sha256":"…","file":"media/….wav","duration":"PT2.5S"}};
 * the size and the duration appear only when known.
 *
 * <p>A <b>line of {@code predictions.jsonl}</b> has {@code run_id}, {@code sequence}, {@code model}
 * ({@code "platform:name"}), {@code started_at}, {@code finished_at}, {@code input}, {@code output}
 * (absent when the call failed), {@code metadata} ({@code parameters}, {@code seed},
 * {@code model_version}, {@code platform_prediction_id}, {@code predict_time}, {@code cost_usd},
 * {@code extras}), {@code embeddings} ({@code {"<embedder id>":"<base64 of little-endian float32>"}},
 * bit-exact) and, when the call failed, {@code error} ({@code {"type":…,"message":…}}). For example:
 * <pre>
 * {"run_id":"20250131T120000Z-a1b2c3","sequence":0,"model":"sim:painter","started_at":"2025-01-31T12:00:00Z",
 *  "finished_at":"2025-01-31T12:00:01.500Z","input":{"modality":"text","text":"a red circle"},
 *  "output":{"modality":"image","media_type":"image/png","sha256":"9f86…","file":"media/9f86….png","width":64,"height":64},
 *  "metadata":{"parameters":{"steps":4},"seed":42,"predict_time":"PT1.2S"},"embeddings":{"sim:clip":"AACAPwAAAEA="}}
 * </pre>
 * (shown folded; on disk it is one line).
 *
 * <p><b>{@code run.json}</b> (pretty-printed) has {@code format} (1), {@code id}, {@code network}
 * (model ids), {@code initial_input} (a payload), {@code status} ({@code RUNNING}, {@code COMPLETED}…),
 * {@code stop_reason} and {@code observations} (objects with {@code rule}, {@code message},
 * {@code sequence}, {@code pattern_start}, {@code period}, {@code similarity}), {@code started_at},
 * {@code finished_at} and {@code prediction_count}.
 *
 * <p><b>{@code analysis.json}</b> (compact: it holds a number per output) has {@code format} (1),
 * {@code run_id}, {@code predictions}, {@code events} (stop reasons, as in {@code run.json}),
 * {@code warnings} (when there are any) and {@code series}, one object per modality and embedder
 * with {@code modality}, {@code embedder}, {@code drift} (parallel arrays, one entry per output:
 * {@code sequence}, {@code lap}, {@code previous}, {@code to_previous}, {@code origin},
 * {@code to_origin}; null where there is no value), {@code decay_fit} ({@code amplitude},
 * {@code rate}, {@code floor}, {@code rmse}, {@code points}) and {@code similarity_matrix}
 * ({@code sequences}, {@code sampled}, {@code values} as rows). Non-finite numbers are written as
 * the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 *
 * <p>Parameter and extra values read back as the plain types {@link dev.panic.Parameters} holds:
 * whole numbers as {@code Integer} when they fit, else {@code Long}, else {@code BigInteger};
 * other numbers as {@code Double}. A {@code Long} or {@code Float} parameter therefore comes back
 * as an equal number of another class.
 *
 * <h2>Durability</h2>
 * Each prediction line is handed to the operating system in one write before
 * {@link Recorder#append} returns, so a crash of the process loses at most the prediction in
 * flight; a last line cut short by such a crash is skipped on reading and reported in
 * {@link StoredRun#warnings()}. {@code run.json} and media files are written to a temporary file
 * and renamed into place, so readers never see half of one. Nothing is fsynced: a power failure
 * may lose what the OS had not yet written to disk.
 *
 * <p>Thread-safe: any number of runs may be recorded and read at once.
 */
public final class DirectoryRunStore implements RunStore {

    private static final int KNOWN_IDS_IN_MESSAGES = 5;

    private final Path root;
    private final JsonCodec codec = new JsonCodec();

    /**
     * A store under {@code root}, which is created when the first run is.
     *
     * @throws ValidationException if {@code root} is null or is an existing file
     */
    public DirectoryRunStore(Path root) {
        if (root == null) {
            throw new ValidationException("the run store folder is null; give a path, e.g. Path.of(\"panic-runs\")");
        }
        this.root = root.toAbsolutePath().normalize();
        if (Files.exists(this.root) && !Files.isDirectory(this.root)) {
            throw new ValidationException("the run store folder " + this.root + " is a file; give a folder path");
        }
    }

    /** The folder that holds the run folders. */
    public Path root() {
        return root;
    }

    @Override
    public Recorder create(RunInfo info) {
        if (info == null) {
            throw new ValidationException("cannot create a run from a null run info");
        }
        return RunFolderRecorder.create(codec, root, info);
    }

    @Override
    public StoredRun read(String runId) {
        RunFolderLayout.checkRunId(runId);
        Path runDir = root.resolve(runId);
        Path runFile = runDir.resolve(RunFolderLayout.RUN_FILE);
        if (!Files.isRegularFile(runFile)) {
            throw notFound(runId);
        }
        MediaCache media = new MediaCache(runDir);
        RunInfo info = readRunFile(runFile, media);
        List<String> warnings = new ArrayList<>();
        List<Prediction> predictions = readPredictions(runDir.resolve(RunFolderLayout.PREDICTIONS_FILE), runId,
                media, warnings);
        if (info.status() != null && info.status().isFinal() && info.predictions() != predictions.size()) {
            warnings.add(runFile + " counts " + info.predictions() + " predictions but "
                    + predictions.size() + " were read");
        }
        return new StoredRun(info, predictions, warnings);
    }

    /**
     * Writes {@code analysis.json} into the run's folder, replacing it atomically.
     *
     * @throws NotFoundException if the run has no folder here
     */
    @Override
    public void saveAnalysis(RunAnalysis analysis) {
        if (analysis == null) {
            throw new ValidationException("cannot save a null analysis");
        }
        String runId = RunFolderLayout.checkRunId(analysis.runId());
        Path runDir = root.resolve(runId);
        if (!Files.isRegularFile(runDir.resolve(RunFolderLayout.RUN_FILE))) {
            throw notFound(runId);
        }
        byte[] json;
        try {
            json = codec.mapper().writeValueAsBytes(codec.encodeAnalysis(analysis));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PanicException("could not encode the analysis of run '" + runId + "' as JSON: "
                    + e.getOriginalMessage(), e);
        }
        StoreFiles.writeAtomically(runDir.resolve(RunFolderLayout.ANALYSIS_FILE), out -> out.write(json),
                "the analysis of run '" + runId + "'");
    }

    /** The ids of the saved runs, oldest first by their recorded start time (then by id). */
    @Override
    public List<String> runIds() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(d -> RunFolderLayout.isRunId(d.getFileName().toString()))
                    .filter(d -> Files.isRegularFile(d.resolve(RunFolderLayout.RUN_FILE)))
                    .toList();
        } catch (IOException e) {
            throw new PanicException("could not list the runs in " + root + ": " + StoreFiles.describe(e), e);
        }
        record Entry(String id, Instant startedAt) {
        }
        // Generated ids start with the start second, but custom ids and runs started in the same second
        // do not sort by time, so the order comes from run.json.
        return dirs.stream()
                .map(d -> new Entry(d.getFileName().toString(), startedAt(d.resolve(RunFolderLayout.RUN_FILE))))
                .sorted(Comparator.comparing(Entry::startedAt, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(Entry::id))
                .map(Entry::id)
                .toList();
    }

    @Override
    public String toString() {
        return "DirectoryRunStore[" + root + "]";
    }

    // ---------------------------------------------------------------- reading

    private RunInfo readRunFile(Path runFile, MediaCache media) {
        JsonNode node;
        try {
            node = codec.mapper().readTree(StoreFiles.readAll(runFile, "run description"));
        } catch (IOException e) {
            throw new PanicException(runFile + " is not valid JSON (" + firstLine(e)
                    + "); PANIC replaces it whole on every write, so it was changed or damaged afterwards", e);
        }
        try {
            return codec.decodeRunInfo(node, media);
        } catch (MalformedRecordException | ValidationException e) {
            throw new PanicException(runFile + " does not describe a run: " + e.getMessage(), e);
        } catch (MediaUnavailable e) {
            throw e.toPanic("the initial input in " + runFile);
        }
    }

    private List<Prediction> readPredictions(Path file, String runId, MediaCache media, List<String> warnings) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new ArrayList<>(); // created but nothing appended yet
        } catch (IOException e) {
            throw new PanicException("could not read " + file + ": " + StoreFiles.describe(e), e);
        }
        List<Line> lines = Line.split(all);
        int last = lines.size() - 1;
        while (last >= 0 && lines.get(last).isBlank(all)) {
            last--;
        }
        List<Prediction> predictions = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            Line line = lines.get(i);
            if (line.isBlank(all)) {
                continue;
            }
            JsonNode node;
            try {
                node = codec.mapper().readTree(all, line.start(), line.end() - line.start());
            } catch (IOException e) {
                String why = firstLine(e);
                if (i == last) {
                    // Only the last line can be cut short by a crash mid-write: everything before it was complete.
                    warnings.add("line " + line.number() + " of " + file + " is cut short (the process probably "
                            + "stopped while writing it); skipped it: " + why);
                    continue;
                }
                throw new PanicException("line " + line.number() + " of " + file + " is damaged (not valid JSON: "
                        + why + "); only the last line can be cut short by a crash, so the file was changed after "
                        + "it was written; repair or remove that line to read the run", e);
            }
            if (i == last && !line.terminated()) {
                // A JSON object cannot be cut short and still parse, so the line is whole; only its newline is missing.
                warnings.add("line " + line.number() + " of " + file + " has no final newline (the process probably "
                        + "stopped while writing it); kept it since it is complete");
            }
            Prediction p;
            try {
                p = codec.decodePrediction(node, media);
            } catch (MalformedRecordException | ValidationException e) {
                throw new PanicException("line " + line.number() + " of " + file + " is not a valid prediction: "
                        + e.getMessage(), e);
            } catch (MediaUnavailable e) {
                throw e.toPanic("line " + line.number() + " of " + file);
            }
            if (!runId.equals(p.runId())) {
                warnings.add("line " + line.number() + " of " + file + " belongs to run '" + p.runId()
                        + "', not '" + runId + "'; kept it");
            }
            predictions.add(p);
        }
        predictions.sort(Comparator.comparingInt(Prediction::sequence)); // stable: duplicates keep file order
        for (int i = 1; i < predictions.size(); i++) {
            if (predictions.get(i).sequence() == predictions.get(i - 1).sequence()) {
                warnings.add(file + " holds prediction " + predictions.get(i).sequence() + " more than once");
            }
        }
        return predictions;
    }

    /** Jackson's messages go on with a source excerpt over several lines; the first says what is wrong. */
    private static String firstLine(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
    }

    /** The start time in a run.json, or null if it cannot be read: listing should not fail on one bad run. */
    private Instant startedAt(Path runFile) {
        try {
            JsonNode at = codec.mapper().readTree(runFile.toFile()).get("started_at");
            return at != null && at.isTextual() ? Instant.parse(at.textValue()) : null;
        } catch (IOException | DateTimeParseException e) {
            return null;
        }
    }

    private NotFoundException notFound(String runId) {
        if (!Files.isDirectory(root)) {
            return new NotFoundException("no run '" + runId + "': the run store folder " + root
                    + " does not exist; check the path");
        }
        List<String> ids = runIds();
        if (ids.isEmpty()) {
            return new NotFoundException("no run '" + runId + "' in " + root + ": it holds no saved runs");
        }
        List<String> newest = ids.subList(Math.max(0, ids.size() - KNOWN_IDS_IN_MESSAGES), ids.size());
        String more = ids.size() > newest.size() ? " and " + (ids.size() - newest.size()) + " older" : "";
        return new NotFoundException("no run '" + runId + "' in " + root + "; the newest saved runs are "
                + String.join(", ", newest) + more);
    }

    /** One line of a JSON-lines file: where it is in the bytes, and whether a newline ended it. */
    private record Line(int number, int start, int end, boolean terminated) {

        static List<Line> split(byte[] all) {
            List<Line> lines = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == '\n') {
                    lines.add(new Line(lines.size() + 1, start, i, true));
                    start = i + 1;
                }
            }
            if (start < all.length) {
                lines.add(new Line(lines.size() + 1, start, all.length, false));
            }
            return lines;
        }

        boolean isBlank(byte[] all) {
            for (int i = start; i < end; i++) {
                if (all[i] != ' ' && all[i] != '\t' && all[i] != '\r') {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Media files of one run, each read and checked once per {@link #read}: an output and the next
     * prediction's input are the same file.
     */
    private static final class MediaCache implements JsonCodec.MediaSource {
        private final Path runDir;
        private final Map<String, Bytes> loaded = new HashMap<>();

        MediaCache(Path runDir) {
            this.runDir = runDir;
        }

        @Override
        public Bytes get(String relativePath, String sha256) {
            Bytes cached = loaded.get(relativePath);
            if (cached != null) {
                return cached;
            }
            Path file = runDir.resolve(relativePath);
            byte[] data;
            try {
                data = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new MediaUnavailable(file, "is missing", "copy the run folder whole, with its "
                        + RunFolderLayout.MEDIA_DIR + "/ folder, or restore the file from a backup");
            } catch (IOException e) {
                throw new PanicException("could not read media file " + file + ": " + StoreFiles.describe(e), e);
            }
            Bytes bytes = Bytes.wrap(data);
            if (!bytes.sha256().equals(sha256)) {
                throw new MediaUnavailable(file, "is damaged: its SHA-256 is " + bytes.sha256() + ", not " + sha256,
                        "restore the file from a backup");
            }
            loaded.put(relativePath, bytes);
            return bytes;
        }
    }

    /** A media file that a record refers to but that cannot be used; becomes a PanicException that says where. */
    private static final class MediaUnavailable extends RuntimeException {
        private final Path file;
        private final String problem;
        private final String advice;

        MediaUnavailable(Path file, String problem, String advice) {
            super(file + " " + problem, null, false, false);
            this.file = Objects.requireNonNull(file);
            this.problem = problem;
            this.advice = advice;
        }

        PanicException toPanic(String referencedBy) {
            return new PanicException("media file " + file + ", referenced by " + referencedBy + ", " + problem
                    + "; " + advice);
        }
    }
}
