package dev.panic.internal.rules;

import dev.panic.Network;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.StopReason;
import dev.panic.StopRule;
import java.text.Normalizer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the first output that repeats an earlier output of the same network position. Keeps one
 * entry per distinct output, keyed by position and content, so a check costs O(1) per step.
 *
 * <p>The normalised variant compares texts after {@link #normalise(String)}, so that "A red
 * circle." repeats "a red  circle"; images and sounds are still compared byte for byte.
 */
public final class ExactRepeat implements StopRule.Check {

    /** The rule's name. */
    public static final String NAME = "exact-repeat";
    /** The name of the normalised-text variant. */
    public static final String NORMALISED_NAME = "normalised-repeat";

    private static final Pattern PUNCTUATION = Pattern.compile("[\\p{P}\\p{S}]+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private final int size;
    private final boolean normaliseText;
    private final Map<Key, Integer> firstSeen = new HashMap<>();

    /** A check for a run of {@code network}, on exact bytes and exact text. */
    public ExactRepeat(Network network) {
        this(network, false);
    }

    /** A check for a run of {@code network}; on normalised text if {@code normaliseText}. */
    public ExactRepeat(Network network, boolean normaliseText) {
        this.size = network.size();
        this.normaliseText = normaliseText;
    }

    private record Key(int position, Object content) {
    }

    /**
     * Text as compared by the normalised variant: lower case, punctuation and symbols turned into
     * spaces (so "red,blue" and "red, blue" agree), runs of white space collapsed to one space,
     * trimmed. Letters are compared after Unicode compatibility normalisation (NFKC) with accents
     * kept, so "ﬁne" equals "fine" but "café" does not equal "cafe".
     */
    public static String normalise(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        s = PUNCTUATION.matcher(s).replaceAll(" ");
        return SPACES.matcher(s).replaceAll(" ").strip();
    }

    @Override
    public Optional<StopReason> afterPrediction(Prediction p, Duration elapsed) {
        Object content = normaliseText && p.output() instanceof Payload.Text t ? normalise(t.text()) : p.output();
        Integer earlier = firstSeen.putIfAbsent(new Key(p.sequence() % size, content), p.sequence());
        if (earlier == null) {
            return Optional.empty();
        }
        int period = p.sequence() - earlier;
        String kind = period == size ? "a fixed point of the network" : "a loop of period " + period;
        String how = normaliseText ? " once normalised (case, spacing and punctuation ignored)" : " exactly";
        return Optional.of(StopReason.pattern(normaliseText ? NORMALISED_NAME : NAME, "output " + p.sequence()
                + " repeats output " + earlier + how + ": " + kind, p.sequence(), earlier, period, 1.0));
    }
}
