package dev.panic.internal.rules;

import dev.panic.Network;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.StopReason;
import dev.panic.StopRule;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the first output that repeats an earlier output of the same network position. Keeps one
 * entry per distinct output, keyed by position and content, so a check costs O(1) per step.
 */
public final class ExactRepeat implements StopRule.Check {

    /** The rule's name. */
    public static final String NAME = "exact-repeat";

    private final int size;
    private final Map<Key, Integer> firstSeen = new HashMap<>();

    /** A check for a run of {@code network}. */
    public ExactRepeat(Network network) {
        this.size = network.size();
    }

    private record Key(int position, Payload output) {
    }

    @Override
    public Optional<StopReason> afterPrediction(Prediction p, Duration elapsed) {
        Integer earlier = firstSeen.putIfAbsent(new Key(p.sequence() % size, p.output()), p.sequence());
        if (earlier == null) {
            return Optional.empty();
        }
        int period = p.sequence() - earlier;
        String kind = period == size ? "a fixed point of the network" : "a loop of period " + period;
        return Optional.of(StopReason.pattern(NAME, "output " + p.sequence() + " repeats output " + earlier
                + " exactly: " + kind, p.sequence(), earlier, period, 1.0));
    }
}
