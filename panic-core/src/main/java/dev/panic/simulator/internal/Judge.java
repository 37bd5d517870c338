package dev.panic.simulator.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The judge simulator: given a text with an {@code intent:} line and a {@code caption:} line, it
 * answers "yes" when the caption names enough of the intent's content words, else "no" and what
 * the caption misses. Word overlap, not understanding: a stand-in for a language-model judge.
 */
public final class Judge {

    private static final Pattern INTENT = Pattern.compile("(?im)^\\s*intent\\s*:(.*)$");
    private static final Pattern CAPTION = Pattern.compile("(?im)^\\s*caption\\s*:(.*)$");
    /** Words that carry no content: the judge ignores them on both sides. */
    private static final Set<String> FILLER = Set.of("a", "an", "the", "of", "on", "in", "at", "to", "and", "with",
            "is", "are", "it", "its", "this", "that", "image", "picture", "photo", "showing", "shows", "there", "some");

    private Judge() {
    }

    /**
     * The verdict.
     *
     * @param threshold the share of the intent's content words the caption must name, in percent
     */
    public static String judge(String text, int threshold) {
        Matcher intent = INTENT.matcher(text);
        Matcher caption = CAPTION.matcher(text);
        if (!intent.find() || !caption.find()) {
            return "no: I judge a text with an 'intent:' line and a 'caption:' line";
        }
        Set<String> wanted = contentWords(intent.group(1));
        Set<String> named = contentWords(caption.group(1));
        if (wanted.isEmpty()) {
            return "yes: the intent names nothing to look for";
        }
        List<String> missing = wanted.stream().filter(w -> !named.contains(w)).toList();
        int share = (int) Math.round(100.0 * (wanted.size() - missing.size()) / wanted.size());
        if (share >= threshold) {
            return "yes: the caption names " + share + "% of the intent";
        }
        return "no: the caption names " + share + "% of the intent and misses " + String.join(", ", missing);
    }

    /** True for a word that carries no content (an article, a preposition, "image"...), in lower case. */
    static boolean isFiller(String word) {
        return FILLER.contains(word);
    }

    static Set<String> contentWords(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = Words.WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            if (!FILLER.contains(m.group())) {
                out.add(m.group());
            }
        }
        return out;
    }
}
