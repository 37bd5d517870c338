package dev.panic.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON from an answer as the plain values {@link dev.panic.Metadata} extras hold. */
public final class JsonValues {
    private JsonValues() {
    }

    /**
     * Strings, numbers, booleans, lists and maps; JSON nulls are left out, because metadata holds
     * no nulls. Null for a missing or null node.
     */
    public static Object plain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> {
                Object v = plain(e.getValue());
                if (v != null) {
                    map.put(e.getKey(), v);
                }
            });
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> {
                Object v = plain(n);
                if (v != null) {
                    list.add(v);
                }
            });
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }
}
