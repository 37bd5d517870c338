package dev.panic;

import dev.panic.exception.ValidationException;
import dev.panic.internal.run.Launch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A network running from an initial input: predictions made one after another, each node's
 * output becoming the input of the nodes it links to, until a stop rule fires or someone stops it.
 *
 * <pre>{@code
 * Run run = Run.builder(network, Payload.text("a red circle on a blue background"))
 *         .maxSteps(40)
 *         .stopWhen(StopRule.exactRepeat())
 *         .store(RunStore.directory(Path.of("panic-runs")))
 *         .listener(event -> System.out.println(event))
 *         .start();
 * run.steer(Change.template("painter", "A watercolour of {input}"));   // while it runs
 * run.await();
 * }</pre>
 *
 * <p>A run is described by data ({@link #spec()}, saved with it), so it can be {@linkplain #resume
 * resumed} after a crash or a stop, and {@linkplain #fork forked} from any of its predictions. It
 * holds no thread while it waits for a model or for its pacing timer, so hundreds can run at once,
 * and its memory does not grow with its length: it keeps its last few predictions and reads older
 * ones back from its store. All methods are thread-safe.
 */
public interface Run {

    /** The run id: sortable by start time, unique, safe as a folder name. */
    String id();

    /** The network it runs, as currently configured. */
    Network network();

    /** What the entry node was given first. */
    Payload initialInput();

    /**
     * Everything needed to run it again, as currently configured: its spec with every steering
     * change applied. (Its store keeps the spec as started and the changes as revisions.)
     */
    RunSpec spec();

    /** The revision of its configuration: 0 as started, one more for each {@link #steer}. */
    int revision();

    /** Where a fork or a branch came from; empty for a run started from scratch. */
    Optional<Lineage> parent();

    /** The branches its fan-outs have started so far (runs of their own), in the order started. */
    List<Run> branches();

    /** Where it is in its life. */
    RunStatus status();

    /** Why it ended; empty while it runs. */
    Optional<StopReason> stopReason();

    /** When it first started (a resumed run: when it was first started). */
    Instant startedAt();

    /** When it ended; empty while it runs. */
    Optional<Instant> finishedAt();

    /**
     * Its trajectory so far, in order: for a fork or a branch, the predictions it shares with its
     * parent first. The list is a snapshot that holds only the latest few predictions; the others
     * are read back from the run's store when asked for (iterate it rather than index it). With
     * embedders, an output is listed once its vectors are attached, when it is also announced.
     */
    List<Prediction> predictions();

    /** How many predictions its trajectory holds: {@code predictions().size()}, without a snapshot. */
    int size();

    /** Its latest prediction, if it has one. */
    Optional<Prediction> last();

    /** What observe-only rules found so far, in order (a snapshot). */
    List<StopReason> observations();

    /** A snapshot of its description and state, as a store saves it. */
    RunInfo info();

    /** Ends the run after the prediction in flight completes (which is kept); status {@link RunStatus#STOPPED}. */
    void stop();

    /** Ends the run now, cancelling the prediction in flight; status {@link RunStatus#CANCELLED}. */
    void cancel();

    /**
     * Changes the run between two model calls: the call in flight finishes as it started, and the
     * calls that start afterwards use the new configuration. The changes are saved together as one
     * {@link Revision}, announced with {@link RunEvent.Steered}, and every later prediction records
     * that revision ({@link Prediction#revision()}).
     *
     * @return the new revision
     * @throws ValidationException if a change names an unknown node or breaks the network, with the
     *                             message {@link Network.Builder#build()} gives; nothing is changed then
     * @throws dev.panic.exception.PanicException if the run has ended
     */
    Revision steer(Change... changes);

    /** Shorthand for {@code steer(Change.inject(input))}: the next call is given {@code input}. */
    default Revision inject(Payload input) {
        return steer(Change.inject(input));
    }

    /**
     * Lets no further call start until {@link #unpause()}; the call in flight finishes and is kept.
     * Status {@link RunStatus#PAUSED}. A time limit goes on counting.
     */
    void pause();

    /** Lets calls start again after {@link #pause()}. */
    void unpause();

    /**
     * Completes with this run when it has ended, whatever its status, and so have the branches it
     * started.
     */
    CompletableFuture<Run> completion();

    /**
     * Waits until the run (and its branches) have ended and returns it.
     *
     * @throws dev.panic.exception.PanicException if the waiting thread is interrupted (the run goes on)
     */
    Run await();

    /**
     * Waits at most {@code timeout} for the run (and its branches) to end.
     *
     * @return true if they have
     */
    boolean await(Duration timeout);

    /**
     * The events of the run and of its branches as a {@link Flow.Publisher}, delivered
     * asynchronously with back-pressure. A subscriber sees the events published after it
     * subscribed; to see every event from {@link RunEvent.Started} on, give it to
     * {@link Builder#subscriber} before the run starts.
     */
    Flow.Publisher<RunEvent> events();

    /** A builder for a new run of {@code network} from {@code initialInput}. */
    static Builder builder(Network network, Payload initialInput) {
        return new Builder(network, initialInput);
    }

    /**
     * A builder for a new run described by {@code spec}: its models and embedders are looked up in
     * {@code platforms}. Rules the spec marks as custom must be given with {@link Builder#customRule}.
     *
     * @throws ValidationException if a model or embedder cannot be found or a rule cannot be rebuilt
     */
    static Builder builder(RunSpec spec, Platforms platforms) {
        return Builder.fromSpec(spec, platforms);
    }

    /**
     * A builder that continues a saved run — interrupted (crash, kill, power loss), stopped,
     * failed, or ended by a rule — from its last saved prediction: same run id, the numbering goes
     * on, no model is called again for a saved step, and the rules' state is rebuilt from the
     * stored vectors (so a fixed point that straddles the interruption is still found). Give it a
     * new limit with {@link Builder#maxSteps}; steering changes ({@link Builder#change}) are saved
     * as a new revision. A run that failed goes on by trying its failed step again.
     *
     * <p>{@link Builder#start()} reads the run's history before it returns, and refuses a run that
     * is live in another process.
     *
     * @param platforms where the run's models and embedders are looked up
     */
    static Builder resume(RunStore store, String runId, Platforms platforms) {
        return Builder.origin(Launch.Origin.RESUME, store, runId, -1, platforms);
    }

    /**
     * A builder for a new run that shares the saved run's predictions {@code 0..atSequence}
     * (calling no model again and copying no media) and goes on from there, as configured when it
     * made prediction {@code atSequence}, with the changes given to {@link Builder#change}: another
     * model, parameters or template for a node, another input for the next call
     * ({@link Change#inject}). The new run records its parent and fork point
     * ({@link #parent()}); its store lists it among the parent's children.
     *
     * @param platforms where the run's models and embedders are looked up
     */
    static Builder fork(RunStore store, String runId, int atSequence, Platforms platforms) {
        if (atSequence < 0) {
            throw new ValidationException("a fork point is a prediction's sequence number, 0 or more; got " + atSequence);
        }
        return Builder.origin(Launch.Origin.FORK, store, runId, atSequence, platforms);
    }

    /** Configures and starts a {@link Run}. */
    final class Builder {
        /** How long an embedder may take for one output before the run goes on without its vector. */
        public static final Duration DEFAULT_EMBEDDING_TIMEOUT = Duration.ofMinutes(2);
        /** The most runs (the run and its branches) alive at once by default. */
        public static final int DEFAULT_MAX_BRANCHES = 8;

        private final Launch.Request request = new Launch.Request();

        private Builder(Network network, Payload input) {
            if (network == null) {
                throw new ValidationException("a run needs a network; got null");
            }
            if (input == null) {
                throw new ValidationException("a run needs an initial input; got null");
            }
            if (input.modality() != network.input()) {
                throw new ValidationException("the initial input is " + input.modality() + " but " + entryName(network)
                        + " takes " + network.input());
            }
            request.origin = Launch.Origin.NEW;
            request.network = network;
            request.input = input;
        }

        private Builder() {
        }

        private static String entryName(Network network) {
            Network.Node entry = network.entry();
            return network.isRing() ? "model 1 '" + entry.model().id() + "'"
                    : "the entry node '" + entry.id() + "' (" + entry.model().id() + ")";
        }

        static Builder fromSpec(RunSpec spec, Platforms platforms) {
            if (spec == null || platforms == null) {
                throw new ValidationException("a run from a spec needs the spec and the platforms to find its models in");
            }
            Launch.Resolved r = Launch.resolve(spec, platforms);
            Builder b = new Builder(r.network(), spec.input());
            b.request.platforms = platforms;
            spec.stopRules().forEach(s -> b.request.stopRules.add(Launch.rule(s, platforms)));
            spec.observeRules().forEach(s -> b.request.observeRules.add(Launch.rule(s, platforms)));
            b.request.embedderIds.addAll(spec.embedders());
            b.request.embeddingTimeout = spec.embeddingTimeout();
            b.request.pacing = r.pacing(); // null for a custom pacing: pacing(...) must give it
            b.request.pacingSpec = spec.pacing();
            b.request.maxBranches = spec.maxBranches();
            b.request.maxPredictions = spec.maxPredictions();
            b.request.forever = spec.forever();
            b.request.durability = spec.durability();
            return b;
        }

        static Builder origin(Launch.Origin origin, RunStore store, String runId, int at, Platforms platforms) {
            if (store == null || runId == null) {
                throw new ValidationException("to " + origin.name().toLowerCase(java.util.Locale.ROOT)
                        + " a run, give the store it is saved in and its id");
            }
            Builder b = new Builder();
            b.request.origin = origin;
            b.request.store = store;
            b.request.sourceRunId = runId;
            b.request.forkAt = at;
            b.request.platforms = platforms;
            return b;
        }

        /** Ends the run when {@code rule} fires; rules compose, the first to fire wins. */
        public Builder stopWhen(StopRule rule) {
            noResume("stopWhen", "a resumed run keeps its rules; fork it to try other rules");
            request.stopRules.add(require(rule));
            return this;
        }

        /**
         * The run's step limit: it ends after {@code steps} predictions of its trajectory (a resumed
         * run or a fork counts those it inherited). Replaces an earlier step limit.
         */
        public Builder maxSteps(int steps) {
            StopRule rule = StopRule.maxSteps(steps);
            request.limits.put(rule.name(), rule);
            Launch.replace(request.stopRules, rule);
            return this;
        }

        /** The run's time limit, from when it starts (or is resumed). Replaces an earlier time limit. */
        public Builder maxDuration(Duration limit) {
            StopRule rule = StopRule.maxDuration(limit);
            request.limits.put(rule.name(), rule);
            Launch.replace(request.stopRules, rule);
            return this;
        }

        /**
         * Records where {@code rule} would have ended the run, without ending it: where it first fires,
         * a {@link RunEvent.Observed} event and an entry in {@link Run#observations()}; it is not asked
         * again. For comparing rules afterwards on full trajectories.
         */
        public Builder observe(StopRule rule) {
            noResume("observe", "a resumed run keeps its rules; fork it to try other rules");
            request.observeRules.add(require(rule));
            return this;
        }

        /** The wait before each prediction; none by default. */
        public Builder pacing(Pacing pacing) {
            if (pacing == null) {
                throw new ValidationException("pacing is null; use Pacing.none() for no wait");
            }
            request.pacing = pacing;
            request.pacingSpec = pacing.spec();
            request.pacingGiven = true;
            return this;
        }

        /**
         * Saves the run as it goes; without a store the run keeps its history in memory
         * ({@link RunStore#memory()}), which grows with the run.
         */
        public Builder store(RunStore store) {
            if (request.origin != Launch.Origin.NEW && store != request.store) {
                throw new ValidationException("a resumed or forked run is saved in the store it was read from");
            }
            request.store = store;
            return this;
        }

        /**
         * Receives every event, from {@link RunEvent.Started} on, of the run and of the branches it
         * starts, one at a time and in order, on one of the run's threads. A slow listener delays
         * only later events: never the run's steps, nor {@link Run#stop()} and {@link Run#cancel()}.
         */
        public Builder listener(RunListener listener) {
            if (listener == null) {
                throw new ValidationException("listener is null");
            }
            request.listeners.add(listener);
            return this;
        }

        /**
         * Subscribes {@code subscriber} to the run's events before it starts, so that it sees
         * {@link RunEvent.Started} and every event after it (the run's branches' included).
         */
        public Builder subscriber(Flow.Subscriber<? super RunEvent> subscriber) {
            if (subscriber == null) {
                throw new ValidationException("subscriber is null");
            }
            request.subscribers.add(subscriber);
            return this;
        }

        /** Uses this id instead of a generated one; letters, digits, '.', '_' and '-' only. */
        public Builder id(String id) {
            noResume("id", "a resumed run keeps its id");
            if (id == null || !id.matches("[A-Za-z0-9._-]{1,128}") || id.startsWith(".")) {
                throw new ValidationException("run id '" + id
                        + "' is not valid; use 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'");
            }
            request.id = id;
            return this;
        }

        /** The clock for timestamps (tests use a fixed one); UTC system time by default. */
        public Builder clock(Clock clock) {
            request.clock = clock == null ? Clock.systemUTC() : clock;
            return this;
        }

        /**
         * The threads that drive the run between model calls and fire its timers; a small shared
         * daemon pool by default. The run does not shut it down.
         */
        public Builder executor(ScheduledExecutorService executor) {
            request.executor = executor;
            return this;
        }

        /**
         * Embeds every successful output with each of {@code embedders} that accepts its modality,
         * so that {@link Prediction#embeddings()} holds one vector per such embedder, keyed by its
         * {@link Embedder#id()}, in the saved run as in memory. Detectors on embeddings
         * ({@link dev.panic.detection.Detectors}) and {@link RunEvent.Measured} use these vectors.
         * May be called more than once; the ids must differ. A resumed or forked run finds its
         * embedders by id in its platforms; an embedder given here is used for its id instead.
         *
         * <h4>Embedding does not slow a run of slow models</h4>
         * When an output arrives the run saves it, calls the next model at once and embeds the
         * output meanwhile. It waits for an output's vectors only before calling the model after
         * next: when a call starts, at most one output is still awaiting its vectors, so a slow
         * embedder slows the run to its own pace rather than letting work pile up. Each prediction
         * is attached its vectors, then kept, its vectors saved, and announced with
         * {@link RunEvent.PredictionMade}, exactly once and in sequence order.
         *
         * <h4>Rules that fire while the next call is in flight</h4>
         * Rules that {@linkplain StopRule#needsEmbeddings() need vectors} are asked when the
         * vectors arrive, in sequence order. If one fires on output {@code n} while the call for
         * {@code n + 1} is in flight, the run ends with that reason at {@code n}: the call in flight
         * is cancelled and its output, had it already arrived, is not kept (its saved record is
         * taken back) — as if the rule had been asked before that call was made. Chosen so that
         * what a run keeps does not depend on how fast its embedder is: the stop reason's sequence
         * is the run's last prediction, and a saved run reads exactly as if it had run step by
         * step. The price is at most one abandoned model call per run. Rules that do not need
         * vectors (step limits, exact repeats, flags) are asked as soon as an output arrives, so
         * they never let an extra call start. Observe-only rules are all asked when the vectors arrive.
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
            Set<String> ids = new HashSet<>(request.embedders.keySet());
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
            for (Embedder e : embedders) {
                request.embedders.put(e.id(), e);
                if (!request.embedderIds.contains(e.id())) {
                    request.embedderIds.add(e.id());
                }
            }
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
            request.embeddingTimeout = timeout;
            return this;
        }

        /**
         * Lets the run go on until it is stopped, with no step, time or prediction limit: the
         * installation mode, best with slowing-down {@link Pacing}. Without it, starting a run that
         * nothing bounds (a network with a cycle and no limit) fails, saying how to bound it.
         */
        public Builder forever() {
            request.forever = true;
            return this;
        }

        /**
         * The most runs alive at once — this run and the branches its fan-outs start, together;
         * {@value #DEFAULT_MAX_BRANCHES} by default. A fan-out beyond it follows its first link only
         * ({@link RunEvent.BranchSkipped}).
         */
        public Builder maxBranches(int branches) {
            if (branches < 1) {
                throw new ValidationException("max branches must be at least 1, got " + branches);
            }
            request.maxBranches = branches;
            return this;
        }

        /** The most predictions this run and all its branches make together. */
        public Builder maxPredictions(long predictions) {
            if (predictions < 1) {
                throw new ValidationException("max predictions must be at least 1, got " + predictions);
            }
            request.maxPredictions = predictions;
            return this;
        }

        /** How its store writes each record; {@link Durability#FLUSH} by default. */
        public Builder durability(Durability durability) {
            if (durability == null) {
                throw new ValidationException("durability is null");
            }
            noResume("durability", "a resumed run keeps how it was saved");
            request.durability = durability;
            return this;
        }

        /**
         * Changes to make before the first call: for a fork, to its configuration at the fork
         * point (another model, template or input at the next step); for a resumed run, saved as a
         * new revision. A new run is configured with the builder's own methods instead.
         */
        public Builder change(Change... changes) {
            if (request.origin == Launch.Origin.NEW) {
                throw new ValidationException("change() is for forked and resumed runs; configure a new run's network"
                        + " before building it, and steer it with Run.steer once it runs");
            }
            if (changes == null) {
                throw new ValidationException("changes are null");
            }
            for (Change c : changes) {
                if (c == null) {
                    throw new ValidationException("a change is null");
                }
                request.changes.add(c);
            }
            return this;
        }

        /**
         * A rule the run's spec names as {@linkplain Spec#custom custom} (made in code, so not
         * rebuildable from its description), given again by its {@link StopRule#name()}.
         */
        public Builder customRule(StopRule rule) {
            request.customRules.put(require(rule).name(), rule);
            return this;
        }

        /**
         * The run this builder describes, as data; for a new run only (a resumed or forked run's
         * spec is known once its history has been read, at {@link #start()}).
         */
        public RunSpec spec() {
            if (request.origin != Launch.Origin.NEW) {
                throw new ValidationException("the spec of a resumed or forked run is known once it starts: see Run.spec()");
            }
            return Launch.specOf(request);
        }

        /**
         * Starts the run and returns at once (a resumed or forked run: once its history is read).
         *
         * @throws ValidationException if nothing bounds the run and {@link #forever()} was not asked for,
         *                             or a resumed or forked run's models, embedders or rules cannot be found
         * @throws dev.panic.exception.PanicException if a resumed run is live elsewhere, or the store fails
         */
        public Run start() {
            return Launch.start(request);
        }

        private void noResume(String what, String why) {
            if (request.origin == Launch.Origin.RESUME) {
                throw new ValidationException(what + "() does not apply to a resumed run: " + why);
            }
        }

        private static StopRule require(StopRule rule) {
            if (rule == null) {
                throw new ValidationException("stop rule is null");
            }
            return rule;
        }
    }
}
