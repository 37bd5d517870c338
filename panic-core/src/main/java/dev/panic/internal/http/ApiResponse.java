package dev.panic.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.exception.UnavailableException;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * A successful (2xx) answer.
 *
 * @param platform the platform that answered, for messages
 * @param status   the HTTP status
 * @param headers  the headers
 * @param body     the body bytes
 */
public record ApiResponse(String platform, int status, HttpHeaders headers, byte[] body) {

    /**
     * The body as JSON.
     *
     * @throws UnavailableException if it is not JSON: the platform misbehaved, and it may not next time
     */
    public JsonNode json() {
        return Json.tryParse(body).orElseThrow(() -> new UnavailableException(platform + " answered " + status
                + " with a body that is not valid JSON: '" + Json.excerpt(body, 200) + "'; try again later", null,
                status, null));
    }

    /** The first value of a header. */
    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }
}
