package dev.panic.temporal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.Bytes;
import dev.panic.Change;
import dev.panic.Embedding;
import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.Network;
import dev.panic.Pacing;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.RunSpec;
import dev.panic.RunStatus;
import dev.panic.Spec;
import dev.panic.StopReason;
import dev.panic.StopRule;
import dev.panic.Template;
import dev.panic.exception.ValidationException;
import dev.panic.internal.store.JsonCodec;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;

/**
 * The run's loop as workflow code: deterministic, so Temporal can replay it. It keeps the run's
 * configuration, where the loop is, the rules' checks and the last steps; it asks a worker to make
 * each prediction and learns only its text or media hash and its vectors. Steering, pausing,
 * stopping and cancelling arrive as signals and act between steps. Every {@code continueAfter}
 * steps it continues as new, handing on its state and the last steps, which fresh rules replay.
 */
public final class RunWorkflowImpl implements RunWorkflow {

    /** How many of the last steps a new execution replays through fresh rules: more than any detector's window. */
    static final int REPLAY = 256;
    /** How many of the latest outputs a query returns. */
    static final int LATEST = 8;
    /** How often one step may fail on its workers (each time handed to another) before the run fails. */
    static final int MAX_STEP_TRIES = 10;

    private static final Logger LOG = Workflow.getLogger(RunWorkflowImpl.class);
    /** Media referred to in a spec or change: its hash and size only, never read in the workflow. */
    private static final JsonCodec.MediaSource BY_HASH = (file, sha256, size) -> Bytes.deferred(
            size == null ? 0 : size, sha256, () -> {
                throw new IllegalStateException("media " + sha256 + " is read by workers, not in the workflow");
            });
    private final JsonCodec codec = new JsonCodec();

    private RunStatus status = RunStatus.RUNNING;
    private boolean stopRequested;
    private boolean cancelRequested;
    private boolean paused;
    private final List<String> steering = new ArrayList<>();
    private int sequence;
    private int revision;
    private String workerQueue;
    private StopReason reason;
    private final List<StopReason> observations = new ArrayList<>();
    private final ArrayDeque<Messages.Step> recent = new ArrayDeque<>();

    private String runId;
    private Messages.Settings settings;
    private RunSpec spec;
    private Network network;
    private final List<StopRule.Check> stopChecks = new ArrayList<>();
    private final List<StopRule> stopRules = new ArrayList<>();
    private final List<StopRule.Check> observeChecks = new ArrayList<>();
    private final Map<String, ArrayDeque<String>> texts = new LinkedHashMap<>();
    private final Map<String, String> modalities = new LinkedHashMap<>();
    private long startMillis;
    private long elapsedBefore;
    private int failedTries;

