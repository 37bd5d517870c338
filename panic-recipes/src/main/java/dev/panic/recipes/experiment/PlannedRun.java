package dev.panic.recipes.experiment;

import dev.panic.RunSpec;
import dev.panic.exception.ValidationException;
import java.util.OptionalLong;

/**
 * One run an experiment makes: which network, arm, prompt and repeat it stands for, and its spec.
 *
 * @param id          the run's id in the experiment's store, e.g. {@code n1.loop.p2.r1}
 * @param network     the name of the network
 * @param arm         {@code loop} for the network itself, else the control arm's id ({@code fixed-caption}...)
 * @param promptIndex the prompt's place in the experiment's list, from 0
 * @param prompt      the prompt
 * @param repeat      which repeat of the combination, from 0
 * @param seed        the seed given to the models that take one; empty if each run draws its own
 * @param spec        the run's spec
 */
public record PlannedRun(String id, String network, String arm, int promptIndex, String prompt, int repeat,
                         OptionalLong seed, RunSpec spec) {

    /** The arm of a network's own runs. */
    public static final String LOOP = "loop";

    /** Checks that nothing is missing. */
    public PlannedRun {
        if (id == null || network == null || arm == null || prompt == null || spec == null) {
            throw new ValidationException("a planned run needs an id, a network, an arm, a prompt and a spec");
        }
        seed = seed == null ? OptionalLong.empty() : seed;
    }
}
