package dev.panic.internal.run;

import dev.panic.Change;
import dev.panic.Durability;
import dev.panic.Lineage;
import dev.panic.Model;
import dev.panic.Network;
import dev.panic.Pacing;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.Run;
import dev.panic.RunEvent;
import dev.panic.RunInfo;
import dev.panic.RunListener;
import dev.panic.RunSpec;
import dev.panic.RunStatus;
import dev.panic.Spec;
import dev.panic.StopReason;
import dev.panic.StopRule;
import dev.panic.Embedder;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.internal.SharedScheduler;
import dev.panic.internal.detect.SimilarityTracker;
import dev.panic.RunStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

/**
 * Turns what {@link Run.Builder} collected into a started {@link RunEngine}: a new run, a resumed
 * one, a fork, or a branch a fan-out starts. Resolves specs (models and embedders by id, rules by
 * name and settings), rebuilds the configuration at a revision, and replays a run's history
 * through fresh rules so their state is as if the run had never stopped.
 */
public final class Launch {

    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Launch() {
    }

    /** What a builder starts from. */
    public enum Origin {
        /** A new run. */
        NEW,
        /** A saved run taken up again. */
        RESUME,
        /** A new run sharing a saved run's history up to a prediction. */
        FORK
    }

    /** What {@link Run.Builder} collects; mutable, owned by one builder. */
    public static final class Request {
        public Origin origin;
        public Network network;
        public Payload input;
        public Platforms platforms;
        public final List<StopRule> stopRules = new ArrayList<>();
        public final List<StopRule> observeRules = new ArrayList<>();
        public final Map<String, StopRule> limits = new LinkedHashMap<>();
        public final Map<String, Embedder> embedders = new LinkedHashMap<>();
        public final List<String> embedderIds = new ArrayList<>();
        public Duration embeddingTimeout = Run.Builder.DEFAULT_EMBEDDING_TIMEOUT;
        public Pacing pacing = Pacing.none();
        public Spec pacingSpec = Pacing.none().spec();
        public boolean pacingGiven;
        public RunStore store;
        public String id;
        public Clock clock = Clock.systemUTC();
        public ScheduledExecutorService executor;
        public final List<RunListener> listeners = new ArrayList<>();
        public final List<Flow.Subscriber<? super RunEvent>> subscribers = new ArrayList<>();
        public boolean forever;
        public Integer maxBranches;
        public Long maxPredictions;
        public Durability durability;
        public final List<Change> changes = new ArrayList<>();
        public final Map<String, StopRule> customRules = new LinkedHashMap<>();
        public String sourceRunId;
        public int forkAt;
    }

    /**
     * A spec's network and pacing, resolved.
     *
     * @param network the network, its models found in the platforms
     * @param pacing  the pacing, or null if the spec's is custom
     */
    public record Resolved(Network network, Pacing pacing) {
    }

    // ---------------------------------------------------------------- specs

    /** Resolves the parts of a spec a builder needs at once: the network and the pacing. */
    public static Resolved resolve(RunSpec spec, Platforms platforms) {
        return new Resolved(network(spec.network(), platforms), spec.pacing().custom() ? null : Pacing.of(spec.pacing()));
    }

    private static Network network(RunSpec.NetworkSpec spec, Platforms platforms) {
        return spec.toNetwork(n -> {
            try {
                return platforms.model(n.model().toString(), n.parameters());
            } catch (NotFoundException e) {
                throw new ValidationException("node '" + n.id() + "' of the spec calls '" + n.model() + "': "
                        + e.getMessage(), e);
            }
        });
    }

