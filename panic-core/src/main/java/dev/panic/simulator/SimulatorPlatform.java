package dev.panic.simulator;

import dev.panic.Metadata;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.ContentRejectedException;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.PanicException;
import dev.panic.exception.UnavailableException;
import dev.panic.exception.ValidationException;
import dev.panic.simulator.internal.Simulation;
import dev.panic.simulator.internal.Simulations;
import dev.panic.simulator.internal.StableHash;
import dev.panic.Platform;
import dev.panic.Readiness;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The offline simulator platform, id {@code sim}: deterministic procedural stand-ins for creative
 * models, so that networks, tests and demos run with no API key and no network.
 *
 * <p>The models are <em>simulators, not AI models</em>. Each computes its output from its input
 * (and parameters) alone, the same input giving a byte-identical output, and each is built so that
 * loops of them show the behaviours PANIC looks for: the painter and describer settle on a fixed
 * point, the contrarian falls into a cycle of period 2, the drifter wanders for hundreds of steps,
 * the smudger and the echo fade towards a flat picture and silence. See the
 * {@linkplain dev.panic.simulator package description} for the list.
 *
 * <p>For tests and benchmarks the platform can pretend to be remote: a {@linkplain
 * Builder#latency(Duration) latency} (with {@linkplain Builder#latencyJitter(Duration) jitter})
 * after which each answer arrives, without holding a thread while it waits, and a {@linkplain
 * Builder#failureRate(double) failure rate} at which calls fail with an {@link UnavailableException}.
 * Jitter and failures are drawn from a random sequence; with a {@linkplain Builder#seed(long) seed}
 * the n-th call of a platform draws the same as the n-th call of another platform with that seed.
 * It can also pretend to be paid ({@linkplain Builder#price(String, double) a price per call},
 * reported as each call's cost) and to have a safety filter ({@linkplain Builder#refusing(String...)
 * words it refuses} with a {@link ContentRejectedException}), so that budgets and rejection
 * policies can be tried offline.
 *
 * <pre>{@code
 * SimulatorPlatform sim = SimulatorPlatform.builder()
 *         .latency(Duration.ofMillis(200))
 *         .latencyJitter(Duration.ofMillis(50))
 *         .failureRate(0.05)
 *         .seed(42)
 *         .build();
 * Platforms platforms = Platforms.builder().discover().register(sim).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class SimulatorPlatform implements Platform {

    /** The platform id, {@code sim}. */
    public static final String ID = "sim";

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private final Duration latency;
    private final Duration latencyJitter;
    private final double failureRate;
    private final Long seed;
    private final long baseSeed;
    private final Map<String, Double> prices;
    private final java.util.Set<String> refused;
    private final AtomicLong calls = new AtomicLong();
    private final Map<String, Simulation> simulations = new LinkedHashMap<>();

    private SimulatorPlatform(Builder b) {
        this.latency = b.latency;
        this.latencyJitter = b.latencyJitter;
        this.failureRate = b.failureRate;
        this.seed = b.seed;
        this.baseSeed = b.seed != null ? b.seed : new SplittableRandom().nextLong();
        this.prices = Map.copyOf(b.prices);
        this.refused = java.util.Set.copyOf(b.refused);
        for (Simulation s : Simulations.all()) {
            simulations.put(s.name(), s);
        }
    }

    /** A builder; {@code builder().build()} is the default platform: no latency, no failures. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code sim}. */
    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "offline simulator: deterministic procedural stand-ins for text, image and audio models"
                + " (not AI), no key or network needed";
    }

    /** The simulator models, covering all nine pairs of text, image and audio. */
    @Override
    public List<ModelInfo> models() {
        return simulations.values().stream().map(this::info).toList();
    }

    /** Always ready: the simulator needs no key and no network. */
    @Override
    public Readiness readiness() {
        return Readiness.ready("offline simulator, no key needed");
    }

    /**
     * The simulator model called {@code name}.
     *
     * @throws NotFoundException   listing the simulator's models if there is no such model
     * @throws ValidationException naming the parameter if a parameter the model reads is invalid
     */
    @Override
    public Model model(String name, Parameters parameters) {
        Simulation sim = name == null ? null : simulations.get(name.trim());
        if (sim == null) {
            throw new NotFoundException("no simulator model '" + name + "'; the sim platform has: "
                    + String.join(", ", simulations.keySet()));
        }
        ModelInfo info = info(sim);
        Parameters defaults = parameters == null ? Parameters.empty() : parameters;
        sim.validate(defaults, info.id().toString());
        return Model.of(info, defaults, (input, merged) -> invoke(sim, info.id(), input, merged));
    }

    /** The mean delay before each answer; zero by default. */
    public Duration latency() {
        return latency;
    }

    /** The most by which a delay may differ from the mean, either way; zero by default. */
    public Duration latencyJitter() {
        return latencyJitter;
    }

    /** The share of calls, from 0 to 1, that fail with an {@link UnavailableException}; 0 by default. */
    public double failureRate() {
        return failureRate;
    }

    /** The seed of the jitter and failure draws, if one was set. */
    public Optional<Long> seed() {
        return Optional.ofNullable(seed);
    }

    @Override
    public String toString() {
        return "SimulatorPlatform[latency=" + latency + ", jitter=" + latencyJitter + ", failureRate=" + failureRate
                + (seed == null ? "" : ", seed=" + seed) + (prices.isEmpty() ? "" : ", prices=" + prices)
                + (refused.isEmpty() ? "" : ", refusing=" + refused) + "]";
    }

    private ModelInfo info(Simulation s) {
        return new ModelInfo(new ModelId(ID, s.name()), s.input(), s.output(), s.description());
    }

    private CompletableFuture<ModelOutput> invoke(Simulation sim, ModelId id, Payload input, Parameters given) {
        Parameters parameters = sim.validate(given, id.toString());
        // One independent draw per call, from the seed and the call's number: reproducible, lock-free.
        SplittableRandom random = new SplittableRandom(StableHash.mix(baseSeed + GOLDEN_GAMMA * calls.getAndIncrement()));
        boolean fails = random.nextDouble() < failureRate;
        long delayNanos = delayNanos(random.nextDouble());
        if (fails) {
            return later(delayNanos, null, new UnavailableException("simulated failure of " + id
                    + " (failure rate " + failureRate + ")"));
        }
        String refusal = refusal(input);
        if (refusal != null) {
            return later(delayNanos, null, new ContentRejectedException("the simulated safety filter of " + id
                    + " refused the input: it names '" + refusal + "'"));
        }
        long start = System.nanoTime();
        Payload output;
        try {
            output = sim.transform().apply(input, parameters, id.toString());
        } catch (PanicException e) {
            return later(delayNanos, null, e);
        }
        Metadata metadata = Metadata.builder()
                .parameters(parameters)
                .seed(seed)
                .modelVersion(dev.panic.Provenance.panicVersion()) // the procedures change only with PANIC
                .costUsd(prices.getOrDefault(sim.name(), 0.0)) // free unless a price was set
                .predictTime(Duration.ofNanos(System.nanoTime() - start))
                .build();
        return later(delayNanos, new ModelOutput(output, metadata), null);
    }

    /** The first refused word a text input names, or null. */
    private String refusal(Payload input) {
        if (refused.isEmpty() || !(input instanceof Payload.Text t)) {
            return null;
        }
        java.util.regex.Matcher m = dev.panic.simulator.internal.Words.WORD.matcher(t.text());
        while (m.find()) {
            String w = m.group().toLowerCase(java.util.Locale.ROOT);
            if (refused.contains(w)) {
                return w;
            }
        }
        return null;
    }

    /** What a call to each priced model costs, by model name; models not in it are free. */
    public Map<String, Double> prices() {
        return prices;
    }

    private long delayNanos(double u) {
        long mean = latency.toNanos();
        long jitter = latencyJitter.toNanos();
        return Math.max(0, mean + Math.round((2 * u - 1) * jitter));
    }

    /**
     * Completes after the delay, holding no thread meanwhile: the JDK's delay timer hands the
     * completion to the common fork-join pool (never a new thread per call).
     */
    private static CompletableFuture<ModelOutput> later(long delayNanos, ModelOutput out, PanicException error) {
        if (delayNanos <= 0) {
            return error == null ? CompletableFuture.completedFuture(out) : CompletableFuture.failedFuture(error);
        }
        CompletableFuture<ModelOutput> f = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS, ForkJoinPool.commonPool()).execute(() -> {
            if (error == null) {
                f.complete(out);
            } else {
                f.completeExceptionally(error);
            }
        });
        return f;
    }

    /** Configures a {@link SimulatorPlatform}; every setting is optional. Not thread-safe. */
    public static final class Builder {
        private Duration latency = Duration.ZERO;
        private Duration latencyJitter = Duration.ZERO;
        private double failureRate;
        private Long seed;
        private final Map<String, Double> prices = new LinkedHashMap<>();
        private final java.util.Set<String> refused = new java.util.LinkedHashSet<>();

        private Builder() {
        }

        /**
         * Pretends that each call to the simulator model {@code model} (e.g. {@code painter}) costs
         * {@code usd}, reported as the call's {@link Metadata#costUsd()}; calls are free otherwise.
         *
         * @throws ValidationException if the price is negative or not finite
         */
        public Builder price(String model, double usd) {
            if (model == null || model.isBlank()) {
                throw new ValidationException("give the simulator model a price is for, e.g. painter");
            }
            if (!(usd >= 0) || Double.isInfinite(usd)) {
                throw new ValidationException("the price of sim:" + model + " must be a finite amount, 0 or more; got "
                        + usd);
            }
            prices.put(model.trim(), usd);
            return this;
        }

        /**
         * Pretends to have a safety filter: a call whose text input names one of {@code words} (a
         * whole word, in any case) fails with a {@link ContentRejectedException}, as a platform
         * refusing content would.
         */
        public Builder refusing(String... words) {
            for (String w : words == null ? new String[0] : words) {
                if (w == null || !w.matches("\\p{L}+")) {
                    throw new ValidationException("a refused word must be one word of letters, got '" + w + "'");
                }
                refused.add(w.toLowerCase(java.util.Locale.ROOT));
            }
            return this;
        }

        /**
         * The mean delay before each answer arrives; zero (answer at once) by default.
         *
         * @throws ValidationException if it is null or negative
         */
        public Builder latency(Duration mean) {
            this.latency = requireNotNegative(mean, "latency");
            return this;
        }

        /**
         * The most by which each delay may differ from the mean, drawn uniformly either way (a delay
         * is never below zero); zero by default.
         *
         * @throws ValidationException if it is null or negative
         */
        public Builder latencyJitter(Duration jitter) {
            this.latencyJitter = requireNotNegative(jitter, "latency jitter");
            return this;
        }

        /**
         * The share of calls, from 0 to 1, that fail with an {@link UnavailableException}; 0 by default.
         *
         * @throws ValidationException if it is not between 0 and 1
         */
        public Builder failureRate(double rate) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new ValidationException("failure rate must be from 0 to 1, got " + rate);
            }
            this.failureRate = rate;
            return this;
        }

        /** The seed of the jitter and failure draws, for reproducible runs; random by default. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The platform. */
        public SimulatorPlatform build() {
            return new SimulatorPlatform(this);
        }

        private static Duration requireNotNegative(Duration d, String what) {
            if (d == null || d.isNegative()) {
                throw new ValidationException(what + " must be zero or positive, got " + d);
            }
            return d;
        }
    }
}
