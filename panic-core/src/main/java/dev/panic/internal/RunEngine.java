package dev.panic.internal;

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
import dev.panic.StopReason;
import dev.panic.StopRule;
import dev.panic.exception.PanicException;
import dev.panic.store.RunStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one run: a chain of asynchronous model calls, each continuation scheduled on a small
 * shared pool, so no thread is held while a model works or a pacing timer waits. One step is in
 * flight at a time per run; state changes that other threads can race with (stop, cancel, the
 * time limit) go through {@link #finish}, which only the first caller wins.
 */
public final class RunEngine implements Run {

    private static final Logger LOG = LoggerFactory.getLogger(RunEngine.class);
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int EVENT_BUFFER = 256;
    private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);

    /** Everything the builder collected. */
    public record Config(String id, Network network, Payload input, List<StopRule> stopRules,
                         List<StopRule> observeRules, List<RunListener> listeners, Pacing pacing,
                         RunStore store, Clock clock, ScheduledExecutorService executor) {
        /** Copies the lists. */
        public Config {
            stopRules = List.copyOf(stopRules);
            observeRules = List.copyOf(observeRules);
            listeners = List.copyOf(listeners);
        }
    }

    private final Config config;
    private final String id;
    private final Instant startedAt;
    private final long startNanos;
    private final ScheduledExecutorService executor;
    private final List<StopRule.Check> stopChecks = new ArrayList<>();
    private final List<StopRule.Check> observeChecks = new ArrayList<>();
    private final List<Prediction> predictions = new ArrayList<>();
    private final List<StopReason> observations = new ArrayList<>();
    private final CompletableFuture<Run> completion = new CompletableFuture<>();
    private final SubmissionPublisher<RunEvent> publisher;
    private RunStore.Recorder recorder;
    // Serialises the recorder: the step thread appends while stop, cancel or the time limit may finish.
    private final Object storeLock = new Object();

    private volatile RunStatus status = RunStatus.RUNNING;
    private volatile StopReason stopReason;
    private volatile Instant finishedAt;
    private volatile boolean stopRequested;
    // Guarded by this: the call or timer the run is waiting on, so stop and cancel can end it.
    private CompletableFuture<ModelOutput> inFlight;
    private ScheduledFuture<?> pacingTimer;
    private ScheduledFuture<?> timeLimitTimer;

    private RunEngine(Config config) {
        this.config = config;
        this.executor = config.executor() != null ? config.executor() : SharedScheduler.get();
        this.startedAt = config.clock().instant();
        this.startNanos = System.nanoTime();
        this.id = config.id() != null ? config.id() : newId(startedAt);
        this.publisher = new SubmissionPublisher<>(executor, EVENT_BUFFER);
        config.stopRules().forEach(r -> stopChecks.add(r.start(config.network())));
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

    private void step(int sequence, Payload input) {
        Model model = config.network().modelAt(sequence);
        Instant callStart;
        synchronized (this) {
            pacingTimer = null;
            if (status.isFinal()) {
                return;
            }
            if (stopRequested) {
                // finish() takes this lock too; it is reentrant.
                finish(RunStatus.STOPPED, StopReason.of("stop", "stopped on request", sequence - 1));
                return;
            }
            callStart = config.clock().instant();
        }
        // Listeners run outside the lock so that a slow one does not block stop() or cancel().
        emit(new RunEvent.PredictionStarted(id, sequence, model.id(), input, callStart));
        CompletableFuture<ModelOutput> call;
        synchronized (this) {
            if (status.isFinal()) {
                return;
            }
            try {
                call = model.invokeAsync(input, Parameters.empty(),
                        piece -> emit(new RunEvent.PartialOutput(id, sequence, model.id(), piece)));
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            inFlight = call;
        }
        call.whenCompleteAsync((out, error) -> afterCall(sequence, model, input, callStart, out, error), executor);
    }

    private void afterCall(int sequence, Model model, Payload input, Instant callStart, ModelOutput out,
                           Throwable error) {
        synchronized (this) {
            inFlight = null;
        }
        Instant callEnd = config.clock().instant();
        if (error != null) {
            PanicException cause = PanicException.from(error);
            Prediction failed = new Prediction(id, sequence, model.id(), input, null, callStart, callEnd,
                    null, Map.of(), Prediction.Failure.of(cause));
            if (!keepAndSave(failed)) {
                return;
            }
            emit(new RunEvent.PredictionFailed(id, failed));
            finish(RunStatus.FAILED, StopReason.of("error", "model '" + model.id() + "' failed at step "
                    + sequence + ": " + cause.getMessage(), sequence));
            return;
        }
        Prediction p = new Prediction(id, sequence, model.id(), input, out.payload(), callStart, callEnd,
                out.metadata(), Map.of(), null);
        if (!keepAndSave(p)) {
            return;
        }
        emit(new RunEvent.PredictionMade(id, p));
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
        for (StopRule.Check check : stopChecks) {
            Optional<StopReason> reason = evaluate(check, p, elapsed);
            if (reason.isPresent()) {
                finish(RunStatus.COMPLETED, reason.get());
                return;
            }
        }
        if (stopRequested) {
            finish(RunStatus.STOPPED, StopReason.of("stop", "stopped on request", sequence));
            return;
        }
        scheduleNext(sequence + 1, out.payload(), elapsed);
    }

    private Optional<StopReason> evaluate(StopRule.Check check, Prediction p, Duration elapsed) {
        try {
            return check.afterPrediction(p, elapsed);
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
     * Keeps and saves a prediction, unless the run ended while the call ran (then its answer is
     * abandoned). Holding the store lock makes "still running, kept, saved" one step with respect
     * to {@link #finish}, so the saved run never lists a prediction it does not have and the
     * recorder is never written to after its final update.
     *
     * @return false if the run has ended (before, or because saving failed)
     */
    private boolean keepAndSave(Prediction p) {
        synchronized (storeLock) {
            synchronized (this) {
                if (status.isFinal()) {
                    return false;
                }
                predictions.add(p);
            }
            if (recorder == null) {
                return true;
            }
            try {
                recorder.append(p);
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
     * Ends the run with {@code status} unless it has already ended. Returns whether this call ended it.
     */
    private boolean finish(RunStatus newStatus, StopReason reason) {
        CompletableFuture<ModelOutput> abandoned;
        synchronized (this) {
            if (status.isFinal()) {
                return false;
            }
            finishedAt = config.clock().instant();
            stopReason = reason;
            status = newStatus;
            abandoned = inFlight;
            inFlight = null;
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
        if (recorder != null) {
            synchronized (storeLock) {
                try {
                    recorder.update(info());
                } catch (RuntimeException e) {
                    LOG.error("could not save the end of run {}", id, e);
                }
            }
        }
        emit(new RunEvent.Finished(id, newStatus, reason, finishedAt));
        publisher.close();
        completion.complete(this);
        return true;
    }

    private void emit(RunEvent event) {
        for (RunListener l : config.listeners()) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
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
        boolean waitingOnTimer;
        synchronized (this) {
            waitingOnTimer = pacingTimer != null && inFlight == null;
        }
        if (waitingOnTimer) {
            finish(RunStatus.STOPPED, StopReason.of("stop", "stopped on request", lastSequence()));
        }
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
