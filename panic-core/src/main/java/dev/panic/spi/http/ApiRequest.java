package dev.panic.spi.http;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP request of a platform adapter, sent with {@link PlatformHttp#send}.
 *
 * @param method      GET, POST...
 * @param uri         the full address
 * @param headers     extra headers (authentication is added by the client)
 * @param body        the body, or null
 * @param contentType the body's type, or null
 * @param kind        whether repeating it is safe (see {@link Kind})
 * @param timeout     overrides the settings' request timeout, or null
 */
public record ApiRequest(String method, URI uri, Map<String, String> headers, byte[] body, String contentType,
                         Kind kind, Duration timeout) {

    /** Whether a request may be repeated after a failure that leaves its effect unknown. */
    public enum Kind {
        /** Reads: polls, listings, downloads. Repeated on any transient failure. */
        READ,
        /**
         * Requests that may create something paid (a prediction). Repeated only when the platform
         * refused it (429) or no connection was made, so a retry never pays twice; after a server
         * error only as far as {@link dev.panic.http.HttpSettings#paidRetries()} allows.
         */
        CREATE
    }

    /** Copies the headers. */
    public ApiRequest {
        headers = Map.copyOf(headers == null ? Map.of() : headers);
    }

    /** A GET. */
    public static ApiRequest get(URI uri) {
        return new ApiRequest("GET", uri, Map.of(), null, null, Kind.READ, null);
    }

    /** A POST of JSON that may create something paid. */
    public static ApiRequest create(URI uri, byte[] json) {
        return new ApiRequest("POST", uri, Map.of(), json, "application/json", Kind.CREATE, null);
    }

    /** The same request with one more header. */
    public ApiRequest withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiRequest(method, uri, h, body, contentType, kind, timeout);
    }

    /** The same request with its own timeout. */
    public ApiRequest withTimeout(Duration t) {
        return new ApiRequest(method, uri, headers, body, contentType, kind, t);
    }

    /** The same request, declared safe to repeat. */
    public ApiRequest asRead() {
        return new ApiRequest(method, uri, headers, body, contentType, Kind.READ, timeout);
    }
}
