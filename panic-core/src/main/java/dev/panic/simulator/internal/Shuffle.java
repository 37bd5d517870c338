package dev.panic.simulator.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;

/**
 * The shuffler simulator: the words of a text in an order drawn from a hash of the text, without
 * its punctuation. The same vocabulary with no sentence left: the "shuffled caption" control of an
 * experiment, against which a loop's drift can be read.
 */
public final class Shuffle {

    private Shuffle() {
    }

    /** The shuffled words, separated by single spaces. */
    public static String words(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = Words.WORD.matcher(text);
        while (m.find()) {
            words.add(m.group());
        }
        SplittableRandom random = new SplittableRandom(StableHash.of(text));
        for (int i = words.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String w = words.get(i);
            words.set(i, words.get(j));
            words.set(j, w);
        }
        return String.join(" ", words);
    }
}