    /** The spec of a new run as the builder describes it. */
    public static RunSpec specOf(Request r) {
        List<Spec> stop = r.stopRules.stream().map(StopRule::spec).toList();
        List<Spec> observe = r.observeRules.stream().map(StopRule::spec).toList();
        return new RunSpec(RunSpec.NetworkSpec.of(r.network), r.input, stop, observe, r.embedderIds,
                r.embeddingTimeout, r.pacingSpec, r.maxBranches == null ? Run.Builder.DEFAULT_MAX_BRANCHES : r.maxBranches,
                r.maxPredictions == null ? Long.MAX_VALUE : r.maxPredictions, r.forever,
                r.durability == null ? Durability.FLUSH : r.durability);
    }

    /** Replaces the rule of the same name in {@code rules}, or adds it: a run has one step limit, one time limit. */
    public static void replace(List<StopRule> rules, StopRule rule) {
        Config.replace(rules, rule);
    }

    /**
     * The rule a spec describes; a custom one becomes a placeholder that {@link Run.Builder#customRule}
     * must fill before the run starts.
     */
    public static StopRule rule(Spec spec, Platforms platforms) {
        return spec.custom() ? new Placeholder(spec) : dev.panic.internal.rules.Rules.of(spec, ruleModels(platforms));
    }

    private static dev.panic.internal.rules.Rules.Models ruleModels(Platforms platforms) {
        return platforms == null ? null : (id, params) -> platforms.model(id.toString(), params);
    }

    /** A custom rule a spec names, waiting to be given again. */
    private record Placeholder(Spec spec) implements StopRule {
        @Override
        public String name() {
            return spec.kind();
        }

        @Override
        public Check start(Network network) {
            throw new ValidationException("the rule '" + spec.kind() + "' was made in code; give it with customRule(...)");
        }
    }

    /** The rules with every placeholder replaced by the custom rule of its name. */
    private static List<StopRule> filled(List<StopRule> rules, Map<String, StopRule> custom, String what) {
        List<StopRule> out = new ArrayList<>();
        for (StopRule r : rules) {
            if (r instanceof Placeholder p) {
                StopRule given = custom.get(p.name());
                if (given == null) {
                    throw new ValidationException("the run's " + what + " rule '" + p.name() + "' was made in code, so"
                            + " PANIC cannot rebuild it; give it again with customRule(...) (a rule named '" + p.name()
                            + "')");
                }
                out.add(given);
            } else {
                out.add(r);
            }
        }
        return out;
    }

    /** A live run's spec: the spec it started with, at its current configuration. */
    static RunSpec describe(RunSpec start, Config config) {
        return new RunSpec(RunSpec.NetworkSpec.of(config.network()), start.input(),
                config.stopRules().stream().map(StopRule::spec).toList(), start.observeRules(), start.embedders(),
                start.embeddingTimeout(), config.pacing().spec(), start.maxBranches(), start.maxPredictions(),
                start.forever(), start.durability());
    }

    private static List<StopRule> rules(List<Spec> specs, Map<String, StopRule> custom, String what,
                                        Platforms platforms) {
        List<StopRule> out = new ArrayList<>();
        for (Spec s : specs) {
            if (s.custom()) {
                StopRule given = custom.get(s.kind());
                if (given == null) {
                    throw new ValidationException("the run's " + what + " rule '" + s.kind() + "' was made in code, so"
                            + " PANIC cannot rebuild it; give it again with customRule(...) (a rule named '" + s.kind()
                            + "')");
                }
                out.add(given);
            } else {
                out.add(dev.panic.internal.rules.Rules.of(s, ruleModels(platforms)));
            }
        }
        return out;
    }

    private static List<Embedder> embedders(List<String> ids, Map<String, Embedder> given, Platforms platforms) {
        List<Embedder> out = new ArrayList<>();
        for (String id : ids) {
            Embedder e = given.get(id);
            if (e == null) {
                if (platforms == null) {
                    throw new ValidationException("the run embeds with '" + id + "', which was not given; pass it with"
                            + " embedWith(...)");
                }
                e = platforms.embedder(id);
            }
            out.add(e);
        }
        return out;
    }

    // ---------------------------------------------------------------- starting

