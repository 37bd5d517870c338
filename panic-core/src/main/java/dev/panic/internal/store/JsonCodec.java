package dev.panic.internal.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.Bytes;
import dev.panic.Embedding;
import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.ModelId;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.RunInfo;
import dev.panic.RunStatus;
import dev.panic.Similarity;
import dev.panic.StopReason;
import dev.panic.analysis.DecayFit;
import dev.panic.analysis.RunAnalysis;
import dev.panic.analysis.SeriesAnalysis;
import dev.panic.analysis.SimilarityMatrix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns runs and predictions into JSON trees and back; see {@link DirectoryRunStore} for the format.
 *
 * <p>Trees are built by hand rather than by binding the public records, so the public types carry
 * no Jackson annotations and the file format cannot change by accident when a record gains a field.
 * Media never goes into the JSON: encoding hands each image or sound to a {@link MediaSink} and
 * writes its path; decoding asks a {@link MediaSource} for the bytes.
 */
final class JsonCodec {

    /** The format version written to {@code run.json}, raised on incompatible changes. */
    static final int FORMAT = 1;

    /** Receives each media payload met while encoding, with the path it will be referred to by. */
    @FunctionalInterface
    interface MediaSink {
        void put(Payload media, String relativePath);
    }

    /** Gives the bytes of a media file referred to by a record. */
    @FunctionalInterface
    interface MediaSource {
        Bytes get(String relativePath, String sha256);
    }

    private final ObjectMapper mapper;

