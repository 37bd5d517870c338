package dev.panic.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.Bytes;
import dev.panic.Lineage;
import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.RunInfo;
import dev.panic.RunSpec;
import dev.panic.RunStatus;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A {@link RunStore} that writes one folder per run under a root folder.
 *
 * <h2>Layout</h2>
 * <pre>
 * &lt;root&gt;/&lt;runId&gt;/run.json            the run's spec, description and last saved state
 * &lt;root&gt;/&lt;runId&gt;/predictions.jsonl   one JSON object per line, in order
 * &lt;root&gt;/&lt;runId&gt;/revisions.jsonl     one JSON object per steering revision, if it was steered
 * &lt;root&gt;/&lt;runId&gt;/media/&lt;sha256&gt;.&lt;ext&gt;  every image and sound, input or output, once
 * &lt;root&gt;/&lt;runId&gt;/analysis.json       the run's analysis, if one was saved
 * &lt;root&gt;/&lt;runId&gt;/run.lock            held by the process writing the run
 * </pre>
 * A run started from scratch is self-contained and can be copied alone. A fork or a branch holds
 * only its own predictions and the media its parent lacks; its trajectory is read through its
 * parent's folder, so copy a run with its ancestors. Files starting with {@code .} are temporary
 * files of an interrupted write; resuming a run removes them.
 *
 * <h2>JSON</h2>
 * Field names are snake_case. Fields whose value is unknown (null) are left out, and so are empty
 * maps. Instants are ISO-8601 strings ({@link Instant#toString()}, e.g. {@code "2025-01-31T12:00:00.123Z"}),
 * durations ISO-8601 strings ({@link java.time.Duration#toString()}, e.g. {@code "PT1.5S"}).
 *
 * <p>A <b>payload</b> is {@code {"modality":"text","text":"a red circle"}}, or for media
 * {@code {"modality":"image","media_type":"image/png","sha256":"…","size":1234,"file":"media/….png","width":256,"height":256}}
 * and {@code {"modality":"audio","media_type":"audio/wav","sha256":"…","size":…,"file":"media/….wav","duration":"PT2.5S"}};
 * the pixel size and the duration appear only when known.
 *
 * <p>A <b>line of {@code predictions.jsonl}</b> is one of three records. A prediction has
 * {@code run_id}, {@code sequence}, {@code node}, {@code model} ({@code "platform:name"}),
 * {@code revision} (when not 0), {@code started_at}, {@code finished_at}, {@code input},
 * {@code output} (absent when the call failed), {@code metadata} ({@code parameters}, {@code seed},
 * {@code model_version}, {@code platform_prediction_id}, {@code predict_time}, {@code cost_usd},
 * {@code extras}), {@code embeddings} ({@code {"<embedder id>":"<base64 of little-endian float32>"}},
 * bit-exact), when the call failed {@code error} ({@code {"type":…,"message":…}}), and
 * {@code "pending":true} when it was saved the moment its output arrived, before its vectors. Such a
 * line is followed by a completion, {@code {"complete":<sequence>,"embeddings":{…}}}, or by a drop,
 * {@code {"drop":<sequence>,"reason":…}} when the run ended before it was kept (a rule fired on the
 * output before it, or the run was cancelled). For example:
 * <pre>
 * {"run_id":"20250131T120000Z-a1b2c3","sequence":0,"node":"painter","model":"sim:painter",
 *  "started_at":"2025-01-31T12:00:00Z","finished_at":"2025-01-31T12:00:01.500Z","input":{"modality":"text","text":"a red circle"},
 *  "output":{"modality":"image","media_type":"image/png","sha256":"9f86…","size":812,"file":"media/9f86….png","width":64,"height":64},
 *  "metadata":{"parameters":{"steps":4},"seed":42},"pending":true}
 * {"complete":0,"embeddings":{"image-descriptor":"AACAPwAAAEA="}}
 * </pre>
 * (the first shown folded; on disk each record is one line).
 *
 * <p><b>{@code run.json}</b> (pretty-printed) has {@code format} (2), {@code id}, {@code spec} (the
 * run spec: {@code network} with {@code nodes} ({@code id}, {@code model}, {@code parameters},
 * {@code template}, {@code parameter_templates}), {@code links} and {@code entry}; {@code input};
 * {@code stop} and {@code observe} (rules: {@code {"rule":"fixed-point","threshold":0.95,"window":3}},
 * {@code "custom":true} for one made in code); {@code embedders} (ids); {@code embedding_timeout};
 * {@code pacing} ({@code {"kind":"fixed","delay":"PT1S"}}); {@code max_branches};
 * {@code max_predictions}; {@code forever}; {@code durability}), {@code network} (model ids) and
 * {@code initial_input} (as format 1 had them), {@code status}, {@code stop_reason} and
 * {@code observations} (objects with {@code rule}, {@code message}, {@code sequence},
 * {@code pattern_start}, {@code period}, {@code similarity}), {@code started_at},
 * {@code finished_at}, {@code prediction_count}, {@code revision} and, for a fork or branch,
 * {@code parent} ({@code run_id}, {@code sequence}, {@code branch}). Format 1 files (before run
 * specs) are read too.
 *
 * <p><b>A line of {@code revisions.jsonl}</b> has {@code number}, {@code at}, {@code after_sequence}
 * and {@code changes}, each with {@code change} ({@code model}, {@code parameters},
 * {@code template}, {@code parameter_template}, {@code inject}, {@code pacing}, {@code max_steps},
 * {@code max_duration}, {@code pause}, {@code unpause}) and its fields.
 *
 * <p><b>{@code analysis.json}</b> (compact: it holds a number per output) has {@code format},
 * {@code run_id}, {@code predictions}, {@code events} (stop reasons, as in {@code run.json}),
 * {@code warnings} (when there are any) and {@code series}, one object per modality and embedder
 * with {@code modality}, {@code embedder}, {@code drift} (parallel arrays, one entry per output:
 * {@code sequence}, {@code lap}, {@code previous}, {@code to_previous}, {@code origin},
 * {@code to_origin}; null where there is no value), {@code decay_fit} ({@code amplitude},
 * {@code rate}, {@code floor}, {@code rmse}, {@code points}) and {@code similarity_matrix}
 * ({@code sequences}, {@code sampled}, {@code values} as rows). Non-finite numbers are written as
 * the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 *
 * <p>Parameter and extra values read back as the plain types {@link dev.panic.Parameters} holds.
 *
 * <h2>Durability and damage</h2>
 * Each record is handed to the operating system in one write before the recorder returns, so a
 * crash of the process loses at most the model call in flight; with
 * {@link dev.panic.Durability#FSYNC} it is forced to the disk too. {@code run.json} and media files
 * are written to a temporary file and renamed into place, so readers never see half of one. A
 * reader skips what it cannot read — a line cut short or damaged anywhere, NUL bytes a power loss
 * left, a prediction whose media file is missing or of the wrong size — and reports each skip in
 * {@link StoredRun#warnings()}; media whose content was changed in place fails when it is read.
 *
 * <p>Thread-safe: any number of runs may be recorded and read at once.
 */
public final class DirectoryRunStore extends TrajectoryStore {

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

    /** The folder of run {@code runId} (which may not exist). */
    public Path folder(String runId) {
        return root.resolve(RunFolderLayout.checkRunId(runId));
    }

    @Override
    public Recorder create(RunInfo info) {
        if (info == null) {
            throw new ValidationException("cannot create a run from a null run info");
        }
        List<Path> ancestors = info.parent().map(l -> ancestorDirs(l.runId())).orElse(List.of());
        return RunFolderRecorder.create(codec, root, info, ancestors);
    }

    @Override
    public Recorder resume(String runId) {
        RunInfo info = info(runId);
        List<Path> ancestors = info.parent().map(l -> ancestorDirs(l.runId())).orElse(List.of());
        return RunFolderRecorder.resume(codec, folder(runId), runId, info.spec().durability(), ancestors);
    }

    @Override
    public RunInfo info(String runId) {
        Path runDir = folder(runId);
        Path runFile = runDir.resolve(RunFolderLayout.RUN_FILE);
        if (!Files.isRegularFile(runFile)) {
            throw notFound(runId);
        }
        // The lock is looked at before run.json is read: a writer saves the run's end and then lets the
        // lock go, so a run read as live after the lock was seen free was left so by a writer that died.
        // (Looked at only after the read, a run ending meanwhile would read as interrupted.)
        boolean heldBefore = RunLock.isHeld(runDir);
        JsonNode node = readRunNode(runFile);
        String parent = parentOf(node);
        RunInfo info = decodeRunInfo(runFile, node, new MediaFiles(runDir, parent == null ? List.of()
                : ancestorDirs(parent)));
        if (!info.status().isFinal() && !heldBefore && !RunLock.isHeld(runDir)) {
            return info.withStatus(RunStatus.INTERRUPTED);
        }
        return info;
    }

    @Override
    protected String describe(String runId) {
        return folder(runId).resolve(RunFolderLayout.RUN_FILE).toString();
    }

    /**
     * Reads the revisions of a run, skipping lines that cannot be read.
     */
    @Override
    protected List<Revision> readRevisions(String runId, Consumer<String> warnings) {
        Path runDir = folder(runId);
        Path file = runDir.resolve(RunFolderLayout.REVISIONS_FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | UncheckedIOException e) {
            warnings.accept("could not read " + file + ": " + e.getMessage() + "; read the run without its revisions");
            return List.of();
        }
        MediaFiles media = new MediaFiles(runDir, ancestorDirsOf(runId));
        List<Revision> revisions = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                revisions.add(codec.decodeRevision(codec.mapper().readTree(line), media));
            } catch (IOException | MalformedRecordException | ValidationException | PredictionLog.MediaMissing e) {
                warnings.accept("line " + (i + 1) + " of " + file + " is not a readable revision; skipped it: "
                        + PredictionLog.firstLine(e));
            }
        }
        return revisions;
    }

    @Override
    public List<Revision> revisions(String runId) {
        info(runId);
        return readRevisions(runId, w -> { });
    }

    @Override
    protected String where() {
        return root.toString();
    }

    @Override
    protected Stream<Prediction> ownPredictions(RunInfo info, int ownFrom, int to, Consumer<String> warnings) {
        Lineage parent = info.parent().orElse(null);
        Path runDir = folder(info.id());
        List<Path> ancestors = parent == null ? List.of() : ancestorDirs(parent.runId());
        IntFunction<String> nodeOf = ringNodes(info.spec());
        // Opened when the stream reaches it, so a parent's prefix is read first; and read a prediction at a
        // time also through iterator(), which would drain a flatMap'd stream whole and miss what is saved after.
        PredictionLog[] log = new PredictionLog[1];
        Spliterator<Prediction> lazy = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED) {
            @Override
            public boolean tryAdvance(Consumer<? super Prediction> action) {
                if (log[0] == null) {
                    log[0] = new PredictionLog(runDir.resolve(RunFolderLayout.PREDICTIONS_FILE), codec,
                            new MediaFiles(runDir, ancestors), nodeOf, ownFrom, to, warnings);
                }
                if (!log[0].hasNext()) {
                    return false;
                }
                action.accept(log[0].next());
                return true;
            }
        };
        Stream<Prediction> own = StreamSupport.stream(lazy, false).onClose(() -> {
            if (log[0] != null) {
                log[0].close();
            }
        });
        return own;
    }

    /** For format-1 lines, which have no node: the ring position of a sequence. */
    private static IntFunction<String> ringNodes(RunSpec spec) {
        List<RunSpec.NodeSpec> nodes = spec.network().nodes();
        return sequence -> nodes.get(sequence % nodes.size()).id();
    }

    /** The folders of a run and its ancestors, nearest first: where its media may be. */
    private List<Path> ancestorDirs(String runId) {
        List<Path> dirs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String id = runId;
        while (id != null && seen.add(id)) {
            dirs.add(folder(id));
            try {
                id = parentOf(readRunNode(folder(id).resolve(RunFolderLayout.RUN_FILE)));
            } catch (PanicException e) {
                id = null;
            }
        }
        return dirs;
    }

    private List<Path> ancestorDirsOf(String runId) {
        Lineage parent = info(runId).parent().orElse(null);
        return parent == null ? List.of() : ancestorDirs(parent.runId());
    }

    @Override
    public List<String> children(String runId) {
        RunFolderLayout.checkRunId(runId);
        List<String> children = new ArrayList<>();
        for (String id : runIds()) {
            try {
                if (runId.equals(parentOf(readRunNode(folder(id).resolve(RunFolderLayout.RUN_FILE))))) {
                    children.add(id);
                }
            } catch (PanicException e) {
                // an unreadable run is nobody's child as far as we can tell
            }
        }
        return children;
    }

    /**
     * Writes {@code analysis.json} into the run's folder, replacing it atomically.
     *
     * @throws NotFoundException if the run has no folder here
     */
    @Override
    public void saveAnalysis(String runId, String analysisJson) {
        RunFolderLayout.checkAnalysis(runId, analysisJson);
        Path runDir = root.resolve(runId);
        if (!Files.isRegularFile(runDir.resolve(RunFolderLayout.RUN_FILE))) {
            throw notFound(runId);
        }
        byte[] json = analysisJson.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        StoreFiles.writeAtomically(runDir.resolve(RunFolderLayout.ANALYSIS_FILE), out -> out.write(json),
                "the analysis of run '" + runId + "'");
    }

    @Override
    public void delete(String runId) {
        info(runId);
        List<String> children = children(runId);
        if (!children.isEmpty()) {
            throw new ValidationException("run '" + runId + "' cannot be deleted: " + children.size()
                    + " run(s) share its predictions (" + String.join(", ", children) + "); delete them first");
        }
        Path runDir = folder(runId);
        try (RunLock lock = RunLock.acquire(runDir, runId)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(runDir)) {
                files = walk.sorted(Comparator.reverseOrder()).toList();
            }
            for (Path f : files) {
                // The lock file goes last, once the lock is released, so no writer can start meanwhile.
                if (!f.equals(runDir) && !f.getFileName().toString().equals(RunLock.FILE)) {
                    Files.delete(f);
                }
            }
        } catch (IOException e) {
            throw new PanicException("could not delete run '" + runId + "' (" + runDir + "): " + StoreFiles.describe(e)
                    + "; check the folder's permissions", e);
        }
        try {
            Files.deleteIfExists(runDir.resolve(RunLock.FILE));
            Files.deleteIfExists(runDir);
        } catch (IOException e) {
            throw new PanicException("could not delete the folder of run '" + runId + "' (" + runDir + "): "
                    + StoreFiles.describe(e), e);
        }
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

    private JsonNode readRunNode(Path runFile) {
        try {
            return codec.mapper().readTree(StoreFiles.readAll(runFile, "run description"));
        } catch (IOException e) {
            throw new PanicException(runFile + " is not valid JSON (" + PredictionLog.firstLine(e)
                    + "); PANIC replaces it whole on every write, so it was changed or damaged afterwards", e);
        }
    }

    /** The parent run id a run.json names, or null. */
    private static String parentOf(JsonNode run) {
        JsonNode p = run.get("parent");
        JsonNode id = p == null ? null : p.get("run_id");
        return id != null && id.isTextual() ? id.textValue() : null;
    }

    private RunInfo decodeRunInfo(Path runFile, JsonNode node, JsonCodec.MediaSource media) {
        try {
            return codec.decodeRunInfo(node, media);
        } catch (MalformedRecordException | ValidationException e) {
            throw new PanicException(runFile + " does not describe a run: " + e.getMessage(), e);
        } catch (PredictionLog.MediaMissing e) {
            throw new PanicException("the initial input in " + runFile + " cannot be read: " + e.getMessage());
        }
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

    /**
     * The media of one run: each file looked up in the run's folder, then its ancestors', checked
     * for its size once, and given as bytes read only when used (and checked against their SHA-256 then).
     */
    private static final class MediaFiles implements JsonCodec.MediaSource {
        private final List<Path> dirs;
        private final Map<String, Bytes> found = new HashMap<>();

        MediaFiles(Path runDir, List<Path> ancestorDirs) {
            this.dirs = new ArrayList<>();
            dirs.add(runDir);
            dirs.addAll(ancestorDirs);
        }

        @Override
        public Bytes get(String relativePath, String sha256, Integer size) {
            if (relativePath == null) {
                throw new PredictionLog.MediaMissing("media " + sha256 + " is named without its file");
            }
            Bytes cached = found.get(relativePath);
            if (cached != null) {
                return cached;
            }
            if (sha256 == null) {
                throw new PredictionLog.MediaMissing("media file reference '" + relativePath + "' has no sha256");
            }
            for (Path dir : dirs) {
                Path file = dir.resolve(relativePath);
                long actual;
                try {
                    actual = Files.size(file);
                } catch (NoSuchFileException e) {
                    continue;
                } catch (IOException e) {
                    throw new PredictionLog.MediaMissing(file + " cannot be read: " + StoreFiles.describe(e));
                }
                if (size != null && actual != size) {
                    throw new PredictionLog.MediaMissing(file + " is damaged: it holds " + actual + " bytes, not "
                            + size + "; restore it from a backup");
                }
                if (actual > Integer.MAX_VALUE) {
                    throw new PredictionLog.MediaMissing(file + " is too large to be a payload");
                }
                Bytes bytes = Bytes.deferred((int) actual, sha256, () -> StoreFiles.readAll(file, "media file"));
                found.put(relativePath, bytes);
                return bytes;
            }
            throw new PredictionLog.MediaMissing(dirs.get(0).resolve(relativePath) + " is missing; copy the run"
                    + " folder whole, with its " + RunFolderLayout.MEDIA_DIR + "/ folder (and its parent runs' folders)");
        }
    }
}
