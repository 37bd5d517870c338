package dev.panic.internal.rules;

import dev.panic.Network;
import dev.panic.Spec;
import dev.panic.StopRule;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The stop rules {@link StopRule}'s and the detectors' factories make: a description, a way to
 * start the per-run check, and the two facts a run asks of a rule up front.
 *
 * @param spec            the rule's name and settings; custom for a rule made from a lambda
 * @param starter         makes a fresh check for each run
 * @param limit           the wall-clock limit the run enforces with a timer, or null
 * @param needsEmbeddings whether the check looks at vectors (then it is asked when they arrive)
 */
public record NamedRule(Spec spec, Function<Network, StopRule.Check> starter, Duration limit,
                        boolean needsEmbeddings) implements StopRule {

    @Override
    public String name() {
        return spec.kind();
    }

    @Override
    public Check start(Network network) {
        if (network == null) {
            throw new dev.panic.exception.ValidationException("rule " + name() + " needs the run's network; got null");
        }
        return starter.apply(network);
    }

    @Override
    public Optional<Duration> timeLimit() {
        return Optional.ofNullable(limit);
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
