package dev.panic.ollama.internal;

import dev.panic.spi.Futures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.spi.json.StructuredOutput;
import dev.panic.spi.http.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/** What each installed model can do, and the invoker that calls it. */
public final class OllamaModels {

    /** The instruction sent with an image when none is given. */
    public static final String DEFAULT_IMAGE_PROMPT = "Describe this image.";

    // Servers older than the capabilities field: families and names known to take images.
    private static final Set<String> VISION_FAMILIES = Set.of("clip", "mllama");
    private static final List<String> VISION_NAMES = List.of("llava", "bakllava", "moondream", "llama3.2-vision",
            "minicpm-v", "qwen2.5vl", "qwen2-vl", "granite3.2-vision", "llava-llama3", "llava-phi3");

    private static final Set<String> OPTIONS = Set.of("temperature", "seed", "top_k", "top_p", "min_p", "num_ctx",
            "num_predict", "stop");
    private static final Set<String> OWN = Set.of("prompt", "system", "stream", "keep_alive", "input",
            ModelInfo.JSON_SCHEMA);

    private final OllamaApi api;

    /** Models of the server {@code api} talks to. */
    public OllamaModels(OllamaApi api) {
        this.api = api;
    }

    /** What a model can do, from {@code /api/show}. */
    enum Kind { VISION, TEXT, EMBEDDING_ONLY }

    static Kind kind(String name, JsonNode show) {
        JsonNode caps = show.path("capabilities");
        if (caps.isArray() && caps.size() > 0) {
            List<String> c = new ArrayList<>();
            caps.forEach(n -> c.add(n.asText()));
            if (c.contains("vision")) {
                return Kind.VISION;
            }
            return c.contains("embedding") && !c.contains("completion") ? Kind.EMBEDDING_ONLY : Kind.TEXT;
        }
        return looksVisual(name, show.path("details")) ? Kind.VISION : Kind.TEXT;
    }

    private static boolean looksVisual(String name, JsonNode details) {
        for (JsonNode f : details.path("families")) {
            if (VISION_FAMILIES.contains(f.asText().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        String base = name.toLowerCase(Locale.ROOT);
        int colon = base.indexOf(':');
        String bare = colon < 0 ? base : base.substring(0, colon);
        return VISION_NAMES.contains(bare.substring(bare.lastIndexOf('/') + 1));
    }

    /** Checks a model name is usable in a request. */
    public static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new ValidationException("an Ollama model name is needed, e.g. 'llava' or 'llava:13b'");
        }
        return name.strip();
    }

    /** The installed models that make text, with modalities; empty if the server does not answer. */
    public List<ModelInfo> installed() {
        JsonNode tags;
        try {
            tags = api.tags().join();
        } catch (CompletionException | PanicException e) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        tags.forEach(t -> names.add(t.path("name").asText(t.path("model").asText())));
        List<CompletableFuture<JsonNode>> shows = names.stream()
                .map(n -> api.show(n, true).exceptionally(e -> Json.object())).toList();
        List<ModelInfo> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            JsonNode show = shows.get(i).join();
            if (show.isEmpty()) {
                show = Json.object().set("details", tags.get(i).path("details"));
            }
            Kind kind = kind(names.get(i), show);
            if (kind != Kind.EMBEDDING_ONLY) {
                out.add(info(names.get(i), kind == Kind.VISION ? Modality.IMAGE : Modality.TEXT, show));
            }
        }
        return out;
    }

    private ModelInfo info(String name, Modality input, JsonNode show) {
        JsonNode d = show.path("details");
        String what = (d.path("family").asText("") + " " + d.path("parameter_size").asText("") + " "
                + d.path("quantization_level").asText("")).trim().replaceAll("\\s+", " ");
        // Every generating model takes options.seed and a schema as format (GenerateRequest in the API description).
        return new ModelInfo(new ModelId("ollama", name), input, Modality.TEXT,
                (input == Modality.IMAGE ? "local vision model" : "local language model")
                        + (what.isEmpty() ? "" : " (" + what + ")") + " on " + api.host())
                .withSeedParameter("seed").withJsonSchema();
    }

    /** The model {@code name}, asking the server what it can do. */
    public Model model(String name, Parameters parameters) {
        String n = checkName(name);
        check(parameters);
        JsonNode show;
        try {
            show = api.show(n, false).join();
        } catch (CompletionException e) {
            throw api.explain(e, n);
        }
        Kind kind = kind(n, show);
        if (kind == Kind.EMBEDDING_ONLY) {
            throw new ValidationException("model 'ollama:" + n + "' only makes embeddings; use OllamaPlatform.embedder(\""
                    + n + "\") instead");
        }
        String wanted = parameters.getString("input").orElse(kind == Kind.VISION ? "image" : "text");
        if (wanted.equals("image") && kind != Kind.VISION) {
            throw new ValidationException("model 'ollama:" + n + "' cannot see images (the server does not report the "
                    + "vision capability); use a vision model such as llava, or drop input=image");
        }
        Modality input = wanted.equals("image") ? Modality.IMAGE : Modality.TEXT;
        return Model.of(info(n, input, show), parameters, new Invoker(n));
    }

