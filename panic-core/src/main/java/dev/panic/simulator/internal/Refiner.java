package dev.panic.simulator.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The refiner simulator: a stand-in for a language model that rewrites an image prompt from the
 * user's intent and what the last caption said about the last picture. It reads the text it is
 * given (a template filled by the run) for an {@code intent:} line and the last {@code caption:}
 * line; other lines (the prompts and captions so far) are context it does not need.
 *
 * <p>The rewrite is the intent, cut into clauses at commas, semicolons, "and" and "with"; the
 * clauses naming a content word the caption misses move to the front, and their size word becomes
 * "large" (one is added if they have none); a background ("on a white background") stays at the end, so that the painter draws what was overlooked first
 * and biggest, where the describer, which reports the largest regions, will see it. With no caption
 * yet, or one that names everything, the intent comes back unchanged. Word matching, not
 * understanding.
 */
public final class Refiner {

    private static final Pattern INTENT = Pattern.compile("(?im)^\\s*intent\\s*:(.*)$");
    private static final Pattern CAPTION = Pattern.compile("(?im)^\\s*caption\\s*:(.*)$");
    private static final Pattern CLAUSE_BREAK = Pattern.compile("\\s*(?:[,;]|\\band\\b|\\bwith\\b)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern BACKGROUND = Pattern.compile(
            "(?i)\\s*,?\\s*\\b(?:on|against|over)\\s+(?:a|an|the)\\s+(?:\\p{L}+\\s+){0,3}?(?:background|backdrop)\\b");
    private static final Set<String> SIZES = Set.of("small", "tiny", "little", "medium", "large", "big", "huge",
            "giant", "enormous");

    private Refiner() {
    }

    /** The refined prompt; the text back, unchanged, if it has no {@code intent:} line. */
    public static String refine(String text) {
        Matcher intentLine = INTENT.matcher(text);
        if (!intentLine.find()) {
            return text.strip();
        }
        String intent = intentLine.group(1).strip();
        String caption = null;
        Matcher c = CAPTION.matcher(text);
        while (c.find()) {
            caption = c.group(1);
        }
        if (caption == null) {
            return intent;
        }
        Set<String> named = Judge.contentWords(caption);
        List<String> missed = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        Matcher bg = BACKGROUND.matcher(intent);
        String background = bg.find() ? bg.group().replaceFirst("^[\\s,]+", "") : null;
        String shapes = background == null ? intent : intent.substring(0, bg.start()) + intent.substring(bg.end());
        for (String clause : CLAUSE_BREAK.split(shapes)) {
            if (clause.isBlank()) {
                continue;
            }
            boolean misses = Judge.contentWords(clause).stream().anyMatch(w -> !named.contains(w));
            if (misses) {
                missed.add(enlarge(clause.strip()));
            } else {
                seen.add(clause.strip());
            }
        }
        if (missed.isEmpty()) {
            return intent;
        }
        missed.addAll(seen);
        return String.join(", ", missed) + (background == null ? "" : " " + background);
    }

    /** The clause with its size word made "large", or "large" put before its first content word. */
    private static String enlarge(String clause) {
        Matcher m = Words.WORD.matcher(clause);
        int firstContent = -1;
        while (m.find()) {
            String w = m.group().toLowerCase(Locale.ROOT);
            if (SIZES.contains(w)) {
                return clause.substring(0, m.start()) + "large" + clause.substring(m.end());
            }
            if (firstContent < 0 && !Judge.isFiller(w)) {
                firstContent = m.start();
            }
        }
        if (firstContent < 0) {
            return clause;
        }
        return clause.substring(0, firstContent) + "large " + clause.substring(firstContent);
    }
}
