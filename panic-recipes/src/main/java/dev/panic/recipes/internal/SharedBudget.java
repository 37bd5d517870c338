package dev.panic.recipes.internal;

import dev.panic.Network;
import dev.panic.Prediction;
import dev.panic.StopReason;
import dev.panic.StopRule;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One budget for many runs: every run of an experiment asks it before each call, and it refuses
 * the call that would bring what they have spent together, plus what the calls in flight are
 * expected to cost, over the budget. A call's cost is expected to be its model's declared price,
 * else what that model's last call cost (in any run), else nothing. Thread-safe.
 */
public final class SharedBudget implements StopRule {

    /** The rule's name, as runs' specs and stop reasons carry it. */
    public static final String NAME = "experiment-budget";

    private final double usd;
    private final Map<String, Double> prices;
    private final Map<String, Integer> counted;
    private final Map<String, Double> lastCost = new HashMap<>();
    private double spent;
    private double reserved;

    /**
     * A budget of {@code usd} of which {@code spent} is spent already.
     *
     * @param counted for runs whose cost is in {@code spent}, how many of their predictions it covers
     *                (a resumed run's history is not counted twice)
     */
    public SharedBudget(double usd, Map<String, Double> prices, double spent, Map<String, Integer> counted) {
        this.usd = usd;
        this.prices = Map.copyOf(prices);
        this.spent = spent;
        this.counted = Map.copyOf(counted);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsEmbeddings() {
        return false;
    }

    /** What the runs have spent so far. */
    public synchronized double spent() {
        return spent;
    }

    /** True once nothing more can be spent: the next call of any priced model would overspend. */
    public synchronized boolean exhausted() {
        return spent + reserved >= usd;
    }

    @Override
    public Check start(Network network) {
        return new Share();
    }

    private final class Share implements StopRule.BeforeCall {
        private double mine;
        private OptionalInt lastSequence = OptionalInt.empty();

        @Override
        public Optional<StopReason> afterPrediction(Prediction p, Duration elapsed) {
            synchronized (SharedBudget.this) {
                reserved -= mine;
                mine = 0;
                if (p.metadata().costUsd().isPresent()) {
                    double cost = p.metadata().costUsd().getAsDouble();
                    lastCost.put(p.modelId().toString(), cost);
                    if (p.sequence() >= counted.getOrDefault(p.runId(), 0)) {
                        spent += cost;
                    }
                }
            }
            lastSequence = OptionalInt.of(p.sequence());
            return Optional.empty();
        }

        @Override
        public Optional<StopReason> beforeCall(Network.Node node, Duration elapsed) {
            String model = node.model().id().toString();
            synchronized (SharedBudget.this) {
                reserved -= mine; // a call that failed leaves no prediction behind
                mine = 0;
                double expected = prices.getOrDefault(model, lastCost.getOrDefault(model, 0.0));
                if (spent + reserved + expected > usd) {
                    return Optional.of(StopReason.of(NAME, String.format(Locale.ROOT, "the next call, to %s, would"
                                    + " cost about $%.4f; the experiment has spent $%.4f (and $%.4f is in flight) of its"
                                    + " budget of $%.4f", model, expected, spent, reserved, usd), lastSequence));
                }
                mine = expected;
                reserved += expected;
            }
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return NAME + "(" + usd + ")";
    }
}
