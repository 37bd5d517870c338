package dev.panic.replicate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.UnavailableException;
import dev.panic.spi.http.PlatformHttp;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a prediction's {@code output} into a payload. Replicate models answer in many shapes, and
 * each is read here:
 *
 * <ul>
 *   <li>one string: a file URL or {@code data:} URI for image and audio models, the text itself for
 *       text models;</li>
 *   <li>a list: file URLs (image generators: the first is taken, since a PANIC model gives one
 *       output per call), or text tokens to join without separators (language models stream their
 *       answer as a list of tokens);</li>
 *   <li>an object: Whisper's {@code {"transcription", "segments", "detected_language"...}} gives its
 *       {@code transcription}; otherwise the first of {@code text}, {@code caption} and
 *       {@code output} that is a string, or for media the first field holding a URL.</li>
 * </ul>
 *
 * <p>Files are downloaded at once through the HTTP layer (size cap, type check), because
 * Replicate's output URLs expire. Text loses a declared prefix (BLIP's {@code "Caption: "}) and
 * the white space around it.
 */
public final class Outputs {

    private static final List<String> TEXT_FIELDS = List.of("transcription", "text", "caption", "output");

    private Outputs() {
    }

    /**
     * The payload and the other simple facts an object output held (e.g. Whisper's
     * {@code detected_language}), for metadata.
     *
     * @param payload the output
     * @param fields  string, number and boolean fields of an object output other than the one used
     */
    public record Parsed(Payload payload, Map<String, Object> fields) {
    }

    /**
     * Reads {@code output} as a payload of {@code expected} modality.
     *
     * @param stripPrefix a prefix to remove from text, or null
     * @param who         the prediction and model, for messages
     */
    public static CompletableFuture<Parsed> parse(JsonNode output, Modality expected, String stripPrefix,
                                                  PlatformHttp http, String who) {
        try {
            if (output == null || output.isNull() || output.isMissingNode()) {
                throw new UnavailableException(who + " succeeded but gave no output (Replicate removes outputs"
                        + " after an hour); try again");
            }
            if (expected == Modality.TEXT) {
                String field = output.isObject() ? textField(output, who) : null;
                String text = field != null ? output.get(field).asText() : text(output, who);
                return CompletableFuture.completedFuture(new Parsed(Payload.text(strip(text, stripPrefix)),
                        otherFields(output, field)));
            }
            String field = output.isObject() ? addressField(output, expected, who) : null;
            String address = field != null ? output.get(field).asText() : address(output, expected, who);
            Map<String, Object> fields = otherFields(output, field);
            return http.download(address, expected).thenApply(p -> new Parsed(p, fields));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static String text(JsonNode output, String who) {
        if (output.isValueNode()) {
            return output.asText();
        }
        if (output.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (JsonNode token : output) {
                if (token.isNull()) {
                    continue;
                }
                if (!token.isValueNode()) {
                    throw shape(who, "a list holding " + kind(token) + " where text tokens were expected", output);
                }
                joined.append(token.asText());
            }
            return joined.toString();
        }
        throw shape(who, kind(output) + " where text was expected", output);
    }

    private static String textField(JsonNode output, String who) {
        for (String name : TEXT_FIELDS) {
            if (output.path(name).isTextual()) {
                return name;
            }
        }
        throw shape(who, "an object without a text field (looked for " + String.join(", ", TEXT_FIELDS) + ")", output);
    }

    private static String address(JsonNode output, Modality expected, String who) {
        if (output.isTextual()) {
            return output.asText();
        }
        if (output.isArray()) {
            for (JsonNode item : output) {
                if (item.isTextual() && !item.asText().isBlank()) {
                    return item.asText();
                }
            }
            throw shape(who, "a list without a file address", output);
        }
        throw shape(who, kind(output) + " where " + expected.wireName() + " file addresses were expected", output);
    }

    private static String addressField(JsonNode output, Modality expected, String who) {
        Iterator<Map.Entry<String, JsonNode>> it = output.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String v = e.getValue().isTextual() ? e.getValue().asText().toLowerCase(Locale.ROOT) : "";
            if (v.startsWith("https:") || v.startsWith("http:") || v.startsWith("data:")) {
                return e.getKey();
            }
        }
        throw shape(who, "an object without a file address", output);
    }

    private static Map<String, Object> otherFields(JsonNode output, String used) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (output.isObject()) {
            output.fields().forEachRemaining(e -> {
                JsonNode v = e.getValue();
                if (e.getKey().equals(used) || v.isNull() || !v.isValueNode()) {
                    return;
                }
                fields.put(e.getKey(), v.isNumber() ? v.numberValue() : v.isBoolean() ? v.asBoolean() : v.asText());
            });
        }
        return fields;
    }

    /** Removes a declared prefix (ignoring case, since models are not consistent) and surrounding white space. */
    static String strip(String text, String prefix) {
        String t = text.strip();
        if (prefix != null) {
            String p = prefix.strip();
            if (!p.isEmpty() && t.regionMatches(true, 0, p, 0, p.length())) {
                t = t.substring(p.length()).strip();
            }
        }
        return t;
    }

    private static String kind(JsonNode n) {
        return n.isObject() ? "an object" : n.isArray() ? "a list" : n.isTextual() ? "a string" : "a " + n.getNodeType()
                .name().toLowerCase(Locale.ROOT);
    }

    /** A shape that does not fit the declared modality: a declaration problem, so not worth retrying. */
    private static InvalidRequestException shape(String who, String what, JsonNode output) {
        String excerpt = output.toString();
        if (excerpt.length() > 200) {
            excerpt = excerpt.substring(0, 200) + "…";
        }
        return new InvalidRequestException(who + " gave " + what + ": " + excerpt
                + "; declare the model with the right output modality");
    }
}
