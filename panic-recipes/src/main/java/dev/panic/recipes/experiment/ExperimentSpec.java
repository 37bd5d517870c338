package dev.panic.recipes.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.Payload;
import dev.panic.RunSpec;
import dev.panic.Spec;
import dev.panic.StopRule;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.json.RunSpecJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * An experiment as data: networks × prompts × seeds (or repeated runs), every run with the same
 * embedders, rules and limits, optionally control arms beside each network, a budget for the whole
 * experiment, and declared prices and latencies for forecasts. Read from JSON:
 * <pre>{@code
 * {
 *   "name": "loops",
 *   "networks": [
 *     ["sim:painter", "sim:describer"],
 *     {"name": "contrarian", "network": ["sim:contrarian"], "controls": ["shuffled-caption"]}
 *   ],
 *   "prompts": ["a red circle on a blue background", "a hot summer day"],   // or "prompts_file": "prompts.txt"
 *   "runs": 2,                       // or "seeds": [1, 2, 3]
 *   "embedders": ["minilm"],
 *   "max_steps": 20,
 *   "stop": ["exact-repeat", {"rule": "fixed-point", "threshold": 0.95}],
 *   "observe": ["drift"],
 *   "controls": ["fixed-caption"],   // for every network
 *   "limits": {"runs": 8, "platforms": {"replicate": 4}},
 *   "budget_usd": 5.0,
 *   "prices": {"replicate:black-forest-labs/flux-schnell": 0.003},
 *   "latencies": {"replicate:black-forest-labs/flux-schnell": "PT2S"}
 * }
 * }</pre>
 * A network is written as in a run spec ({@link RunSpecJson}): a list of model ids (a ring) or an
 * object with {@code nodes}, {@code links}, {@code entry}; or as {@code {"name", "network",
 * "controls"}}. Rules, pacing ({@code "pacing"}), {@code max_predictions},
 * {@code embedding_timeout} and {@code durability} are written as in a run spec too.
 *
 * @param name        a name for reports; the experiment file's name by default
 * @param networks    the networks, each with its control arms
 * @param prompts     the initial prompts
 * @param seeds       the seeds, one run per seed per network and prompt; empty to repeat {@code runs} times
 *                    with seeds drawn by each run
 * @param runs        runs per network and prompt when no seeds are given
 * @param template    what every run shares: embedders, stop and observe rules (a step limit among them),
 *                    pacing, limits; its network and input stand for nothing
 * @param limits      how many runs may be live at once, overall and per platform
 * @param budgetUsd   the most the whole experiment may spend; empty for no limit
 * @param prices      declared prices in US dollars a call, by model id, for forecasts and the budget
 * @param latencies   declared latencies a call, by model id, for forecasts
 */
