package dev.panic.internal.rules;

import dev.panic.Parameters;
import dev.panic.Spec;
import dev.panic.StopReason;
import dev.panic.StopRule;
import dev.panic.exception.ValidationException;
import dev.panic.internal.detect.CycleCheck;
import dev.panic.internal.detect.DriftCheck;
import dev.panic.internal.detect.FixedPointCheck;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * Every built-in rule, made from its settings, and rebuilt from its {@link Spec}: the one place
 * that knows the names and settings saved with runs. {@link StopRule} and
 * {@link dev.panic.detection.Detectors} build their rules here.
 */
public final class Rules {

    /** The names {@link #of(Spec)} knows. */
    public static final List<String> NAMES = List.of("max-steps", "max-duration", ExactRepeat.NAME,
            ExactRepeat.NORMALISED_NAME, FixedPointCheck.NAME, CycleCheck.NAME, DriftCheck.NAME, JudgeRule.NAME,
            Budget.NAME);

    /** What a judge's answer must start with to stop the run, by default: "yes", in any case. */
    public static final String DEFAULT_JUDGE_STOP = "^\\W*(?i:yes)\\b";

    /** Finds the models a rule calls (a judge), when a rule is rebuilt from its spec. */
    @FunctionalInterface
    public interface Models {
        dev.panic.Model model(dev.panic.ModelId id, Parameters parameters);
    }

    private Rules() {
    }

    /** Stops after {@code steps} predictions (counted along the run's trajectory, from 0). */
    public static StopRule maxSteps(int steps) {
        if (steps < 1) {
            throw new ValidationException("max steps must be at least 1, got " + steps);
        }
        return new NamedRule(Spec.of("max-steps", Parameters.of("steps", steps)),
                network -> (p, elapsed) -> p.sequence() + 1 >= steps
                        ? Optional.of(StopReason.of("max-steps", "reached the limit of " + steps + " steps",
                        p.sequence()))
                        : Optional.empty(), null, false);
    }

    /** Stops once the run has lasted {@code limit}. */
    public static StopRule maxDuration(Duration limit) {
        if (limit == null || limit.isZero() || limit.isNegative()) {
            throw new ValidationException("max duration must be positive, got " + limit);
        }
        return new NamedRule(Spec.of("max-duration", Parameters.of("limit", limit.toString())),
                network -> (p, elapsed) -> elapsed.compareTo(limit) >= 0
                        ? Optional.of(StopReason.of("max-duration", "reached the time limit of " + limit,
                        p.sequence()))
                        : Optional.empty(), limit, false);
    }

    /** An exact (or normalised-text) repeat of an earlier output of the same node. */
    public static StopRule repeat(boolean normalised) {
        return new NamedRule(Spec.of(normalised ? ExactRepeat.NORMALISED_NAME : ExactRepeat.NAME),
                network -> new ExactRepeat(normalised), null, false);
    }

    /** A fixed point; see {@link dev.panic.detection.Detectors.FixedPoint}. */
    public static StopRule fixedPoint(double threshold, int window, String embedder) {
        checkSimilarity(threshold, "fixed-point threshold");
        checkAtLeast(window, 1, "fixed-point window");
        return new NamedRule(Spec.of(FixedPointCheck.NAME, withEmbedder(Parameters.of("threshold", threshold)
                .with("window", window), embedder)), network -> new FixedPointCheck(embedder, threshold, window),
                null, true);
    }

    /** A cycle; see {@link dev.panic.detection.Detectors.Cycle}. */
    public static StopRule cycle(double threshold, int maxPeriod, int matches, String embedder) {
        checkSimilarity(threshold, "cycle threshold");
        checkAtLeast(maxPeriod, 2, "cycle max period");
        if (maxPeriod > 1024) {
            throw new ValidationException("cycle max period must be at most 1024, got " + maxPeriod);
        }
        checkAtLeast(matches, 1, "cycle matches");
        return new NamedRule(Spec.of(CycleCheck.NAME, withEmbedder(Parameters.of("threshold", threshold)
                .with("max_period", maxPeriod).with("matches", matches), embedder)),
                network -> new CycleCheck(embedder, threshold, maxPeriod, matches), null, true);
    }

