package dev.panic;

import dev.panic.embedding.Embedder;
import dev.panic.exception.ValidationException;
import dev.panic.internal.RunEngine;
import dev.panic.store.RunStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A network running from an initial input: predictions made one after another, each model's
 * output becoming the next one's input, until a stop rule fires or someone stops it.
 *
 * <pre>{@code
 * Run run = Run.builder(network, Payload.text("a red circle on a blue background"))
 *         .stopWhen(StopRule.maxSteps(40))
 *         .stopWhen(StopRule.exactRepeat())
 *         .store(RunStore.directory(Path.of("panic-runs")))
 *         .listener(event -> System.out.println(event))
 *         .start();
 * run.await();
 * System.out.println(run.status() + ": " + run.stopReason().orElseThrow().message());
 * }</pre>
 *
 * <p>A run holds no thread while it waits for a model or for its pacing timer, so hundreds can
 * run at once. Runs are independent; all methods are thread-safe.
 */
public interface Run {

    /** The run id: sortable by start time, unique, safe as a folder name. */
    String id();

    /** The network it runs. */
    Network network();

    /** What the first model was given. */
    Payload initialInput();

    /** Where it is in its life. */
    RunStatus status();

    /** Why it ended; empty while it runs. */
    Optional<StopReason> stopReason();

    /** When it started. */
    Instant startedAt();

    /** When it ended; empty while it runs. */
    Optional<Instant> finishedAt();

    /**
     * The predictions so far, in order (a snapshot). With embedders, an output is listed once its
     * vectors are attached, when it is also saved and announced.
     */
    List<Prediction> predictions();

    /** What observe-only rules found so far, in order (a snapshot). */
    List<StopReason> observations();

    /** A snapshot of the description and state, as a store saves it. */
    RunInfo info();

    /** Ends the run after the prediction in flight completes (which is kept); status {@link RunStatus#STOPPED}. */
    void stop();

    /** Ends the run now, cancelling the prediction in flight; status {@link RunStatus#CANCELLED}. */
    void cancel();

    /** Completes with this run when it has ended, whatever its status. */
    CompletableFuture<Run> completion();

    /**
     * Waits until the run has ended and returns it.
     *
     * @throws dev.panic.exception.PanicException if the waiting thread is interrupted (the run goes on)
     */
    Run await();

    /**
     * Waits at most {@code timeout} for the run to end.
     *
     * @return true if it has ended
     */
    boolean await(Duration timeout);

    /**
     * The run's events as a {@link Flow.Publisher}, delivered asynchronously with back-pressure.
     * A subscriber sees the events published after it subscribed; to see every event from the
     * start, pass a {@link Builder#listener(RunListener)} before {@link Builder#start()}.
     */
    Flow.Publisher<RunEvent> events();

    /** A builder for a run of {@code network} from {@code initialInput}. */
    static Builder builder(Network network, Payload initialInput) {
        return new Builder(network, initialInput);
    }

    /** Configures and starts a {@link Run}. */
    final class Builder {
        /** How long an embedder may take for one output before the run goes on without its vector. */
        public static final Duration DEFAULT_EMBEDDING_TIMEOUT = Duration.ofMinutes(2);

        private final Network network;
        private final Payload input;
        private final List<StopRule> stopRules = new ArrayList<>();
        private final List<StopRule> observeRules = new ArrayList<>();
        private final List<RunListener> listeners = new ArrayList<>();
        private Pacing pacing = Pacing.none();
        private RunStore store;
        private String id;
        private Clock clock = Clock.systemUTC();
        private ScheduledExecutorService executor;
        private final List<Embedder> embedders = new ArrayList<>();
        private Duration embeddingTimeout = DEFAULT_EMBEDDING_TIMEOUT;

        private Builder(Network network, Payload input) {
            if (network == null) {
                throw new ValidationException("a run needs a network; got null");
            }
            if (input == null) {
                throw new ValidationException("a run needs an initial input; got null");
            }
            if (input.modality() != network.input()) {
                Model first = network.models().get(0);
                throw new ValidationException("the initial input is " + input.modality() + " but model 1 '"
                        + first.id() + "' takes " + first.input());
            }
            this.network = network;
            this.input = input;
        }

        /** Ends the run when {@code rule} fires; rules compose, the first to fire wins. */
        public Builder stopWhen(StopRule rule) {
            stopRules.add(require(rule));
            return this;
        }

        /** Shorthand for {@code stopWhen(StopRule.maxSteps(steps))}. */
        public Builder maxSteps(int steps) {
            return stopWhen(StopRule.maxSteps(steps));
        }

        /** Shorthand for {@code stopWhen(StopRule.maxDuration(limit))}. */
        public Builder maxDuration(Duration limit) {
            return stopWhen(StopRule.maxDuration(limit));
        }

        /**
         * Records where {@code rule} would have ended the run, without ending it: where it first fires,
         * a {@link RunEvent.Observed} event and an entry in {@link Run#observations()}; it is not asked
         * again. For comparing rules afterwards on full trajectories.
         */
        public Builder observe(StopRule rule) {
            observeRules.add(require(rule));
            return this;
        }

        /** The wait before each prediction; none by default. */
        public Builder pacing(Pacing pacing) {
            if (pacing == null) {
                throw new ValidationException("pacing is null; use Pacing.none() for no wait");
            }
            this.pacing = pacing;
            return this;
        }