public record ExperimentSpec(String name, List<NetworkEntry> networks, List<String> prompts, List<Long> seeds,
                             int runs, RunSpec template, Limits limits, OptionalDouble budgetUsd,
                             Map<String, Double> prices,
                             Map<String, Duration> latencies) {

    /** The step limit of a run when the spec gives no limit of its own. */
    public static final int DEFAULT_MAX_STEPS = 20;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<String> FIELDS = Set.of("name", "networks", "prompts", "prompts_file", "seeds", "runs",
            "embedders", "stop", "observe", "max_steps", "pacing", "max_predictions", "embedding_timeout",
            "durability", "max_branches", "controls", "limits", "budget_usd", "prices", "latencies");

    /** Checks and copies. */
    public ExperimentSpec {
        if (name == null || name.isBlank()) {
            throw new ValidationException("an experiment needs a name");
        }
        if (networks == null || networks.isEmpty()) {
            throw new ValidationException("an experiment needs at least one network");
        }
        if (prompts == null || prompts.isEmpty() || prompts.stream().anyMatch(p -> p == null || p.isBlank())) {
            throw new ValidationException("an experiment needs at least one prompt, and no prompt may be blank");
        }
        if (template == null) {
            throw new ValidationException("an experiment needs the settings its runs share");
        }
        networks = List.copyOf(networks);
        prompts = List.copyOf(prompts);
        seeds = seeds == null ? List.of() : List.copyOf(seeds);
        if (seeds.isEmpty() && runs < 1) {
            throw new ValidationException("runs per network and prompt must be at least 1, got " + runs);
        }
        limits = limits == null ? Limits.DEFAULT : limits;
        budgetUsd = budgetUsd == null ? OptionalDouble.empty() : budgetUsd;
        if (budgetUsd.isPresent() && (!(budgetUsd.getAsDouble() >= 0) || Double.isInfinite(budgetUsd.getAsDouble()))) {
            throw new ValidationException("the experiment's budget must be a finite amount, 0 or more; got "
                    + budgetUsd.getAsDouble());
        }
        prices = prices == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(prices));
        latencies = latencies == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(latencies));
        Set<String> names = new java.util.HashSet<>();
        for (NetworkEntry n : networks) {
            if (!names.add(n.name())) {
                throw new ValidationException("two networks are named '" + n.name() + "'; give each its own name");
            }
        }
    }

    /** How many runs a network, prompt and arm gets: one per seed, or {@code runs}. */
    public int repeats() {
        return seeds.isEmpty() ? runs : seeds.size();
    }

    /**
     * A network of the experiment and the control arms to run beside it.
     *
     * @param name     its name in run ids and reports: letters, digits, '.', '_' and '-'
     * @param network  the network
     * @param controls the control arms
     */
    public record NetworkEntry(String name, RunSpec.NetworkSpec network, List<Control> controls) {
        /** Checks and copies. */
        public NetworkEntry {
            if (name == null || !name.matches("[A-Za-z0-9._-]{1,40}")) {
                throw new ValidationException("network name '" + name + "' is not valid; use 1 to 40 letters, digits,"
                        + " '.', '_' or '-'");
            }
            if (network == null) {
                throw new ValidationException("network '" + name + "' has no network");
            }
            controls = controls == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(controls));
        }
    }

    /**
     * A baseline run beside a network, so that its loop's drift can be read against it.
     */
    public enum Control {
        /**
         * The same hops without the feedback: the entry node is given the initial prompt at every
         * lap instead of the last caption ({@code {initial}} in place of {@code {input}}). What the
         * models do with the same input again and again.
         */
        FIXED_CAPTION("fixed-caption"),
        /**
         * The feedback with its order destroyed: the caption fed back into the entry node passes
         * through {@code sim:shuffler}, which shuffles its words. The same words, no sentence.
         */
        SHUFFLED_CAPTION("shuffled-caption");

        private final String id;

        Control(String id) {
            this.id = id;
        }

        /** {@code fixed-caption} or {@code shuffled-caption}. */
        public String id() {
            return id;
        }

        /** The control with this id. */
        public static Control of(String id) {
            for (Control c : values()) {
                if (c.id.equals(id)) {
                    return c;
                }
            }
            throw new ValidationException("unknown control arm '" + id + "'; use fixed-caption or shuffled-caption");
        }
    }

    /**
     * How many runs may be live at once.
     *
     * @param runs      overall
     * @param platforms per platform id (a run counts against every platform its models are on)
     */
    public record Limits(int runs, Map<String, Integer> platforms) {
        /** Eight runs at once, no platform limit beyond the platforms' own rate limits. */
        public static final Limits DEFAULT = new Limits(8, Map.of());

        /** Checks and copies. */
        public Limits {
            if (runs < 1) {
                throw new ValidationException("the experiment's run limit must be at least 1, got " + runs);
            }
            platforms = platforms == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(platforms));
            platforms.forEach((p, n) -> {
                if (n == null || n < 1) {
                    throw new ValidationException("the run limit of platform '" + p + "' must be at least 1, got " + n);
                }
            });
        }
    }

    /**
     * Reads an experiment file; a {@code prompts_file} is read relative to it.
     *
     * @throws ValidationException naming the file and what is wrong
     */
    public static ExperimentSpec read(Path file) {
        String json;
        try {
            json = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ValidationException("experiment file " + file + " does not exist");
        } catch (IOException e) {
            throw new ValidationException("cannot read experiment file " + file + ": " + e.getMessage(), e);
        }
        String base = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        try {
            return parse(json, file.toAbsolutePath().getParent(), base.isBlank() ? "experiment" : base);
        } catch (ValidationException e) {
            throw new ValidationException("experiment file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads an experiment from JSON text.
     *
     * @param baseDir     where a {@code prompts_file} is looked up; null to refuse one
     * @param defaultName the name if the JSON gives none
     * @throws ValidationException saying what is wrong
     */
    public static ExperimentSpec parse(String json, Path baseDir, String defaultName) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new ValidationException("not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || !root.isObject()) {
            throw new ValidationException("an experiment is a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new ValidationException("unknown field '" + f + "'; an experiment has " + new java.util.TreeSet<>(FIELDS));
            }
        }
        String name = root.path("name").isTextual() ? root.get("name").asText() : defaultName;
        List<Control> common = controls(root.get("controls"));
        List<NetworkEntry> networks = new ArrayList<>();
        JsonNode nets = root.get("networks");
        if (nets == null || !nets.isArray() || nets.isEmpty()) {
            throw new ValidationException("'networks' must be a list of networks");
        }
        int i = 0;
        for (JsonNode n : nets) {
            i++;
            JsonNode network = n;
            String netName = null;
            List<Control> own = new ArrayList<>(common);
            if (n.isObject() && n.has("network")) {
                network = n.get("network");
                netName = n.path("name").isTextual() ? n.get("name").asText() : null;
                own.addAll(controls(n.get("controls")));
            }
            RunSpec.NetworkSpec spec = shared(JSON.createObjectNode().set("network", network), null).network();
            networks.add(new NetworkEntry(netName != null ? netName : "n" + i, spec, own));
        }
        List<String> prompts = prompts(root, baseDir);
        List<Long> seeds = new ArrayList<>();
        if (root.has("seeds")) {
            if (!root.get("seeds").isArray()) {
                throw new ValidationException("'seeds' must be a list of whole numbers");
            }
            root.get("seeds").forEach(s -> {
                if (!s.canConvertToLong() || !s.isIntegralNumber()) {
                    throw new ValidationException("seed " + s + " is not a whole number");
                }
                seeds.add(s.asLong());
            });
        }
        if (root.has("seeds") && root.has("runs")) {
            throw new ValidationException("give 'seeds' or 'runs', not both: with seeds there is one run per seed");
        }
        int runs = root.has("runs") ? whole(root.get("runs"), "runs") : 1;
        ObjectNode shared = JSON.createObjectNode();
        for (String f : List.of("embedders", "stop", "observe", "pacing", "max_predictions", "embedding_timeout",
                "durability", "max_branches")) {
            if (root.has(f)) {
                shared.set(f, root.get(f));
            }
        }
        Integer maxSteps = root.has("max_steps") ? whole(root.get("max_steps"), "max_steps") : null;
        RunSpec template = shared(shared, maxSteps);
        Limits limits = Limits.DEFAULT;
        JsonNode l = root.get("limits");
        if (l != null) {
            Map<String, Integer> perPlatform = new LinkedHashMap<>();
            if (l.has("platforms")) {
                l.get("platforms").fields().forEachRemaining(e -> perPlatform.put(e.getKey(),
                        whole(e.getValue(), "limits.platforms." + e.getKey())));
            }
            limits = new Limits(l.has("runs") ? whole(l.get("runs"), "limits.runs") : Limits.DEFAULT.runs(), perPlatform);
        }
        Double budget = null;
        if (root.has("budget_usd")) {
            if (!root.get("budget_usd").isNumber()) {
                throw new ValidationException("'budget_usd' must be a number of US dollars");
            }
            budget = root.get("budget_usd").asDouble();
        }
        Map<String, Double> prices = new LinkedHashMap<>();
        if (root.has("prices")) {
            root.get("prices").fields().forEachRemaining(e -> {
                dev.panic.ModelId.parse(e.getKey());
                if (!e.getValue().isNumber() || e.getValue().asDouble() < 0) {
                    throw new ValidationException("the price of '" + e.getKey() + "' must be a number, 0 or more");
                }
                prices.put(e.getKey(), e.getValue().asDouble());
            });
        }
        Map<String, Duration> latencies = new LinkedHashMap<>();
        if (root.has("latencies")) {
            root.get("latencies").fields().forEachRemaining(e -> {
                dev.panic.ModelId.parse(e.getKey());
                try {
                    latencies.put(e.getKey(), Duration.parse(e.getValue().asText()));
                } catch (DateTimeParseException ex) {
                    throw new ValidationException("the latency of '" + e.getKey() + "' is '" + e.getValue().asText()
                            + "', not an ISO-8601 duration such as PT2S");
                }
            });
        }
        return new ExperimentSpec(name, networks, prompts, seeds, runs, template, limits,
                budget == null ? OptionalDouble.empty() : OptionalDouble.of(budget), prices, latencies);
    }

    /**
     * The experiment as JSON, standing alone: the prompts inline, every network and rule written
     * out as a run spec writes them. What an experiment folder keeps as {@code experiment.json}.
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", name);
        ArrayNode nets = root.putArray("networks");
        for (NetworkEntry n : networks) {
            ObjectNode o = nets.addObject();
            o.put("name", n.name());
            o.set("network", runSpecJson(new RunSpec(n.network(), Payload.text("-"), null, null, null, null, null, 1,
                    Long.MAX_VALUE, false, null)).get("network"));
            ArrayNode c = o.putArray("controls");
            n.controls().forEach(x -> c.add(x.id()));
        }
        ArrayNode ps = root.putArray("prompts");
        prompts.forEach(ps::add);
        if (seeds.isEmpty()) {
            root.put("runs", runs);
        } else {
            ArrayNode s = root.putArray("seeds");
            seeds.forEach(s::add);
        }
        ObjectNode shared = runSpecJson(template);
        for (String f : List.of("embedders", "stop", "observe", "pacing", "embedding_timeout", "durability",
                "max_branches", "max_predictions")) {
            if (shared.has(f)) {
                root.set(f, shared.get(f));
            }
        }
        ObjectNode l = root.putObject("limits");
        l.put("runs", limits.runs());
        ObjectNode lp = l.putObject("platforms");
        limits.platforms().forEach(lp::put);
        budgetUsd.ifPresent(b -> root.put("budget_usd", b));
        ObjectNode pr = root.putObject("prices");
        prices.forEach(pr::put);
        ObjectNode la = root.putObject("latencies");
        latencies.forEach((k, v) -> la.put(k, v.toString()));
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new PanicException("cannot write the experiment as JSON: " + e.getMessage(), e);
        }
    }

    private static ObjectNode runSpecJson(RunSpec spec) {
        try {
            return (ObjectNode) JSON.readTree(RunSpecJson.write(spec));
        } catch (IOException e) {
            throw new PanicException("cannot write a run spec as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The shared settings read as a run spec (with a stand-in network where none is given), so that
     * rules, pacing and limits are read exactly as a run spec's are; a step limit is added when the
     * rules set none.
     */
    private static RunSpec shared(ObjectNode fields, Integer maxSteps) {
        ObjectNode spec = fields.deepCopy();
        if (!spec.has("network")) {
            spec.putArray("network").add("sim:contrarian");
        }
        spec.putObject("input").put("text", "-");
        RunSpec read = RunSpecJson.read(JSON.valueToTree(spec).toString(), null);
        boolean hasLimit = read.stopRules().stream().anyMatch(r -> r.kind().equals("max-steps"));
        if (hasLimit && maxSteps != null) {
            throw new ValidationException("give the step limit once: 'max_steps' or a max-steps rule in 'stop'");
        }
        if (hasLimit) {
            return read;
        }
        List<Spec> stop = new ArrayList<>();
        stop.add(StopRule.maxSteps(maxSteps == null ? DEFAULT_MAX_STEPS : maxSteps).spec());
        stop.addAll(read.stopRules());
        return new RunSpec(read.network(), read.input(), stop, read.observeRules(), read.embedders(),
                read.embeddingTimeout(), read.pacing(), read.maxBranches(), read.maxPredictions(), false,
                read.durability());
    }

    private static List<String> prompts(JsonNode root, Path baseDir) {
        List<String> out = new ArrayList<>();
        if (root.has("prompts") && root.has("prompts_file")) {
            throw new ValidationException("give 'prompts' or 'prompts_file', not both");
        }
        if (root.has("prompts")) {
            if (!root.get("prompts").isArray()) {
                throw new ValidationException("'prompts' must be a list of texts");
            }
            root.get("prompts").forEach(p -> {
                if (!p.isTextual()) {
                    throw new ValidationException("prompt " + p + " is not a text");
                }
                out.add(p.asText());
            });
        } else if (root.has("prompts_file")) {
            if (baseDir == null) {
                throw new ValidationException("'prompts_file' needs the experiment to be read from a file");
            }
            out.addAll(readPrompts(baseDir.resolve(root.get("prompts_file").asText())));
        } else {
            throw new ValidationException("an experiment needs 'prompts' (a list) or 'prompts_file' (one per line)");
        }
        return out;
    }

    /**
     * The prompts in a text file, one a line; blank lines and lines starting with '#' are skipped.
     *
     * @throws ValidationException if the file cannot be read or holds no prompt
     */
    public static List<String> readPrompts(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ValidationException("cannot read the prompts file " + file + ": " + e.getMessage(), e);
        }
        List<String> out = lines.stream().map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
        if (out.isEmpty()) {
            throw new ValidationException("the prompts file " + file + " holds no prompt");
        }
        return out;
    }

    private static List<Control> controls(JsonNode n) {
        List<Control> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw new ValidationException("'controls' must be a list: fixed-caption, shuffled-caption");
        }
        n.forEach(c -> out.add(Control.of(c.asText().toLowerCase(Locale.ROOT))));
        return out;
    }

    private static int whole(JsonNode n, String what) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new ValidationException("'" + what + "' must be a whole number, got " + n);
        }
        return n.asInt();
    }
}
