package dev.panic.store;

import dev.panic.StoredRun;

import dev.panic.RunStore;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.panic.Embedding;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.internal.store.RunFolderLayout;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes runs in the JSON shape of the original "Fake Panic" Python script, so its analysis
 * scripts can read runs made with this library.
 *
 * <p>The file is one JSON object. Each key is a run's start time ({@link Instant#toString()},
 * e.g. {@code "2025-01-31T12:00:00.123Z"}), in order of start time; each value is the run's list
 * of successful predictions in sequence order:
 * <pre>{@code
 * {"2025-01-31T12:00:00Z": [
 *    {"seq_no": 0, "type": "image", "input": "a red circle", "embedding": [0.12, -0.5, ...]},
 *    {"seq_no": 1, "type": "text", "input": "media/9f86d081....png", "embedding": []}
 * ]}
 * }</pre>
 * <ul>
 *   <li>{@code seq_no}: the prediction's sequence number (failed predictions are left out, so
 *       numbers can skip);</li>
 *   <li>{@code type}: the output's modality, {@code text}, {@code image} or {@code audio};</li>
 *   <li>{@code input}: what the model was given: the text itself, or for an image or sound the
 *       path of its file relative to the run's folder in a {@link RunStore#directory directory store},
 *       {@code media/<sha256>.<ext>};</li>
 *   <li>{@code embedding}: the output's vector from one embedder as JSON numbers, or {@code []}
 *       when the prediction has none. A NaN or infinite component is written {@code NaN},
 *       {@code Infinity} or {@code -Infinity}, as Python's {@code json} module writes and reads them.</li>
 * </ul>
 */
public final class FakePanicExport {

    // Python's json module reads bare NaN/Infinity; strings would turn a vector into a mixed list.
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private FakePanicExport() {
    }

    /**
     * Writes {@code runs} to {@code out} as one JSON object, and flushes it; {@code out} is left open.
     *
     * @param runs       the runs, in any order; they are written in order of start time
     * @param embedderId the embedder whose vectors to write; null for each prediction's only (or first) one
     * @param out        where to write UTF-8 JSON
     * @throws ValidationException if a run has no start time or two runs share one (the format keys
     *                             runs by start time, so they cannot go in the same file)
     * @throws PanicException      if writing fails
     */
    public static void write(List<StoredRun> runs, String embedderId, OutputStream out) {
        if (runs == null || out == null) {
            throw new ValidationException("the runs to export and the stream to write to must not be null");
        }
        List<StoredRun> ordered = inStartOrder(runs);
        try {
            writeTo(ordered, embedderId, out);
        } catch (IOException e) {
            throw new PanicException("could not write the Fake Panic export: " + e, e);
        }
    }

    /**
     * Writes {@code runs} to {@code file}, replacing it, as {@link #write(List, String, OutputStream)} does.
     * The parent folder is created if needed.
     *
     * @param runs       the runs, in any order; they are written in order of start time
     * @param embedderId the embedder whose vectors to write; null for each prediction's only (or first) one
     * @param file       the file to write
     * @throws ValidationException if a run has no start time or two runs share one
     * @throws PanicException      naming the file if it cannot be written
     */
    public static void write(List<StoredRun> runs, String embedderId, Path file) {
        if (file == null) {
            throw new ValidationException("the export file path must not be null");
        }
        List<StoredRun> ordered = inStartOrder(runs); // fails on bad input before the file is touched
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                writeTo(ordered, embedderId, out);
            }
        } catch (IOException e) {
            throw new PanicException("could not write the Fake Panic export to " + file + ": " + e, e);
        }
    }

    private static void writeTo(List<StoredRun> ordered, String embedderId, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            for (StoredRun run : ordered) {
                g.writeFieldName(run.info().startedAt().toString());
                g.writeStartArray();
                for (Prediction p : run.predictions()) {
                    if (p.succeeded()) {
                        writePrediction(g, p, embedderId);
                    }
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeRaw('\n');
            g.flush();
        }
    }

    private static void writePrediction(JsonGenerator g, Prediction p, String embedderId) throws IOException {
        g.writeStartObject();
        g.writeNumberField("seq_no", p.sequence());
        g.writeStringField("type", p.output().modality().wireName());
        Payload in = p.input();
        g.writeStringField("input", in instanceof Payload.Text t ? t.text() : RunFolderLayout.mediaPath(in));
        g.writeArrayFieldStart("embedding");
        Embedding e = pick(p.embeddings(), embedderId);
        if (e != null) {
            float[] v = e.toArray();
            for (float f : v) {
                g.writeNumber(f); // shortest decimal that reads back as the same float32
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static Embedding pick(Map<String, Embedding> embeddings, String embedderId) {
        if (embedderId != null) {
            return embeddings.get(embedderId);
        }
        return embeddings.isEmpty() ? null : embeddings.values().iterator().next();
    }

    private static List<StoredRun> inStartOrder(List<StoredRun> runs) {
        if (runs == null) {
            throw new ValidationException("the runs to export must not be null");
        }
        Map<Instant, String> seen = new HashMap<>();
        for (StoredRun run : runs) {
            if (run == null) {
                throw new ValidationException("the runs to export include a null");
            }
            Instant at = run.info().startedAt();
            if (at == null) {
                throw new ValidationException("run '" + run.info().id()
                        + "' has no start time; the Fake Panic format keys runs by start time");
            }
            String other = seen.putIfAbsent(at, run.info().id());
            if (other != null) {
                throw new ValidationException("runs '" + other + "' and '" + run.info().id() + "' both started at " + at
                        + "; the Fake Panic format keys runs by start time, so export them to separate files");
            }
        }
        List<StoredRun> ordered = new ArrayList<>(runs);
        ordered.sort(Comparator.comparing(r -> r.info().startedAt()));
        return ordered;
    }
}
