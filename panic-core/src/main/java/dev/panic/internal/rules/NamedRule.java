package dev.panic.internal.rules;

import dev.panic.Network;
import dev.panic.StopRule;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The stop rules {@link StopRule}'s factories make: a name, a way to start the per-run check,
 * and the two facts a run asks of a rule up front.
 *
 * @param name            the rule's name
 * @param description     what {@code toString()} says: the name and its settings
 * @param starter         makes a fresh check for each run
 * @param limit           the wall-clock limit the run enforces with a timer, or null
 * @param needsEmbeddings whether the check looks at vectors (then it is asked when they arrive)
 */
public record NamedRule(String name, String description, Function<Network, StopRule.Check> starter, Duration limit,
                        boolean needsEmbeddings) implements StopRule {

    /** A rule described by its name alone. */
    public NamedRule(String name, Function<Network, StopRule.Check> starter, Duration limit, boolean needsEmbeddings) {
        this(name, name, starter, limit, needsEmbeddings);
    }

    @Override
    public Check start(Network network) {
        if (network == null) {
            throw new dev.panic.exception.ValidationException("rule " + name + " needs the run's network; got null");
        }
        return starter.apply(network);
    }

    @Override
    public Optional<Duration> timeLimit() {
        return Optional.ofNullable(limit);
    }

    @Override
    public String toString() {
        return description;
    }
}
