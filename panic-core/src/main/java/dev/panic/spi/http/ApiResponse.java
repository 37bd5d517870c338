package dev.panic.spi.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.exception.UnavailableException;
import java.net.http.HttpHeaders;
import java.util.Objects;
import java.util.Optional;

/**
 * A successful (2xx) answer, its body already scrubbed of the platform's key: whatever an adapter
 * quotes from it (an id, an excerpt in an error message, a streamed line) cannot carry the key.
 */
public final class ApiResponse {

    private final String platform;
    private final int status;
    private final HttpHeaders headers;
    private final byte[] body;
    private final int paidRetries;

    /**
     * An answer.
     *
     * @param platform    the platform that answered, for messages
     * @param status      the HTTP status
     * @param headers     the headers
     * @param body        the body bytes; masked here with {@code secret}
     * @param secret      the key to mask, or null
     * @param paidRetries how many times the call was repeated after a failure that may have been billed
     */
    public ApiResponse(String platform, int status, HttpHeaders headers, byte[] body, Secret secret, int paidRetries) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.status = status;
        this.headers = Objects.requireNonNull(headers, "headers");
        byte[] b = body == null ? new byte[0] : body;
        this.body = secret == null ? b : secret.scrub(b);
        this.paidRetries = paidRetries;
    }

    /** The platform that answered. */
    public String platform() {
        return platform;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The headers. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The body, scrubbed of the key. */
    public byte[] body() {
        return body;
    }

    /**
     * How many times the call was repeated after a failure that may have been billed (a server
     * error answering a paid request), as {@link dev.panic.http.HttpSettings#paidRetries()} allows;
     * 0 almost always. Adapters record it in the prediction's metadata.
     */
    public int paidRetries() {
        return paidRetries;
    }

    /**
     * The body as JSON.
     *
     * @throws UnavailableException if it is not JSON: the platform misbehaved, and it may not next time
     */
    public JsonNode json() {
        return Json.tryParse(body).orElseThrow(() -> new UnavailableException(platform + " answered " + status
                + " with a body that is not valid JSON: '" + excerpt(200) + "'; try again later", null,
                status, null));
    }

    /** At most {@code max} characters of the body as text, for messages (already scrubbed, then cut). */
    public String excerpt(int max) {
        return Json.excerpt(body, max);
    }

    /** The first value of a header. */
    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** Status and size; never the body. */
    @Override
    public String toString() {
        return "ApiResponse[" + platform + " " + status + ", " + body.length + " bytes]";
    }
}
