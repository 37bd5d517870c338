package dev.panic.internal.run;

import dev.panic.Change;
import dev.panic.Lineage;
import dev.panic.Metadata;
import dev.panic.Model;
import dev.panic.ModelOutput;
import dev.panic.Network;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.Run;
import dev.panic.RunEvent;
import dev.panic.RunInfo;
import dev.panic.RunSpec;
import dev.panic.RunStatus;
import dev.panic.Similarity;
import dev.panic.StopReason;
import dev.panic.Template;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.internal.detect.SimilarityTracker;
import dev.panic.RunStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one run. Every step of the run — making a call, taking its answer, taking an output's
 * vectors, delivering outputs in order, deciding the next call — is a task on the run's own
 * {@link SerialExecutor}, so that state is touched by one task at a time and needs no lock; no
 * thread is held while a model, an embedder or a pacing timer works. Control from other threads
 * ({@link #stop()}, {@link #cancel()}, {@link #steer}) changes a few shared fields and queues a
 * task; ending the run is a compare-and-set on its status, which only the first caller wins.
 *
 * <p>The pipeline: an answer is saved the moment it arrives (as pending when its vectors are still
 * to come), asked the rules that need no vectors, and queued in sequence order; the next call
 * starts at once while it is embedded. Queued outputs are delivered from the head when their
 * vectors are in: kept, announced, measured, asked the other rules. A call starts only while at
 * most one output awaits its vectors. See {@link Run.Builder#embedWith} for what this gives.
 */
public final class RunEngine implements Run {

    private static final Logger LOG = LoggerFactory.getLogger(RunEngine.class);
    private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);
    // How many outputs may await their vectors when the next call starts: one hides the embedding
    // time behind the next call; more would only queue work that a stop would throw away.
    private static final int MAX_AWAITING_VECTORS = 1;

    /**
     * The next call to make: at a node, with an input (injected by steering, or the previous output);
     * {@code reseed} for a retry after a refusal, which draws a new seed.
     */
    private record Step(String node, Payload input, boolean injected, boolean reseed) {
        Step(String node, Payload input) {
            this(node, input, false, false);
        }
    }

    /** An answer on its way to being kept. */
    private static final class Entry {
        final Prediction bare;
        final RuleBook.Fired fired;
        final List<Network.Node> branchTo;
        final boolean savedPending;
        // A failure the node's rejection policy handles: kept in the history, the run goes on.
        boolean tolerated;
        EmbeddingStage.Job job;
        EmbeddingStage.Vectors vectors = new EmbeddingStage.Vectors(Map.of(), List.of());
        RuleBook.Judging judging;
        List<RuleBook.Judged> judged = List.of();
        // What it still waits for: its vectors, its verdicts.
        int waiting;
        boolean ready;

        Entry(Prediction bare, RuleBook.Fired fired, List<Network.Node> branchTo, boolean savedPending) {
            this.bare = bare;
            this.fired = fired;
            this.branchTo = branchTo;
            this.savedPending = savedPending;
        }
    }

    // ---------------------------------------------------------------- what the run is

    private final String id;
    private final RunSpec spec;
    private final Lineage parent;
    private final Family family;
    private final EventBus.Emitter events;
    private final SerialExecutor actor;
    private final Clock clock;
    private final Instant startedAt;
    private final Instant sessionStart;
    private final long startNanos;
    private final int firstSequence;
    private final EmbeddingStage embedding;
    private final RuleBook rules;
    private final SimilarityTracker similarities;
    private final List<dev.panic.StopRule> observeRules;
    private final List<dev.panic.Embedder> embedders;
    private final TextWindows texts;
    private final History history;
    private final Config.Models models;
    private final boolean forever;
    private final RunStore.Recorder recorder;

    // ---------------------------------------------------------------- shared with other threads

    private final AtomicReference<RunStatus> status = new AtomicReference<>(RunStatus.RUNNING);
    private volatile StopReason stopReason;
    private volatile Instant finishedAt;
    private volatile boolean stopRequested;
    private volatile Config config;
    // Taken by finish's status change, by keeping a delivered prediction and by steering, so the saved
    // run never lists a prediction the run did not keep (a cancel never overtakes a half-kept
    // prediction) nor a revision after its end.
    private final Object keeping = new Object();
    private final List<StopReason> observations = new ArrayList<>(); // guarded by itself
    private final List<RunEngine> branches = new ArrayList<>(); // guarded by itself
    private final CompletableFuture<Run> completion = new CompletableFuture<>();
    private volatile int lastStarted;
    private final dev.panic.Provenance provenance;
    private double spent; // guarded by keeping
    // When run.json was last written: it is rewritten every few seconds, so readers elsewhere see progress.
    private long infoWritten = System.nanoTime();
    private static final long INFO_EVERY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

    // ---------------------------------------------------------------- the serial executor's own

    private CompletableFuture<ModelOutput> inFlight;
    private ScheduledFuture<?> pacingTimer;
    private boolean paced;
    private ScheduledFuture<?> timeLimitTimer;
    private Duration timeLimit;
    private final ArrayDeque<Entry> pending = new ArrayDeque<>();
    private Step next;
    private int nextSequence;
    private int injectionsUsed;
    private boolean ended;
    // Refusals in a row at the current step, for the node's rejection policy.
    private int refusals;

    /** Everything a run starts from; {@link Launch} makes it. */
    record Start(String id, RunSpec spec, Lineage parent, Config config, List<dev.panic.StopRule> observeRules,
                 List<dev.panic.Embedder> embedders, Duration embeddingTimeout, boolean forever,
                 Clock clock, Instant startedAt, Family family, RunStore.Recorder recorder, Config.Models models,
                 Resumed resumed, SimilarityTracker similarities, int injectionsUsed, double spent,
                 dev.panic.Provenance provenance) {
    }

    /**
     * The history a resumed run, a fork or a branch starts with.
     *
     * @param size         how many predictions its trajectory holds
     * @param recent       the last few of them
     * @param next         the call to make first, or null if the history ends the run (a node with no link)
     * @param revision     the revision the run is at
     * @param observations what observe-only rules found in it
     */
    record Resumed(int size, List<Prediction> recent, Step next, int revision, List<StopReason> observations) {
        static Resumed of(int size, List<Prediction> recent, String nextNode, Payload nextInput, int revision,
                          List<StopReason> observations) {
            return new Resumed(size, recent, nextNode == null ? null : new Step(nextNode, nextInput), revision,
                    observations);
        }
    }

    private RunEngine(Start s, RuleBook rules, TextWindows texts) {
        this.id = s.id();
        this.spec = s.spec();
        this.parent = s.parent();
        this.family = s.family();
        this.clock = s.clock();
        this.startedAt = s.startedAt();
        this.sessionStart = clock.instant();
        this.startNanos = System.nanoTime();
        this.config = s.config();
        this.models = s.models();
        this.forever = s.forever();
        this.recorder = s.recorder();
        this.actor = new SerialExecutor(family.scheduler, "run " + id);
        this.events = family.events.register(id);
        this.embedding = new EmbeddingStage(s.embedders(), s.embeddingTimeout(), family.scheduler);
        this.embedders = List.copyOf(s.embedders());
        this.observeRules = List.copyOf(s.observeRules());
        this.similarities = s.similarities();
        this.rules = rules;
        this.texts = texts;
        Resumed r = s.resumed();
        if (r == null) {
            this.history = new History(family.store, id, 0, List.of());
            this.next = new Step(config.network().entry().id(), spec.input());
            this.nextSequence = 0;
        } else {
            this.history = new History(family.store, id, r.size(), r.recent());
            this.next = r.next();
            this.nextSequence = r.size() == 0 ? 0 : r.recent().get(r.recent().size() - 1).sequence() + 1;
            this.observations.addAll(r.observations());
        }
        this.firstSequence = nextSequence;
        this.lastStarted = nextSequence - 1;
        this.injectionsUsed = s.injectionsUsed();
        this.provenance = s.provenance();
        this.spent = s.spent();
    }

    /**
     * Creates the run and schedules its first step; the run has been saved by the caller
     * ({@code start.recorder()}) and its rules have seen its history.
     */
    static RunEngine start(Start s, RuleBook rules, TextWindows texts) {
        RunEngine run = prepare(s, rules, texts);
        run.begin();
        return run;
    }

    /** Creates the run without starting it: a parent announces its branch before the branch's own events. */
    static RunEngine prepare(Start s, RuleBook rules, TextWindows texts) {
        return new RunEngine(s, rules, texts);
    }

    /** Announces the run and schedules its first step. */
    void begin() {
        events.publish(new RunEvent.Started(id, config.network(), spec.input(), sessionStart, firstSequence,
                Optional.ofNullable(parent)));
        actor.execute(() -> {
            followTimeLimit();
            advance();
        });
    }

    // ---------------------------------------------------------------- making calls

    /** Starts the next call if nothing stands in the way; ends the run if nothing is left to do. */
    private void advance() {
        if (ended || status.get().isFinal()) {
            return;
        }
        if (inFlight != null || pacingTimer != null) {
            return;
        }
        if (stopRequested) {
            if (pending.isEmpty()) {
                finish(RunStatus.STOPPED, StopReason.of("stop", "stopped on request", lastSequence()));
            }
            return;
        }
        Config c = config;
        if (c.paused() || pending.size() > MAX_AWAITING_VECTORS || endsOnDelivery()) {
            return;
        }
        Step step = stepToTake(c);
        if (step == null) {
            if (pending.isEmpty()) {
                Prediction last = history.last();
                String from = last == null ? "" : " after node '" + last.node() + "', which links to no other node";
                finish(RunStatus.COMPLETED, StopReason.of("end", "reached the end of the network" + from,
                        lastSequence()));
            }
            return;
        }
        if (!paced && nextSequence > 0) {
            Duration delay;
            try {
                delay = c.pacing().delayBefore(nextSequence, elapsed());
            } catch (RuntimeException e) {
                LOG.warn("pacing failed before step {} of run {}; going on without a wait", nextSequence, id, e);
                delay = Duration.ZERO;
            }
            if (delay != null && !delay.isZero() && !delay.isNegative()) {
                pacingTimer = family.scheduler.schedule(() -> actor.execute(() -> {
                    pacingTimer = null;
                    paced = true;
                    advance();
                }), delay.toNanos(), TimeUnit.NANOSECONDS);
                return;
            }
        }
        Optional<StopReason> notNow = rules.beforeCall(c.network().node(step.node()), elapsed());
        if (notNow.isPresent()) {
            finish(RunStatus.COMPLETED, notNow.get());
            return;
        }
        if (!family.reservePrediction()) {
            finish(RunStatus.COMPLETED, StopReason.of("max-predictions", "reached the limit of "
                    + family.maxPredictions + " predictions for the run and its branches", lastSequence()));
            return;
        }
        paced = false;
        call(c, step);
    }

    /**
     * True if an output on its way will end the run when it is delivered (a rule fired on it as it
     * arrived, or its call failed): no call may start meanwhile, not even for an injected input.
     */
    private boolean endsOnDelivery() {
        for (Entry e : pending) {
            if (e.fired != null || (!e.bare.succeeded() && !e.tolerated)) {
                return true;
            }
        }
        return false;
    }

    /** The injected input if one is waiting, else what the last output leads to. */
    private Step stepToTake(Config c) {
        Config.Injection injection = c.injection();
        if (injection != null && injection.revision() > injectionsUsed) {
            String node = injection.node() != null ? injection.node() : injectionTarget(c.network(), injection.input());
            if (node != null) {
                return new Step(node, injection.input(), true, false);
            }
        }
        return next;
    }

    /** The node the run would call next if it takes the input's modality, else the first along the links that does. */
    private String injectionTarget(Network network, Payload input) {
        List<String> order = new ArrayList<>();
        if (next != null) {
            order.add(next.node());
        }
        order.add(network.entry().id());
        ArrayDeque<String> todo = new ArrayDeque<>(order);
        List<String> seen = new ArrayList<>();
        while (!todo.isEmpty()) {
            String nodeId = todo.poll();
            if (seen.contains(nodeId) || !network.hasNode(nodeId)) {
                continue;
            }
            seen.add(nodeId);
            if (network.node(nodeId).model().input() == input.modality()) {
                return nodeId;
            }
            network.next(nodeId).forEach(n -> todo.add(n.id()));
        }
        return network.nodes().stream().filter(n -> n.model().input() == input.modality()).map(Network.Node::id)
                .findFirst().orElse(null);
    }

    private void call(Config c, Step step) {
        int sequence = nextSequence++;
        lastStarted = sequence;
        if (step.injected()) {
            injectionsUsed = c.injection().revision();
        }
        Network.Node node = c.network().node(step.node());
        Model model = node.model();
        Instant callStart = clock.instant();
        Payload input;
        Parameters overrides;
        try {
            input = render(node, step.input(), sequence);
            overrides = renderParameters(node, step.input(), sequence);
        } catch (RuntimeException e) {
            onAnswer(sequence, node, step, step.input(), c.revision(), callStart, null, e, null);
            return;
        }
        // A model that takes a seed gets one, drawn here if nobody set one (or anew for a retry), and recorded.
        String seedName = model.info().seedParameter().orElse(null);
        Long seed = null;
        if (seedName != null && (step.reseed() || (!model.parameters().asMap().containsKey(seedName)
                && !overrides.asMap().containsKey(seedName)))) {
            seed = java.util.concurrent.ThreadLocalRandom.current().nextLong(0, 1L << 31);
            overrides = overrides.with(seedName, seed);
        }
        Long drawn = seed;
        events.publish(new RunEvent.PredictionStarted(id, sequence, node.id(), model.id(), input, callStart,
                c.revision()));
        CompletableFuture<ModelOutput> answer;
        try {
            answer = model.invokeAsync(input, overrides,
                    piece -> events.publish(new RunEvent.PartialOutput(id, sequence, model.id(), piece)));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        if (status.get().isFinal()) {
            answer.cancel(true); // ended while the call was being made
            return;
        }
        inFlight = answer;
        Payload given = input;
        answer.whenComplete((out, error) -> actor.execute(() -> {
            inFlight = null;
            onAnswer(sequence, node, step, given, c.revision(), callStart, out, error, drawn);
        }));
    }

    private Payload render(Network.Node node, Payload incoming, int sequence) {
        Optional<Template> t = node.template();
        if (t.isEmpty() || !(incoming instanceof Payload.Text text)) {
            return incoming;
        }
        return Payload.text(t.get().render(context(text.text(), sequence)));
    }

    private Parameters renderParameters(Network.Node node, Payload incoming, int sequence) {
        if (node.parameterTemplates().isEmpty()) {
            return Parameters.empty();
        }
        String text = incoming instanceof Payload.Text t ? t.text() : "";
        Template.Context context = context(text, sequence);
        Parameters p = Parameters.empty();
        for (Map.Entry<String, Template> e : node.parameterTemplates().entrySet()) {
            p = p.with(e.getKey(), e.getValue().render(context));
        }
        return p;
    }

    private Template.Context context(String input, int sequence) {
        return Template.Context.of(spec.input(), input, sequence, texts::last);
    }

    // ---------------------------------------------------------------- answers

    private void onAnswer(int sequence, Network.Node node, Step step, Payload input, int revision, Instant callStart,
                          ModelOutput out, Throwable error, Long drawnSeed) {
        if (ended || status.get().isFinal()) {
            return; // cancelled, or ended by the time limit or a rule on an earlier output
        }
        Instant callEnd = clock.instant();
        Model model = node.model();
        if (error != null) {
            PanicException failure = PanicException.from(error);
            Step again = failure instanceof dev.panic.exception.ContentRejectedException ? afterRefusal(node, step)
                    : null;
            Prediction.Failure why = Prediction.Failure.of(failure);
            if (again != null) {
                why = new Prediction.Failure(why.type(), why.message() + " [" + node.rejection() + ": "
                        + (again.reseed() ? "tried again with a new seed, attempt " + refusals + " of "
                        + node.rejection().attempts() : again.node().equals(node.id())
                        ? "gave the model the replacement text instead" : "passed the input on to node '"
                        + again.node() + "'") + "]");
            }
            Prediction failed = new Prediction(id, sequence, node.id(), model.id(), input, null, callStart, callEnd,
                    null, Map.of(), why, revision);
            if (!save(failed, true)) {
                return;
            }
            Entry entry = new Entry(failed, null, List.of(), false);
            entry.ready = true;
            entry.tolerated = again != null;
            pending.addLast(entry);
            next = again;
            pump();
            return;
        }
        refusals = 0;
        Metadata metadata = out.metadata();
        if (drawnSeed != null && metadata.seed().isEmpty()) {
            metadata = metadata.withSeed(drawnSeed);
        }
        Prediction p = new Prediction(id, sequence, node.id(), model.id(), input, out.payload(), callStart, callEnd,
                metadata, Map.of(), null, revision);
        texts.add(p);
        RuleBook.Fired fired = rules.onArrival(p, elapsed());
        boolean embeds = embedding.embeds(p.output());
        boolean judges = rules.judges();
        if (!save(p, !embeds && !judges)) {
            return;
        }
        List<Network.Node> successors = config.network().hasNode(node.id()) ? config.network().next(node.id())
                : List.of();
        Entry entry = new Entry(p, fired, successors.size() > 1 ? successors.subList(1, successors.size()) : List.of(),
                embeds || judges);
        next = fired != null || successors.isEmpty() ? null : new Step(successors.get(0).id(), p.output());
        pending.addLast(entry);
        entry.waiting = (embeds ? 1 : 0) + (judges ? 1 : 0);
        entry.ready = entry.waiting == 0;
        if (embeds) {
            entry.job = embedding.embed(p.output());
            entry.job.result.thenAccept(v -> actor.execute(() -> {
                entry.vectors = v;
                arrived(entry);
            }));
        }
        if (judges) {
            entry.judging = rules.judge(p, elapsed());
            entry.judging.result.thenAccept(j -> actor.execute(() -> {
                entry.judged = j;
                arrived(entry);
            }));
        }
        pump();
    }

    /**
     * What a node's rejection policy makes of a refusal: the step to take instead, or null for the
     * run to fail (the policy fails, or is used up, or cannot apply).
     */
    private Step afterRefusal(Network.Node node, Step step) {
        dev.panic.Rejection policy = node.rejection();
        switch (policy.policy()) {
            case "retry":
                if (refusals < policy.attempts()) {
                    refusals++;
                    return new Step(node.id(), step.input(), false, true);
                }
                return null;
            case "replace":
                if (refusals < 1) {
                    refusals++;
                    return new Step(node.id(), Payload.text(policy.text()), false, false);
                }
                return null;
            case "skip": {
                List<Network.Node> after = config.network().next(node.id());
                if (!after.isEmpty() && after.get(0).model().input() == step.input().modality()) {
                    return new Step(after.get(0).id(), step.input());
                }
                return null;
            }
            default:
                return null;
        }
    }

    /** One more thing an entry waited for has come; it is ready when nothing is left. */
    private void arrived(Entry entry) {
        if (--entry.waiting == 0) {
            entry.ready = true;
            pump();
        }
    }

    /** Saves a prediction as it arrives; false (the run then failed) if the store would not take it. */
    private boolean save(Prediction p, boolean complete) {
        try {
            recorder.append(p, complete);
            return true;
        } catch (RuntimeException e) {
            storeFailed("could not save prediction " + p.sequence(), e);
            finish(RunStatus.FAILED, StopReason.of("store", "could not save prediction " + p.sequence() + ": "
                    + e.getMessage(), lastSequence()));
            return false;
        }
    }

    // ---------------------------------------------------------------- delivering, in order

    /** Delivers what is ready, in sequence order, then decides what comes next. */
    private void pump() {
        while (!pending.isEmpty() && pending.peekFirst().ready) {
            if (ended || status.get().isFinal()) {
                return;
            }
            if (!deliver(pending.pollFirst())) {
                return;
            }
        }
        advance();
    }

    /**
     * Keeps, saves and announces one answer, then asks the rules about it and starts the branches
     * it feeds.
     *
     * @return false if the run has ended
     */
    private boolean deliver(Entry entry) {
        Prediction p = entry.bare;
        if (!entry.vectors.embeddings().isEmpty()) {
            p = p.withEmbeddings(entry.vectors.embeddings());
        }
        if (!entry.judged.isEmpty()) {
            List<dev.panic.Verdict> verdicts = new ArrayList<>(entry.judged.size());
            for (RuleBook.Judged j : entry.judged) {
                if (j.judgement() != null && j.judgement().verdict() != null) {
                    verdicts.add(j.judgement().verdict());
                }
            }
            p = p.withVerdicts(verdicts);
        }
        synchronized (keeping) {
            if (status.get().isFinal()) {
                return false;
            }
            if (entry.savedPending) {
                try {
                    recorder.complete(p.sequence(), p.embeddings(), p.verdicts());
                } catch (RuntimeException e) {
                    storeFailed("could not save the vectors of prediction " + p.sequence(), e);
                    finish(RunStatus.FAILED, StopReason.of("store", "could not save the vectors of prediction "
                            + p.sequence() + ": " + e.getMessage(), p.sequence() - 1));
                    return false;
                }
            }
            history.add(p);
            spent += p.metadata().costUsd().orElse(0);
        }
        if (!p.succeeded()) {
            events.publish(new RunEvent.PredictionFailed(id, p));
            if (entry.tolerated) {
                return true;
            }
            finish(RunStatus.FAILED, StopReason.of("error", "model '" + p.modelId() + "' failed at step "
                    + p.sequence() + ": " + p.error().message(), p.sequence()));
            return false;
        }
        events.publish(new RunEvent.PredictionMade(id, p));
        for (EmbeddingStage.Failure f : entry.vectors.failures()) {
            LOG.warn("embedder '{}' could not embed output {} of run {}; keeping the prediction without its vector: {}",
                    f.embedderId(), p.sequence(), id, f.message());
            events.publish(new RunEvent.EmbeddingFailed(id, p.sequence(), f.embedderId(), f.message()));
        }
        List<Similarity> measured;
        try {
            measured = similarities.observe(p);
        } catch (RuntimeException e) {
            LOG.warn("could not measure output {} of run {}", p.sequence(), id, e);
            measured = List.of();
        }
        if (!measured.isEmpty()) {
            events.publish(new RunEvent.Measured(id, p.sequence(), measured));
        }
        Duration elapsed = elapsed();
        for (StopReason seen : rules.observe(p, elapsed, entry.judged)) {
            synchronized (observations) {
                observations.add(seen);
            }
            events.publish(new RunEvent.Observed(id, seen));
        }
        Optional<StopReason> reason = rules.onDelivery(p, elapsed, entry.fired, entry.judged);
        if (reason.isPresent()) {
            finish(RunStatus.COMPLETED, reason.get());
            return false;
        }
        for (Network.Node to : entry.branchTo) {
            branch(p, to);
        }
        if (System.nanoTime() - infoWritten > INFO_EVERY_NANOS) {
            infoWritten = System.nanoTime();
            try {
                recorder.update(info());
            } catch (RuntimeException e) {
                storeFailed("could not save the run's progress", e);
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- branches

    private void branch(Prediction at, Network.Node to) {
        if (!family.join()) {
            events.publish(new RunEvent.BranchSkipped(id, at.sequence(), at.node(), to.id(), family.live()
                    + " branches are live, the run's limit (maxBranches)"));
            return;
        }
        String branchId = Launch.branchId(family.rootId, family.nextBranchNumber());
        RunEngine child;
        try {
            child = Launch.branch(this, branchId, at, to.id());
        } catch (RuntimeException e) {
            family.leave();
            LOG.error("could not start a branch of run {} at {}", id, at.sequence(), e);
            events.publish(new RunEvent.BranchSkipped(id, at.sequence(), at.node(), to.id(),
                    "the branch could not be started: " + e.getMessage()));
            return;
        }
        synchronized (branches) {
            branches.add(child);
        }
        events.publish(new RunEvent.Branched(id, branchId, at.sequence(), at.node(), to.id()));
        child.begin();
    }

    // ---------------------------------------------------------------- ending

    /**
     * Ends the run with {@code status} unless it has ended already; any thread. The clean-up — the
     * call in flight, the timers and the outputs still awaiting their vectors abandoned, the end
     * saved, {@link RunEvent.Finished} published — runs on the run's executor after the task under
     * way, so it never waits for a listener. Returns whether this call ended it.
     */
    private boolean finish(RunStatus newStatus, StopReason reason) {
        synchronized (keeping) {
            RunStatus now = status.get();
            if (now.isFinal() || !status.compareAndSet(now, newStatus)) {
                return false;
            }
            finishedAt = clock.instant();
            stopReason = reason;
        }
        actor.execute(() -> cleanUp(newStatus, reason));
        return true;
    }

    private void cleanUp(RunStatus newStatus, StopReason reason) {
        ended = true;
        if (inFlight != null) {
            inFlight.cancel(true); // the platform's invoker sees this and cancels remote work
            inFlight = null;
        }
        if (pacingTimer != null) {
            pacingTimer.cancel(false);
            pacingTimer = null;
        }
        if (timeLimitTimer != null) {
            timeLimitTimer.cancel(false);
            timeLimitTimer = null;
        }
        for (Entry e : pending) {
            if (e.job != null) {
                e.job.abandon();
            }
            if (e.judging != null) {
                e.judging.abandon();
            }
            // Saved when it arrived, but the run ended before it was delivered: take it back.
            try {
                recorder.drop(e.bare.sequence(), "the run ended (" + newStatus.name().toLowerCase(java.util.Locale.ROOT)
                        + ") before it was kept");
            } catch (RuntimeException ex) {
                storeFailed("could not record that prediction " + e.bare.sequence() + " was not kept", ex);
            }
        }
        pending.clear();
        next = null;
        try {
            recorder.update(info());
        } catch (RuntimeException e) {
            storeFailed("could not save the end of the run", e);
        }
        try {
            recorder.close();
        } catch (RuntimeException e) {
            storeFailed("could not close the store of the run", e);
        }
        // Finished before leaving the family: a branch that takes this run's place is announced after it.
        events.publish(new RunEvent.Finished(id, newStatus, reason, finishedAt));
        family.leave();
        // Completes once listeners have seen Finished, and once every branch this run started has ended.
        events.delivered().thenCompose(x -> {
            List<CompletableFuture<Run>> ends;
            synchronized (branches) {
                ends = branches.stream().map(RunEngine::completion).toList();
            }
            return CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new));
        }).whenComplete((x, e) -> completion.complete(this));
    }

    private void followTimeLimit() {
        Optional<Duration> limit = config.timeLimit();
        if (limit.equals(Optional.ofNullable(timeLimit))) {
            return;
        }
        if (timeLimitTimer != null) {
            timeLimitTimer.cancel(false);
            timeLimitTimer = null;
        }
        timeLimit = limit.orElse(null);
        if (timeLimit == null) {
            return;
        }
        String rule = config.stopRules().stream().filter(r -> r.timeLimit().equals(limit)).findFirst()
                .map(dev.panic.StopRule::name).orElse("max-duration");
        Duration left = timeLimit.minus(elapsed());
        Duration limitNow = timeLimit;
        timeLimitTimer = family.scheduler.schedule(() -> finish(RunStatus.COMPLETED,
                StopReason.of(rule, "reached the time limit of " + limitNow, lastSequence())),
                Math.max(0, left.toNanos()), TimeUnit.NANOSECONDS);
    }

    /**
     * A store that fails (a full disk, a lost connection) is an operational fault, not a bug: one
     * line at ERROR says what and why, the stack trace is kept for DEBUG.
     */
    private void storeFailed(String what, RuntimeException e) {
        LOG.error("run {}: {}: {}", id, what, e.getMessage());
        LOG.debug("run {}: {}", id, what, e);
    }

    // ---------------------------------------------------------------- control

    @Override
    public void stop() {
        stopRequested = true;
        actor.execute(() -> {
            if (pacingTimer != null && inFlight == null) {
                // Waiting to make the next call: there is no call to wait for.
                pacingTimer.cancel(false);
                pacingTimer = null;
            }
            pump();
        });
    }

    @Override
    public void cancel() {
        finish(RunStatus.CANCELLED, StopReason.of("cancel", "cancelled on request", lastSequence()));
    }

    @Override
    public Revision steer(Change... changes) {
        if (changes == null || changes.length == 0) {
            throw new ValidationException("steer needs at least one change");
        }
        Revision revision;
        synchronized (keeping) {
            RunStatus now = status.get();
            if (now.isFinal()) {
                throw new PanicException("run " + id + " has ended (" + now + "); only a live run can be steered;"
                        + " resume it or fork it to change it");
            }
            Config changed = config.apply(List.of(changes), models);
            revision = new Revision(changed.revision(), clock.instant(), lastStarted, List.of(changes));
            recorder.revise(revision);
            config = changed;
            if (changed.paused() != (now == RunStatus.PAUSED)) {
                status.compareAndSet(now, changed.paused() ? RunStatus.PAUSED : RunStatus.RUNNING);
            }
        }
        events.publish(new RunEvent.Steered(id, revision));
        actor.execute(() -> {
            rules.sync(config.stopRules());
            followTimeLimit();
            advance();
        });
        return revision;
    }

    @Override
    public void pause() {
        steer(Change.pause());
    }

    @Override
    public void unpause() {
        steer(Change.unpause());
    }

    // ---------------------------------------------------------------- what others read

    /** The last prediction's sequence; empty before the first prediction of a root run. */
    private OptionalInt lastSequence() {
        Prediction last = history.last();
        int sequence = last == null ? firstSequence - 1 : last.sequence();
        return sequence < 0 ? OptionalInt.empty() : OptionalInt.of(sequence);
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Network network() {
        return config.network();
    }

    @Override
    public Payload initialInput() {
        return spec.input();
    }

    @Override
    public RunSpec spec() {
        return Launch.describe(spec, config);
    }

    @Override
    public int revision() {
        return config.revision();
    }

    @Override
    public Optional<Lineage> parent() {
        return Optional.ofNullable(parent);
    }

    @Override
    public List<Run> branches() {
        synchronized (branches) {
            return List.copyOf(branches);
        }
    }

    @Override
    public RunStatus status() {
        return status.get();
    }

    @Override
    public Optional<StopReason> stopReason() {
        return Optional.ofNullable(stopReason);
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public Optional<Instant> finishedAt() {
        return Optional.ofNullable(finishedAt);
    }

    @Override
    public List<Prediction> predictions() {
        return history.snapshot();
    }

    @Override
    public int size() {
        return history.size();
    }

    @Override
    public Optional<Prediction> last() {
        return Optional.ofNullable(history.last());
    }

    @Override
    public List<StopReason> observations() {
        synchronized (observations) {
            return List.copyOf(observations);
        }
    }

    @Override
    public RunInfo info() {
        RunStatus s = status.get();
        double cost;
        synchronized (keeping) {
            cost = spent;
        }
        return new RunInfo(id, spec, s, Optional.ofNullable(stopReason), startedAt, Optional.ofNullable(finishedAt),
                history.size(), observations(), Optional.ofNullable(parent),
                config.revision(), cost, provenance);
    }

    @Override
    public CompletableFuture<Run> completion() {
        return completion.copy();
    }

    @Override
    public Run await() {
        await(FOREVER);
        return this;
    }

    @Override
    public boolean await(Duration timeout) {
        try {
            completion.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PanicException("interrupted while waiting for run " + id + " (it goes on)", e);
        } catch (ExecutionException e) {
            throw PanicException.from(e.getCause());
        }
    }

    @Override
    public Flow.Publisher<RunEvent> events() {
        return family.events.publisher();
    }

    @Override
    public String toString() {
        return "Run[" + id + ", " + status.get() + ", " + config.network() + "]";
    }

    // ---------------------------------------------------------------- for Launch

    Family family() {
        return family;
    }

    Config config() {
        return config;
    }

    RunSpec startSpec() {
        return spec;
    }

    Config.Models models() {
        return models;
    }

    List<dev.panic.Embedder> embedders() {
        return embedders;
    }

    List<dev.panic.StopRule> observeRules() {
        return observeRules;
    }

    boolean isForever() {
        return forever;
    }

    Clock clock() {
        return clock;
    }
}
