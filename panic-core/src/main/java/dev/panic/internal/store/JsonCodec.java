package dev.panic.internal.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.Bytes;
import dev.panic.Change;
import dev.panic.Durability;
import dev.panic.Embedding;
import dev.panic.Lineage;
import dev.panic.MediaTypes;
import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.ModelId;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.RunInfo;
import dev.panic.RunSpec;
import dev.panic.RunStatus;
import dev.panic.Spec;
import dev.panic.StopReason;
import dev.panic.Verdict;
import dev.panic.internal.RingIds;
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
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Turns run descriptions, specs, predictions and revisions into JSON trees and back; see
 * {@link DirectoryRunStore} for the format.
 *
 * <p>Trees are built by hand rather than by binding the public records, so the public types carry
 * no Jackson annotations and the file format cannot change by accident when a record gains a field.
 * Media never goes into the JSON: encoding hands each image or sound to a {@link MediaSink} and
 * writes its path; decoding asks a {@link MediaSource} for the bytes (which it may defer).
 *
 * <p>Reads format 1 (before run specs) too: its runs are rings, and a prediction's node is its
 * position in the ring.
 */
public final class JsonCodec {

    /** The format version written to {@code run.json}, raised on incompatible changes. */
    public static final int FORMAT = 2;

    /** Receives each media payload met while encoding, with the path it will be referred to by. */
    @FunctionalInterface
    public interface MediaSink {
        void put(Payload media, String relativePath);
    }

    /** Gives the bytes of a media file referred to by a record. */
    @FunctionalInterface
    public interface MediaSource {
        /**
         * @param file   the path in the record ({@code media/<sha256>.<ext>} in a store, any path in a spec file),
         *               or null for media named by its digest alone
         * @param sha256 the digest the record gives, or null (a spec file written by hand)
         * @param size   the size the record gives, or null
         */
        Bytes get(String file, String sha256, Integer size);
    }

    /** Media sources that refuse: for records that should hold no media. */
    public static final MediaSource NO_MEDIA = (file, sha, size) -> {
        throw new MalformedRecordException("refers to media file '" + file + "', which cannot be read here");
    };

    private final ObjectMapper mapper;

