package dev.panic.web.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import java.util.Map;

/** The server's own JSON: request bodies read as trees, small answers written. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new PanicException("could not write JSON: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A request body: a JSON object, or a 400 saying what is wrong with it. */
    static JsonNode read(String body) {
        JsonNode n;
        try {
            n = MAPPER.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new ValidationException("the request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new ValidationException("the request body must be a JSON object");
        }
        return n;
    }

    /** A JSON object as the plain values {@link dev.panic.Parameters} takes. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(JsonNode n, String what) {
        if (n == null || !n.isObject()) {
            throw new ValidationException(what + " must be a JSON object, e.g. {\"size\": 256}");
        }
        return MAPPER.convertValue(n, Map.class);
    }
}