    @Override
    public Messages.Progress run(Messages.RunStart start) {
        runId = start.runId();
        settings = start.settings();
        spec = codec.decodeSpec(read(start.specJson()), BY_HASH);
        startMillis = Workflow.currentTimeMillis();
        Messages.Carry carry = start.carry();
        String node;
        PayloadRef input;
        int inputSource;
        if (carry == null) {
            node = spec.network().entry();
            input = PayloadRef.of(spec.input());
            inputSource = -1;
        } else {
            sequence = carry.sequence();
            node = carry.node();
            input = carry.input();
            inputSource = carry.inputSource();
            revision = carry.revision();
            paused = carry.paused();
            workerQueue = carry.workerQueue();
            elapsedBefore = carry.elapsedMillis();
            observations.addAll(carry.observations());
            carry.texts().forEach((n, list) -> texts.put(n, new ArrayDeque<>(list)));
        }
        describeModels(spec);
        rebuildNetwork();
        startRules();
        if (carry != null) {
            for (Messages.Step s : carry.recent()) {
                // Replayed to rebuild the checks' windows; what they would say was said before.
                Prediction p = prediction(s);
                stopChecks.forEach(c -> c.afterPrediction(p, Duration.ZERO));
                observeChecks.forEach(c -> c.afterPrediction(p, Duration.ZERO));
                remember(s);
            }
        }
        int steps = 0;
        while (true) {
            if (cancelRequested) {
                return end(RunStatus.CANCELLED, StopReason.of("cancel", "cancelled on request", before(sequence)));
            }
            if (stopRequested) {
                return end(RunStatus.STOPPED, StopReason.of("stop", "stopped on request", before(sequence)));
            }
            if (!steering.isEmpty()) {
                Injection injected = applySteering(node);
                if (injected != null) {
                    node = injected.node();
                    input = injected.input();
                    inputSource = -2;
                }
                continue;
            }
            if (paused) {
                status = RunStatus.PAUSED;
                Workflow.await(() -> !paused || stopRequested || cancelRequested || !steering.isEmpty());
                status = RunStatus.RUNNING;
                continue;
            }
            if (sequence >= spec.maxPredictions()) {
                return end(RunStatus.COMPLETED, StopReason.of("max-predictions", "reached the limit of "
                        + spec.maxPredictions() + " predictions", before(sequence)));
            }
            Duration delay = spec.pacing() == null ? Duration.ZERO
                    : Pacing.of(spec.pacing()).delayBefore(sequence, elapsed());
            if (sequence > 0 && delay.compareTo(Duration.ZERO) > 0) {
                boolean interrupted = Workflow.await(delay,
                        () -> stopRequested || cancelRequested || paused || !steering.isEmpty());
                if (interrupted) {
                    continue;
                }
            }
            if (workerQueue == null) {
                workerQueue = claim();
            }
            Messages.Step step;
            try {
                step = onWorker().step(request(node, input, inputSource));
            } catch (ActivityFailure e) {
                String why = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
                if (++failedTries >= MAX_STEP_TRIES || isFinal(e)) {
                    letGo();
                    return end(RunStatus.FAILED, StopReason.of("worker", "step " + sequence + " could not be made"
                            + " after " + failedTries + " tries: " + why, before(sequence)));
                }
                LOG.warn("step {} of run {} failed on {} ({}); the run goes to another worker", sequence, runId,
                        workerQueue, why);
                letGo();
                continue;
            }
            failedTries = 0;
            steps++;
            Prediction p = prediction(step);
            remember(step);
            sequence = step.sequence() + 1;
            if (step.output() == null) {
                return end(RunStatus.FAILED, StopReason.of("error", "model '" + step.model() + "' failed at step "
                        + step.sequence() + ": " + step.errorMessage(), step.sequence()));
            }
            Duration elapsed = elapsed();
            for (StopRule.Check c : observeChecks) {
                c.afterPrediction(p, elapsed).ifPresent(observations::add);
            }
            for (StopRule.Check c : stopChecks) {
                Optional<StopReason> fired = c.afterPrediction(p, elapsed);
                if (fired.isPresent()) {
                    return end(RunStatus.COMPLETED, fired.get());
                }
            }
            List<Network.Node> next = network.next(node);
            if (next.isEmpty()) {
                return end(RunStatus.COMPLETED, StopReason.of("end", "reached the end of the network at node '"
                        + node + "'", step.sequence()));
            }
            node = next.get(0).id();
            input = step.output();
            inputSource = step.sequence();
            if (steps >= settings.continueAfter() || Workflow.getInfo().isContinueAsNewSuggested()) {
                Workflow.continueAsNew(new Messages.RunStart(runId, write(codec.encodeSpec(spec, byReference())),
                        settings, carry(node, input, inputSource)));
            }
        }
    }

    // ---------------------------------------------------------------- signals and queries

    @Override
    public void stop() {
        stopRequested = true;
    }

