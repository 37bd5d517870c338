package dev.panic;

import dev.panic.exception.ValidationException;
import dev.panic.internal.rules.ExactRepeat;
import dev.panic.internal.rules.NamedRule;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A condition that ends a run. Rules compose: a run ends when the first of its rules fires.
 *
 * <p>A rule is a stateless description that can be shared between runs; {@link #start(Network)}
 * makes the per-run {@link Check} that keeps whatever state it needs (the outputs seen so far,
 * a window of similarities). A check sees each successful prediction in order, with the
 * embeddings the run was asked to compute, so that rules on embeddings plug in the same way as
 * the rules here; {@link dev.panic.detection.Detectors} has the rules that work on embeddings
 * (fixed points, cycles, drift).
 *
 * <pre>{@code
 * run.stopWhen(StopRule.maxSteps(50))
 *    .stopWhen(StopRule.maxDuration(Duration.ofMinutes(10)))
 *    .stopWhen(StopRule.exactRepeat());
 * }</pre>
 */
public interface StopRule {

    /** A short name for the rule, used as {@link StopReason#rule()}, e.g. {@code max-steps}. */
    String name();

    /** Starts watching a new run of {@code network}. */
    Check start(Network network);

    /**
     * A wall-clock limit for the whole run, if this rule has one. The run enforces it with a
     * timer, so that it also ends a run whose model call hangs.
     */
    default Optional<Duration> timeLimit() {
        return Optional.empty();
    }

    /**
     * Whether this rule's checks look at a prediction's {@link Prediction#embeddings()}. A run with
     * embedders asks the rules that do not as soon as an output arrives, so it can decide at once
     * whether to call the next model; it asks the rules that do when the output's vectors have
     * arrived, while the next call is already under way (see {@link Run.Builder#embedWith}).
     *
     * <p>True by default, which is always correct: a rule that is not sure waits for the vectors.
     * The built-in step, time, repeat and flag rules say false.
     */
    default boolean needsEmbeddings() {
        return true;
    }

    /** The per-run state of a rule. Called from one thread at a time, in sequence order. */
    @FunctionalInterface
    interface Check {
        /**
         * Looks at the latest successful prediction.
         *
         * @param prediction the prediction just made
         * @param elapsed    time since the run started
         * @return a reason to stop, or empty to go on
         */
        Optional<StopReason> afterPrediction(Prediction prediction, Duration elapsed);
    }

    /**
     * Stops after {@code steps} predictions.
     *
     * @throws ValidationException if {@code steps} is less than 1
     */
    static StopRule maxSteps(int steps) {
        if (steps < 1) {
            throw new ValidationException("max steps must be at least 1, got " + steps);
        }
        return ofOutputs("max-steps", network -> (p, elapsed) -> p.sequence() + 1 >= steps
                ? Optional.of(StopReason.of("max-steps", "reached the limit of " + steps + " steps", p.sequence()))
                : Optional.empty());
    }

    /**
     * Stops once the run has lasted {@code limit}, abandoning a prediction still in flight then.
     *
     * @throws ValidationException if {@code limit} is not positive
     */
    static StopRule maxDuration(Duration limit) {
        if (limit == null || limit.isZero() || limit.isNegative()) {
            throw new ValidationException("max duration must be positive, got " + limit);
        }
        return new NamedRule("max-duration", network -> (p, elapsed) -> elapsed.compareTo(limit) >= 0
                ? Optional.of(StopReason.of("max-duration", "reached the time limit of " + limit, p.sequence()))
                : Optional.empty(), limit, false);
    }

    /**
     * Stops when a model gives exactly the output it gave earlier in the run (same bytes, or the
     * same text). Since the same model then gets the same input again, the run has entered a loop;
     * the reason records where the loop began and its period in predictions. In a network of
     * {@code L} models a fixed point has period {@code L}.
     */
    static StopRule exactRepeat() {
        return ofOutputs(ExactRepeat.NAME, network -> new ExactRepeat(network));
    }

    /**
     * Stops when {@code condition} becomes true, checked after every prediction; for a flag that
     * another thread sets. (To stop a run from another thread at once, call {@link Run#stop()}.)
     */
    static StopRule when(String name, BooleanSupplier condition) {
        if (condition == null) {
            throw new ValidationException("stop condition is null");
        }
        return ofOutputs(name, network -> (p, elapsed) -> condition.getAsBoolean()
                ? Optional.of(StopReason.of(name, "condition '" + name + "' became true", p.sequence()))
                : Optional.empty());
    }

    /**
     * A rule from a name and a way to start its check; the building block for custom rules.
     *
     * @param starter makes a fresh check for each run
     */
    static StopRule of(String name, java.util.function.Function<Network, Check> starter) {
        if (name == null || name.isBlank() || starter == null) {
            throw new ValidationException("a stop rule needs a name and a check");
        }
        return new NamedRule(name, starter, null, true);
    }

    /** A rule that never looks at embeddings, so a run can ask it before an output's vectors arrive. */
    private static StopRule ofOutputs(String name, java.util.function.Function<Network, Check> starter) {
        return new NamedRule(name, starter, null, false);
    }
}