    private static void check(Parameters p) {
        for (String key : p.asMap().keySet()) {
            if (!OPTIONS.contains(key) && !OWN.contains(key)) {
                throw new ValidationException("unknown parameter '" + key + "' for an Ollama model; use one of "
                        + new java.util.TreeSet<>(OWN) + " or the model options " + new java.util.TreeSet<>(OPTIONS));
            }
        }
        p.getString("input").ifPresent(v -> {
            if (!v.equals("image") && !v.equals("text")) {
                throw new ValidationException("parameter 'input' must be 'image' or 'text', got '" + v + "'");
            }
        });
        for (String numeric : List.of("temperature", "seed", "top_k", "top_p", "min_p", "num_ctx", "num_predict")) {
            p.getNumber(numeric); // throws naming the parameter if it is not a number
        }
    }

    /** Calls {@code /api/generate} for one model. */
    private final class Invoker implements Model.Invoker {
        private final String name;

        Invoker(String name) {
            this.name = name;
        }

        @Override
        public CompletableFuture<ModelOutput> invoke(Payload input, Parameters parameters) {
            return invoke(input, parameters, piece -> { });
        }

        @Override
        public CompletableFuture<ModelOutput> invoke(Payload input, Parameters params, Consumer<String> partial) {
            JsonNode schema = StructuredOutput.schema(params).orElse(null);
            if (schema == null) {
                return generate(input, params, partial, null, null);
            }
            // format makes the server constrain its output, but a truncated answer (num_predict) or an older
            // server that ignores format can still miss: told what was wrong, the model gets one more chance.
            return StructuredOutput.checked(new ModelId("ollama", name), schema,
                    correction -> generate(input, params, partial, schema, correction));
        }

        private CompletableFuture<ModelOutput> generate(Payload input, Parameters params, Consumer<String> partial,
                                                        JsonNode schema, StructuredOutput.Correction correction) {
            ObjectNode body = Json.object().put("model", name);
            if (input instanceof Payload.Image image) {
                body.put("prompt", params.getString("prompt").orElse(DEFAULT_IMAGE_PROMPT));
                // Ollama wants bare base64, without a data: prefix.
                body.putArray("images").add(Base64.getEncoder().encodeToString(image.data().toByteArray()));
            } else {
                String text = ((Payload.Text) input).text();
                body.put("prompt", params.getString("prompt").map(t -> t.replace("{input}", text)).orElse(text));
            }
            if (correction != null) {
                body.put("prompt", body.path("prompt").asText() + "\n\n" + correction.instruction());
            }
            if (schema != null) {
                body.set("format", schema);
            }
            params.getString("system").ifPresent(s -> body.put("system", s));
            params.getString("keep_alive").ifPresent(s -> body.put("keep_alive", s));
            body.put("stream", params.get("stream").map(v -> Boolean.parseBoolean(v.toString())).orElse(true));
            ObjectNode options = Json.object();
            params.asMap().forEach((k, v) -> {
                if (OPTIONS.contains(k)) {
                    options.set(k, Json.MAPPER.valueToTree(v));
                }
            });
            if (!options.isEmpty()) {
                body.set("options", options);
            }
            return Futures.linked(api.generate(name, body, partial), answer -> new ModelOutput(
                    Payload.text(answer.path("response").asText("").strip()), metadata(params, answer)));
        }

        private Metadata metadata(Parameters params, JsonNode answer) {
            Metadata.Builder m = Metadata.builder().parameters(params)
                    .modelVersion(answer.path("model").asText(name))
                    .costUsd(0.0); // a server of your own: nothing to pay per call
            params.getNumber("seed").ifPresent(s -> m.seed(s.longValue()));
            if (answer.hasNonNull("total_duration")) {
                m.predictTime(Duration.ofNanos(answer.path("total_duration").asLong()));
            }
            for (String k : List.of("prompt_eval_count", "eval_count", "done_reason")) {
                if (answer.hasNonNull(k)) {
                    m.extra(k, answer.get(k).isNumber() ? answer.get(k).asLong() : answer.get(k).asText());
                }
            }
            return m.build();
        }
    }
}