    JsonCodec() {
        // Trailing garbage after an object means a damaged line, not a line to half-believe.
        this.mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    ObjectMapper mapper() {
        return mapper;
    }

    // ---------------------------------------------------------------- encoding

    ObjectNode encodeRunInfo(RunInfo info, MediaSink media) {
        ObjectNode n = mapper.createObjectNode();
        n.put("format", FORMAT);
        n.put("id", info.id());
        ArrayNode network = n.putArray("network");
        info.network().forEach(id -> network.add(id.toString()));
        if (info.initialInput() != null) {
            n.set("initial_input", encodePayload(info.initialInput(), media));
        }
        if (info.status() != null) {
            n.put("status", info.status().name());
        }
        if (info.stopReason() != null) {
            n.set("stop_reason", encodeStopReason(info.stopReason()));
        }
        putInstant(n, "started_at", info.startedAt());
        putInstant(n, "finished_at", info.finishedAt());
        n.put("prediction_count", info.predictions());
        ArrayNode observations = n.putArray("observations");
        info.observations().forEach(o -> observations.add(encodeStopReason(o)));
        return n;
    }

    ObjectNode encodePrediction(Prediction p, MediaSink media) {
        ObjectNode n = mapper.createObjectNode();
        n.put("run_id", p.runId());
        n.put("sequence", p.sequence());
        n.put("model", p.modelId().toString());
        putInstant(n, "started_at", p.startedAt());
        putInstant(n, "finished_at", p.finishedAt());
        n.set("input", encodePayload(p.input(), media));
        if (p.output() != null) {
            n.set("output", encodePayload(p.output(), media));
        }
        ObjectNode metadata = encodeMetadata(p.metadata());
        if (!metadata.isEmpty()) {
            n.set("metadata", metadata);
        }
        if (!p.embeddings().isEmpty()) {
            ObjectNode embeddings = n.putObject("embeddings");
            p.embeddings().forEach((id, e) -> embeddings.put(id, encodeFloats(e.toArray())));
        }
        if (p.error() != null) {
            ObjectNode error = n.putObject("error");
            error.put("type", p.error().type());
            error.put("message", p.error().message());
        }
        return n;
    }

    /** An analysis, with its numbers in parallel arrays (one entry per output) to keep the file small and easy to load. */
    ObjectNode encodeAnalysis(RunAnalysis a) {
        ObjectNode n = mapper.createObjectNode();
        n.put("format", FORMAT);
        n.put("run_id", a.runId());
        n.put("predictions", a.predictions());
        ArrayNode events = n.putArray("events");
        a.events().forEach(e -> events.add(encodeStopReason(e)));
        if (!a.warnings().isEmpty()) {
            ArrayNode warnings = n.putArray("warnings");
            a.warnings().forEach(warnings::add);
        }
        ArrayNode series = n.putArray("series");
        for (SeriesAnalysis s : a.series()) {
            ObjectNode o = series.addObject();
            o.put("modality", s.modality().wireName());
            o.put("embedder", s.embedderId());
            ObjectNode drift = o.putObject("drift");
            ArrayNode sequence = drift.putArray("sequence");
            ArrayNode lap = drift.putArray("lap");
            ArrayNode previous = drift.putArray("previous");
            ArrayNode toPrevious = drift.putArray("to_previous");
            ArrayNode origin = drift.putArray("origin");
            ArrayNode toOrigin = drift.putArray("to_origin");
            for (Similarity x : s.similarities()) {
                sequence.add(x.sequence());
                lap.add(x.lap());
                if (x.previous() == null) {
                    previous.addNull();
                } else {
                    previous.add(x.previous());
                }
                addNumber(toPrevious, x.toPrevious());
                origin.add(x.origin());
                addNumber(toOrigin, x.toOrigin());
            }
            DecayFit f = s.decay();
            ObjectNode fit = o.putObject("decay_fit");
            fit.put("amplitude", f.amplitude());
            fit.put("rate", f.rate());
            fit.put("floor", f.floor());
            fit.put("rmse", f.rmse());
            fit.put("points", f.points());
            SimilarityMatrix m = s.matrix();
            ObjectNode matrix = o.putObject("similarity_matrix");
            ArrayNode sequences = matrix.putArray("sequences");
            m.sequences().forEach(sequences::add);
            matrix.put("sampled", m.sampled());
            ArrayNode rows = matrix.putArray("values");
            for (int i = 0; i < m.size(); i++) {
                ArrayNode row = rows.addArray();
                for (int j = 0; j < m.size(); j++) {
                    row.add(m.get(i, j));
                }
            }
        }
        return n;
    }

    private static void addNumber(ArrayNode array, Double value) {
        if (value == null) {
            array.addNull();
        } else {
            array.add(value);
        }
    }

    ObjectNode encodePayload(Payload payload, MediaSink media) {
        ObjectNode n = mapper.createObjectNode();
        n.put("modality", payload.modality().wireName());
        if (payload instanceof Payload.Text text) {
            n.put("text", text.text());
        } else if (payload instanceof Payload.Image image) {
            putMedia(n, payload, image.data(), image.mediaType(), media);
            image.size().ifPresent(s -> {
                n.put("width", s.width());
                n.put("height", s.height());
            });
        } else if (payload instanceof Payload.Audio audio) {
            putMedia(n, payload, audio.data(), audio.mediaType(), media);
            audio.duration().ifPresent(d -> n.put("duration", d.toString()));
        } else {
            throw new IllegalStateException("no encoding for payload " + payload.getClass().getName());
        }
        return n;
    }

    private static void putMedia(ObjectNode n, Payload payload, Bytes data, String mediaType, MediaSink media) {
        String path = RunFolderLayout.mediaPath(data, mediaType);
        media.put(payload, path);
        n.put("media_type", mediaType);
        n.put("sha256", data.sha256());
        n.put("file", path);
    }

    private ObjectNode encodeMetadata(Metadata m) {
        ObjectNode n = mapper.createObjectNode();
        if (!m.parameters().isEmpty()) {
            n.set("parameters", mapper.valueToTree(m.parameters().asMap()));
        }
        if (m.seed() != null) {
            n.put("seed", m.seed());
        }
        if (m.modelVersion() != null) {
            n.put("model_version", m.modelVersion());
        }
        if (m.platformPredictionId() != null) {
            n.put("platform_prediction_id", m.platformPredictionId());
        }
        if (m.predictTime() != null) {
            n.put("predict_time", m.predictTime().toString());
        }
        if (m.costUsd() != null) {
            n.put("cost_usd", m.costUsd());
        }
        if (!m.extras().isEmpty()) {
            n.set("extras", mapper.valueToTree(m.extras()));
        }
        return n;
    }

    private ObjectNode encodeStopReason(StopReason r) {
        ObjectNode n = mapper.createObjectNode();
        n.put("rule", r.rule());
        n.put("message", r.message());
        n.put("sequence", r.sequence());
        if (r.patternStart() != null) {
            n.put("pattern_start", r.patternStart());
        }
        if (r.period() != null) {
            n.put("period", r.period());
        }
        if (r.similarity() != null) {
            n.put("similarity", r.similarity());
        }
        return n;
    }

    private static void putInstant(ObjectNode n, String field, Instant at) {
        if (at != null) {
            n.put(field, at.toString());
        }
    }

    /**
     * Base64 of the raw IEEE-754 bits, little-endian, so NaN payloads, -0.0 and subnormals come
     * back exactly; decimal text would round or normalise them.
     */
    static String encodeFloats(float[] v) {
        ByteBuffer buf = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            buf.putInt(Float.floatToRawIntBits(f));
        }
        return Base64.getEncoder().encodeToString(buf.array());
    }