    public JsonCodec() {
        // Trailing garbage after an object means a damaged line, not a line to half-believe.
        this.mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    // ---------------------------------------------------------------- run descriptions

    public ObjectNode encodeRunInfo(RunInfo info, MediaSink media) {
        ObjectNode n = mapper.createObjectNode();
        n.put("format", FORMAT);
        n.put("id", info.id());
        // The model ids and the initial input also stand alone, as format 1 had them, for simple readers.
        ArrayNode network = n.putArray("network");
        info.network().forEach(id -> network.add(id.toString()));
        n.set("initial_input", encodePayload(info.initialInput(), media));
        n.put("status", info.status().name());
        info.stopReason().ifPresent(r -> n.set("stop_reason", encodeStopReason(r)));
        putInstant(n, "started_at", info.startedAt());
        putInstant(n, "finished_at", info.finishedAt().orElse(null));
        n.put("prediction_count", info.predictions());
        ArrayNode observations = n.putArray("observations");
        info.observations().forEach(o -> observations.add(encodeStopReason(o)));
        info.parent().ifPresent(l -> {
            ObjectNode parent = n.putObject("parent");
            parent.put("run_id", l.runId());
            parent.put("sequence", l.sequence());
            parent.put("branch", l.branch());
        });
        n.put("revision", info.revision());
        if (info.costUsd() != 0) {
            n.put("cost_usd", info.costUsd());
        }
        n.set("spec", encodeSpec(info.spec(), media));
        ObjectNode prov = n.putObject("provenance");
        prov.put("panic", info.provenance().panic());
        prov.put("java", info.provenance().java());
        prov.put("os", info.provenance().os());
        prov.set("platforms", mapper.valueToTree(info.provenance().platforms()));
        prov.set("embedders", mapper.valueToTree(info.provenance().embedders()));
        return n;
    }

    public RunInfo decodeRunInfo(JsonNode n, MediaSource media) {
        requireObject(n, "run");
        JsonNode format = n.get("format");
        if (format != null && format.isInt() && format.intValue() > FORMAT) {
            throw new MalformedRecordException("it was written in format " + format.intValue()
                    + " but this version of PANIC reads up to format " + FORMAT + "; upgrade PANIC to read it");
        }
        RunSpec spec;
        if (!isAbsent(n.get("spec"))) {
            spec = decodeSpec(n.get("spec"), media);
        } else {
            // Format 1: a ring of model ids, with neither parameters nor rules saved.
            List<RunSpec.NodeSpec> nodes = new ArrayList<>();
            List<String> taken = new ArrayList<>();
            for (JsonNode id : requireArray(n, "network")) {
                ModelId model = ModelId.parse(textValue(id, "network entry"));
                String nodeId = RingIds.unique(model, taken);
                taken.add(nodeId);
                nodes.add(new RunSpec.NodeSpec(nodeId, model, Parameters.empty(), null, Map.of()));
            }
            if (nodes.isEmpty()) {
                throw new MalformedRecordException("field 'network' is empty");
            }
            JsonNode input = n.get("initial_input");
            if (isAbsent(input)) {
                throw new MalformedRecordException("field 'initial_input' is missing");
            }
            spec = new RunSpec(new RunSpec.NetworkSpec(nodes, RingIds.ringLinks(taken), null),
                    decodePayload(input, "initial_input", media), List.of(), List.of(), List.of(), null, null, 1,
                    Long.MAX_VALUE, false, Durability.FLUSH);
        }
        String status = optionalText(n, "status");
        StopReason stopReason = isAbsent(n.get("stop_reason")) ? null : decodeStopReason(n.get("stop_reason"));
        List<StopReason> observations = new ArrayList<>();
        JsonNode obs = n.get("observations");
        if (!isAbsent(obs)) {
            for (JsonNode o : requireArray(n, "observations")) {
                observations.add(decodeStopReason(o));
            }
        }
        Lineage parent = null;
        JsonNode p = n.get("parent");
        if (!isAbsent(p)) {
            requireObject(p, "parent");
            parent = new Lineage(requiredText(p, "run_id"), requiredInt(p, "sequence"),
                    !isAbsent(p.get("branch")) && p.get("branch").asBoolean());
        }
        JsonNode cost = n.get("cost_usd");
        return new RunInfo(requiredText(n, "id"), spec, status == null ? RunStatus.RUNNING : parseStatus(status),
                Optional.ofNullable(stopReason), optionalInstant(n, "started_at"),
                Optional.ofNullable(optionalInstant(n, "finished_at")), requiredInt(n, "prediction_count"), observations,
                Optional.ofNullable(parent), optionalInt(n, "revision", 0),
                isAbsent(cost) ? 0 : number(cost, "cost_usd"), decodeProvenance(n.get("provenance")));
    }

    private static dev.panic.Provenance decodeProvenance(JsonNode n) {
        if (isAbsent(n) || !n.isObject()) {
            return dev.panic.Provenance.unknown();
        }
        return new dev.panic.Provenance(optionalText(n, "panic"), optionalText(n, "java"), optionalText(n, "os"),
                textMap(n.get("platforms")), textMap(n.get("embedders")));
    }

    private static Map<String, String> textMap(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!isAbsent(n) && n.isObject()) {
            n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    // ---------------------------------------------------------------- run specs

    public ObjectNode encodeSpec(RunSpec spec, MediaSink media) {
        ObjectNode n = mapper.createObjectNode();
        n.set("network", encodeNetwork(spec.network()));
        n.set("input", encodePayload(spec.input(), media));
        n.set("stop", encodeSpecs(spec.stopRules(), "rule"));
        n.set("observe", encodeSpecs(spec.observeRules(), "rule"));
        ArrayNode embedders = n.putArray("embedders");
        spec.embedders().forEach(embedders::add);
        n.put("embedding_timeout", spec.embeddingTimeout().toString());
        n.set("pacing", encodeComponent(spec.pacing(), "kind"));
        n.put("max_branches", spec.maxBranches());
        if (spec.maxPredictions() != Long.MAX_VALUE) {
            n.put("max_predictions", spec.maxPredictions());
        }
        n.put("forever", spec.forever());
        n.put("durability", spec.durability().name().toLowerCase(Locale.ROOT));
        return n;
    }

    /** A network: its nodes (id, model, parameters, templates), links and entry. */
    public ObjectNode encodeNetwork(RunSpec.NetworkSpec spec) {
        ObjectNode network = mapper.createObjectNode();
        ArrayNode nodes = network.putArray("nodes");
        for (RunSpec.NodeSpec node : spec.nodes()) {
            ObjectNode o = nodes.addObject();
            o.put("id", node.id());
            o.put("model", node.model().toString());
            if (!node.parameters().isEmpty()) {
                o.set("parameters", mapper.valueToTree(node.parameters().asMap()));
            }
            if (node.template().isPresent()) {
                o.put("template", node.template().get());
            }
            if (!node.parameterTemplates().isEmpty()) {
                o.set("parameter_templates", mapper.valueToTree(node.parameterTemplates()));
            }
            if (!node.rejection().fails()) {
                ObjectNode r = o.putObject("on_rejection");
                r.put("policy", node.rejection().policy());
                if (node.rejection().policy().equals("retry")) {
                    r.put("attempts", node.rejection().attempts());
                }
                if (node.rejection().text() != null) {
                    r.put("text", node.rejection().text());
                }
            }
        }
        ObjectNode links = network.putObject("links");
        spec.links().forEach((from, tos) -> {
            ArrayNode to = links.putArray(from);
            tos.forEach(to::add);
        });
        network.put("entry", spec.entry());
        return network;
    }

    /**
     * A spec, as the store writes it or as a person writes it: {@code network} may also be a list
     * of model ids (a ring), links and entry may be left out (a ring of the nodes in order), and
     * every field but {@code network} and {@code input} has a default.
     */
    public RunSpec decodeSpec(JsonNode n, MediaSource media) {
        requireObject(n, "spec");
        RunSpec.NetworkSpec network = decodeNetwork(required(n, "network"));
        String durability = optionalText(n, "durability");
        Durability d;
        try {
            d = durability == null ? Durability.FLUSH : Durability.valueOf(durability.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("durability '" + durability + "' is unknown; use flush or fsync");
        }
        String timeout = optionalText(n, "embedding_timeout");
        JsonNode pacing = n.get("pacing");
        JsonNode maxPredictions = n.get("max_predictions");
        if (!isAbsent(maxPredictions) && !maxPredictions.canConvertToLong()) {
            throw new MalformedRecordException("field 'max_predictions' is not a whole number: " + maxPredictions);
        }
        return new RunSpec(network, decodePayload(required(n, "input"), "input", media),
                decodeSpecs(n.get("stop"), "stop", "rule"), decodeSpecs(n.get("observe"), "observe", "rule"),
                decodeTexts(n.get("embedders"), "embedders"),
                timeout == null ? null : parseDuration(timeout, "embedding_timeout"),
                isAbsent(pacing) ? null : decodeComponent(pacing, "pacing", "kind"),
                optionalInt(n, "max_branches", 8),
                isAbsent(maxPredictions) ? Long.MAX_VALUE : maxPredictions.longValue(),
                !isAbsent(n.get("forever")) && n.get("forever").asBoolean(), d);
    }

    /**
     * A network: an object with {@code nodes} (and optionally {@code links} and {@code entry}: a ring
     * of the nodes in order without them), or a list of model ids (a ring).
     */
    public RunSpec.NetworkSpec decodeNetwork(JsonNode net) {
        List<RunSpec.NodeSpec> nodes = new ArrayList<>();
        Map<String, List<String>> links = new LinkedHashMap<>();
        String entry = null;
        if (net.isArray()) {
            List<String> taken = new ArrayList<>();
            for (JsonNode id : net) {
                ModelId model = ModelId.parse(textValue(id, "network entry"));
                String nodeId = RingIds.unique(model, taken);
                taken.add(nodeId);
                nodes.add(new RunSpec.NodeSpec(nodeId, model, Parameters.empty(), null, Map.of()));
            }
        } else {
            requireObject(net, "network");
            List<String> taken = new ArrayList<>();
            for (JsonNode o : requireArray(net, "nodes")) {
                requireObject(o, "node");
                ModelId model = ModelId.parse(requiredText(o, "model"));
                String id = optionalText(o, "id");
                if (id == null) {
                    id = RingIds.unique(model, taken);
                }
                taken.add(id);
                Parameters params = isAbsent(o.get("parameters")) ? Parameters.empty()
                        : Parameters.of(plainMap(o.get("parameters"), "parameters"));
                Map<String, String> templates = new LinkedHashMap<>();
                JsonNode pt = o.get("parameter_templates");
                if (!isAbsent(pt)) {
                    requireObject(pt, "parameter_templates");
                    pt.fields().forEachRemaining(e -> templates.put(e.getKey(), textValue(e.getValue(),
                            "parameter_templates." + e.getKey())));
                }
                nodes.add(new RunSpec.NodeSpec(id, model, params, Optional.ofNullable(optionalText(o, "template")), templates,
                        decodeRejection(o.get("on_rejection"))));
            }
            JsonNode l = net.get("links");
            if (!isAbsent(l)) {
                requireObject(l, "links");
                for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    List<String> to = new ArrayList<>();
                    JsonNode v = e.getValue();
                    if (v.isTextual()) {
                        to.add(v.textValue());
                    } else {
                        if (!v.isArray()) {
                            throw new MalformedRecordException("links." + e.getKey() + " is not a node id or a list of them");
                        }
                        v.forEach(x -> to.add(textValue(x, "links." + e.getKey())));
                    }
                    links.put(e.getKey(), to);
                }
            }
            entry = optionalText(net, "entry");
        }
        if (nodes.isEmpty()) {
            throw new MalformedRecordException("the network has no nodes");
        }
        if (links.isEmpty()) {
            links = RingIds.ringLinks(nodes.stream().map(RunSpec.NodeSpec::id).toList());
        }
        return new RunSpec.NetworkSpec(nodes, links, entry);
    }

    private static dev.panic.Rejection decodeRejection(JsonNode n) {
        if (isAbsent(n)) {
            return dev.panic.Rejection.fail();
        }
        if (n.isTextual()) {
            return new dev.panic.Rejection(n.textValue(), n.textValue().equals("retry") ? 1 : 0, null);
        }
        requireObject(n, "on_rejection");
        String policy = requiredText(n, "policy");
        return new dev.panic.Rejection(policy, optionalInt(n, "attempts", policy.equals("retry") ? 1 : 0),
                optionalText(n, "text"));
    }

    private ArrayNode encodeSpecs(List<Spec> specs, String nameField) {
        ArrayNode a = mapper.createArrayNode();
        specs.forEach(s -> a.add(encodeComponent(s, nameField)));
        return a;
    }

    private ObjectNode encodeComponent(Spec s, String nameField) {
        ObjectNode o = mapper.createObjectNode();
        o.put(nameField, s.kind());
        if (s.custom()) {
            o.put("custom", true);
        }
        s.settings().asMap().forEach((k, v) -> o.set(k, mapper.valueToTree(v)));
        return o;
    }

    private List<Spec> decodeSpecs(JsonNode n, String field, String nameField) {
        List<Spec> out = new ArrayList<>();
        if (isAbsent(n)) {
            return out;
        }
        if (!n.isArray()) {
            throw new MalformedRecordException("field '" + field + "' is not a list");
        }
        for (JsonNode o : n) {
            out.add(decodeComponent(o, field, nameField));
        }
        return out;
    }

    private Spec decodeComponent(JsonNode o, String field, String nameField) {
        if (o.isTextual()) {
            return Spec.of(o.textValue());
        }
        requireObject(o, field + " entry");
        String kind = requiredText(o, nameField);
        boolean custom = !isAbsent(o.get("custom")) && o.get("custom").asBoolean();
        Map<String, Object> settings = new LinkedHashMap<>();
        o.fields().forEachRemaining(e -> {
            if (!e.getKey().equals(nameField) && !e.getKey().equals("custom")) {
                settings.put(e.getKey(), plain(e.getValue(), field + "." + e.getKey()));
            }
        });
        return new Spec(kind, Parameters.of(settings), custom);
    }

    private static List<String> decodeTexts(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        if (isAbsent(n)) {
            return out;
        }
        if (!n.isArray()) {
            throw new MalformedRecordException("field '" + field + "' is not a list");
        }
        n.forEach(x -> out.add(textValue(x, field + " entry")));
        return out;
    }

    // ---------------------------------------------------------------- predictions

    /** A prediction line; {@code complete} false marks one whose vectors will follow in a completion line. */
    public ObjectNode encodePrediction(Prediction p, boolean complete, MediaSink media) {
        ObjectNode n = mapper.createObjectNode();
        n.put("run_id", p.runId());
        n.put("sequence", p.sequence());
        n.put("node", p.node());
        n.put("model", p.modelId().toString());
        if (p.revision() != 0) {
            n.put("revision", p.revision());
        }
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
            n.set("embeddings", encodeEmbeddings(p.embeddings()));
        }
        if (!p.verdicts().isEmpty()) {
            n.set("verdicts", encodeVerdicts(p.verdicts()));
        }
        if (p.error() != null) {
            ObjectNode error = n.putObject("error");
            error.put("type", p.error().type());
            error.put("message", p.error().message());
        }
        if (!complete) {
            n.put("pending", true);
        }
        return n;
    }

    /** The line that completes a pending prediction with its vectors and verdicts. */
    public ObjectNode encodeCompletion(int sequence, Map<String, Embedding> embeddings, List<Verdict> verdicts) {
        ObjectNode n = mapper.createObjectNode();
        n.put("complete", sequence);
        if (!embeddings.isEmpty()) {
            n.set("embeddings", encodeEmbeddings(embeddings));
        }
        if (!verdicts.isEmpty()) {
            n.set("verdicts", encodeVerdicts(verdicts));
        }
        return n;
    }

    private ArrayNode encodeVerdicts(List<Verdict> verdicts) {
        ArrayNode a = mapper.createArrayNode();
        for (Verdict v : verdicts) {
            ObjectNode o = a.addObject();
            o.put("rule", v.rule());
            o.put("stop", v.stop());
            o.put("answer", v.answer());
            o.put("judge", v.judge().toString());
        }
        return a;
    }

    private static List<Verdict> decodeVerdicts(JsonNode n) {
        List<Verdict> out = new ArrayList<>();
        if (isAbsent(n)) {
            return out;
        }
        if (!n.isArray()) {
            throw new MalformedRecordException("field 'verdicts' is not a list");
        }
        for (JsonNode v : n) {
            requireObject(v, "verdict");
            out.add(new Verdict(requiredText(v, "rule"), !isAbsent(v.get("stop")) && v.get("stop").asBoolean(),
                    requiredText(v, "answer"), ModelId.parse(requiredText(v, "judge"))));
        }
        return out;
    }

    /** The line that takes a pending prediction back. */
    public ObjectNode encodeDrop(int sequence, String reason) {
        ObjectNode n = mapper.createObjectNode();
        n.put("drop", sequence);
        n.put("reason", reason);
        return n;
    }

    private ObjectNode encodeEmbeddings(Map<String, Embedding> embeddings) {
        ObjectNode o = mapper.createObjectNode();
        embeddings.forEach((id, e) -> o.put(id, encodeFloats(e.toArray())));
        return o;
    }

    /** What a line of {@code predictions.jsonl} holds. */
    public sealed interface Line permits PredictionLine, CompletionLine, DropLine {
    }

    /** A prediction, complete or waiting for its vectors. */
    public record PredictionLine(Prediction prediction, boolean pending) implements Line {
    }

    /** The vectors and verdicts of a pending prediction. */
    public record CompletionLine(int sequence, Map<String, Embedding> embeddings, List<Verdict> verdicts)
            implements Line {
    }

    /** A pending prediction taken back. */
    public record DropLine(int sequence, String reason) implements Line {
    }

    /**
     * Decodes a line of {@code predictions.jsonl}.
     *
     * @param nodeOf the node of a format-1 line, which has none, from its sequence
     */
    public Line decodeLine(JsonNode n, MediaSource media, java.util.function.IntFunction<String> nodeOf) {
        requireObject(n, "prediction");
        if (!isAbsent(n.get("complete"))) {
            return new CompletionLine(requiredInt(n, "complete"), decodeEmbeddings(n.get("embeddings")),
                    decodeVerdicts(n.get("verdicts")));
        }
        if (!isAbsent(n.get("drop"))) {
            return new DropLine(requiredInt(n, "drop"), optionalText(n, "reason"));
        }
        Payload input = decodePayload(required(n, "input"), "input", media);
        JsonNode out = n.get("output");
        Payload output = isAbsent(out) ? null : decodePayload(out, "output", media);
        JsonNode err = n.get("error");
        if (!isAbsent(err)) {
            requireObject(err, "error");
        }
        Prediction.Failure error = isAbsent(err) ? null
                : new Prediction.Failure(optionalText(err, "type"), optionalText(err, "message"));
        JsonNode meta = n.get("metadata");
        Metadata metadata = isAbsent(meta) ? Metadata.empty() : decodeMetadata(meta);
        int sequence = requiredInt(n, "sequence");
        String node = optionalText(n, "node");
        if (node == null) {
            node = nodeOf.apply(sequence);
        }
        Prediction p = new Prediction(requiredText(n, "run_id"), sequence, node,
                ModelId.parse(requiredText(n, "model")), input, output, requiredInstant(n, "started_at"),
                requiredInstant(n, "finished_at"), metadata, decodeEmbeddings(n.get("embeddings")), error,
                optionalInt(n, "revision", 0), decodeVerdicts(n.get("verdicts")));
        return new PredictionLine(p, !isAbsent(n.get("pending")) && n.get("pending").asBoolean());
    }

    private static Map<String, Embedding> decodeEmbeddings(JsonNode emb) {
        Map<String, Embedding> embeddings = new LinkedHashMap<>();
        if (!isAbsent(emb)) {
            requireObject(emb, "embeddings");
            for (Iterator<Map.Entry<String, JsonNode>> it = emb.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                embeddings.put(e.getKey(), Embedding.of(decodeFloats(textValue(e.getValue(), "embedding " + e.getKey()))));
            }
        }
        return embeddings;
    }

    // ---------------------------------------------------------------- revisions

    public ObjectNode encodeRevision(Revision r, MediaSink media) {
        ObjectNode n = mapper.createObjectNode();
        n.put("number", r.number());
        putInstant(n, "at", r.at());
        n.put("after_sequence", r.afterSequence());
        ArrayNode changes = n.putArray("changes");
        for (Change c : r.changes()) {
            changes.add(encodeChange(c, media));
        }
        return n;
    }

    public Revision decodeRevision(JsonNode n, MediaSource media) {
        requireObject(n, "revision");
        List<Change> changes = new ArrayList<>();
        for (JsonNode c : requireArray(n, "changes")) {
            changes.add(decodeChange(c, media));
        }
        return new Revision(requiredInt(n, "number"), requiredInstant(n, "at"), requiredInt(n, "after_sequence"),
                changes);
    }

    public ObjectNode encodeChange(Change c, MediaSink media) {
        ObjectNode n = mapper.createObjectNode();
        if (c instanceof Change.SetModel m) {
            n.put("change", "model");
            n.put("node", m.node());
            n.put("model", m.modelId().toString());
            if (!m.parameters().isEmpty()) {
                n.set("parameters", mapper.valueToTree(m.parameters().asMap()));
            }
        } else if (c instanceof Change.SetParameters p) {
            n.put("change", "parameters");
            n.put("node", p.node());
            n.set("parameters", mapper.valueToTree(p.parameters().asMap()));
        } else if (c instanceof Change.SetTemplate t) {
            n.put("change", "template");
            n.put("node", t.node());
            n.put("template", t.template());
        } else if (c instanceof Change.SetParameterTemplate t) {
            n.put("change", "parameter_template");
            n.put("node", t.node());
            n.put("parameter", t.parameter());
            n.put("template", t.template());
        } else if (c instanceof Change.Inject i) {
            n.put("change", "inject");
            if (i.node() != null) {
                n.put("node", i.node());
            }
            n.set("input", encodePayload(i.input(), media));
        } else if (c instanceof Change.SetPacing p) {
            n.put("change", "pacing");
            n.set("pacing", encodeComponent(p.spec(), "kind"));
        } else if (c instanceof Change.SetMaxSteps m) {
            n.put("change", "max_steps");
            n.put("steps", m.steps());
        } else if (c instanceof Change.SetMaxDuration m) {
            n.put("change", "max_duration");
            n.put("limit", m.limit().toString());
        } else if (c instanceof Change.Pause) {
            n.put("change", "pause");
        } else if (c instanceof Change.Unpause) {
            n.put("change", "unpause");
        } else {
            throw new IllegalStateException("no encoding for change " + c);
        }
        return n;
    }

    public Change decodeChange(JsonNode n, MediaSource media) {
        requireObject(n, "change");
        String kind = requiredText(n, "change");
        switch (kind) {
            case "model":
                return new Change.SetModel(requiredText(n, "node"), ModelId.parse(requiredText(n, "model")),
                        isAbsent(n.get("parameters")) ? Parameters.empty()
                                : Parameters.of(plainMap(n.get("parameters"), "parameters")),
                        java.util.Optional.empty());
            case "parameters":
                return Change.parameters(requiredText(n, "node"), Parameters.of(plainMap(required(n, "parameters"),
                        "parameters")));
            case "template":
                return Change.template(requiredText(n, "node"), optionalText(n, "template"));
            case "parameter_template":
                return Change.parameterTemplate(requiredText(n, "node"), requiredText(n, "parameter"),
                        optionalText(n, "template"));
            case "inject": {
                Payload input = decodePayload(required(n, "input"), "input", media);
                String node = optionalText(n, "node");
                return node == null ? Change.inject(input) : Change.inject(node, input);
            }
            case "pacing":
                return new Change.SetPacing(decodeComponent(required(n, "pacing"), "pacing", "kind"),
                        java.util.Optional.empty());
            case "max_steps":
                return Change.maxSteps(requiredInt(n, "steps"));
            case "max_duration":
                return Change.maxDuration(parseDuration(requiredText(n, "limit"), "limit"));
            case "pause":
                return Change.pause();
            case "unpause":
                return Change.unpause();
            default:
                throw new MalformedRecordException("unknown change '" + kind + "'; known: model, parameters, template,"
                        + " parameter_template, inject, pacing, max_steps, max_duration, pause, unpause");
        }
    }

    // ---------------------------------------------------------------- payloads and parts

    public ObjectNode encodePayload(Payload payload, MediaSink media) {
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
        n.put("size", data.size());
        n.put("file", path);
    }

    /**
     * A payload: {@code {"modality":"text","text":…}} (the modality may be left out for text), or
     * media with {@code file}, and {@code sha256} and {@code size} as a store writes them, or
     * {@code data} (base64) with {@code media_type}.
     */
    public Payload decodePayload(JsonNode n, String field, MediaSource media) {
        if (n != null && n.isTextual()) {
            return Payload.text(n.textValue());
        }
        requireObject(n, field);
        String m = optionalText(n, "modality");
        Modality modality = m != null ? Modality.parse(m) : n.has("text") ? Modality.TEXT : null;
        if (modality == Modality.TEXT) {
            return Payload.text(requiredText(n, "text"));
        }
        String mediaType = optionalText(n, "media_type");
        Bytes data;
        String data64 = optionalText(n, "data");
        String file = optionalText(n, "file");
        if (data64 != null) {
            try {
                data = Bytes.wrap(Base64.getDecoder().decode(data64));
            } catch (IllegalArgumentException e) {
                throw new MalformedRecordException("'" + field + ".data' is not valid base64: " + e.getMessage());
            }
        } else if (file != null) {
            String sha = optionalText(n, "sha256");
            if (sha != null) {
                sha = sha.toLowerCase(Locale.ROOT);
                String nameSha = RunFolderLayout.checkMediaFile(file);
                if (!nameSha.equals(sha)) {
                    throw new MalformedRecordException("media file '" + file + "' does not match its sha256 field " + sha);
                }
            }
            data = media.get(file, sha, isAbsent(n.get("size")) ? null : requiredInt(n, "size"));
            if (mediaType == null) {
                mediaType = MediaTypes.forFileName(file).orElse(null);
            }
        } else if (!isAbsent(n.get("sha256"))) {
            // Media named by its digest alone, as the public form (dev.panic.json.RunJson) writes it.
            String sha = requiredText(n, "sha256").toLowerCase(Locale.ROOT);
            data = media.get(null, sha, isAbsent(n.get("size")) ? null : requiredInt(n, "size"));
        } else {
            throw new MalformedRecordException("'" + field + "' has neither text, nor a media file, nor data");
        }
        if (mediaType == null) {
            throw new MalformedRecordException("'" + field + "' gives no media_type and its file name does not tell it");
        }
        if (modality == null) {
            modality = mediaType.startsWith("image/") ? Modality.IMAGE : Modality.AUDIO;
        }
        switch (modality) {
            case IMAGE: {
                Payload.Image.Size size = n.has("width") || n.has("height")
                        ? new Payload.Image.Size(requiredInt(n, "width"), requiredInt(n, "height")) : null;
                return new Payload.Image(data, mediaType, size);
            }
            case AUDIO: {
                String d = optionalText(n, "duration");
                return new Payload.Audio(data, mediaType, d == null ? null : parseDuration(d, "duration"));
            }
            default:
                throw new MalformedRecordException("no decoding for modality " + modality);
        }
    }

    private ObjectNode encodeMetadata(Metadata m) {
        ObjectNode n = mapper.createObjectNode();
        if (!m.parameters().isEmpty()) {
            n.set("parameters", mapper.valueToTree(m.parameters().asMap()));
        }
        m.seed().ifPresent(v -> n.put("seed", v));
        m.modelVersion().ifPresent(v -> n.put("model_version", v));
        m.platformPredictionId().ifPresent(v -> n.put("platform_prediction_id", v));
        m.predictTime().ifPresent(v -> n.put("predict_time", v.toString()));
        m.costUsd().ifPresent(v -> n.put("cost_usd", v));
        if (!m.extras().isEmpty()) {
            n.set("extras", mapper.valueToTree(m.extras()));
        }
        return n;
    }

    public ObjectNode encodeStopReason(StopReason r) {
        ObjectNode n = mapper.createObjectNode();
        n.put("rule", r.rule());
        n.put("message", r.message());
        n.put("sequence", r.sequence().orElse(-1)); // the stored form keeps -1 for "before any prediction"
        r.patternStart().ifPresent(v -> n.put("pattern_start", v));
        r.period().ifPresent(v -> n.put("period", v));
        r.similarity().ifPresent(v -> n.put("similarity", v));
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

    // ---------------------------------------------------------------- decoding parts

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
        return new Metadata(parameters, isAbsent(seed) ? OptionalLong.empty() : OptionalLong.of(seed.longValue()),
                Optional.ofNullable(optionalText(n, "model_version")),
                Optional.ofNullable(optionalText(n, "platform_prediction_id")),
                Optional.ofNullable(predictTime).map(t -> parseDuration(t, "predict_time")),
                isAbsent(cost) ? OptionalDouble.empty() : OptionalDouble.of(number(cost, "cost_usd")), extras);
    }

    public static StopReason decodeStopReason(JsonNode n) {
        requireObject(n, "stop reason");
        int sequence = requiredInt(n, "sequence");
        return new StopReason(optionalText(n, "rule"), optionalText(n, "message"),
                sequence < 0 ? OptionalInt.empty() : OptionalInt.of(sequence),
                optionalInt(n, "pattern_start"), optionalInt(n, "period"), optionalNumber(n, "similarity"));
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

    public static RunStatus parseStatus(String s) {
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

    public static boolean isAbsent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    public static JsonNode required(JsonNode n, String field) {
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

    public static JsonNode requireArray(JsonNode n, String field) {
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

    public static String requiredText(JsonNode n, String field) {
        return textValue(required(n, field), field);
    }

    private static String optionalText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return isAbsent(v) ? null : textValue(v, field);
    }

    public static int requiredInt(JsonNode n, String field) {
        JsonNode v = required(n, field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new MalformedRecordException("field '" + field + "' is not a whole number: " + v);
        }
        return v.intValue();
    }

    private static OptionalInt optionalInt(JsonNode n, String field) {
        return isAbsent(n.get(field)) ? OptionalInt.empty() : OptionalInt.of(requiredInt(n, field));
    }

    private static OptionalDouble optionalNumber(JsonNode n, String field) {
        return isAbsent(n.get(field)) ? OptionalDouble.empty() : OptionalDouble.of(number(n.get(field), field));
    }

    private static int optionalInt(JsonNode n, String field, int otherwise) {
        return isAbsent(n.get(field)) ? otherwise : requiredInt(n, field);
    }

    /** A number; also "NaN" and "Infinity" as strings, which is how Jackson writes those by default. */
    public static double number(JsonNode v, String field) {
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

    public static Instant requiredInstant(JsonNode n, String field) {
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