    /** Starts what the request describes. */
    public static Run start(Request r) {
        switch (r.origin) {
            case NEW:
                return startNew(r);
            case RESUME:
                return resume(r);
            case FORK:
                return fork(r);
            default:
                throw new IllegalStateException("unknown origin " + r.origin);
        }
    }

    private static Run startNew(Request r) {
        List<StopRule> stop = filled(r.stopRules, r.customRules, "stop");
        List<StopRule> observe = filled(r.observeRules, r.customRules, "observe");
        r.stopRules.clear();
        r.stopRules.addAll(stop);
        r.observeRules.clear();
        r.observeRules.addAll(observe);
        RunSpec spec = specOf(r);
        List<Embedder> embedders = embedders(r.embedderIds, r.embedders, r.platforms);
        checkBounded(r.network, stop, spec.maxPredictions(), spec.forever());
        if (r.pacing == null) {
            throw new ValidationException("the spec's pacing '" + spec.pacing().kind() + "' was made in code; give it"
                    + " again with pacing(...)");
        }
        RunStore store = r.store != null ? r.store : RunStore.memory();
        Instant startedAt = r.clock.instant();
        String id = r.id != null ? r.id : newId(startedAt);
        RunInfo info = new RunInfo(id, spec, RunStatus.RUNNING, null, startedAt, null, 0, List.of(), null, 0, 0,
                provenance(r.network, embedders));
        Family family = family(r, id, store, spec);
        RunStore.Recorder recorder = store.create(info);
        Config config = new Config(r.network, r.pacing, stop, false, 0, null);
        RuleBook book = new RuleBook(id, r.network, r.input, stop, observe, !embedders.isEmpty());
        family.join();
        return RunEngine.start(new RunEngine.Start(id, spec, null, config, observe, embedders, r.embeddingTimeout,
                spec.forever(), r.clock, startedAt, family, recorder, models(r.platforms), null,
                new SimilarityTracker(), -1, 0, info.provenance()), book, new TextWindows());
    }

    private static Family family(Request r, String rootId, RunStore store, RunSpec spec) {
        ScheduledExecutorService scheduler = r.executor != null ? r.executor : SharedScheduler.get();
        EventBus bus = new EventBus(r.listeners, r.subscribers);
        return new Family(rootId, store, scheduler, bus, spec.maxBranches(), spec.maxPredictions());
    }

    private static Config.Models models(Platforms platforms) {
        return platforms == null ? null : (id, params) -> platforms.model(id.toString(), params);
    }

    /** Where a run's network and embedders come from, as the run saves it. */
    static dev.panic.Provenance provenance(Network network, List<Embedder> embedders) {
        Map<String, String> platforms = new LinkedHashMap<>();
        for (Model m : network.models()) {
            platforms.putIfAbsent(m.id().platform(), m.platformVersion());
        }
        Map<String, String> identities = new LinkedHashMap<>();
        embedders.forEach(e -> identities.put(e.id(), e.identity()));
        return dev.panic.Provenance.here(platforms, identities);
    }

    /** Refuses a run nothing bounds unless it was asked to run for ever. */
    private static void checkBounded(Network network, List<StopRule> stop, long maxPredictions, boolean forever) {
        if (forever || !network.isCyclic() || maxPredictions != Long.MAX_VALUE) {
            return;
        }
        boolean limited = stop.stream().anyMatch(r -> r.name().equals("max-steps") || r.timeLimit().isPresent());
        if (!limited) {
            throw new ValidationException("nothing bounds this run: its network loops and it has no step, time or"
                    + " prediction limit, so it would run until stopped. Bound it with maxSteps(n), maxDuration(d) or"
                    + " maxPredictions(n) (panic run --max-steps N), or ask for that with forever() (panic run --forever)");
        }
    }

    private static String newId(Instant at) {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return ID_TIME.format(at) + "-" + HexFormat.of().formatHex(b);
    }

