package dev.panic.simulator.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The drifter's rule: each call changes one word of the text, so that a loop wanders away from
 * its prompt one small step at a time.
 *
 * <p>The words live on a ring of 181 associated words ("sea wave surf sand beach shell pearl
 * moon night..." back round to "ocean sea"). A {@linkplain StableHash hash} of the whole text picks one
 * content word (three letters or more, not a linking word such as "the" or "with"); a word on the
 * ring moves one or two places along it, and a word not on the ring is replaced by a ring word
 * chosen by its hash. While the text has fewer than {@value #MIN_CONTENT_WORDS} content words the
 * new word is inserted after the old one instead of replacing it, so short prompts grow first.
 *
 * <p>Words only ever move forward along the ring, so the text can only come back to an earlier
 * state once some word has gone all the way round: for ordinary prompts no text repeats for
 * hundreds of steps, while consecutive texts differ by one word.
 */
public final class Drift {

    /** Below this many content words the drifter inserts rather than replaces. */
    public static final int MIN_CONTENT_WORDS = 5;

    private static final List<String> RING = List.of(("""
            sea wave surf sand beach shell pearl moon night star sky cloud rain river stream stone mountain snow
            ice winter fire hearth home door key lock chain anchor ship sail wind storm thunder lightning light
            lamp candle wax bee honey bread wheat field horse rider road journey map compass north forest tree
            leaf autumn harvest apple orchard garden flower rose thorn blood heart love letter word book page
            paper ink pen poem song music dance party mask face mirror glass window street city tower bell
            church choir voice echo cave bear honeycomb hive swarm crowd market coin gold crown king castle wall
            brick clay potter wheel cart mule desert dune camel oasis palm shade tent camp smoke ash ember spark
            engine train station clock time memory photograph album child toy kite string violin bow arrow
            target circle square triangle shape pattern tile floor dust broom witch cat mouse cheese milk cow
            meadow grass lawn fence gate path bridge canal boat oar lake swan feather pillow dream sleep bed
            blanket wool sheep shepherd hill valley fog ghost shadow evening sunset horizon ocean
            """).trim().split("\\s+"));

    private static final Map<String, Integer> POSITION = new HashMap<>();

    private static final Set<String> LINKING = Set.of("the", "and", "for", "with", "from", "that", "this", "are",
            "was", "were", "has", "have", "had", "its", "his", "her", "hers", "their", "our", "your", "into", "onto",
            "but", "not", "all", "any", "you", "she", "they", "them", "him", "who", "what", "which", "when", "where",
            "there", "here", "then", "than", "been", "being", "very", "just", "can", "will", "would", "could",
            "should", "may", "might", "must", "shall", "does", "did", "done", "these", "those", "upon", "off");

    static {
        for (int i = 0; i < RING.size(); i++) {
            if (POSITION.put(RING.get(i), i) != null) {
                throw new IllegalStateException("word '" + RING.get(i) + "' is twice on the drifter's ring");
            }
        }
    }

    private Drift() {
    }

    /** The ring of associated words, in order; the last word leads back to the first. */
    public static List<String> ring() {
        return RING;
    }

    /** One drift step. */
    public static String step(String text) {
        long h = StableHash.of(text);
        List<int[]> content = new ArrayList<>();
        Matcher m = Words.WORD.matcher(text);
        while (m.find()) {
            String w = m.group().toLowerCase(Locale.ROOT);
            if (w.length() >= 3 && !LINKING.contains(w)) {
                content.add(new int[] {m.start(), m.end()});
            }
        }
        if (content.isEmpty()) {
            String added = RING.get(StableHash.pick(h, RING.size()));
            return text.isBlank() ? added : text.stripTrailing() + " " + added;
        }
        int[] span = content.get(StableHash.pick(StableHash.derive(h, 0), content.size()));
        String original = text.substring(span[0], span[1]);
        Integer at = POSITION.get(original.toLowerCase(Locale.ROOT));
        String next = at != null
                ? RING.get((at + 1 + StableHash.pick(StableHash.derive(h, 1), 2)) % RING.size())
                : RING.get(StableHash.pick(StableHash.of(original.toLowerCase(Locale.ROOT)), RING.size()));
        next = Words.matchCase(original, next);
        if (content.size() < MIN_CONTENT_WORDS) {
            return text.substring(0, span[1]) + " " + next.toLowerCase(Locale.ROOT) + text.substring(span[1]);
        }
        return text.substring(0, span[0]) + next + text.substring(span[1]);
    }
}
