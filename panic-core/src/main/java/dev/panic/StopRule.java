package dev.panic;

import dev.panic.exception.ValidationException;
import dev.panic.internal.rules.Rules;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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

    /**
     * This rule as data, saved with the run so that it can be rebuilt ({@link #of(Spec)}) when the
     * run is resumed or forked: its name and settings. A rule of your own is
     * {@linkplain Spec#custom custom} unless it says how to describe itself; a resumed run must then
     * be given it again.
     */
    default Spec spec() {
        return Spec.custom(name());
    }

    /** Starts watching a new run of {@code network}. */
    Check start(Network network);

    /**
     * Starts watching a new run of {@code network} that starts from {@code initialInput}; what a
     * run calls. Rules that need the initial input (a judge comparing outputs with the intent)
     * override it; the others keep this default.
     */
    default Check start(Network network, Payload initialInput) {
        return start(network);
    }

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
     * A check that asks someone else — a language model judging an output — and answers later,
     * so that no run thread waits for it. A run asks it when an output arrives, goes on calling the
     * next model meanwhile, and delivers the output once its verdict is in (as with embeddings, see
     * {@link Run.Builder#embedWith}); the verdict is recorded on the prediction
     * ({@link Prediction#verdicts()}). If it says stop while the next call is in flight, the run
     * ends at the judged output and the call in flight is abandoned.
     */
    interface AsyncCheck extends Check {
        /** Judges the latest successful prediction; the future never fails (a failing judge says go on). */
        CompletableFuture<Judgement> judge(Prediction prediction, Duration elapsed);

        /** The rule's name, as its verdicts carry it. */
        String rule();

        /**
         * The answer for a prediction judged earlier, from the verdict stored on it: how a resumed
         * run, a fork and the analysis see the judge's history without asking it again.
         */
        @Override
        default Optional<StopReason> afterPrediction(Prediction prediction, Duration elapsed) {
            return prediction.verdicts().stream().filter(v -> v.rule().equals(rule()) && v.stop()).findFirst()
                    .map(v -> StopReason.of(rule(), "judge " + v.judge() + " said: " + v.answer(),
                            prediction.sequence()));
        }
    }

    /**
     * A check that may also keep the next call from starting: asked just before each call, with
     * the node about to be called. How a budget stops a run before the call that would overspend.
     */
    interface BeforeCall extends Check {
        /** A reason not to make the call about to be made at {@code node}, or empty to make it. */
        Optional<StopReason> beforeCall(Network.Node node, Duration elapsed);
    }

    /**
     * What an {@link AsyncCheck} found.
     *
     * @param reason  why to stop, or null to go on
     * @param verdict what to record on the prediction, or null
     */
    record Judgement(StopReason reason, Verdict verdict) {
    }

    /**
     * Stops after {@code steps} predictions, counted along the run's trajectory from its first
     * prediction (a resumed or forked run counts the predictions it inherited).
     *
     * @throws ValidationException if {@code steps} is less than 1
     */
    static StopRule maxSteps(int steps) {
        return Rules.maxSteps(steps);
    }

    /**
     * Stops once the run has lasted {@code limit} (a resumed run: since it was resumed), abandoning
     * a prediction still in flight then.
     *
     * @throws ValidationException if {@code limit} is not positive
     */
    static StopRule maxDuration(Duration limit) {
        return Rules.maxDuration(limit);
    }

    /**
     * Stops when a node gives exactly the output it gave earlier in the run (same bytes, or the
     * same text). Since the same model then gets the same input again, the run has entered a loop;
     * the reason records where the loop began and its period in predictions. In a ring of
     * {@code L} models a fixed point has period {@code L}.
     */
    static StopRule exactRepeat() {
        return Rules.repeat(false);
    }

    /**
     * Stops when {@code condition} becomes true, checked after every prediction; for a flag that
     * another thread sets. (To stop a run from another thread at once, call {@link Run#stop()}.)
     * Described as {@linkplain Spec#custom custom}.
     */
    static StopRule when(String name, BooleanSupplier condition) {
        if (condition == null) {
            throw new ValidationException("stop condition is null");
        }
        return Rules.custom(name, network -> (p, elapsed) -> condition.getAsBoolean()
                ? Optional.of(StopReason.of(name, "condition '" + name + "' became true", p.sequence()))
                : Optional.empty(), false);
    }

    /**
     * A rule from a name and a way to start its check; the building block for custom rules. It is
     * asked once an output's vectors have arrived, and is described as {@linkplain Spec#custom custom}.
     *
     * @param starter makes a fresh check for each run
     */
    static StopRule of(String name, java.util.function.Function<Network, Check> starter) {
        return Rules.custom(name, starter, true);
    }

    /**
     * Stops before the call that would bring what the run has spent (the {@code costUsd} its
     * predictions record; a platform that says nothing counts as free) over {@code usd}. A call's
     * cost is taken as its model's price in {@code prices} (model id to US dollars a call) if given,
     * else as what the model's last call cost. Named {@code budget}.
     *
     * @throws ValidationException if the budget or a price is negative
     */
    static StopRule budget(double usd, java.util.Map<String, Double> prices) {
        return Rules.budget(usd, prices);
    }

    /** {@link #budget(double, java.util.Map)} with no price list: each call is expected to cost what its model's last did. */
    static StopRule budget(double usd) {
        return Rules.budget(usd, java.util.Map.of());
    }

    /**
     * Stops when {@code judge}, a model asked about each output, says so: the judge is given the
     * template filled in with the output ({@code {input}}), the run's initial input
     * ({@code {initial}}) and the step ({@code {step}}) — or, for a judge that takes images or
     * sound, the output itself with the filled template as its {@code prompt} parameter — and the
     * run stops when its answer starts with "yes". Asked without holding a run thread
     * ({@link AsyncCheck}); every verdict is recorded on the prediction it judged. Named {@code judge}.
     *
     * @throws ValidationException if the template is malformed or the judge does not answer in text
     */
    static StopRule judge(Model judge, String template) {
        return Rules.judge(judge, Template.of(template), Rules.DEFAULT_JUDGE_STOP, null);
    }

    /**
     * Like {@link #judge(Model, String)}, stopping when the judge's answer matches {@code stopWhen}
     * (a regular expression searched in it).
     */
    static StopRule judge(Model judge, String template, String stopWhen) {
        return Rules.judge(judge, Template.of(template), stopWhen, null);
    }

    /**
     * Like {@link #judge(Model, String, String)}, judging only the outputs of the node {@code node}
     * (a captioner's, in a loop that also paints and rewrites prompts); other outputs go on unjudged.
     *
     * @throws ValidationException if {@code node} is blank, or when the run starts, if its network has no such node
     */
    static StopRule judge(Model judge, String template, String stopWhen, String node) {
        return Rules.judge(judge, Template.of(template), stopWhen, node);
    }

    /**
     * The built-in rule a {@link #spec()} describes ({@code max-steps}, {@code max-duration},
     * {@code exact-repeat}, {@code normalised-repeat}, {@code fixed-point}, {@code cycle},
     * {@code drift}); settings left out take their defaults.
     *
     * @throws ValidationException if the spec is custom, its name is unknown or a setting is malformed
     */
    static StopRule of(Spec spec) {
        return Rules.of(spec);
    }
}
