package dev.panic.internal.run;

import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Template;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last text outputs of each node, as many as a template may quote ({@link Template#MAX_HISTORY}):
 * what {@code {last:NODE:k}} reads. Bounded, so a long run's memory stays flat. Used from the run's
 * serial executor only.
 */
final class TextWindows {

    private final Map<String, ArrayDeque<String>> byNode = new HashMap<>();

    void add(Prediction p) {
        if (p.output() instanceof Payload.Text t) {
            ArrayDeque<String> w = byNode.computeIfAbsent(p.node(), k -> new ArrayDeque<>());
            if (w.size() == Template.MAX_HISTORY) {
                w.removeFirst();
            }
            w.addLast(t.text());
        }
    }

    /** The last {@code count} outputs of {@code node}, oldest first. */
    List<String> last(String node, int count) {
        ArrayDeque<String> w = byNode.get(node);
        if (w == null) {
            return List.of();
        }
        List<String> all = new ArrayList<>(w);
        return all.subList(Math.max(0, all.size() - count), all.size());
    }
}
