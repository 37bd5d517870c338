package dev.panic.internal;

import dev.panic.ModelId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node ids a network gets when none are given: the last part of each model's name, made
 * unique with {@code -2}, {@code -3}... One rule for {@link dev.panic.Network.Builder#add(dev.panic.Model)},
 * spec files that list model ids, and runs saved before nodes had ids.
 */
public final class RingIds {

    private RingIds() {
    }

    /** The node id for {@code model} among the ids already {@code taken}. */
    public static String unique(ModelId model, Collection<String> taken) {
        String base = defaultId(model);
        if (!taken.contains(base)) {
            return base;
        }
        for (int i = 2; ; i++) {
            String candidate = base + "-" + i;
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
    }

    /** A node id from a model id: the last part of its name, with characters ids cannot hold made '-'. */
    public static String defaultId(ModelId model) {
        String name = model.name();
        int slash = name.lastIndexOf('/');
        String base = (slash >= 0 ? name.substring(slash + 1) : name).replaceAll("[^A-Za-z0-9._-]", "-");
        if (base.isEmpty() || base.startsWith(".")) {
            base = "node" + base;
        }
        return base.length() > 48 ? base.substring(0, 48) : base;
    }

    /** The links of a ring of these node ids, in order. */
    public static Map<String, List<String>> ringLinks(List<String> ids) {
        Map<String, List<String>> links = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            links.put(ids.get(i), List.of(ids.get((i + 1) % ids.size())));
        }
        return links;
    }
}
