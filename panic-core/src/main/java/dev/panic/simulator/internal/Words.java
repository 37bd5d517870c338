package dev.panic.simulator.internal;

import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Word-by-word rewriting that keeps everything between words, and each word's capitalisation. */
public final class Words {

    /** A word: a run of letters. */
    public static final Pattern WORD = Pattern.compile("\\p{L}+");

    private Words() {
    }

    /**
     * Rewrites every word of {@code text} with {@code replace}, which sees the word in lower case
     * and returns its replacement in lower case, or null to keep it. Spaces and punctuation stay.
     */
    public static String rewrite(String text, Function<String, String> replace) {
        Matcher m = WORD.matcher(text);
        StringBuilder sb = new StringBuilder(text.length() + 16);
        int last = 0;
        while (m.find()) {
            String word = m.group();
            String r = replace.apply(word.toLowerCase(Locale.ROOT));
            sb.append(text, last, m.start()).append(r == null ? word : matchCase(word, r));
            last = m.end();
        }
        return sb.append(text, last, text.length()).toString();
    }

    /**
     * {@code replacement} written in the case of {@code original}: all capitals ("HOT" gives
     * "COLD"), a leading capital ("Hot" gives "Cold"), or lower case.
     */
    public static String matchCase(String original, String replacement) {
        if (original.length() > 1 && original.equals(original.toUpperCase(Locale.ROOT))
                && !original.equals(original.toLowerCase(Locale.ROOT))) {
            return replacement.toUpperCase(Locale.ROOT);
        }
        if (Character.isUpperCase(original.codePointAt(0)) && !replacement.isEmpty()) {
            int first = replacement.codePointAt(0);
            return new StringBuilder().appendCodePoint(Character.toTitleCase(first))
                    .append(replacement.substring(Character.charCount(first))).toString();
        }
        return replacement;
    }
}
