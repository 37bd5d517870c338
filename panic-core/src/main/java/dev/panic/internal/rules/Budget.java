package dev.panic.internal.rules;

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
 * What a run has spent, and whether the next call may be made: see {@link StopRule#budget(double, Map)}.
 * Sees every successful prediction (and a resumed run's history), adding up what each cost.
 */
final class Budget implements StopRule.BeforeCall {

    static final String NAME = "budget";

    private final double usd;
    private final Map<String, Double> prices;
    private final Map<String, Double> lastCost = new HashMap<>();
    private double spent;
    private OptionalInt lastSequence = OptionalInt.empty();

    Budget(double usd, Map<String, Double> prices) {
        this.usd = usd;
        this.prices = prices;
    }

    @Override
    public Optional<StopReason> afterPrediction(Prediction p, Duration elapsed) {
        p.metadata().costUsd().ifPresent(cost -> {
            spent += cost;
            lastCost.put(p.modelId().toString(), cost);
        });
        lastSequence = OptionalInt.of(p.sequence());
        return Optional.empty();
    }

    @Override
    public Optional<StopReason> beforeCall(Network.Node node, Duration elapsed) {
        String model = node.model().id().toString();
        double expected = prices.getOrDefault(model, lastCost.getOrDefault(model, 0.0));
        if (spent + expected <= usd) {
            return Optional.empty();
        }
        return Optional.of(StopReason.of(NAME, String.format(Locale.ROOT, "the next call, to %s, would cost about"
                + " $%.4f and bring the spend from $%.4f to $%.4f, over the budget of $%.4f", model, expected, spent,
                spent + expected, usd), lastSequence));
    }
}
