package dev.panic.internal.rules;

import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.StopReason;
import dev.panic.StopRule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the first output that repeats an earlier output of the same network node. Remembers each
 * distinct output by 64 bits of its SHA-256 (of the media bytes, or of the text), so a check costs
 * O(1) per step and a run of a hundred thousand outputs is remembered in a few megabytes; two
 * different outputs would be taken for a repeat with a chance of about one in 10^19 per pair.
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
    private static final int NONE = -1;

    private final boolean normaliseText;
    private final Map<String, LongIntMap> firstSeen = new HashMap<>();
    // The sequence of each node's latest output: a repeat of it is a fixed point of the network.
    private final Map<String, Integer> lastSequence = new HashMap<>();

    /** A check on exact bytes and exact text, or on normalised text if {@code normaliseText}. */
    public ExactRepeat(boolean normaliseText) {
        this.normaliseText = normaliseText;
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
        if (!p.succeeded()) {
            return Optional.empty();
        }
        Integer previous = lastSequence.put(p.node(), p.sequence());
        long key = digest(p.output());
        int earlier = firstSeen.computeIfAbsent(p.node(), k -> new LongIntMap()).putIfAbsent(key, p.sequence(), NONE);
        if (earlier == NONE) {
            return Optional.empty();
        }
        int period = p.sequence() - earlier;
        boolean fixedPoint = previous != null && previous == earlier;
        String kind = fixedPoint ? "a fixed point of the network" : "a loop of period " + period;
        String how = normaliseText ? " once normalised (case, spacing and punctuation ignored)" : " exactly";
        return Optional.of(StopReason.pattern(normaliseText ? NORMALISED_NAME : NAME, "output " + p.sequence()
                + " repeats output " + earlier + how + ": " + kind, p.sequence(), earlier, period, 1.0));
    }

    private long digest(Payload output) {
        byte[] hash;
        if (output instanceof Payload.Text t) {
            String text = normaliseText ? normalise(t.text()) : t.text();
            hash = sha256(text.getBytes(StandardCharsets.UTF_8));
        } else {
            String hex = output instanceof Payload.Image i ? i.data().sha256() : ((Payload.Audio) output).data().sha256();
            // Media and text never share a node's series, but keep their digests apart all the same.
            return Long.parseUnsignedLong(hex.substring(0, 16), 16) ^ 0x5bd1e9955bd1e995L;
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (hash[i] & 0xff);
        }
        return v;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }
}