        /** Saves the run as it goes. */
        public Builder store(RunStore store) {
            this.store = store;
            return this;
        }

        /**
         * Receives every event, from {@link RunEvent.Started} on, one at a time and in order, on one
         * of the run's threads. A listener should be quick: while it runs, the run's later events
         * wait, and so may the run's next step.
         */
        public Builder listener(RunListener listener) {
            if (listener == null) {
                throw new ValidationException("listener is null");
            }
            listeners.add(listener);
            return this;
        }

        /** Uses this id instead of a generated one; letters, digits, '.', '_' and '-' only. */
        public Builder id(String id) {
            if (id == null || !id.matches("[A-Za-z0-9._-]{1,128}") || id.startsWith(".")) {
                throw new ValidationException("run id '" + id
                        + "' is not valid; use 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'");
            }
            this.id = id;
            return this;
        }

        /** The clock for timestamps (tests use a fixed one); UTC system time by default. */
        public Builder clock(Clock clock) {
            this.clock = clock == null ? Clock.systemUTC() : clock;
            return this;
        }

        /**
         * The threads that drive the run between model calls and fire its timers; a small shared
         * daemon pool by default. The run does not shut it down.
         */
        public Builder executor(ScheduledExecutorService executor) {
            this.executor = executor;
            return this;
        }

        /**
         * Embeds every successful output with each of {@code embedders} that accepts its modality,
         * so that {@link Prediction#embeddings()} holds one vector per such embedder, keyed by its
         * {@link Embedder#id()}, in the saved run as in memory. Detectors on embeddings
         * ({@link dev.panic.detection.Detectors}) and {@link RunEvent.Measured} use these vectors.
         * May be called more than once; the ids must differ.
         *
         * <h4>Embedding does not slow a run of slow models</h4>
         * When an output arrives the run calls the next model at once and embeds the output
         * meanwhile. It waits for an output's vectors only before calling the model after next:
         * when a call starts, at most one output is still awaiting its vectors, so a slow embedder
         * slows the run to its own pace rather than letting work pile up. Each prediction is
         * attached its vectors, then kept, saved and announced with {@link RunEvent.PredictionMade},
         * exactly once and in sequence order.
         *
         * <h4>Rules that fire while the next call is in flight</h4>
         * Rules that {@linkplain StopRule#needsEmbeddings() need vectors} are asked when the
         * vectors arrive, in sequence order. If one fires on output {@code n} while the call for
         * {@code n + 1} is in flight, the run ends with that reason at {@code n}: the call in flight
         * is cancelled and its output, had it already arrived, is not kept — as if the rule had
         * been asked before that call was made. Chosen so that what a run keeps does not depend on
         * how fast its embedder is: the stop reason's sequence is the run's last prediction, and a
         * saved run reads exactly as if it had run step by step. The price is at most one
         * abandoned model call per run. Rules that do not need vectors (step limits, exact
         * repeats, flags) are asked as soon as an output arrives, so they never let an extra call
         * start. Observe-only rules are all asked when the vectors arrive.
         *
         * <h4>Failures</h4>
         * An embedder that fails, returns a vector of the wrong dimension or takes longer than
         * {@link #embeddingTimeout(Duration)} does not lose the prediction: it is kept without
         * that vector, the failure is logged and announced as {@link RunEvent.EmbeddingFailed}, and
         * the run goes on (detectors treat the missing vector as a break in the pattern).
         *
         * <p>{@link Run#stop()} waits for the vectors of outputs that have arrived and keeps them;
         * {@link Run#cancel()} and the time limit end the run at once and drop outputs still
         * awaiting their vectors, like the call in flight.
         *
         * @throws ValidationException if an embedder is null or its id is already used
         */
        public Builder embedWith(Embedder... embedders) {
            if (embedders == null) {
                throw new ValidationException("embedders are null");
            }
            Set<String> ids = new HashSet<>();
            this.embedders.forEach(e -> ids.add(e.id()));
            for (Embedder e : embedders) {
                if (e == null) {
                    throw new ValidationException("an embedder is null");
                }
                if (e.id() == null || e.id().isBlank()) {
                    throw new ValidationException("embedder " + e + " has no id");
                }
                if (!ids.add(e.id())) {
                    throw new ValidationException("two embedders have the id '" + e.id()
                            + "'; vectors are keyed by embedder id, so ids must differ");
                }
            }
            this.embedders.addAll(List.of(embedders));
            return this;
        }

        /**
         * How long one embedder may take to embed one output before the run goes on without its
         * vector; {@link #DEFAULT_EMBEDDING_TIMEOUT} by default, so that a hung embedding service
         * cannot stall a run for ever.
         *
         * @throws ValidationException if {@code timeout} is not positive
         */
        public Builder embeddingTimeout(Duration timeout) {
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                throw new ValidationException("embedding timeout must be positive, got " + timeout);
            }
            this.embeddingTimeout = timeout;
            return this;
        }

        /** Starts the run and returns at once. */
        public Run start() {
            return RunEngine.start(new RunEngine.Config(id, network, input, stopRules, observeRules, listeners,
                    pacing, store, clock, executor, embedders, embeddingTimeout));
        }

        private static StopRule require(StopRule rule) {
            if (rule == null) {
                throw new ValidationException("stop rule is null");
            }
            return rule;
        }
    }
}