    /** A branch's id: its family's root run id, then {@code -b} and a number unique in the family. */
    static String branchId(String rootId, int number) {
        String suffix = "-b" + number;
        String base = rootId.length() + suffix.length() > 128 ? rootId.substring(0, 128 - suffix.length()) : rootId;
        return base + suffix;
    }

    // ---------------------------------------------------------------- history

    /** What replaying a trajectory leaves: its length, its last predictions, and the one before a failure. */
    private static final class Replay {
        int size;
        double ownCost;
        final ArrayDeque<Prediction> recent = new ArrayDeque<>();
        Prediction lastSucceeded;
        Prediction beforeLast;

        void add(Prediction p) {
            if (recent.size() == History.WINDOW) {
                recent.removeFirst();
            }
            if (!recent.isEmpty()) {
                beforeLast = recent.peekLast();
            }
            recent.addLast(p);
            size++;
            if (p.succeeded()) {
                lastSucceeded = p;
            }
        }

        Prediction last() {
            return recent.peekLast();
        }
    }

    /** Shows a stored trajectory, in order and up to {@code to}, to fresh rules, trackers and windows. */
    private static Replay replay(Stream<Prediction> trajectory, int to, RuleBook book, SimilarityTracker tracker,
                                 TextWindows texts) {
        Replay r = new Replay();
        try (trajectory) {
            trajectory.takeWhile(p -> p.sequence() <= to).forEach(p -> {
                book.replay(p);
                if (p.succeeded()) {
                    tracker.observe(p);
                    texts.add(p);
                }
                r.add(p);
            });
        }
        return r;
    }

    /**
     * The call a trajectory leads to: after a failure, the failed step again (with the input it
     * was given before its template); after an output, the first node it links to.
     */
    private static RunEngine.Resumed resumed(Replay r, Network network, Payload initialInput, int revision,
                                             List<StopReason> observations) {
        Prediction last = r.last();
        if (last == null) {
            return RunEngine.Resumed.of(0, List.of(), network.entry().id(), initialInput, revision, observations);
        }
        List<Prediction> recent = List.copyOf(r.recent);
        if (!last.succeeded()) {
            Payload incoming = r.beforeLast != null && r.beforeLast.succeeded() ? r.beforeLast.output() : initialInput;
            String node = network.hasNode(last.node()) ? last.node() : network.entry().id();
            return RunEngine.Resumed.of(r.size, recent, node, incoming, revision, observations);
        }
        List<Network.Node> next = network.hasNode(last.node()) ? network.next(last.node()) : List.of();
        return RunEngine.Resumed.of(r.size, recent, next.isEmpty() ? null : next.get(0).id(), last.output(), revision,
                observations);
    }

    /** The configuration a saved run had after revision {@code upTo}, from its spec and its revisions. */
    private static Config configAt(RunSpec spec, List<Revision> revisions, int upTo, Request r, Config.Models models) {
        Resolved resolved = resolve(spec, r.platforms);
        Pacing pacing = resolved.pacing();
        if (pacing == null) {
            if (!r.pacingGiven) {
                throw new ValidationException("the run's pacing was made in code; give it again with pacing(...)");
            }
            pacing = r.pacing;
        }
        Config c = new Config(resolved.network(), pacing, rules(spec.stopRules(), r.customRules, "stop", r.platforms), false, 0,
                null);
        for (Revision rev : revisions) {
            if (rev.number() > upTo) {
                break;
            }
            c = c.apply(rev.changes(), models);
        }
        return c;
    }

    // ---------------------------------------------------------------- resume

