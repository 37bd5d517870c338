package dev.panic.json;

import static dev.panic.internal.store.JsonCodec.isAbsent;
import static dev.panic.internal.store.JsonCodec.parseStatus;
import static dev.panic.internal.store.JsonCodec.requireArray;
import static dev.panic.internal.store.JsonCodec.required;
import static dev.panic.internal.store.JsonCodec.requiredInstant;
import static dev.panic.internal.store.JsonCodec.requiredInt;
import static dev.panic.internal.store.JsonCodec.requiredText;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.Bytes;
import dev.panic.Lineage;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.Network;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.RunEvent;
import dev.panic.RunInfo;
import dev.panic.RunSpec;
import dev.panic.Similarity;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.internal.store.JsonCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Runs, their state, predictions and every {@link RunEvent} as JSON, for frontends, notebooks and
 * message queues: one documented form, read back by the same class. {@link #module()} gives the
 * same form as a Jackson module, so a plain {@code ObjectMapper} can write (and read) them.
 *
 * <h2>Format {@value #FORMAT}</h2>
 * Field names are snake_case; times are ISO-8601 instants ({@code 2025-05-01T12:00:00.123Z}) and
 * durations ISO-8601 durations ({@code PT1.5S}); sequence numbers count a run's predictions from 0,
 * as {@link Prediction#sequence()} does. Every object this class writes at top level carries
 * {@code "format": 1}; a reader refuses a higher format. Fields that would be null are left out.
 *
 * <p><b>Payloads</b> never carry media inline: text is {@code {"modality":"text","text":"..."}};
 * an image or a sound names its content by hash:
 * <pre>{@code
 * {"modality": "image", "media_type": "image/png", "sha256": "9f86d0...", "size": 48213,
 *  "width": 512, "height": 512, "url": "/media/RUN_ID/9f86d0..."}
 * {"modality": "audio", "media_type": "audio/wav", "sha256": "...", "size": 96044, "duration": "PT3S"}
 * }</pre>
 * {@code url} is there when the codec was given {@link Builder#mediaUrls}; reading such a payload
 * gives bytes that are fetched through {@link Builder#mediaLoader} only when they are read.
 * (A payload written by hand may instead give {@code data}, base64, with {@code media_type}.)
 *
 * <p><b>Events</b> are objects with {@code type} and {@code run_id}, then the fields of the event:
 * <table>
 * <caption>event types and their fields</caption>
 * <tr><th>type</th><th>fields</th></tr>
 * <tr><td>{@code started}</td><td>{@code network} (see below), {@code input} (payload), {@code at},
 *     {@code first_sequence}, {@code parent} ({@code {"run_id","sequence","branch"}}, forks and branches only)</td></tr>
 * <tr><td>{@code prediction_started}</td><td>{@code sequence}, {@code node}, {@code model}, {@code input}, {@code at},
 *     {@code revision}</td></tr>
 * <tr><td>{@code partial_output}</td><td>{@code sequence}, {@code model}, {@code piece} (text to append)</td></tr>
 * <tr><td>{@code prediction_made}, {@code prediction_failed}</td><td>{@code prediction} (see below)</td></tr>
 * <tr><td>{@code embedding_failed}</td><td>{@code sequence}, {@code embedder}, {@code message}</td></tr>
 * <tr><td>{@code measured}</td><td>{@code sequence}, {@code similarities}: a list of {@code {"embedder",
 *     "sequence", "lap", "previous", "to_previous", "origin", "to_origin"}}</td></tr>
 * <tr><td>{@code observed}</td><td>{@code reason} (stop reason)</td></tr>
 * <tr><td>{@code steered}</td><td>{@code revision}: {@code {"number","at","after_sequence","changes"}}, each
 *     change {@code {"change": "model"|"parameters"|"template"|"parameter_template"|"inject"|"pacing"|
 *     "max_steps"|"max_duration"|"pause"|"unpause", ...}}</td></tr>
 * <tr><td>{@code branched}</td><td>{@code branch_id}, {@code sequence}, {@code from_node}, {@code to_node}</td></tr>
 * <tr><td>{@code branch_skipped}</td><td>{@code sequence}, {@code from_node}, {@code to_node}, {@code reason}</td></tr>
 * <tr><td>{@code finished}</td><td>{@code status} ({@code COMPLETED}, {@code STOPPED}, {@code CANCELLED},
 *     {@code FAILED}), {@code reason} (stop reason), {@code at}</td></tr>
 * </table>
 * A <b>stop reason</b> is {@code {"rule","message","sequence","pattern_start","period","similarity"}}.
 * A <b>network</b> is {@code {"nodes": [{"id","model","input","output","parameters","template",
 * "parameter_templates"}], "links": {"node": ["next", ...]}, "entry"}}, {@code input} and
 * {@code output} being modalities ({@code text}, {@code image}, {@code audio}). A network read back
 * from JSON has the models' ids, modalities and parameters but cannot call them: look them up in
 * {@link dev.panic.Platforms} to run it.
 *
 * <p>A <b>prediction</b> is {@code {"run_id","sequence","node","model","revision","started_at",
 * "finished_at","input","output","metadata","embeddings","error"}}: {@code revision} is left out when
 * 0, {@code output} or {@code error} ({@code {"type","message"}}) is there, {@code metadata} holds
 * {@code parameters}, {@code seed}, {@code model_version}, {@code platform_prediction_id},
 * {@code predict_time}, {@code cost_usd} and {@code extras}, and {@code embeddings} maps embedder
 * ids to base64 little-endian float32 vectors (left out by {@link Builder#embeddings(boolean)
 * embeddings(false)}).
 *
 * <p><b>Run state</b> ({@link RunInfo}) is {@code {"id","status","stop_reason","started_at",
 * "finished_at","prediction_count","observations","parent","revision","network","initial_input",
 * "spec"}}, {@code network} being the model ids in node order and {@code spec} the
 * {@link RunSpecJson run spec}. Statuses are {@link dev.panic.RunStatus} names.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RunJson {

    /** The version of this form, written as {@code "format"} (not the version of a store's files). */
    public static final int FORMAT = 1;

    private static final JsonCodec CODEC = new JsonCodec();
    private static final RunJson STANDARD = builder().build();

    /** Refuses calls: the models of a network read back from JSON are descriptions. */
    private static final Model.Invoker DESCRIBED = (input, parameters) -> CompletableFuture.failedFuture(
            new ValidationException("this model was read from JSON and cannot be called; look it up with"
                    + " Platforms.model(id) to call it"));

    /** Gives the address a frontend fetches a media payload from. */
    @FunctionalInterface
    public interface MediaUrls {
        /**
         * @param runId     the run whose record holds the payload, or null when written outside a run
         * @param sha256    the content's lower-case hex SHA-256
         * @param mediaType its media type, e.g. {@code image/png}
         * @return the URL, absolute or relative to the page; empty for none
         */
        Optional<String> url(String runId, String sha256, String mediaType);
    }

    /** Gives the bytes of a media payload read back from JSON, when they are first read. */
    @FunctionalInterface
    public interface MediaLoader {
        /**
         * @param sha256    the content's lower-case hex SHA-256 (what is returned is checked against it)
         * @param mediaType its media type
         * @param url       the URL the JSON gave, or null
         */
        Bytes load(String sha256, String mediaType, String url);
    }

    private final MediaUrls urls;
    private final MediaLoader loader;
    private final boolean embeddings;

    private RunJson(Builder b) {
        this.urls = b.urls;
        this.loader = b.loader;
        this.embeddings = b.embeddings;
    }

    /** Media named by hash with no URL, embeddings included; media read back cannot be loaded. */
    public static RunJson standard() {
        return STANDARD;
    }

    /** A builder for a codec with media URLs, a media loader, or without embeddings. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ writing

    /** An event as a JSON tree. */
    public ObjectNode toTree(RunEvent event) {
        Objects.requireNonNull(event, "event");
        ObjectNode n = CODEC.mapper().createObjectNode();
        n.put("format", FORMAT);
        n.put("type", typeOf(event));
        n.put("run_id", event.runId());
        String run = event.runId();
        if (event instanceof RunEvent.Started s) {
            n.set("network", network(s.network()));
            n.set("input", payload(s.input(), run));
            n.put("at", s.at().toString());
            n.put("first_sequence", s.firstSequence());
            s.parent().ifPresent(l -> n.set("parent", lineage(l)));
        } else if (event instanceof RunEvent.PredictionStarted s) {
            n.put("sequence", s.sequence());
            n.put("node", s.node());
            n.put("model", s.modelId().toString());
            n.set("input", payload(s.input(), run));
            n.put("at", s.at().toString());
            n.put("revision", s.revision());
        } else if (event instanceof RunEvent.PartialOutput p) {
            n.put("sequence", p.sequence());
            n.put("model", p.modelId().toString());
            n.put("piece", p.piece());
        } else if (event instanceof RunEvent.PredictionMade m) {
            n.set("prediction", prediction(m.prediction()));
        } else if (event instanceof RunEvent.PredictionFailed f) {
            n.set("prediction", prediction(f.prediction()));
        } else if (event instanceof RunEvent.EmbeddingFailed f) {
            n.put("sequence", f.sequence());
            n.put("embedder", f.embedderId());
            n.put("message", f.message());
        } else if (event instanceof RunEvent.Measured m) {
            n.put("sequence", m.sequence());
            ArrayNode list = n.putArray("similarities");
            m.similarities().forEach(s -> list.add(similarity(s)));
        } else if (event instanceof RunEvent.Observed o) {
            n.set("reason", CODEC.encodeStopReason(o.reason()));
        } else if (event instanceof RunEvent.Steered s) {
            n.set("revision", revision(s.revision(), run));
        } else if (event instanceof RunEvent.Branched b) {
            n.put("branch_id", b.branchId());
            n.put("sequence", b.sequence());
            n.put("from_node", b.fromNode());
            n.put("to_node", b.toNode());
        } else if (event instanceof RunEvent.BranchSkipped b) {
            n.put("sequence", b.sequence());
            n.put("from_node", b.fromNode());
            n.put("to_node", b.toNode());
            n.put("reason", b.reason());
        } else if (event instanceof RunEvent.Finished f) {
            n.put("status", f.status().name());
            if (f.reason() != null) {
                n.set("reason", CODEC.encodeStopReason(f.reason()));
            }
            n.put("at", f.at().toString());
        } else {
            throw new IllegalStateException("no JSON form for event " + event.getClass().getName());
        }
        return n;
    }

    /** A run's description and state as a JSON tree. */
    public ObjectNode toTree(RunInfo info) {
        Objects.requireNonNull(info, "info");
        ObjectNode n = CODEC.encodeRunInfo(info, (media, path) -> { });
        n.put("format", FORMAT);
        nameMedia(n, info.id());
        return n;
    }

    /** A prediction as a JSON tree, with {@code "format"}. */
    public ObjectNode toTree(Prediction prediction) {
        ObjectNode n = CODEC.mapper().createObjectNode();
        n.put("format", FORMAT);
        n.setAll(prediction(prediction));
        return n;
    }

    /** A run spec as a JSON tree, its input media named by hash (a spec that stands alone: {@link RunSpecJson#write}). */
    public ObjectNode toTree(RunSpec spec) {
        Objects.requireNonNull(spec, "spec");
        ObjectNode n = CODEC.mapper().createObjectNode();
        n.put("format", FORMAT);
        n.setAll(CODEC.encodeSpec(spec, (media, path) -> { }));
        nameMedia(n, null);
        return n;
    }

    /** A payload as a JSON tree; {@code runId} (may be null) goes to the {@link MediaUrls}. */
    public ObjectNode toTree(Payload payload, String runId) {
        return payload(Objects.requireNonNull(payload, "payload"), runId);
    }

    /** An event as JSON text, on one line (fit for a Server-Sent Event or a line of a log). */
    public String write(RunEvent event) {
        return text(toTree(event));
    }

    /** A run's state as JSON text. */
    public String write(RunInfo info) {
        return text(toTree(info));
    }

    /** A prediction as JSON text. */
    public String write(Prediction prediction) {
        return text(toTree(prediction));
    }

    // ------------------------------------------------------------------ reading

    /**
     * An event from JSON text.
     *
     * @throws ValidationException saying what is wrong, if it is not an event in this form
     */
    public RunEvent readEvent(String json) {
        return readEvent(parse(json));
    }

    /** An event from a JSON tree; see {@link #readEvent(String)}. */
    public RunEvent readEvent(JsonNode n) {
        return decoding("event", () -> {
            checkFormat(n);
            String type = requiredText(n, "type");
            String run = requiredText(n, "run_id");
            JsonCodec.MediaSource media = mediaSource(n);
            switch (type) {
                case "started":
                    return new RunEvent.Started(run, network(required(n, "network")),
                            CODEC.decodePayload(required(n, "input"), "input", media), requiredInstant(n, "at"),
                            requiredInt(n, "first_sequence"),
                            isAbsent(n.get("parent")) ? Optional.empty() : Optional.of(lineage(n.get("parent"))));
                case "prediction_started":
                    return new RunEvent.PredictionStarted(run, requiredInt(n, "sequence"), requiredText(n, "node"),
                            ModelId.parse(requiredText(n, "model")),
                            CODEC.decodePayload(required(n, "input"), "input", media),
                            requiredInstant(n, "at"), requiredInt(n, "revision"));
                case "partial_output":
                    return new RunEvent.PartialOutput(run, requiredInt(n, "sequence"),
                            ModelId.parse(requiredText(n, "model")),
                            requiredText(n, "piece"));
                case "prediction_made":
                    return new RunEvent.PredictionMade(run, prediction(required(n, "prediction"), media));
                case "prediction_failed":
                    return new RunEvent.PredictionFailed(run, prediction(required(n, "prediction"), media));
                case "embedding_failed":
                    return new RunEvent.EmbeddingFailed(run, requiredInt(n, "sequence"), requiredText(n, "embedder"),
                            requiredText(n, "message"));
                case "measured": {
                    List<Similarity> list = new ArrayList<>();
                    for (JsonNode s : requireArray(n, "similarities")) {
                        list.add(similarity(s));
                    }
                    return new RunEvent.Measured(run, requiredInt(n, "sequence"), list);
                }
                case "observed":
                    return new RunEvent.Observed(run, JsonCodec.decodeStopReason(required(n, "reason")));
                case "steered":
                    return new RunEvent.Steered(run, CODEC.decodeRevision(required(n, "revision"), media));
                case "branched":
                    return new RunEvent.Branched(run, requiredText(n, "branch_id"), requiredInt(n, "sequence"),
                            requiredText(n, "from_node"), requiredText(n, "to_node"));
                case "branch_skipped":
                    return new RunEvent.BranchSkipped(run, requiredInt(n, "sequence"), requiredText(n, "from_node"),
                            requiredText(n, "to_node"), requiredText(n, "reason"));
                case "finished":
                    return new RunEvent.Finished(run, parseStatus(requiredText(n, "status")),
                            isAbsent(n.get("reason")) ? null : JsonCodec.decodeStopReason(n.get("reason")),
                            requiredInstant(n, "at"));
                default:
                    throw new ValidationException("unknown event type '" + type + "'; known: started,"
                            + " prediction_started, partial_output, prediction_made, prediction_failed,"
                            + " embedding_failed, measured, observed, steered, branched, branch_skipped, finished");
            }
        });
    }

    /** A run's state from JSON text. */
    public RunInfo readInfo(String json) {
        JsonNode n = parse(json);
        return decoding("run", () -> {
            checkFormat(n);
            return CODEC.decodeRunInfo(n, mediaSource(n));
        });
    }

    /** A prediction from JSON text. */
    public Prediction readPrediction(String json) {
        JsonNode n = parse(json);
        return decoding("prediction", () -> {
            checkFormat(n);
            return prediction(n, mediaSource(n));
        });
    }

    /** A run spec from a JSON tree in the form {@link #toTree(RunSpec)} writes (or {@link RunSpecJson}'s). */
    public RunSpec readSpec(JsonNode n) {
        return decoding("spec", () -> {
            checkFormat(n);
            return CODEC.decodeSpec(n, mediaSource(n));
        });
    }

    /** A payload from a JSON tree. */
    public Payload readPayload(JsonNode n) {
        return decoding("payload", () -> CODEC.decodePayload(n, "payload", mediaSource(n)));
    }

    /**
     * This form as a Jackson module: with it registered, an {@code ObjectMapper} writes
     * {@link RunEvent}s (of every type), {@link RunInfo}, {@link Prediction}, {@link RunSpec} and
     * {@link Payload} as this class does, and reads them back when asked for those types
     * ({@code mapper.readValue(json, RunEvent.class)}).
     */
    public Module module() {
        SimpleModule m = new SimpleModule("panic-run-json");
        m.addSerializer(RunEvent.class, serializer(this::toTree));
        m.addSerializer(RunInfo.class, serializer(this::toTree));
        m.addSerializer(Prediction.class, serializer(this::toTree));
        m.addSerializer(RunSpec.class, serializer(this::toTree));
        m.addSerializer(Payload.class, serializer(p -> toTree(p, null)));
        m.addDeserializer(RunEvent.class, deserializer(this::readEvent));
        m.addDeserializer(RunInfo.class, deserializer(n -> readInfo(text(n))));
        m.addDeserializer(Prediction.class, deserializer(n -> readPrediction(text(n))));
        m.addDeserializer(RunSpec.class, deserializer(this::readSpec));
        m.addDeserializer(Payload.class, deserializer(this::readPayload));
        return m;
    }

    // ------------------------------------------------------------------ parts

    private static String typeOf(RunEvent e) {
        String simple = e.getClass().getSimpleName();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < simple.length(); i++) {
            char c = simple.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                sb.append('_');
            }
            sb.append(Character.toLowerCase(c));
        }
        return sb.toString();
    }

    private ObjectNode payload(Payload p, String runId) {
        ObjectNode n = CODEC.encodePayload(p, (media, path) -> { });
        nameMedia(n, runId);
        return n;
    }

    private ObjectNode prediction(Prediction p) {
        ObjectNode n = CODEC.encodePrediction(p, true, (media, path) -> { });
        if (!embeddings) {
            n.remove("embeddings");
        }
        nameMedia(n, p.runId());
        return n;
    }

    private ObjectNode revision(Revision r, String runId) {
        ObjectNode n = CODEC.encodeRevision(r, (media, path) -> { });
        nameMedia(n, runId);
        return n;
    }

    /** Replaces the store's file path of every media payload in the tree by its URL, if any. */
    private void nameMedia(JsonNode n, String runId) {
        if (n instanceof ObjectNode o) {
            if (o.has("sha256") && o.has("media_type") && o.has("file")) {
                o.remove("file");
                if (urls != null) {
                    urls.url(runId, o.get("sha256").textValue(), o.get("media_type").textValue())
                            .ifPresent(url -> o.put("url", url));
                }
                return;
            }
            // A prediction's media is its own run's (a fork lists its parent's predictions too).
            String owner = o.has("run_id") && o.get("run_id").isTextual() && o.has("sequence")
                    ? o.get("run_id").textValue() : runId;
            o.elements().forEachRemaining(child -> nameMedia(child, owner));
        } else if (n instanceof ArrayNode a) {
            a.elements().forEachRemaining(child -> nameMedia(child, runId));
        }
    }

    /** The media a tree names by hash, as bytes loaded on first read through the loader. */
    private JsonCodec.MediaSource mediaSource(JsonNode root) {
        Map<String, Bytes> bySha = new HashMap<>();
        collectMedia(root, bySha);
        return (file, sha, size) -> {
            Bytes b = sha == null ? null : bySha.get(sha);
            if (b == null) {
                throw new ValidationException("media " + (file != null ? "file '" + file + "'" : sha)
                        + " cannot be read here; name media by sha256 or give it inline as data");
            }
            return b;
        };
    }

    private void collectMedia(JsonNode n, Map<String, Bytes> out) {
        if (n instanceof ObjectNode o) {
            JsonNode sha = o.get("sha256");
            JsonNode type = o.get("media_type");
            if (sha != null && sha.isTextual() && type != null && type.isTextual() && !o.has("data")) {
                String digest = sha.textValue().toLowerCase(Locale.ROOT);
                String mediaType = type.textValue();
                String url = o.has("url") && o.get("url").isTextual() ? o.get("url").textValue() : null;
                JsonNode size = o.get("size");
                out.computeIfAbsent(digest, d -> size != null && size.canConvertToInt()
                        ? Bytes.deferred(size.intValue(), d, () -> load(d, mediaType, url).toByteArray())
                        : load(d, mediaType, url));
                return;
            }
            o.elements().forEachRemaining(child -> collectMedia(child, out));
        } else if (n instanceof ArrayNode a) {
            a.elements().forEachRemaining(child -> collectMedia(child, out));
        }
    }

    private Bytes load(String sha256, String mediaType, String url) {
        if (loader == null) {
            throw new PanicException("the content of media " + sha256 + " (" + mediaType + ") was read from JSON"
                    + " without it; give RunJson.builder().mediaLoader(...) a way to fetch it"
                    + (url == null ? "" : " (from " + url + ")"));
        }
        Bytes b = loader.load(sha256, mediaType, url);
        if (b == null) {
            throw new PanicException("media " + sha256 + " (" + mediaType + ") could not be loaded");
        }
        return b;
    }

    private ObjectNode network(Network network) {
        RunSpec.NetworkSpec spec = RunSpec.NetworkSpec.of(network);
        ObjectNode n = CODEC.encodeNetwork(spec);
        Iterator<JsonNode> nodes = n.get("nodes").elements();
        for (Network.Node node : network.nodes()) {
            ObjectNode o = (ObjectNode) nodes.next();
            o.put("input", node.model().input().wireName());
            o.put("output", node.model().output().wireName());
        }
        return n;
    }

    private static Network network(JsonNode n) {
        Map<String, JsonNode> byId = new HashMap<>();
        requireArray(n, "nodes").forEach(o -> byId.put(o.get("id").textValue(), o));
        return CODEC.decodeNetwork(n).toNetwork(ns -> {
            JsonNode o = byId.get(ns.id());
            ModelInfo info = new ModelInfo(ns.model(), Modality.parse(requiredText(o, "input")),
                    Modality.parse(requiredText(o, "output")), "");
            return Model.of(info, ns.parameters(), DESCRIBED);
        });
    }

    private static Prediction prediction(JsonNode n, JsonCodec.MediaSource media) {
        JsonCodec.Line line = CODEC.decodeLine(n, media, sequence -> {
            throw new ValidationException("prediction " + sequence + " has no 'node'");
        });
        if (!(line instanceof JsonCodec.PredictionLine p)) {
            throw new ValidationException("not a prediction: " + n);
        }
        return p.prediction();
    }

    private static ObjectNode lineage(Lineage l) {
        ObjectNode o = CODEC.mapper().createObjectNode();
        o.put("run_id", l.runId());
        o.put("sequence", l.sequence());
        o.put("branch", l.branch());
        return o;
    }

    private static Lineage lineage(JsonNode n) {
        return new Lineage(requiredText(n, "run_id"), requiredInt(n, "sequence"),
                !isAbsent(n.get("branch")) && n.get("branch").asBoolean());
    }

    private static ObjectNode similarity(Similarity s) {
        ObjectNode o = CODEC.mapper().createObjectNode();
        o.put("embedder", s.embedderId());
        o.put("sequence", s.sequence());
        o.put("lap", s.lap());
        s.previous().ifPresent(v -> o.put("previous", v));
        s.toPrevious().ifPresent(v -> o.put("to_previous", v));
        o.put("origin", s.origin());
        s.toOrigin().ifPresent(v -> o.put("to_origin", v));
        return o;
    }

    private static Similarity similarity(JsonNode n) {
        return new Similarity(requiredText(n, "embedder"), requiredInt(n, "sequence"), requiredInt(n, "lap"),
                isAbsent(n.get("previous")) ? OptionalInt.empty() : OptionalInt.of(requiredInt(n, "previous")),
                number(n, "to_previous"),
                requiredInt(n, "origin"), number(n, "to_origin"));
    }

    // ------------------------------------------------------------------ plumbing

    private interface Decoding<T> {
        T get();
    }

    private static <T> T decoding(String what, Decoding<T> d) {
        try {
            return d.get();
        } catch (ValidationException e) {
            throw e;
        } catch (PanicException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ValidationException("not a valid " + what + " in PANIC's JSON form: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            throw new ValidationException("the JSON text is null");
        }
        try {
            return CODEC.mapper().readTree(json);
        } catch (IOException e) {
            String first = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new ValidationException("not valid JSON: " + first, e);
        }
    }

    private static String text(JsonNode n) {
        try {
            return CODEC.mapper().writeValueAsString(n);
        } catch (IOException e) {
            throw new PanicException("could not write JSON: " + e.getMessage(), e);
        }
    }

    private static void checkFormat(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new ValidationException("expected a JSON object, got " + (n == null ? "nothing" : n.getNodeType()));
        }
        JsonNode f = n.get("format");
        if (f != null && f.isInt() && f.intValue() > FORMAT) {
            throw new ValidationException("it is in format " + f.intValue() + " but this version of PANIC reads up to"
                    + " format " + FORMAT + "; upgrade PANIC to read it");
        }
    }

    private static OptionalDouble number(JsonNode n, String field) {
        return isAbsent(n.get(field)) ? OptionalDouble.empty() : OptionalDouble.of(JsonCodec.number(n.get(field), field));
    }

    private static <T> JsonSerializer<T> serializer(java.util.function.Function<T, JsonNode> toTree) {
        return new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeTree(toTree.apply(value));
            }
        };
    }

    private static <T> JsonDeserializer<T> deserializer(java.util.function.Function<JsonNode, T> fromTree) {
        return new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return fromTree.apply(p.readValueAsTree());
            }
        };
    }

    /** Configures a {@link RunJson}. */
    public static final class Builder {
        private MediaUrls urls;
        private MediaLoader loader;
        private boolean embeddings = true;

        private Builder() {
        }

        /** Writes a {@code url} into every media payload, e.g. {@code (run, sha, type) -> "/media/" + run + "/" + sha}. */
        public Builder mediaUrls(MediaUrls urls) {
            this.urls = urls;
            return this;
        }

        /** Fetches the content of media read back from JSON, when it is first read. */
        public Builder mediaLoader(MediaLoader loader) {
            this.loader = loader;
            return this;
        }

        /**
         * Whether predictions carry their vectors ({@code embeddings}); true by default. A live page
         * has no use for them: leaving them out makes each event a few kilobytes smaller.
         */
        public Builder embeddings(boolean include) {
            this.embeddings = include;
            return this;
        }

        /** The codec. */
        public RunJson build() {
            return new RunJson(this);
        }
    }
}
