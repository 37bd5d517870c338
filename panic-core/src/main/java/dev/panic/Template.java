package dev.panic;

import dev.panic.exception.ValidationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text with placeholders that a network node fills from the run's context before it calls its
 * model: the incoming text, the run's initial input, earlier outputs of any node. This is how a
 * loop gets an image-prompt prefix, a captioner instruction, or a language model that refines a
 * prompt against the original intent.
 *
 * <table>
 * <caption>Placeholders</caption>
 * <tr><th>placeholder</th><th>becomes</th></tr>
 * <tr><td>{@code {input}}</td><td>the text the node receives (the previous node's output, or an injected input)</td></tr>
 * <tr><td>{@code {initial}}</td><td>the run's initial input, which must then be text</td></tr>
 * <tr><td>{@code {last:NODE}}</td><td>the latest output of node {@code NODE} in this run (empty before it has one); {@code NODE} must output text</td></tr>
 * <tr><td>{@code {last:NODE:k}}</td><td>the last {@code k} outputs of {@code NODE}, oldest first, one per line (1 &le; k &le; {@value #MAX_HISTORY})</td></tr>
 * <tr><td>{@code {step}}</td><td>the sequence number of the prediction about to be made</td></tr>
 * <tr><td>{@code {{} and {@code }}}</td><td>a literal brace</td></tr>
 * </table>
 *
 * <pre>{@code
 * Template t = Template.of("A watercolour of {input}");
 * Template refine = Template.of("Intent: {initial}\nRecent captions:\n{last:captioner:3}\nWrite a better prompt.");
 * }</pre>
 *
 * <p>Immutable; equal when their texts are.
 */
public final class Template {

    /** The most earlier outputs of one node a template can refer to. */
    public static final int MAX_HISTORY = 100;

    private static final Pattern TOKEN = Pattern.compile("\\{\\{|}}|\\{([^{}]*)}|[{}]");
    private static final Pattern LAST = Pattern.compile("last:([A-Za-z0-9._-]+)(?::(\\d+))?");

    /** One piece of a parsed template. */
    private sealed interface Part permits Literal, Input, Initial, Step, Last {
    }

    private record Literal(String text) implements Part {
    }

    private record Input() implements Part {
    }

    private record Initial() implements Part {
    }

    private record Step() implements Part {
    }

    private record Last(String node, int count) implements Part {
    }

    /** What a template is filled from; the run supplies it. */
    public interface Context {
        /** The text the node receives. */
        String input();

        /** The run's initial input as text; only asked for when the template uses {@code {initial}}. */
        String initial();

        /** The last {@code count} outputs of {@code node} in this run, oldest first (fewer if there are fewer). */
        List<String> last(String node, int count);

        /** The sequence number of the prediction about to be made. */
        int step();

        /** Where {@link #of} finds a node's last outputs. */
        @FunctionalInterface
        interface History {
            /** The last {@code count} text outputs of {@code node}, oldest first (fewer if there are fewer). */
            List<String> last(String node, int count);
        }

        /**
         * A context for a run's step: {@code {initial}} is the run's initial input when it is text
         * (and a {@link ValidationException} saying so when it is not).
         */
        static Context of(Payload initial, String input, int step, History history) {
            return new Context() {
                @Override
                public String input() {
                    return input;
                }

                @Override
                public String initial() {
                    if (initial instanceof Payload.Text t) {
                        return t.text();
                    }
                    throw new ValidationException("a template uses {initial}, but the run's initial input is "
                            + initial.modality() + ", not text");
                }

                @Override
                public List<String> last(String node, int count) {
                    return history.last(node, count);
                }

                @Override
                public int step() {
                    return step;
                }
            };
        }
    }

    private final String text;
    private final List<Part> parts;
    private final Map<String, Integer> history;

    private Template(String text, List<Part> parts, Map<String, Integer> history) {
        this.text = text;
        this.parts = parts;
        this.history = history;
    }

    /**
     * Parses a template.
     *
     * @throws ValidationException naming the first unknown placeholder or lone brace, and what is allowed
     */
    public static Template of(String text) {
        if (text == null) {
            throw new ValidationException("template text is null");
        }
        List<Part> parts = new ArrayList<>();
        Map<String, Integer> history = new LinkedHashMap<>();
        StringBuilder literal = new StringBuilder();
        Matcher m = TOKEN.matcher(text);
        int at = 0;
        while (m.find()) {
            literal.append(text, at, m.start());
            at = m.end();
            String token = m.group();
            if (token.equals("{{")) {
                literal.append('{');
                continue;
            }
            if (token.equals("}}")) {
                literal.append('}');
                continue;
            }
            if (m.group(1) == null) {
                throw new ValidationException("template has a lone '" + token + "' at character " + (m.start() + 1)
                        + "; write '" + token + token + "' for a literal brace");
            }
            Part part = placeholder(m.group(1).strip(), m.start());
            if (!literal.isEmpty()) {
                parts.add(new Literal(literal.toString()));
                literal.setLength(0);
            }
            if (part instanceof Last last) {
                history.merge(last.node(), last.count(), Math::max);
            }
            parts.add(part);
        }
        literal.append(text, at, text.length());
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
        return new Template(text, List.copyOf(parts), Collections.unmodifiableMap(history));
    }

    private static Part placeholder(String name, int position) {
        switch (name) {
            case "input":
                return new Input();
            case "initial":
                return new Initial();
            case "step":
                return new Step();
            default:
                break;
        }
        Matcher last = LAST.matcher(name);
        if (last.matches()) {
            int count = 1;
            if (last.group(2) != null) {
                try {
                    count = Integer.parseInt(last.group(2));
                } catch (NumberFormatException e) {
                    count = Integer.MAX_VALUE;
                }
                if (count < 1 || count > MAX_HISTORY) {
                    throw new ValidationException("template placeholder {" + name + "} asks for " + last.group(2)
                            + " outputs; use 1 to " + MAX_HISTORY);
                }
            }
            return new Last(last.group(1), count);
        }
        throw new ValidationException("template placeholder {" + name + "} at character " + (position + 1)
                + " is unknown; use {input}, {initial}, {step}, {last:NODE} or {last:NODE:k}, and {{ or }} for a brace");
    }

    /** The template as written. */
    public String text() {
        return text;
    }

    /** True if it uses {@code {input}}; a template without it drops the incoming text. */
    public boolean usesInput() {
        return parts.stream().anyMatch(p -> p instanceof Input);
    }

    /** True if it uses {@code {initial}}. */
    public boolean usesInitial() {
        return parts.stream().anyMatch(p -> p instanceof Initial);
    }

    /** The nodes whose earlier outputs it refers to, each with the most outputs it asks for. */
    public Map<String, Integer> history() {
        return history;
    }

    /** Fills the placeholders from {@code context}. */
    public String render(Context context) {
        StringBuilder sb = new StringBuilder(text.length() + 64);
        for (Part p : parts) {
            if (p instanceof Literal l) {
                sb.append(l.text());
            } else if (p instanceof Input) {
                sb.append(context.input());
            } else if (p instanceof Initial) {
                sb.append(context.initial());
            } else if (p instanceof Step) {
                sb.append(context.step());
            } else if (p instanceof Last last) {
                sb.append(String.join("\n", context.last(last.node(), last.count())));
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Template t && text.equals(t.text));
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The template's text. */
    @Override
    public String toString() {
        return text;
    }
}
