package dev.panic.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prompt-writer simulator: a stand-in for a language model asked to write an image prompt as
 * JSON with the keys {@code title}, {@code description} and {@code metatags}. It reads the
 * suggestions in the text it is given — a {@code theme:} line, an {@code elements:} line (items
 * separated by semicolons, or commas) and an {@code environment:} line — and the few-shot examples
 * (lines that are JSON objects), from which it takes how many metatags to write. It composes the
 * answer from those words and a detail chosen by a hash of the text: the same request gives the
 * same answer. Without suggestions it writes about the content words of the whole text.
 */
public final class Prompter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL = Pattern.compile("(?im)^\\s*(theme|elements|environment)\\s*:(.*)$");
    private static final List<String> DETAILS = List.of("soft morning light", "dramatic shadows", "rich textures",
            "muted colours", "high detail", "a shallow depth of field", "warm evening light", "a wide-angle view");
    private static final int DEFAULT_TAGS = 6;

    private Prompter() {
    }

    /** The JSON answer, on one line. */
    public static String write(String text) {
        String theme = "";
        List<String> elements = new ArrayList<>();
        String environment = "";
        Matcher m = LABEL.matcher(text);
        while (m.find()) {
            String value = m.group(2).strip();
            switch (m.group(1).toLowerCase(Locale.ROOT)) {
                case "theme" -> theme = value;
                case "environment" -> environment = value;
                default -> {
                    for (String e : value.split(value.contains(";") ? ";" : ",")) {
                        if (!e.isBlank()) {
                            elements.add(e.strip());
                        }
                    }
                }
            }
        }
        if (elements.isEmpty()) {
            Set<String> words = Judge.contentWords(text);
            words.stream().limit(3).forEach(elements::add);
            if (elements.isEmpty()) {
                elements.add("an empty room");
            }
        }
        long hash = StableHash.of(text);
        String detail = DETAILS.get(StableHash.pick(hash, DETAILS.size()));

        String first = withoutArticle(elements.get(0));
        String title = titleCase(environment.isEmpty() ? first : first + " in " + withoutArticle(environment));
        StringBuilder description = new StringBuilder(capitalise(list(elements)));
        if (!environment.isEmpty()) {
            description.append(" in ").append(environment);
        }
        if (!theme.isEmpty()) {
            description.append(", ").append(theme).append(" style");
        }
        description.append(", ").append(detail);

        Set<String> tags = new LinkedHashSet<>();
        if (!theme.isEmpty()) {
            tags.add(theme.toLowerCase(Locale.ROOT));
        }
        elements.forEach(e -> tags.add(lastWord(e)));
        if (!environment.isEmpty()) {
            tags.add(lastWord(environment));
        }
        tags.add(lastWord(detail));
        Judge.contentWords(String.join(" ", elements) + " " + environment).forEach(tags::add);
        int count = tagCount(text);

        ObjectNode answer = JSON.createObjectNode();
        answer.put("title", title);
        answer.put("description", description.toString());
        answer.put("metatags", String.join(", ", tags.stream().filter(t -> !t.isEmpty()).limit(count).toList()));
        try {
            return JSON.writeValueAsString(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mean number of metatags in the examples (JSON lines) of the text, from 3 to 12; 6 without examples. */
    private static int tagCount(String text) {
        int examples = 0;
        int tags = 0;
        for (String line : text.split("\\R")) {
            String s = line.strip();
            if (!s.startsWith("{")) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(s);
                if (n != null && n.path("metatags").isTextual()) {
                    examples++;
                    tags += (int) java.util.Arrays.stream(n.get("metatags").asText().split(","))
                            .filter(t -> !t.isBlank()).count();
                }
            } catch (IOException notAnExample) {
                // A line that only looks like JSON is context, not an example.
            }
        }
        return examples == 0 ? DEFAULT_TAGS : Math.max(3, Math.min(12, Math.round((float) tags / examples)));
    }

    private static String list(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private static String withoutArticle(String s) {
        return s.replaceFirst("(?i)^(a|an|the)\\s+", "");
    }

    private static String lastWord(String s) {
        Matcher m = Words.WORD.matcher(s);
        String last = "";
        while (m.find()) {
            last = m.group();
        }
        return last.toLowerCase(Locale.ROOT);
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Words.matchCase("X", s.substring(0, 1)) + s.substring(1);
    }

    private static String titleCase(String s) {
        Matcher m = Words.WORD.matcher(s);
        StringBuilder sb = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String w = m.group();
            boolean small = m.start() > 0 && Set.of("in", "on", "of", "at", "a", "an", "the", "and", "with", "for", "to").contains(w);
            sb.append(s, last, m.start()).append(small ? w : capitalise(w));
            last = m.end();
        }
        return sb.append(s.substring(last)).toString();
    }
}
