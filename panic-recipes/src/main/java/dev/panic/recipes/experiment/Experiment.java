package dev.panic.recipes.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.ModelId;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Run;
import dev.panic.RunEvent;
import dev.panic.RunInfo;
import dev.panic.RunSpec;
import dev.panic.RunStatus;
import dev.panic.Spec;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.json.RunSpecJson;
import dev.panic.recipes.internal.FileOut;
import dev.panic.recipes.internal.SharedBudget;
import dev.panic.RunStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An experiment's runs, planned from its {@link ExperimentSpec} and run together into a folder:
 * every network × prompt × seed (or repeat) and every control arm, as many at once as its limits
 * allow (overall and per platform), with one budget for all. The folder keeps the spec
 * ({@code experiment.json}), the plan ({@code plan.json}) and the runs ({@code runs/}); starting
 * the same experiment in the same folder again goes on where it stopped: finished runs are skipped,
 * interrupted or stopped ones resumed ({@link Run#resume}), the others started.
 *
 * <pre>{@code
 * Experiment experiment = Experiment.of(ExperimentSpec.read(Path.of("loops.json")), platforms);
 * Experiment.Handle h = experiment.start(Path.of("experiments/loops"), new Experiment.Listener() { });
 * Experiment.Summary summary = h.await();
 * ExperimentReport.of(Path.of("experiments/loops")).writeTo(Path.of("experiments/loops/report"));
 * }</pre>
 *
 * <p>Immutable; {@link #start} may be called once per folder at a time.
 */
public final class Experiment {

    /** The experiment as given, in an experiment folder. */
    public static final String SPEC_FILE = "experiment.json";
    /** The planned runs, in an experiment folder. */
    public static final String PLAN_FILE = "plan.json";
    /** The runs' store, in an experiment folder. */
    public static final String RUNS_DIR = "runs";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ExperimentSpec spec;
    private final Platforms platforms;
    private final List<PlannedRun> plan;

    private Experiment(ExperimentSpec spec, Platforms platforms, List<PlannedRun> plan) {
        this.spec = spec;
        this.platforms = platforms;
        this.plan = plan;
    }

    /**
     * Plans the experiment: its runs, their ids and specs, the control arms built, seeds given to the
     * models that take one.
     *
     * @throws ValidationException if a model cannot be found, an arm cannot be built for a network, or
     *                             a run's spec would not start
     */
    public static Experiment of(ExperimentSpec spec, Platforms platforms) {
        if (spec == null || platforms == null) {
            throw new ValidationException("an experiment needs its spec and the platforms to find its models in");
        }
        List<PlannedRun> plan = new ArrayList<>();
        for (ExperimentSpec.NetworkEntry n : spec.networks()) {
            Map<String, RunSpec.NetworkSpec> arms = new LinkedHashMap<>();
            arms.put(PlannedRun.LOOP, n.network());
            for (ExperimentSpec.Control c : n.controls()) {
                arms.put(c.id(), Controls.arm(n, c, platforms));
            }
            for (Map.Entry<String, RunSpec.NetworkSpec> arm : arms.entrySet()) {
                for (int p = 0; p < spec.prompts().size(); p++) {
                    for (int r = 0; r < spec.repeats(); r++) {
                        Long seed = spec.seeds().isEmpty() ? null : spec.seeds().get(r);
                        String id = n.name() + "." + arm.getKey() + ".p" + (p + 1) + ".r" + (r + 1);
                        RunSpec t = spec.template();
                        RunSpec rs = new RunSpec(seeded(arm.getValue(), seed, platforms),
                                Payload.text(spec.prompts().get(p)), t.stopRules(), t.observeRules(), t.embedders(),
                                t.embeddingTimeout(), t.pacing(), t.maxBranches(), t.maxPredictions(), false,
                                t.durability());
                        plan.add(new PlannedRun(id, n.name(), arm.getKey(), p, spec.prompts().get(p), r,
                                seed == null ? OptionalLong.empty() : OptionalLong.of(seed), rs));
                    }
                }
            }
        }
        // Every run's spec must start: models found, templates valid, a limit present.
        for (PlannedRun r : plan) {
            try {
                Run.builder(r.spec(), platforms).spec();
            } catch (ValidationException | NotFoundException e) {
                throw new ValidationException("run " + r.id() + " of the experiment cannot start: " + e.getMessage(), e);
            }
        }
        return new Experiment(spec, platforms, List.copyOf(plan));
    }

    /**
     * The experiment saved in a folder by an earlier {@link #start}, planned again from its
     * {@code experiment.json}.
     *
     * @throws ValidationException if the folder holds no experiment
     */
    public static Experiment open(Path dir, Platforms platforms) {
        Path file = dir.resolve(SPEC_FILE);
        if (!Files.isRegularFile(file)) {
            throw new ValidationException(dir + " holds no experiment (no " + SPEC_FILE + "); start one with"
                    + " 'panic experiment run SPEC -o " + dir + "'");
        }
        return of(ExperimentSpec.read(file), platforms);
    }

    /** The experiment's spec. */
    public ExperimentSpec spec() {
        return spec;
    }

    /** Its runs, in the order they are started. */
    public List<PlannedRun> plan() {
        return plan;
    }

    /**
     * What the experiment would cost and how long it would take, from the prices and latencies its
     * spec declares, or those observed in {@code observed} (null for none), or the simulator's own.
     */
    public Forecast forecast(RunStore observed) {
        return Forecast.builder(platforms).prices(spec.prices()).latencies(spec.latencies()).observed(observed)
                .concurrency(spec.limits().runs()).budget(spec.budgetUsd().isPresent() ? spec.budgetUsd().getAsDouble() : null)
                .forecast(plan.stream().map(PlannedRun::spec).toList());
    }

    /**
     * How an experiment is going.
     *
     * @param total       planned runs
     * @param finished    runs that have ended (or had ended before this start)
     * @param running     runs live now
     * @param waiting     runs not started yet
     * @param skipped     runs that will not be made (the budget is used up, or they could not start)
     * @param predictions predictions made since this start
     * @param costUsd     what the experiment's runs have spent, as far as the platforms say
     */
    public record Progress(int total, int finished, int running, int waiting, int skipped, long predictions,
                           double costUsd) {
    }

    /** Hears how an experiment goes; called from the runs' threads, one call at a time. */
    public interface Listener {
        /** A run started, or was resumed. */
        default void started(PlannedRun run, boolean resumed) {
        }

        /** A run ended (also one that had ended before this start, at the start). */
        default void finished(PlannedRun run, RunInfo info) {
        }

        /** A run will not be made, and why. */
        default void skipped(PlannedRun run, String why) {
        }

        /** The counts changed (after every prediction and every run's end). */
        default void progress(Progress progress) {
        }
    }

    /**
     * How an experiment ended.
     *
     * @param runs    every planned run with its saved state, or null where it was never started
     * @param skipped the runs that were not made and why
     * @param costUsd what all its runs spent, as far as the platforms say
     * @param stopped true if it was stopped before its end (start it again to go on)
     */
    public record Summary(Map<PlannedRun, RunInfo> runs, Map<String, String> skipped, double costUsd,
                          boolean stopped) {
        /** Copies. */
        public Summary {
            runs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(runs));
            skipped = Map.copyOf(skipped);
        }

        /** How many runs ended with this status. */
        public long count(RunStatus status) {
            return runs.values().stream().filter(i -> i != null && i.status() == status).count();
        }
    }

    /**
     * Runs the experiment in {@code dir}, going on where an earlier start there stopped; returns at
     * once.
     *
     * @throws ValidationException if {@code dir} holds another experiment, or a run of it is live in
     *                             another process
     */
    public Handle start(Path dir, Listener listener) {
        prepare(dir);
        RunStore store = RunStore.directory(dir.resolve(RUNS_DIR));
        Handle h = new Handle(store, listener == null ? new Listener() { } : listener);
        h.begin();
        return h;
    }

    private void prepare(Path dir) {
        Path planFile = dir.resolve(PLAN_FILE);
        String planJson = planJson();
        if (Files.exists(planFile)) {
            try {
                JsonNode saved = JSON.readTree(planFile.toFile());
                JsonNode now = JSON.readTree(planJson);
                if (!saved.equals(now)) {
                    throw new ValidationException(dir + " holds another experiment (its " + PLAN_FILE + " differs from"
                            + " this one's plan); give another folder, or 'panic experiment resume " + dir + "'");
                }
            } catch (IOException e) {
                throw new ValidationException("cannot read " + planFile + ": " + e.getMessage(), e);
            }
            return;
        }
        FileOut.write(dir.resolve(SPEC_FILE), spec.toJson());
        FileOut.write(planFile, planJson);
    }

    private String planJson() {
        ArrayNode list = JSON.createArrayNode();
        for (PlannedRun r : plan) {
            ObjectNode o = list.addObject();
            o.put("id", r.id());
            o.put("network", r.network());
            o.put("arm", r.arm());
            o.put("prompt_index", r.promptIndex());
            o.put("prompt", r.prompt());
            o.put("repeat", r.repeat());
            r.seed().ifPresent(s -> o.put("seed", s));
            try {
                o.set("spec", JSON.readTree(RunSpecJson.write(r.spec())));
            } catch (IOException e) {
                throw new PanicException("cannot write the plan: " + e.getMessage(), e);
            }
        }
        try {
            return JSON.writeValueAsString(list) + "\n";
        } catch (IOException e) {
            throw new PanicException("cannot write the plan: " + e.getMessage(), e);
        }
    }

    /**
     * The planned runs saved in an experiment folder's {@code plan.json}, by run id, without their
     * specs: what a report needs to name each run's network, arm, prompt and seed.
     *
     * @throws ValidationException if the plan cannot be read
     */
    static Map<String, PlannedRun> readPlan(Path dir) {
        Map<String, PlannedRun> out = new LinkedHashMap<>();
        try {
            for (JsonNode o : JSON.readTree(dir.resolve(PLAN_FILE).toFile())) {
                RunSpec spec = RunSpecJson.read(o.get("spec").toString(), null);
                out.put(o.get("id").asText(), new PlannedRun(o.get("id").asText(), o.get("network").asText(),
                        o.get("arm").asText(), o.get("prompt_index").asInt(), o.get("prompt").asText(),
                        o.get("repeat").asInt(), o.hasNonNull("seed") ? OptionalLong.of(o.get("seed").asLong()) : OptionalLong.empty(), spec));
            }
        } catch (IOException | RuntimeException e) {
            throw new ValidationException("cannot read the plan in " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The network with {@code seed} given to every model that takes one and has none set. */
    private static RunSpec.NetworkSpec seeded(RunSpec.NetworkSpec network, Long seed, Platforms platforms) {
        if (seed == null) {
            return network;
        }
        List<RunSpec.NodeSpec> nodes = new ArrayList<>();
        for (RunSpec.NodeSpec n : network.nodes()) {
            String name = platforms.model(n.model().toString()).info().seedParameter().orElse(null);
            Parameters p = name == null || n.parameters().asMap().containsKey(name) ? n.parameters()
                    : n.parameters().with(name, seed);
            nodes.add(new RunSpec.NodeSpec(n.id(), n.model(), p, n.template(), n.parameterTemplates(), n.rejection()));
        }
        return new RunSpec.NetworkSpec(nodes, network.links(), network.entry());
    }

    /** The platforms a run's models (and judges) are on. */
    static Set<String> platformsOf(RunSpec spec) {
        Set<String> out = new LinkedHashSet<>();
        spec.network().nodes().forEach(n -> out.add(n.model().platform()));
        for (Spec rule : spec.stopRules()) {
            rule.settings().getString("model").ifPresent(m -> out.add(ModelId.parse(m).platform()));
        }
        return out;
    }

    /** A started experiment. Thread-safe. */
    public final class Handle {
        private final RunStore store;
        private final Listener listener;
        private final List<PlannedRun> waiting = new ArrayList<>();
        private final Set<PlannedRun> resumable = new java.util.HashSet<>();
        private final Map<PlannedRun, Run> live = new LinkedHashMap<>();
        private final Map<PlannedRun, RunInfo> ended = new HashMap<>();
        private final Map<String, String> skipped = new LinkedHashMap<>();
        private final Map<String, Integer> platformLoad = new HashMap<>();
        private final AtomicLong predictions = new AtomicLong();
        private final CompletableFuture<Summary> done = new CompletableFuture<>();
        private SharedBudget budget;
        private double spentBefore;
        private double liveCost;
        private boolean stopping;

        private Handle(RunStore store, Listener listener) {
            this.store = store;
            this.listener = listener;
        }

        private void begin() {
            Set<String> saved = new java.util.HashSet<>(store.runIds());
            Map<String, Integer> counted = new HashMap<>();
            for (PlannedRun r : plan) {
                if (!saved.contains(r.id())) {
                    waiting.add(r);
                    continue;
                }
                RunInfo info = store.info(r.id());
                counted.put(r.id(), info.predictions());
                spentBefore += info.costUsd();
                switch (info.status()) {
                    case COMPLETED, FAILED -> ended.put(r, info);
                    case RUNNING, PAUSED -> throw new ValidationException("run " + r.id() + " of the experiment is live in"
                            + " another process; is the experiment already running? Stop it first");
                    default -> {
                        waiting.add(r);
                        resumable.add(r);
                    }
                }
            }
            if (spec.budgetUsd().isPresent()) {
                budget = new SharedBudget(spec.budgetUsd().getAsDouble(), spec.prices(), spentBefore, counted);
            }
            synchronized (this) {
                ended.forEach(listener::finished);
                launch();
            }
        }

        /** Stops the experiment: no run starts any more, and the live ones stop after their call in flight. */
        public void stop() {
            List<Run> runs;
            synchronized (this) {
                stopping = true;
                runs = new ArrayList<>(live.values());
            }
            runs.forEach(Run::stop);
            synchronized (this) {
                finishIfDone();
            }
        }

        /** Completes when every run has ended (or the experiment was stopped and its live runs have). */
        public CompletableFuture<Summary> completion() {
            return done;
        }

        /** Waits for {@link #completion()}. */
        public Summary await() {
            try {
                return done.join();
            } catch (RuntimeException e) {
                throw PanicException.from(e);
            }
        }

        /** The counts now. */
        public synchronized Progress progress() {
            return new Progress(plan.size(), ended.size(), live.size(), waiting.size(), skipped.size(),
                    predictions.get(), cost());
        }

        private double cost() {
            return budget != null ? budget.spent() : spentBefore + liveCost;
        }

        /** Starts what may start now; called with the lock held. */
        private void launch() {
            while (!stopping && live.size() < spec.limits().runs()) {
                PlannedRun next = null;
                for (PlannedRun r : waiting) {
                    if (fits(r)) {
                        next = r;
                        break;
                    }
                }
                if (next == null) {
                    break;
                }
                waiting.remove(next);
                if (budget != null && budget.exhausted()) {
                    skip(next, "the experiment's budget of $" + spec.budgetUsd().getAsDouble() + " is used up");
                    continue;
                }
                startRun(next);
            }
            finishIfDone();
        }

        private boolean fits(PlannedRun r) {
            for (String p : platformsOf(r.spec())) {
                Integer limit = spec.limits().platforms().get(p);
                if (limit != null && platformLoad.getOrDefault(p, 0) >= limit) {
                    return false;
                }
            }
            return true;
        }

        private void startRun(PlannedRun r) {
            boolean resume = resumable.contains(r);
            Run run;
            try {
                Run.Builder b = resume ? Run.resume(store, r.id(), platforms)
                        : Run.builder(r.spec(), platforms).id(r.id()).store(store);
                if (budget != null) {
                    if (resume) {
                        b.customRule(budget);
                    } else {
                        b.stopWhen(budget);
                    }
                }
                b.listener(event -> {
                    if (event instanceof RunEvent.PredictionMade m) {
                        predictions.incrementAndGet();
                        double c = m.prediction().metadata().costUsd().orElse(0);
                        synchronized (Handle.this) {
                            liveCost += c;
                            listener.progress(progress());
                        }
                    }
                });
                run = b.start();
            } catch (RuntimeException e) {
                skip(r, "could not " + (resume ? "resume" : "start") + ": " + e.getMessage());
                return;
            }
            live.put(r, run);
            platformsOf(r.spec()).forEach(p -> platformLoad.merge(p, 1, Integer::sum));
            listener.started(r, resume);
            listener.progress(progress());
            run.completion().whenComplete((finished, error) -> {
                synchronized (Handle.this) {
                    live.remove(r);
                    platformsOf(r.spec()).forEach(p -> platformLoad.merge(p, -1, Integer::sum));
                    RunInfo info = run.info();
                    ended.put(r, info);
                    listener.finished(r, info);
                    listener.progress(progress());
                    launch();
                }
            });
        }

        private void skip(PlannedRun r, String why) {
            skipped.put(r.id(), why);
            listener.skipped(r, why);
        }

        private void finishIfDone() {
            if (done.isDone() || !live.isEmpty() || (!waiting.isEmpty() && !stopping)) {
                return;
            }
            Map<PlannedRun, RunInfo> all = new LinkedHashMap<>();
            double total = 0;
            for (PlannedRun r : plan) {
                RunInfo info = ended.get(r);
                all.put(r, info);
                total += info == null ? 0 : info.costUsd();
            }
            boolean stopped = stopping && (!waiting.isEmpty() || ended.values().stream().filter(Objects::nonNull)
                    .anyMatch(i -> i.status() == RunStatus.STOPPED));
            done.complete(new Summary(all, skipped, total, stopped));
        }
    }
}