    private static Run resume(Request r) {
        if (r.platforms == null) {
            throw new ValidationException("resuming a run needs the platforms its models are on; pass Platforms.discover()");
        }
        RunStore store = r.store;
        RunInfo info = store.info(r.sourceRunId);
        if (!info.status().isFinal()) {
            throw new PanicException("run '" + info.id() + "' is live (" + info.status() + ") in the process that is"
                    + " writing it; stop it there, or wait for it to end, then resume it");
        }
        RunSpec spec = info.spec();
        Config.Models models = models(r.platforms);
        List<Revision> revisions = store.revisions(info.id());
        Config config = configAt(spec, revisions, Integer.MAX_VALUE, r, models);
        List<Embedder> embedders = embedders(spec.embedders(), r.embedders, r.platforms);
        List<StopRule> observe = rules(spec.observeRules(), r.customRules, "observe", r.platforms);

        // Taking the run's lock first: from here on nobody else writes it.
        RunStore.Recorder recorder = store.resume(info.id());
        try {
            RuleBook book = new RuleBook(info.id(), config.network(), spec.input(), config.stopRules(), observe,
                    !embedders.isEmpty());
            SimilarityTracker tracker = new SimilarityTracker();
            TextWindows texts = new TextWindows();
            EmbeddingStage embedding = new EmbeddingStage(embedders, spec.embeddingTimeout(), SharedScheduler.get());
            Replay replay = replayWithVectors(store, info.id(), recorder, embedding, book, tracker, texts);

            // What the resumer changes, saved as a revision so the trajectory stays interpretable.
            List<Change> changes = new ArrayList<>();
            r.limits.values().forEach(limit -> changes.add(limit.name().equals("max-steps")
                    ? Change.maxSteps(((Number) limit.spec().settings().get("steps").orElseThrow()).intValue())
                    : Change.maxDuration(Duration.parse(limit.spec().settings().getString("limit").orElseThrow()))));
            if (r.pacingGiven) {
                changes.add(Change.pacing(r.pacing));
            }
            if (config.paused()) {
                changes.add(Change.unpause());
            }
            changes.addAll(r.changes);
            Instant now = r.clock.instant();
            if (!changes.isEmpty()) {
                Config changed = config.apply(changes, models);
                Revision rev = new Revision(changed.revision(), now, replay.size == 0 ? -1 : replay.last().sequence(),
                        changes);
                recorder.revise(rev);
                config = changed;
                book.sync(config.stopRules());
            }
            if (!spec.forever() && spec.maxPredictions() == Long.MAX_VALUE) {
                checkBounded(config.network(), config.stopRules(), Long.MAX_VALUE, false);
            }
            RunEngine.Resumed resumed = resumed(replay, config.network(), spec.input(), config.revision(),
                    info.observations());
            recorder.update(new RunInfo(info.id(), spec, RunStatus.RUNNING, null, info.startedAt(), null, replay.size,
                    info.observations(), info.parent(), config.revision(), replay.ownCost,
                    provenance(config.network(), embedders)));
            Family family = family(r, info.id(), store, spec);
            family.join();
            return RunEngine.start(new RunEngine.Start(info.id(), spec, info.parent().orElse(null), config, observe, embedders,
                    spec.embeddingTimeout(), spec.forever(), r.clock, info.startedAt(), family, recorder, models,
                    resumed, tracker, injectionsUsedOnResume(config, changes), replay.ownCost,
                    provenance(config.network(), embedders)), book, texts);
        } catch (RuntimeException e) {
            recorder.close();
            throw e;
        }
    }

    /** Injections saved before the resume were used (or lost with the crash); one the resumer gives is not. */
    private static int injectionsUsedOnResume(Config config, List<Change> changes) {
        boolean injects = changes.stream().anyMatch(c -> c instanceof Change.Inject);
        return injects ? config.revision() - 1 : config.revision();
    }

