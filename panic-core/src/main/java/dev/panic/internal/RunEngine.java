package dev.panic.internal;

import dev.panic.Embedding;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelOutput;
import dev.panic.Network;
import dev.panic.Pacing;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.RunEvent;
import dev.panic.RunInfo;
import dev.panic.RunListener;
import dev.panic.RunStatus;
import dev.panic.Similarity;
import dev.panic.StopReason;
import dev.panic.StopRule;
import dev.panic.embedding.Embedder;
import dev.panic.exception.PanicException;
import dev.panic.internal.detect.SimilarityTracker;
import dev.panic.store.RunStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one run: a chain of asynchronous model calls, each continuation scheduled on a small
 * shared pool, so no thread is held while a model works, an embedder works or a pacing timer
 * waits. One model call is in flight at a time per run; state changes that other threads can race
 * with (stop, cancel, the time limit) go through {@link #finish}, which only the first caller wins.
 *
 * <h2>The pipeline</h2>
 * Every answer, success or failure, becomes a {@link Pending} entry in a queue kept in sequence
 * order. An entry is ready when its output's vectors have arrived (at once when the run has no
 * embedders, or the output has no embedder for its modality, or the call failed). {@link #pump}
 * delivers ready entries from the head of the queue, in order: keep and save, announce, measure,
 * ask the observe-only rules and the rules that need vectors; then decides what comes next
 * (finish, or start the next call when at most one output still awaits its vectors). The pump is
 * serialised without a lock (whoever finds it idle runs it, the others leave a note), so that no
 * thread ever blocks on another's listener or store write. See {@link dev.panic.Run.Builder#embedWith}
 * for the behaviour this gives.
 */
public final class RunEngine implements Run {

    private static final Logger LOG = LoggerFactory.getLogger(RunEngine.class);
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int EVENT_BUFFER = 256;
    private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);
    // How many outputs may await their vectors when the next call starts: one hides the embedding
    // time behind the next call; more would only queue work that a stop would throw away.
    private static final int MAX_AWAITING_VECTORS = 1;

    /** Everything the builder collected. */
    public record Config(String id, Network network, Payload input, List<StopRule> stopRules,
                         List<StopRule> observeRules, List<RunListener> listeners, Pacing pacing,
                         RunStore store, Clock clock, ScheduledExecutorService executor,
                         List<Embedder> embedders, Duration embeddingTimeout) {
        /** Copies the lists. */
        public Config {
            stopRules = List.copyOf(stopRules);
            observeRules = List.copyOf(observeRules);
            listeners = List.copyOf(listeners);
            embedders = embedders == null ? List.of() : List.copyOf(embedders);
            embeddingTimeout = embeddingTimeout == null ? Run.Builder.DEFAULT_EMBEDDING_TIMEOUT : embeddingTimeout;
        }

        /** A configuration without embedders. */
        public Config(String id, Network network, Payload input, List<StopRule> stopRules,
                      List<StopRule> observeRules, List<RunListener> listeners, Pacing pacing,
                      RunStore store, Clock clock, ScheduledExecutorService executor) {
            this(id, network, input, stopRules, observeRules, listeners, pacing, store, clock, executor, List.of(),
                    null);
        }
    }

    /** A stop rule's check and its place among the stop rules, which decides who wins a tie. */
    private record IndexedCheck(int index, StopRule.Check check) {
    }

    /** A stop rule that fired when an output arrived, to end the run once that output is delivered. */
    private record Fired(int index, StopReason reason) {
    }

    /** One embedder's failure on one output. */
    private record EmbeddingFailure(String embedderId, String message) {
    }

    /**
     * An answer on its way to being kept. Written by the thread that completes it, read by the pump
     * after it has seen {@link #ready} under the run's lock.
     */
    private static final class Pending {
        final Prediction bare;
        final Fired fired;
        // Guarded by the run's lock.
        boolean ready;
        Prediction result;
        List<EmbeddingFailure> failures = List.of();
        List<CompletableFuture<?>> embeddings = List.of();

        Pending(Prediction bare, Fired fired) {
            this.bare = bare;
            this.fired = fired;
        }
    }

    private final Config config;
    private final String id;
    private final Instant startedAt;
    private final long startNanos;
    private final ScheduledExecutorService executor;
    // Asked when an output arrives: all stop rules without embedders, else those that need no vectors.
    private final List<IndexedCheck> arrivalChecks = new ArrayList<>();
    // Asked when an output is delivered with its vectors.
    private final List<IndexedCheck> deliveryChecks = new ArrayList<>();
    private final List<StopRule.Check> observeChecks = new ArrayList<>();
    private final SimilarityTracker similarities;
    private final List<Prediction> predictions = new ArrayList<>();
    private final List<StopReason> observations = new ArrayList<>();
    private final CompletableFuture<Run> completion = new CompletableFuture<>();
    private final SubmissionPublisher<RunEvent> publisher;
    private RunStore.Recorder recorder;
    // Serialises the recorder: the pump appends while stop, cancel or the time limit may finish.
    private final Object storeLock = new Object();
    // Events wait here for whichever thread is delivering them, so listeners see one event at a time
    // and in order even when a call starts while the previous output is delivered, and no thread
    // ever blocks on another's slow listener. Nothing is queued after Finished (guarded by the queue).
    private final ArrayDeque<RunEvent> events = new ArrayDeque<>();
    private boolean finishedQueued;
    private final AtomicInteger eventWork = new AtomicInteger();
    private final AtomicInteger pumpWork = new AtomicInteger();

    private volatile RunStatus status = RunStatus.RUNNING;
    private volatile StopReason stopReason;
    private volatile Instant finishedAt;
    private volatile boolean stopRequested;
    // Guarded by this: the call or timer the run is waiting on, so stop and cancel can end it.
    private CompletableFuture<ModelOutput> inFlight;
    private ScheduledFuture<?> pacingTimer;
    private ScheduledFuture<?> timeLimitTimer;
    // Guarded by this: answers not yet delivered, in sequence order; the next step to call, once the
    // pipeline allows it; and whether a step has been scheduled but has not made its call yet.
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private Payload nextInput;
    private int nextSequence;
    private boolean stepScheduled;

    private RunEngine(Config config) {
        this.config = config;
        this.executor = config.executor() != null ? config.executor() : SharedScheduler.get();
        this.startedAt = config.clock().instant();
        this.startNanos = System.nanoTime();
        this.id = config.id() != null ? config.id() : newId(startedAt);
        this.publisher = new SubmissionPublisher<>(executor, EVENT_BUFFER);
        this.similarities = new SimilarityTracker(config.network().size());
        boolean embedding = !config.embedders().isEmpty();
        for (int i = 0; i < config.stopRules().size(); i++) {
            StopRule rule = config.stopRules().get(i);
            IndexedCheck check = new IndexedCheck(i, rule.start(config.network()));
            // Without embedders an output is delivered the moment it arrives, so asking every rule at
            // delivery keeps the order rules were always asked in.
            (embedding && !rule.needsEmbeddings() ? arrivalChecks : deliveryChecks).add(check);
        }
        config.observeRules().forEach(r -> observeChecks.add(r.start(config.network())));
    }

    /** Creates the run, saves its start, and schedules its first step. */
    public static Run start(Config config) {
        RunEngine run = new RunEngine(config);
        if (config.store() != null) {
            run.recorder = config.store().create(run.info());
        }
        run.emit(new RunEvent.Started(run.id, config.network(), config.input(), run.startedAt));
        config.stopRules().stream().map(StopRule::timeLimit).flatMap(Optional::stream)
                .min(Duration::compareTo)
                .ifPresent(limit -> run.scheduleTimeLimit(limit));
        synchronized (run) {
            run.stepScheduled = true;
        }
        run.executor.execute(() -> run.step(0, config.input()));
        return run;
    }

    private static String newId(Instant at) {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return ID_TIME.format(at) + "-" + HexFormat.of().formatHex(b);
    }

    private void scheduleTimeLimit(Duration limit) {
        String rule = config.stopRules().stream().filter(r -> r.timeLimit().isPresent()
                && r.timeLimit().get().equals(limit)).findFirst().map(StopRule::name).orElse("max-duration");
        ScheduledFuture<?> timer = executor.schedule(() -> finish(RunStatus.COMPLETED,
                StopReason.of(rule, "reached the time limit of " + limit, lastSequence())),
                limit.toNanos(), TimeUnit.NANOSECONDS);
        synchronized (this) {
            timeLimitTimer = timer;
        }
    }

    // ---------------------------------------------------------------- calling models

    private void step(int sequence, Payload input) {
        Model model = config.network().modelAt(sequence);
        Instant callStart;
        boolean stopping;
        synchronized (this) {
            pacingTimer = null;
            if (status.isFinal()) {
                return;
            }
            stopping = stopRequested;
            if (stopping) {
                stepScheduled = false;
            }
            callStart = config.clock().instant();
        }
        if (stopping) {
            pump(); // finishes once what has arrived is delivered
            return;
        }
        // Listeners run outside the lock so that a slow one does not block stop() or cancel().
        emit(new RunEvent.PredictionStarted(id, sequence, model.id(), input, callStart));
        // The invoker runs outside the lock: a platform may compute (the simulator) or even block in
        // it, and stop(), cancel() and the getters must not wait for that.
        CompletableFuture<ModelOutput> call;
        try {
            call = model.invokeAsync(input, Parameters.empty(),
                    piece -> emit(new RunEvent.PartialOutput(id, sequence, model.id(), piece)));
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        synchronized (this) {
            stepScheduled = false;
            if (status.isFinal()) {
                call.cancel(true); // ended while the call was being made
                return;
            }
            inFlight = call;
        }
        call.whenCompleteAsync((out, error) -> afterCall(sequence, model, input, callStart, out, error), executor);
    }

    private void afterCall(int sequence, Model model, Payload input, Instant callStart, ModelOutput out,
                           Throwable error) {
        synchronized (this) {
            inFlight = null;
            if (status.isFinal()) {
                return; // cancelled, or ended by the time limit or a rule on an earlier output
            }
        }
        Instant callEnd = config.clock().instant();
        if (error != null) {
            Prediction failed = new Prediction(id, sequence, model.id(), input, null, callStart, callEnd,
                    null, Map.of(), Prediction.Failure.of(PanicException.from(error)));
            Pending entry = new Pending(failed, null);
            synchronized (this) {
                entry.ready = true;
                entry.result = failed;
                pending.addLast(entry);
            }
            pump();
            return;
        }
        Prediction p = new Prediction(id, sequence, model.id(), input, out.payload(), callStart, callEnd,
                out.metadata(), Map.of(), null);
        Fired fired = null;
        Duration elapsed = elapsed();
        for (IndexedCheck c : arrivalChecks) {
            Optional<StopReason> reason = evaluate(c.check(), p, elapsed);
            if (reason.isPresent()) {
                fired = new Fired(c.index(), reason.get());
                break;
            }
        }
        Pending entry = new Pending(p, fired);
        synchronized (this) {
            if (status.isFinal()) {
                return;
            }
            pending.addLast(entry);
            if (fired == null) {
                nextSequence = sequence + 1;
                nextInput = out.payload();
            }
        }
        embed(entry);
        pump();
    }

    // ---------------------------------------------------------------- embedding

    /** Starts embedding an entry's output; the entry becomes ready when every embedder has answered. */
    private void embed(Pending entry) {
        Payload output = entry.bare.output();
        List<Embedder> embedders = config.embedders().stream().filter(e -> e.accepts(output.modality())).toList();
        if (embedders.isEmpty()) {
            markReady(entry, entry.bare, List.of());
            return;
        }
        List<CompletableFuture<Embedding>> futures = new ArrayList<>(embedders.size());
        for (Embedder embedder : embedders) {
            futures.add(embedOne(embedder, output));
        }
        synchronized (this) {
            entry.embeddings = List.copyOf(futures);
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).whenCompleteAsync((ignored, e) -> {
            Prediction p = entry.bare;
            List<EmbeddingFailure> failures = new ArrayList<>();
            for (int i = 0; i < embedders.size(); i++) {
                Embedder embedder = embedders.get(i);
                CompletableFuture<Embedding> f = futures.get(i);
                try {
                    p = p.withEmbedding(embedder.id(), f.join());
                } catch (CancellationException | CompletionException ex) {
                    Throwable cause = ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex;
                    String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
                    LOG.warn("embedder '{}' could not embed output {} of run {}; keeping the prediction without "
                            + "its vector: {}", embedder.id(), p.sequence(), id, message);
                    failures.add(new EmbeddingFailure(embedder.id(), message));
                }
            }
            markReady(entry, p, failures);
            pump();
        }, executor);
    }

    /**
     * One embedder on one output, as a future that always completes: with a vector of the declared
     * dimension, or exceptionally with why not.
     *
     * <p>The embedder runs on the compute pool, so an in-process one (which computes inside
     * {@code embedAll}) delays neither the next model call nor the shared scheduler. The timeout
     * counts from when the embedder starts, not from when it was queued. When the run gives up on
     * it (the timeout, or the run ending), the embedder's own future is cancelled before the
     * failure is reported, so remote work is stopped before the run moves on; an embedder still
     * computing inside {@code embedAll} has no future yet, so it is given up on at once and its
     * future cancelled as soon as it returns one.
     */
    private CompletableFuture<Embedding> embedOne(Embedder embedder, Payload output) {
        CompletableFuture<Embedding> result = new CompletableFuture<>();
        EmbeddingAttempt attempt = new EmbeddingAttempt(result);
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                attempt.giveUp(null); // the run ended: stop the embedder's work
            }
        });
        Duration timeout = config.embeddingTimeout();
        SharedScheduler.compute().execute(() -> {
            if (attempt.isAbandoned()) {
                return; // the run ended before it began
            }
            ScheduledFuture<?> timer = executor.schedule(() -> attempt.giveUp(
                    new java.util.concurrent.TimeoutException("timed out after " + timeout)),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
            CompletableFuture<List<Embedding>> own;
            try {
                // embedAll rather than embed: embed's default derives a new future, and cancelling a
                // derived future does not reach the embedder's, so remote work could not be stopped.
                own = embedder.embedAll(List.of(output));
                if (own == null) {
                    throw new IllegalStateException("embedder returned no future");
                }
            } catch (RuntimeException e) {
                timer.cancel(false);
                result.completeExceptionally(e);
                return;
            }
            if (!attempt.started(own)) {
                return; // given up on while it computed; started() has cancelled its future
            }
            own.whenComplete((list, e) -> {
                timer.cancel(false);
                Embedding v = list != null && list.size() == 1 ? list.get(0) : null;
                if (e != null) {
                    result.completeExceptionally(e instanceof CompletionException && e.getCause() != null
                            ? e.getCause() : e);
                } else if (list == null || list.size() != 1) {
                    result.completeExceptionally(new IllegalStateException("embedder returned "
                            + (list == null ? "no list" : list.size() + " vectors") + " for one input"));
                } else if (v == null) {
                    result.completeExceptionally(new IllegalStateException("embedder returned a null vector"));
                } else if (v.dimension() != embedder.dimension()) {
                    result.completeExceptionally(new IllegalStateException("embedder returned " + v.dimension()
                            + " dimensions but declares " + embedder.dimension()));
                } else {
                    result.complete(v);
                }
            });
        });
        return result;
    }

    /** Decides, between the embedder's task and whoever gives up on it, who cancels its future. */
    private static final class EmbeddingAttempt {
        private final CompletableFuture<Embedding> result;
        private CompletableFuture<List<Embedding>> own;
        private boolean abandoned;

        EmbeddingAttempt(CompletableFuture<Embedding> result) {
            this.result = result;
        }

        synchronized boolean isAbandoned() {
            return abandoned;
        }

        /** Records the embedder's future; false (having cancelled it) if the attempt was given up meanwhile. */
        boolean started(CompletableFuture<List<Embedding>> future) {
            boolean late;
            synchronized (this) {
                own = future;
                late = abandoned;
            }
            if (late) {
                future.cancel(true);
            }
            return !late;
        }

        /** Cancels the embedder's future if there is one, then fails the attempt with {@code why} (if given). */
        void giveUp(Throwable why) {
            CompletableFuture<List<Embedding>> toCancel;
            synchronized (this) {
                if (abandoned) {
                    return;
                }
                abandoned = true;
                toCancel = own;
            }
            if (toCancel != null) {
                toCancel.cancel(true);
            }
            if (why != null) {
                result.completeExceptionally(why);
            }
        }
    }

    private synchronized void markReady(Pending entry, Prediction result, List<EmbeddingFailure> failures) {
        entry.result = result;
        entry.failures = List.copyOf(failures);
        entry.ready = true;
    }

    // ---------------------------------------------------------------- delivering, in order

    /**
     * Delivers what is ready and decides what comes next. Serialised without blocking: a caller that
     * finds the pump running leaves a note in {@link #pumpWork} and returns; the running pump goes
     * round once more for it.
     */
    private void pump() {
        if (pumpWork.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            pumpOnce();
            missed = pumpWork.addAndGet(-missed);
        } while (missed != 0);
    }

    private void pumpOnce() {
        while (true) {
            Pending head;
            synchronized (this) {
                if (status.isFinal()) {
                    return;
                }
                head = pending.peekFirst();
                if (head == null || !head.ready) {
                    break;
                }
                pending.removeFirst();
            }
            if (!deliver(head)) {
                return;
            }
        }
        int sequence;
        Payload input;
        boolean finishStopped = false;
        synchronized (this) {
            if (status.isFinal()) {
                return;
            }
            boolean idle = inFlight == null && !stepScheduled;
            if (!idle) {
                return;
            }
            if (stopRequested) {
                finishStopped = pending.isEmpty();
                sequence = -1;
                input = null;
            } else if (nextInput != null && pending.size() <= MAX_AWAITING_VECTORS) {
                sequence = nextSequence;
                input = nextInput;
                nextInput = null;
                stepScheduled = true;
            } else {
                return;
            }
        }
        if (finishStopped) {
            finish(RunStatus.STOPPED, StopReason.of("stop", "stopped on request", lastSequence()));
        } else if (input != null) {
            scheduleNext(sequence, input, elapsed());
        }
    }

    /**
     * Keeps, saves and announces one answer, then asks the rules about it.
     *
     * @return false if the run has ended
     */
    private boolean deliver(Pending entry) {
        Prediction p = entry.result;
        if (!keepAndSave(p, p.succeeded() ? new RunEvent.PredictionMade(id, p) : new RunEvent.PredictionFailed(id, p))) {
            return false;
        }
        if (!p.succeeded()) {
            finish(RunStatus.FAILED, StopReason.of("error", "model '" + p.modelId() + "' failed at step "
                    + p.sequence() + ": " + p.error().message(), p.sequence()));
            return false;
        }
        for (EmbeddingFailure f : entry.failures) {
            emit(new RunEvent.EmbeddingFailed(id, p.sequence(), f.embedderId(), f.message()));
        }
        List<Similarity> measured;
        try {
            measured = similarities.observe(p);
        } catch (RuntimeException e) {
            LOG.warn("could not measure output {} of run {}", p.sequence(), id, e);
            measured = List.of();
        }
        if (!measured.isEmpty()) {
            emit(new RunEvent.Measured(id, p.sequence(), measured));
        }
        Duration elapsed = elapsed();
        // An observed rule is recorded where it first fires, i.e. where it would have stopped the run.
        for (var it = observeChecks.iterator(); it.hasNext(); ) {
            Optional<StopReason> seen = evaluate(it.next(), p, elapsed);
            if (seen.isPresent()) {
                it.remove();
                synchronized (this) {
                    observations.add(seen.get());
                }
                emit(new RunEvent.Observed(id, seen.get()));
            }
        }
        // Rules are asked in the order they were given and the first to fire wins, as if all were
        // asked together: a rule given after one that already fired on arrival is not asked.
        int before = entry.fired == null ? Integer.MAX_VALUE : entry.fired.index();
        for (IndexedCheck c : deliveryChecks) {
            if (c.index() > before) {
                break;
            }
            Optional<StopReason> reason = evaluate(c.check(), p, elapsed);
            if (reason.isPresent()) {
                finish(RunStatus.COMPLETED, reason.get());
                return false;
            }
        }
        if (entry.fired != null) {
            finish(RunStatus.COMPLETED, entry.fired.reason());
            return false;
        }
        return true;
    }

    private Optional<StopReason> evaluate(StopRule.Check check, Prediction p, Duration elapsed) {
        try {
            Optional<StopReason> reason = check.afterPrediction(p, elapsed);
            return reason == null ? Optional.empty() : reason;
        } catch (RuntimeException e) {
            LOG.warn("stop rule check {} failed at step {} of run {}; ignoring it for this step",
                    check, p.sequence(), id, e);
            return Optional.empty();
        }
    }

    private void scheduleNext(int sequence, Payload input, Duration elapsed) {
        Duration delay;
        try {
            delay = config.pacing().delayBefore(sequence, elapsed);
        } catch (RuntimeException e) {
            LOG.warn("pacing failed before step {} of run {}; going on without a wait", sequence, id, e);
            delay = Duration.ZERO;
        }
        synchronized (this) {
            if (status.isFinal()) {
                return;
            }
            if (delay == null || delay.isZero() || delay.isNegative()) {
                executor.execute(() -> step(sequence, input));
            } else {
                pacingTimer = executor.schedule(() -> step(sequence, input), delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * Keeps, saves and announces a prediction, unless the run ended meanwhile (then it is abandoned). Holding
     * the store lock makes "still running, kept, saved" one step with respect to {@link #finish}, so
     * the saved run never lists a prediction it does not have and the recorder is never written to
     * after its final update.
     *
     * @return false if the run has ended (before, or because saving failed)
     */
    private boolean keepAndSave(Prediction p, RunEvent announcement) {
        synchronized (storeLock) {
            synchronized (this) {
                if (status.isFinal()) {
                    return false;
                }
                predictions.add(p);
            }
            if (recorder == null) {
                emit(announcement);
                return true;
            }
            try {
                recorder.append(p);
                // Announced under the same lock, so a Finished from stop, cancel or the time limit
                // cannot slip between keeping a prediction and announcing it.
                emit(announcement);
                return true;
            } catch (RuntimeException e) {
                LOG.error("could not save prediction {} of run {}", p.sequence(), id, e);
                finish(RunStatus.FAILED, StopReason.of("store", "could not save prediction " + p.sequence()
                        + ": " + e.getMessage(), p.sequence()));
                return false;
            }
        }
    }

    /**
     * Ends the run with {@code status} unless it has already ended. Cancels the call in flight, the
     * timers and the embedding of answers not yet delivered, which are dropped. Returns whether this
     * call ended it.
     */
    private boolean finish(RunStatus newStatus, StopReason reason) {
        CompletableFuture<ModelOutput> abandoned;
        List<CompletableFuture<?>> abandonedEmbeddings = new ArrayList<>();
        synchronized (this) {
            if (status.isFinal()) {
                return false;
            }
            finishedAt = config.clock().instant();
            stopReason = reason;
            status = newStatus;
            abandoned = inFlight;
            inFlight = null;
            nextInput = null;
            for (Pending p : pending) {
                abandonedEmbeddings.addAll(p.embeddings);
            }
            pending.clear();
            if (pacingTimer != null) {
                pacingTimer.cancel(false);
                pacingTimer = null;
            }
            if (timeLimitTimer != null) {
                timeLimitTimer.cancel(false);
                timeLimitTimer = null;
            }
        }
        if (abandoned != null) {
            abandoned.cancel(true); // the platform's invoker sees this and cancels remote work
        }
        abandonedEmbeddings.forEach(f -> f.cancel(true));
        synchronized (storeLock) {
            if (recorder != null) {
                try {
                    recorder.update(info());
                } catch (RuntimeException e) {
                    LOG.error("could not save the end of run {}", id, e);
                }
            }
            // Completes the run once listeners have seen Finished, so await() returns after they have.
            emit(new RunEvent.Finished(id, newStatus, reason, finishedAt));
        }
        return true;
    }

    /**
     * Queues an event and delivers what is queued, unless another thread is delivering already (it
     * will deliver this one too, in order). Serialised without blocking, like {@link #pump}.
     */
    private void emit(RunEvent event) {
        synchronized (events) {
            if (finishedQueued) {
                return; // e.g. a PredictionStarted of a step that a cancel overtook
            }
            finishedQueued = event instanceof RunEvent.Finished;
            events.addLast(event);
        }
        if (eventWork.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            while (true) {
                RunEvent next;
                synchronized (events) {
                    next = events.pollFirst();
                }
                if (next == null) {
                    break;
                }
                deliverEvent(next);
            }
            missed = eventWork.addAndGet(-missed);
        } while (missed != 0);
    }

    private void deliverEvent(RunEvent event) {
        for (RunListener l : config.listeners()) {
            try {
                l.onEvent(event);
            } catch (RuntimeException | AssertionError e) {
                // AssertionError too: a test's listener that asserts must not stall the run's events.
                LOG.warn("run listener {} failed on {} of run {}", l, event.getClass().getSimpleName(), id, e);
            }
        }
        if (publisher.hasSubscribers()) {
            publisher.offer(event, (subscriber, dropped) -> {
                LOG.warn("a subscriber of run {} fell {} events behind; dropped {}", id, EVENT_BUFFER,
                        dropped.getClass().getSimpleName());
                return false;
            });
        }
        if (event instanceof RunEvent.Finished) {
            publisher.close();
            completion.complete(this);
        }
    }

    private synchronized int lastSequence() {
        return predictions.size() - 1;
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
        return config.input();
    }

    @Override
    public RunStatus status() {
        return status;
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
    public synchronized List<Prediction> predictions() {
        return List.copyOf(predictions);
    }

    @Override
    public synchronized List<StopReason> observations() {
        return List.copyOf(observations);
    }

    @Override
    public synchronized RunInfo info() {
        List<ModelId> ids = config.network().models().stream().map(Model::id).toList();
        return new RunInfo(id, ids, config.input(), status, stopReason, startedAt, finishedAt, predictions.size(),
                observations);
    }

    @Override
    public void stop() {
        stopRequested = true;
        synchronized (this) {
            if (pacingTimer != null && inFlight == null) {
                // Waiting to make the next call: there is no call to wait for.
                pacingTimer.cancel(false);
                pacingTimer = null;
                stepScheduled = false;
            }
        }
        // Finishes now if nothing is in flight; else the pump finishes once what is on its way is kept.
        pump();
    }

    @Override
    public void cancel() {
        finish(RunStatus.CANCELLED, StopReason.of("cancel", "cancelled on request", lastSequence()));
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
        return publisher;
    }

    @Override
    public String toString() {
        return "Run[" + id + ", " + status + ", " + config.network() + "]";
    }
}