    @Override
    public void cancel() {
        cancelRequested = true;
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void unpause() {
        paused = false;
    }

    @Override
    public void steer(String changesJson) {
        steering.add(changesJson);
    }

    @Override
    public Messages.Progress progress() {
        List<Messages.Step> latest = new ArrayList<>(recent);
        return new Messages.Progress(status, sequence, revision, workerQueue,
                latest.subList(Math.max(0, latest.size() - LATEST), latest.size()), reason, List.copyOf(observations));
    }

    // ---------------------------------------------------------------- steps

    private Messages.StepRequest request(String node, PayloadRef input, int inputSource) {
        RunSpec.NodeSpec n = nodeSpec(node);
        Network.Node live = network.node(node);
        PayloadRef given = input;
        Map<String, Object> parameters = new LinkedHashMap<>(n.parameters().asMap());
        if (input.textual()) {
            Template.Context context = context(input.text());
            if (live.template().isPresent()) {
                given = PayloadRef.of(Payload.text(live.template().get().render(context)));
            }
            live.parameterTemplates().forEach((k, t) -> parameters.put(k, t.render(context)));
        }
        return new Messages.StepRequest(runId, sequence, node, n.model().toString(), parameters, given, inputSource,
                revision, spec.embedders());
    }

    private Template.Context context(String input) {
        return Template.Context.of(spec.input(), input, sequence, (node, count) -> {
            List<String> all = new ArrayList<>(texts.getOrDefault(node, new ArrayDeque<>()));
            return all.subList(Math.max(0, all.size() - count), all.size());
        });
    }

    private Prediction prediction(Messages.Step s) {
        Map<String, Embedding> vectors = new LinkedHashMap<>();
        if (s.embeddings() != null) {
            s.embeddings().forEach((id, v) -> vectors.put(id, Embedding.of(v)));
        }
        return new Prediction(runId, s.sequence(), s.node(), ModelId.parse(s.model()), s.input().inWorkflow(),
                s.output() == null ? null : s.output().inWorkflow(), Instant.ofEpochMilli(s.startedAtMillis()),
                Instant.ofEpochMilli(s.finishedAtMillis()), Metadata.empty(), vectors,
                s.output() == null ? new Prediction.Failure(s.errorType(), s.errorMessage()) : null, s.revision());
    }

    private void remember(Messages.Step s) {
        recent.addLast(s);
        if (recent.size() > REPLAY) {
            recent.removeFirst();
        }
        if (s.output() != null && s.output().textual()) {
            ArrayDeque<String> w = texts.computeIfAbsent(s.node(), k -> new ArrayDeque<>());
            w.addLast(s.output().text());
            if (w.size() > Template.MAX_HISTORY) {
                w.removeFirst();
            }
        }
    }

    private Duration elapsed() {
        return Duration.ofMillis(elapsedBefore + Workflow.currentTimeMillis() - startMillis);
    }

    private Messages.Carry carry(String node, PayloadRef input, int inputSource) {
        Map<String, List<String>> t = new LinkedHashMap<>();
        texts.forEach((n, w) -> t.put(n, new ArrayList<>(w)));
        return new Messages.Carry(sequence, node, input, inputSource, revision, paused, workerQueue,
                elapsed().toMillis(), new ArrayList<>(recent), t, List.copyOf(observations));
    }

    private Messages.Progress end(RunStatus finalStatus, StopReason why) {
        Messages.Finish finish = new Messages.Finish(finalStatus, why, Workflow.currentTimeMillis(), sequence,
                List.copyOf(observations), revision);
        while (true) {
            try {
                if (workerQueue == null) {
                    workerQueue = claim();
                }
                onWorker().finish(runId, finish);
                break;
            } catch (ActivityFailure e) {
                letGo();
            }
        }
        workerQueue = null;
        status = finalStatus;
        reason = why;
        return progress();
    }

    /** The worker holding the run failed or went: let it go (if it is still there) so another can claim it. */
    private void letGo() {
        try {
            onWorker().release(runId);
        } catch (ActivityFailure gone) {
            // Its lease lapses by itself; the claim waits for that.
        }
        workerQueue = null;
    }

    // ---------------------------------------------------------------- steering

    private record Injection(String node, PayloadRef input) {
    }

    private Injection applySteering(String node) {
        List<Change> changes = new ArrayList<>();
        for (String json : steering) {
            JsonNode list = read(json);
            for (JsonNode c : list) {
                changes.add(codec.decodeChange(c, BY_HASH));
            }
        }
        steering.clear();
        Injection injected = null;
        RunSpec changed = spec;
        for (Change c : changes) {
            if (c instanceof Change.SetTemplate t) {
                changed = withNode(changed, t.node(), n -> new RunSpec.NodeSpec(n.id(), n.model(), n.parameters(),
                        Optional.ofNullable(t.template()), n.parameterTemplates()));
            } else if (c instanceof Change.SetParameters p) {
                changed = withNode(changed, p.node(), n -> new RunSpec.NodeSpec(n.id(), n.model(),
                        n.parameters().merge(p.parameters()), n.template(), n.parameterTemplates()));
            } else if (c instanceof Change.SetParameterTemplate pt) {
                changed = withNode(changed, pt.node(), n -> {
                    Map<String, String> m = new LinkedHashMap<>(n.parameterTemplates());
                    m.put(pt.parameter(), pt.template());
                    return new RunSpec.NodeSpec(n.id(), n.model(), n.parameters(), n.template(), m);
                });
            } else if (c instanceof Change.Inject inj) {
                injected = new Injection(inj.node() == null ? node : inj.node(), PayloadRef.of(inj.input()));
            } else if (c instanceof Change.SetPacing sp) {
                changed = new RunSpec(changed.network(), changed.input(), changed.stopRules(), changed.observeRules(),
                        changed.embedders(), changed.embeddingTimeout(), sp.spec(), changed.maxBranches(),
                        changed.maxPredictions(), changed.forever(), changed.durability());
            } else if (c instanceof Change.SetMaxSteps ms) {
                changed = withRule(changed, Spec.of("max-steps", Parameters.of("steps", ms.steps())));
            } else if (c instanceof Change.SetMaxDuration md) {
                changed = withRule(changed, Spec.of("max-duration", Parameters.of("limit", md.limit().toString())));
            } else if (c instanceof Change.Pause) {
                paused = true;
            } else if (c instanceof Change.Unpause) {
                paused = false;
            } else {
                LOG.warn("run {} ignored a change a durable run does not take: {}", runId, c);
                continue;
            }
        }
        revision++;
        Revision rev = new Revision(revision, Instant.ofEpochMilli(Workflow.currentTimeMillis()), sequence - 1,
                changes);
        boolean rulesChanged = !changed.stopRules().equals(spec.stopRules());
        spec = changed;
        rebuildNetwork();
        if (rulesChanged) {
            startRules();
            for (Messages.Step s : recent) {
                Prediction p = prediction(s);
                stopChecks.forEach(ch -> ch.afterPrediction(p, Duration.ZERO));
            }
        }
        while (true) {
            try {
                if (workerQueue == null) {
                    workerQueue = claim();
                }
                onWorker().revise(runId, write(codec.encodeRevision(rev, byReference())));
                break;
            } catch (ActivityFailure e) {
                letGo();
            }
        }
        return injected;
    }

    private static RunSpec withNode(RunSpec s, String node, java.util.function.UnaryOperator<RunSpec.NodeSpec> f) {
        List<RunSpec.NodeSpec> nodes = new ArrayList<>();
        boolean found = false;
        for (RunSpec.NodeSpec n : s.network().nodes()) {
            if (n.id().equals(node)) {
                nodes.add(f.apply(n));
                found = true;
            } else {
                nodes.add(n);
            }
        }
        if (!found) {
            throw new ValidationException("the run has no node '" + node + "'");
        }
        return new RunSpec(new RunSpec.NetworkSpec(nodes, s.network().links(), s.network().entry()), s.input(),
                s.stopRules(), s.observeRules(), s.embedders(), s.embeddingTimeout(), s.pacing(), s.maxBranches(),
                s.maxPredictions(), s.forever(), s.durability());
    }

    private static RunSpec withRule(RunSpec s, Spec rule) {
        List<Spec> rules = new ArrayList<>();
        for (Spec r : s.stopRules()) {
            if (!r.kind().equals(rule.kind())) {
                rules.add(r);
            }
        }
        rules.add(rule);
        return new RunSpec(s.network(), s.input(), rules, s.observeRules(), s.embedders(), s.embeddingTimeout(),
                s.pacing(), s.maxBranches(), s.maxPredictions(), s.forever(), s.durability());
    }

    // ---------------------------------------------------------------- the network and its rules

    private void describeModels(RunSpec s) {
        List<String> ids = new ArrayList<>();
        for (RunSpec.NodeSpec n : s.network().nodes()) {
            if (!modalities.containsKey(n.model().toString())) {
                ids.add(n.model().toString());
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        List<String> found = null;
        for (int attempt = 1; found == null; attempt++) {
            try {
                found = shared().describe(ids);
            } catch (ActivityFailure e) {
                if (attempt == 5) {
                    throw e;
                }
                Workflow.sleep(Duration.ofSeconds(1));
            }
        }
        for (int i = 0; i < ids.size(); i++) {
            modalities.put(ids.get(i), found.get(i));
        }
    }

    /** The network as rules see it: the spec's nodes and links, with models that only describe themselves. */
    private void rebuildNetwork() {
        network = Networks.of(spec.network(), n -> {
            String[] io = modalities.get(n.model().toString()).split(">");
            return Model.of(new ModelInfo(n.model(), Modality.valueOf(io[0]), Modality.valueOf(io[1]),
                    "called by a worker"), n.parameters(), (in, p) -> CompletableFuture.failedFuture(
                    new IllegalStateException("models are called by workers, not in the workflow")));
        });
    }

    private void startRules() {
        stopRules.clear();
        stopChecks.clear();
        observeChecks.clear();
        for (Spec s : spec.stopRules()) {
            StopRule rule = StopRule.of(s);
            stopRules.add(rule);
            stopChecks.add(rule.start(network));
        }
        for (Spec s : spec.observeRules()) {
            observeChecks.add(StopRule.of(s).start(network));
        }
    }

    private RunSpec.NodeSpec nodeSpec(String node) {
        for (RunSpec.NodeSpec n : spec.network().nodes()) {
            if (n.id().equals(node)) {
                return n;
            }
        }
        throw new ValidationException("the run has no node '" + node + "'");
    }

    // ---------------------------------------------------------------- activities

    private RunActivities shared() {
        return Workflow.newActivityStub(RunActivities.class, ActivityOptions.newBuilder()
                .setTaskQueue(settings.sharedQueue())
                // A claim waits for a dead writer's lease to lapse, heartbeating. A task no worker picks up
                // in time is given up and tried again by the workflow.
                .setScheduleToStartTimeout(Duration.ofSeconds(Math.max(30, settings.pickUpSeconds())))
                .setStartToCloseTimeout(Duration.ofMinutes(3))
                .setHeartbeatTimeout(Duration.ofSeconds(settings.heartbeatSeconds()))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    }

    /** Claims the run for a worker, trying again (a workflow timer, not a server retry) until one takes it. */
    private String claim() {
        while (true) {
            try {
                return shared().claim(runId);
            } catch (ActivityFailure e) {
                if (isFinal(e)) {
                    // Not in the store any more: nothing can be saved, so the workflow itself fails.
                    throw ApplicationFailure.newNonRetryableFailure("run " + runId + " cannot be claimed: "
                            + e.getCause().getMessage(), "RunGone");
                }
                LOG.warn("run {} could not be claimed yet: {}", runId,
                        e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                Workflow.sleep(Duration.ofSeconds(1));
            }
        }
    }

    /** True for a failure that trying again elsewhere cannot mend (a worker said so). */
    private static boolean isFinal(ActivityFailure e) {
        return e.getCause() instanceof ApplicationFailure a && a.isNonRetryable() && !"NotHeld".equals(a.getType());
    }

    private RunActivities onWorker() {
        return Workflow.newActivityStub(RunActivities.class, ActivityOptions.newBuilder()
                .setTaskQueue(workerQueue)
                .setScheduleToStartTimeout(Duration.ofSeconds(settings.pickUpSeconds()))
                .setStartToCloseTimeout(Duration.ofHours(1))
                .setHeartbeatTimeout(Duration.ofSeconds(settings.heartbeatSeconds()))
                // One attempt: a failure sends the run to a worker that claims it anew.
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    }

    // ---------------------------------------------------------------- JSON

    private JsonNode read(String json) {
        try {
            return codec.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new ValidationException("not JSON: " + e.getMessage(), e);
        }
    }

    private String write(JsonNode node) {
        try {
            return codec.mapper().writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Media is written into JSON by reference (hash, size, type); its bytes never enter the workflow. */
    private static JsonCodec.MediaSink byReference() {
        return (payload, path) -> { };
    }

    /** The prediction before {@code sequence}, or empty if {@code sequence} is the first. */
    private static OptionalInt before(int sequence) {
        return sequence > 0 ? OptionalInt.of(sequence - 1) : OptionalInt.empty();
    }
}