    // ---------------------------------------------------------------- decoding

    RunInfo decodeRunInfo(JsonNode n, MediaSource media) {
        requireObject(n, "run");
        JsonNode format = n.get("format");
        if (format != null && format.isInt() && format.intValue() > FORMAT) {
            throw new MalformedRecordException("it was written in format " + format.intValue()
                    + " but this version of PANIC reads up to format " + FORMAT + "; upgrade PANIC to read it");
        }
        List<ModelId> network = new ArrayList<>();
        for (JsonNode id : requireArray(n, "network")) {
            network.add(ModelId.parse(textValue(id, "network entry")));
        }
        JsonNode input = n.get("initial_input");
        Payload initialInput = isAbsent(input) ? null : decodePayload(input, "initial_input", media);
        String status = optionalText(n, "status");
        StopReason stopReason = isAbsent(n.get("stop_reason")) ? null : decodeStopReason(n.get("stop_reason"));
        List<StopReason> observations = new ArrayList<>();
        JsonNode obs = n.get("observations");
        if (!isAbsent(obs)) {
            for (JsonNode o : requireArray(n, "observations")) {
                observations.add(decodeStopReason(o));
            }
        }
        return new RunInfo(requiredText(n, "id"), network, initialInput, status == null ? null : parseStatus(status),
                stopReason, optionalInstant(n, "started_at"), optionalInstant(n, "finished_at"),
                requiredInt(n, "prediction_count"), observations);
    }

    Prediction decodePrediction(JsonNode n, MediaSource media) {
        requireObject(n, "prediction");
        Payload input = decodePayload(required(n, "input"), "input", media);
        JsonNode out = n.get("output");
        Payload output = isAbsent(out) ? null : decodePayload(out, "output", media);
        Map<String, Embedding> embeddings = new LinkedHashMap<>();
        JsonNode emb = n.get("embeddings");
        if (!isAbsent(emb)) {
            requireObject(emb, "embeddings");
            for (Iterator<Map.Entry<String, JsonNode>> it = emb.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                embeddings.put(e.getKey(), Embedding.of(decodeFloats(textValue(e.getValue(), "embedding " + e.getKey()))));
            }
        }
        JsonNode err = n.get("error");
        if (!isAbsent(err)) {
            requireObject(err, "error");
        }
        Prediction.Failure error = isAbsent(err) ? null
                : new Prediction.Failure(optionalText(err, "type"), optionalText(err, "message"));
        JsonNode meta = n.get("metadata");
        Metadata metadata = isAbsent(meta) ? Metadata.empty() : decodeMetadata(meta);
        return new Prediction(requiredText(n, "run_id"), requiredInt(n, "sequence"),
                ModelId.parse(requiredText(n, "model")), input, output, requiredInstant(n, "started_at"),
                requiredInstant(n, "finished_at"), metadata, embeddings, error);
    }

    Payload decodePayload(JsonNode n, String field, MediaSource media) {
        requireObject(n, field);
        Modality modality = Modality.parse(requiredText(n, "modality"));
        switch (modality) {
            case TEXT:
                return Payload.text(requiredText(n, "text"));
            case IMAGE: {
                Bytes data = loadMedia(n, media);
                Payload.Image.Size size = n.has("width") || n.has("height")
                        ? new Payload.Image.Size(requiredInt(n, "width"), requiredInt(n, "height")) : null;
                return new Payload.Image(data, requiredText(n, "media_type"), size);
            }
            case AUDIO: {
                Bytes data = loadMedia(n, media);
                String d = optionalText(n, "duration");
                return new Payload.Audio(data, requiredText(n, "media_type"), d == null ? null : parseDuration(d, "duration"));
            }
            default:
                throw new MalformedRecordException("no decoding for modality " + modality);
        }
    }

    private static Bytes loadMedia(JsonNode n, MediaSource media) {
        String file = requiredText(n, "file");
        String sha = requiredText(n, "sha256").toLowerCase(Locale.ROOT);
        String nameSha = RunFolderLayout.checkMediaFile(file);
        if (!nameSha.equals(sha)) {
            throw new MalformedRecordException("media file '" + file + "' does not match its sha256 field " + sha);
        }
        return media.get(file, sha);
    }