    /**
     * Replays a run's own stored trajectory; the last predictions, saved before their vectors
     * arrived, are embedded now and their vectors saved, so nothing the crash interrupted is lost.
     */
    private static Replay replayWithVectors(RunStore store, String runId, RunStore.Recorder recorder,
                                            EmbeddingStage embedding, RuleBook book, SimilarityTracker tracker,
                                            TextWindows texts) {
        Replay r = new Replay();
        ArrayDeque<Prediction> tail = new ArrayDeque<>();
        // Only the last two can lack vectors because of the crash: a call starts while at most one awaits them.
        try (Stream<Prediction> s = store.predictions(runId, 0)) {
            s.forEach(p -> {
                tail.addLast(p);
                if (p.runId().equals(runId)) {
                    r.ownCost += p.metadata().costUsd().orElse(0);
                }
                if (tail.size() > 2) {
                    feed(tail.removeFirst(), r, book, tracker, texts);
                }
            });
        }
        for (Prediction p : tail) {
            if (p.succeeded() && p.embeddings().isEmpty() && embedding.embeds(p.output())
                    && p.runId().equals(runId)) {
                EmbeddingStage.Vectors v = embedding.embed(p.output()).result.join();
                if (!v.embeddings().isEmpty()) {
                    recorder.complete(p.sequence(), v.embeddings(), p.verdicts());
                    p = p.withEmbeddings(v.embeddings());
                }
            }
            feed(p, r, book, tracker, texts);
        }
        return r;
    }

    private static void feed(Prediction p, Replay r, RuleBook book, SimilarityTracker tracker, TextWindows texts) {
        book.replay(p);
        if (p.succeeded()) {
            tracker.observe(p);
            texts.add(p);
        }
        r.add(p);
    }

    // ---------------------------------------------------------------- fork

    private static Run fork(Request r) {
        if (r.platforms == null) {
            throw new ValidationException("forking a run needs the platforms its models are on; pass Platforms.discover()");
        }
        RunStore store = r.store;
        RunInfo parentInfo = store.info(r.sourceRunId);
        Prediction at;
        try (Stream<Prediction> s = store.predictions(parentInfo.id(), r.forkAt)) {
            at = s.findFirst().filter(p -> p.sequence() == r.forkAt).orElseThrow(() -> new ValidationException(
                    "run '" + parentInfo.id() + "' has no prediction " + r.forkAt + "; its trajectory holds "
                            + parentInfo.predictions() + " (0 to " + (parentInfo.predictions() - 1) + ")"));
        }
        Config.Models models = models(r.platforms);
        List<Revision> revisions = store.revisions(parentInfo.id());
        Config parentConfig = configAt(parentInfo.spec(), revisions, at.revision(), r, models);
        // The fork's own configuration: the parent's then, with the builder's changes.
        List<StopRule> stop = new ArrayList<>(parentConfig.stopRules());
        r.stopRules.stream().filter(rule -> !r.limits.containsKey(rule.name())).forEach(stop::add);
        r.limits.values().forEach(limit -> Config.replace(stop, limit));
        Config config = new Config(parentConfig.network(), r.pacingGiven ? r.pacing : parentConfig.pacing(), stop,
                false, 0, null);
        if (!r.changes.isEmpty()) {
            Config changed = config.apply(r.changes, models);
            config = new Config(changed.network(), changed.pacing(), changed.stopRules(), false, 0,
                    changed.injection() == null ? null
                            : new Config.Injection(changed.injection().node(), changed.injection().input(), 0));
        }
        RunSpec parentSpec = parentInfo.spec();
        List<StopRule> observe = new ArrayList<>(rules(parentSpec.observeRules(), r.customRules, "observe", r.platforms));
        observe.addAll(r.observeRules);
        List<String> embedderIds = new ArrayList<>(parentSpec.embedders());
        r.embedderIds.stream().filter(id -> !embedderIds.contains(id)).forEach(embedderIds::add);
        List<Embedder> embedders = embedders(embedderIds, r.embedders, r.platforms);
        boolean forever = r.forever || parentSpec.forever();
        long maxPredictions = r.maxPredictions != null ? r.maxPredictions : parentSpec.maxPredictions();
        checkBounded(config.network(), stop, maxPredictions, forever);
        RunSpec spec = new RunSpec(RunSpec.NetworkSpec.of(config.network()), parentSpec.input(),
                stop.stream().map(StopRule::spec).toList(), observe.stream().map(StopRule::spec).toList(), embedderIds,
                r.embeddingTimeout, config.pacing().spec(),
                r.maxBranches != null ? r.maxBranches : parentSpec.maxBranches(), maxPredictions, forever,
                r.durability != null ? r.durability : parentSpec.durability());
        Instant startedAt = r.clock.instant();
        String id = r.id != null ? r.id : newId(startedAt);
        Lineage lineage = new Lineage(parentInfo.id(), at.sequence(), false);
        return child(id, spec, lineage, config, observe, embedders, store, r.clock, startedAt,
                family(r, id, store, spec), models, parentInfo.observations(), true, null, null);
    }