    /** A drift; see {@link dev.panic.detection.Detectors.Drift}. */
    public static StopRule drift(int window, double stepThreshold, double originThreshold, double minDrop,
                                 String embedder) {
        checkAtLeast(window, 2, "drift window");
        checkSimilarity(stepThreshold, "drift step threshold");
        checkSimilarity(originThreshold, "drift origin threshold");
        if (!(minDrop >= 0 && minDrop <= 2)) {
            throw new ValidationException("drift min drop must be between 0 and 2, got " + minDrop);
        }
        return new NamedRule(Spec.of(DriftCheck.NAME, withEmbedder(Parameters.of("window", window)
                .with("step_threshold", stepThreshold).with("origin_threshold", originThreshold)
                .with("min_drop", minDrop), embedder)),
                network -> new DriftCheck(embedder, window, stepThreshold, originThreshold, minDrop), null, true);
    }

    /** A rule of the caller's own: described as custom, asked when vectors have arrived unless it says otherwise. */
    public static StopRule custom(String name, java.util.function.Function<dev.panic.Network, StopRule.Check> starter,
                                  boolean needsEmbeddings) {
        if (name == null || name.isBlank() || starter == null) {
            throw new ValidationException("a stop rule needs a name and a check");
        }
        return new NamedRule(Spec.custom(name), starter, null, needsEmbeddings);
    }

    /** A budget; see {@link StopRule#budget(double, java.util.Map)}. */
    public static StopRule budget(double usd, java.util.Map<String, Double> prices) {
        if (!(usd >= 0) || Double.isInfinite(usd)) {
            throw new ValidationException("a budget must be a finite amount of US dollars, 0 or more; got " + usd);
        }
        java.util.Map<String, Double> copy = new java.util.LinkedHashMap<>();
        (prices == null ? java.util.Map.<String, Double>of() : prices).forEach((model, price) -> {
            dev.panic.ModelId.parse(model);
            if (price == null || !(price >= 0) || Double.isInfinite(price)) {
                throw new ValidationException("the price of '" + model + "' must be a finite amount, 0 or more; got "
                        + price);
            }
            copy.put(model, price);
        });
        Parameters settings = Parameters.of("usd", usd);
        if (!copy.isEmpty()) {
            settings = settings.with("prices", copy);
        }
        return new NamedRule(Spec.of(Budget.NAME, settings), network -> new Budget(usd, copy), null, false);
    }

    /** A judge; see {@link StopRule#judge(dev.panic.Model, String, String)}. */
    public static StopRule judge(dev.panic.Model judge, dev.panic.Template template, String stopWhen, String node) {
        return new JudgeRule(judge, template, stopWhen, node);
    }

    /**
     * The rule a spec describes; the settings left out take the defaults of
     * {@link dev.panic.detection.Detectors}.
     *
     * @throws ValidationException if it is custom, its name is unknown, or a setting is malformed
     */
    public static StopRule of(Spec spec) {
        return of(spec, null);
    }