    private Metadata decodeMetadata(JsonNode n) {
        requireObject(n, "metadata");
        Parameters parameters = isAbsent(n.get("parameters")) ? Parameters.empty()
                : Parameters.of(plainMap(n.get("parameters"), "parameters"));
        Map<String, Object> extras = isAbsent(n.get("extras")) ? Map.of() : plainMap(n.get("extras"), "extras");
        JsonNode seed = n.get("seed");
        if (!isAbsent(seed) && !seed.canConvertToLong()) {
            throw new MalformedRecordException("field 'seed' is not a whole number: " + seed);
        }
        String predictTime = optionalText(n, "predict_time");
        JsonNode cost = n.get("cost_usd");
        return new Metadata(parameters, isAbsent(seed) ? null : seed.longValue(), optionalText(n, "model_version"),
                optionalText(n, "platform_prediction_id"),
                predictTime == null ? null : parseDuration(predictTime, "predict_time"),
                isAbsent(cost) ? null : number(cost, "cost_usd"), extras);
    }

    private static StopReason decodeStopReason(JsonNode n) {
        requireObject(n, "stop reason");
        return new StopReason(optionalText(n, "rule"), optionalText(n, "message"), requiredInt(n, "sequence"),
                optionalInt(n, "pattern_start"), optionalInt(n, "period"),
                isAbsent(n.get("similarity")) ? null : number(n.get("similarity"), "similarity"));
    }

    static float[] decodeFloats(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("embedding is not valid base64: " + e.getMessage(), e);
        }
        if (bytes.length == 0 || bytes.length % Float.BYTES != 0) {
            throw new MalformedRecordException("embedding has " + bytes.length
                    + " bytes; expected a positive multiple of 4 (little-endian float32)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bytes.length / Float.BYTES];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.intBitsToFloat(buf.getInt());
        }
        return v;
    }

    private static RunStatus parseStatus(String s) {
        try {
            return RunStatus.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("unknown run status '" + s + "'", e);
        }
    }

    /** JSON values as the plain Java values {@link Parameters} accepts; whole numbers as the smallest fitting type. */
    private static Object plain(JsonNode n, String where) {
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToInt() ? (Object) n.intValue()
                    : n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isArray()) {
            List<Object> list = new ArrayList<>();
            n.forEach(x -> list.add(plain(x, where)));
            return list;
        }
        if (n.isObject()) {
            return plainMap(n, where);
        }
        throw new MalformedRecordException("'" + where + "' holds a " + n.getNodeType() + "; expected a string, number, boolean, list or map");
    }

    private static Map<String, Object> plainMap(JsonNode n, String where) {
        requireObject(n, where);
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), plain(e.getValue(), where + "." + e.getKey()));
        }
        return map;
    }

    // ---------------------------------------------------------------- field access

    private static boolean isAbsent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (isAbsent(v)) {
            throw new MalformedRecordException("field '" + field + "' is missing");
        }
        return v;
    }

    private static void requireObject(JsonNode n, String what) {
        if (n == null || !n.isObject()) {
            throw new MalformedRecordException("'" + what + "' is not a JSON object");
        }
    }

    private static JsonNode requireArray(JsonNode n, String field) {
        JsonNode v = required(n, field);
        if (!v.isArray()) {
            throw new MalformedRecordException("field '" + field + "' is not a list");
        }
        return v;
    }

    private static String textValue(JsonNode v, String what) {
        if (!v.isTextual()) {
            throw new MalformedRecordException("'" + what + "' is not a string: " + v);
        }
        return v.textValue();
    }

    private static String requiredText(JsonNode n, String field) {
        return textValue(required(n, field), field);
    }

    private static String optionalText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return isAbsent(v) ? null : textValue(v, field);
    }

    private static int requiredInt(JsonNode n, String field) {
        JsonNode v = required(n, field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new MalformedRecordException("field '" + field + "' is not a whole number: " + v);
        }
        return v.intValue();
    }

    private static Integer optionalInt(JsonNode n, String field) {
        return isAbsent(n.get(field)) ? null : requiredInt(n, field);
    }

    /** A number; also "NaN" and "Infinity" as strings, which is how Jackson writes those by default. */
    private static double number(JsonNode v, String field) {
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.textValue());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new MalformedRecordException("field '" + field + "' is not a number: " + v);
    }

    private static Instant requiredInstant(JsonNode n, String field) {
        return parseInstant(requiredText(n, field), field);
    }

    private static Instant optionalInstant(JsonNode n, String field) {
        String s = optionalText(n, field);
        return s == null ? null : parseInstant(s, field);
    }

    private static Instant parseInstant(String s, String field) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new MalformedRecordException("field '" + field + "' is not an ISO-8601 instant: '" + s + "'", e);
        }
    }

    private static Duration parseDuration(String s, String field) {
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            throw new MalformedRecordException("field '" + field + "' is not an ISO-8601 duration: '" + s + "'", e);
        }
    }
}