    // ---------------------------------------------------------------- branch

    /** Starts a branch of a live run at one of its predictions, going on at node {@code toNode}. */
    static RunEngine branch(RunEngine parent, String branchId, Prediction at, String toNode) {
        Config pc = parent.config();
        Config config = new Config(pc.network(), pc.pacing(), pc.stopRules(), false, 0, null);
        RunSpec spec = describe(parent.startSpec(), config);
        Lineage lineage = new Lineage(parent.id(), at.sequence(), true);
        return child(branchId, spec, lineage, config, parent.observeRules(), parent.embedders(), parent.family().store,
                parent.clock(), parent.clock().instant(), parent.family(), parent.models(), parent.observations(),
                false, toNode, at);
    }

    /**
     * Starts a fork or a branch: replays its parent's trajectory up to the fork point through fresh
     * rules, saves the new run and starts it.
     *
     * @param joinFamily true for a fork (a family of its own); a branch has been counted in by its parent
     * @param toNode     the node a branch calls first, or null to go on as the trajectory leads
     * @param at         the prediction whose output a branch takes, or null
     */
    private static RunEngine child(String id, RunSpec spec, Lineage lineage, Config config, List<StopRule> observe,
                                   List<Embedder> embedders, RunStore store, Clock clock, Instant startedAt,
                                   Family family, Config.Models models, List<StopReason> parentObservations,
                                   boolean joinFamily, String toNode, Prediction at) {
        RuleBook book = new RuleBook(id, config.network(), spec.input(), config.stopRules(), observe, !embedders.isEmpty());
        SimilarityTracker tracker = new SimilarityTracker();
        TextWindows texts = new TextWindows();
        Replay replay = replay(store.predictions(lineage.runId(), 0), lineage.sequence(), book, tracker, texts);
        List<StopReason> observations = parentObservations.stream().filter(o -> o.sequence().isEmpty()
                        || o.sequence().getAsInt() <= lineage.sequence())
                .toList();
        RunEngine.Resumed resumed = toNode != null
                ? RunEngine.Resumed.of(replay.size, List.copyOf(replay.recent), toNode, at.output(), 0, observations)
                : resumed(replay, config.network(), spec.input(), 0, observations);
        RunInfo info = new RunInfo(id, spec, RunStatus.RUNNING, null, startedAt, null, replay.size, observations,
                Optional.of(lineage), 0, 0, provenance(config.network(), embedders));
        RunStore.Recorder recorder = store.create(info);
        if (joinFamily) {
            family.join();
        }
        RunEngine.Start start = new RunEngine.Start(id, spec, lineage, config, observe, embedders,
                spec.embeddingTimeout(), spec.forever(), clock, startedAt, family, recorder, models, resumed, tracker,
                -1, 0, info.provenance());
        // A branch is started by its parent, once the parent has announced it.
        return toNode != null ? RunEngine.prepare(start, book, texts) : RunEngine.start(start, book, texts);
    }
}