    /**
     * The rule a spec describes, finding the model of a judge with {@code models}.
     *
     * @param models finds a judge's model; null where none can be found
     */
    public static StopRule of(Spec spec, Models models) {
        if (spec == null) {
            throw new ValidationException("rule spec is null");
        }
        if (spec.custom()) {
            throw new ValidationException("the rule '" + spec.kind() + "' was made in code and cannot be rebuilt from"
                    + " its description; give it again (e.g. Run.Builder.customRule)");
        }
        Parameters s = spec.settings();
        String embedder = s.getString("embedder").orElse(null);
        switch (spec.kind()) {
            case "max-steps":
                return maxSteps(whole(s, "steps", null));
            case "max-duration":
                return maxDuration(duration(s, "limit"));
            case ExactRepeat.NAME:
                return repeat(false);
            case ExactRepeat.NORMALISED_NAME:
                return repeat(true);
            case FixedPointCheck.NAME:
                return fixedPoint(number(s, "threshold", FixedPointCheck.DEFAULT_THRESHOLD),
                        whole(s, "window", FixedPointCheck.DEFAULT_WINDOW), embedder);
            case CycleCheck.NAME:
                return cycle(number(s, "threshold", CycleCheck.DEFAULT_THRESHOLD),
                        whole(s, "max_period", CycleCheck.DEFAULT_MAX_PERIOD),
                        whole(s, "matches", CycleCheck.DEFAULT_MATCHES), embedder);
            case Budget.NAME: {
                double usd = s.getNumber("usd").orElseThrow(() -> new ValidationException(
                        "the budget rule needs the setting 'usd', the most the run may spend"));
                java.util.Map<String, Double> prices = new java.util.LinkedHashMap<>();
                s.get("prices").filter(v -> v instanceof java.util.Map).ifPresent(v -> castMap(v).forEach((k, price) -> {
                    if (!(price instanceof Number n)) {
                        throw new ValidationException("the price of '" + k + "' is not a number: " + price);
                    }
                    prices.put(k, n.doubleValue());
                }));
                return budget(usd, prices);
            }
            case JudgeRule.NAME: {
                String model = s.getString("model").orElseThrow(() -> new ValidationException(
                        "the judge rule needs the setting 'model', the id of the model that judges"));
                if (models == null) {
                    throw new ValidationException("the judge rule calls the model '" + model + "'; rebuild the run"
                            + " with its platforms (Run.builder(spec, platforms), Run.resume or Run.fork)");
                }
                Parameters params = s.get("parameters").filter(v -> v instanceof java.util.Map)
                        .map(v -> Parameters.of(castMap(v))).orElse(Parameters.empty());
                return judge(models.model(dev.panic.ModelId.parse(model), params),
                        dev.panic.Template.of(s.getString("template").orElseThrow(() -> new ValidationException(
                                "the judge rule needs the setting 'template', what the judge is asked"))),
                        s.getString("stop_when").orElse(DEFAULT_JUDGE_STOP), s.getString("node").orElse(null));
            }
            case DriftCheck.NAME:
                return drift(whole(s, "window", DriftCheck.DEFAULT_WINDOW),
                        number(s, "step_threshold", DriftCheck.DEFAULT_STEP_THRESHOLD),
                        number(s, "origin_threshold", DriftCheck.DEFAULT_ORIGIN_THRESHOLD),
                        number(s, "min_drop", DriftCheck.DEFAULT_MIN_DROP), embedder);
            default:
                throw new ValidationException("unknown rule '" + spec.kind() + "'; the rules PANIC can rebuild are "
                        + String.join(", ", NAMES));
        }
    }

    @SuppressWarnings("unchecked")
    private static java.util.Map<String, Object> castMap(Object v) {
        return (java.util.Map<String, Object>) v;
    }

    private static Parameters withEmbedder(Parameters p, String embedder) {
        if (embedder != null && embedder.isBlank()) {
            throw new ValidationException("embedder id is empty; give the id of one of the run's embedders");
        }
        return embedder == null ? p : p.with("embedder", embedder);
    }

    private static double number(Parameters s, String name, double otherwise) {
        return s.getNumber(name).orElse(otherwise);
    }

    private static int whole(Parameters s, String name, Integer otherwise) {
        Optional<Double> v = s.getNumber(name);
        if (v.isEmpty()) {
            if (otherwise == null) {
                throw new ValidationException("the rule needs the setting '" + name + "'");
            }
            return otherwise;
        }
        double d = v.get();
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new ValidationException("rule setting '" + name + "' must be a whole number, got " + d);
        }
        return (int) d;
    }

    private static Duration duration(Parameters s, String name) {
        String text = s.getString(name).orElseThrow(() -> new ValidationException("the rule needs the setting '"
                + name + "', an ISO-8601 duration such as PT10M"));
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new ValidationException("rule setting '" + name + "' is '" + text
                    + "', not an ISO-8601 duration such as PT10M");
        }
    }

    private static void checkSimilarity(double t, String what) {
        if (!(t >= -1 && t <= 1)) {
            throw new ValidationException(what + " must be a cosine similarity between -1 and 1, got " + t);
        }
    }

    private static void checkAtLeast(int n, int least, String what) {
        if (n < least) {
            throw new ValidationException(what + " must be at least " + least + ", got " + n);
        }
    }
}
