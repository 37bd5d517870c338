package dev.panic.openai.internal;

import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.exception.AuthenticationException;
import dev.panic.exception.ValidationException;
import dev.panic.http.HttpSettings;
import dev.panic.spi.http.ApiRequest;
import dev.panic.spi.http.ApiResponse;
import dev.panic.spi.http.Multipart;
import dev.panic.spi.http.PlatformHttp;
import dev.panic.spi.http.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The OpenAI API as the models use it: the endpoints under one base URL, over panic-core's shared
 * HTTP layer (retries, rate limit, error mapping, key scrubbing). It adds only what OpenAI needs
 * beyond that layer: the organization and project headers, and the rule that the key goes to the
 * API and never to the storage an image URL points at.
 */
public final class OpenAiClient {

    /** The platform id. */
    public static final String PLATFORM = "openai";

    /** OpenAI's own API. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.openai.com/v1");

    private final URI baseUrl;
    private final boolean hasKey;
    private final Map<String, String> apiHeaders;
    private final String keyHint;
    private final PlatformHttp http;

    /**
     * A client.
     *
     * @param baseUrl      the API root, e.g. {@code https://api.openai.com/v1}; checked by {@link #checkBaseUrl}
     * @param key          the API key, or null for none
     * @param organization the {@code OpenAI-Organization} header, or null
     * @param project      the {@code OpenAI-Project} header, or null
     * @param settings     timeouts, retries and limits
     */
    public OpenAiClient(URI baseUrl, Secret key, String organization, String project, HttpSettings settings) {
        this.baseUrl = baseUrl;
        this.hasKey = key != null;
        Map<String, String> headers = new LinkedHashMap<>();
        if (organization != null) {
            headers.put("OpenAI-Organization", organization);
        }
        if (project != null) {
            headers.put("OpenAI-Project", project);
        }
        this.apiHeaders = Map.copyOf(headers);
        this.keyHint = isOfficial(baseUrl)
                ? "set OPENAI_API_KEY to a key from https://platform.openai.com/api-keys (or pass it to OpenAiPlatform.builder().apiKey)"
                : "set OPENAI_API_KEY (or OpenAiPlatform.builder().apiKey) to the key the server at " + baseUrl + " expects";
        // Every answer's x-ratelimit-limit-requests (the account's requests a minute) holds the
        // shared limiter to it, so many runs sharing a key slow down before they provoke 429s.
        this.http = PlatformHttp.builder(PLATFORM).settings(settings).bearer(key).keyHint(keyHint)
                .credentialsOnlyFor(baseUrl).limitHeader("x-ratelimit-limit-requests", Duration.ofMinutes(1)).build();
    }

    /**
     * {@code url} as an API root: absolute http(s) with a host, without a trailing slash.
     *
     * @throws ValidationException saying what is wrong with it
     */
    public static URI checkBaseUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url == null ? "" : url.trim());
        } catch (IllegalArgumentException e) {
            throw new ValidationException("OpenAI base URL '" + url + "' is not a URL; expected e.g. "
                    + DEFAULT_BASE_URL + " or http://localhost:11434/v1", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new ValidationException("OpenAI base URL '" + url + "' must be an http or https URL with a host,"
                    + " e.g. " + DEFAULT_BASE_URL + " or http://localhost:11434/v1");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new ValidationException("OpenAI base URL '" + url + "' must not have a query or fragment");
        }
        String s = uri.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s);
    }

    /** True for OpenAI's own API, whose prices the cost estimates know. */
    public static boolean isOfficial(URI baseUrl) {
        return baseUrl.getHost() != null && baseUrl.getHost().equalsIgnoreCase(DEFAULT_BASE_URL.getHost());
    }

    /** True for OpenAI's own API. */
    public boolean official() {
        return isOfficial(baseUrl);
    }

    /** The API root. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** What to do about a missing or refused key. */
    public String keyHint() {
        return keyHint;
    }

    /** The shared HTTP client, for scrubbing and downloads. */
    public PlatformHttp http() {
        return http;
    }

    /** Posts a JSON body. */
    public CompletableFuture<ApiResponse> postJson(String path, Object body, ApiRequest.Kind kind) {
        return post(path, Wire.bytes(body), "application/json", kind);
    }

    /** Posts a multipart form; always a paid create. */
    public CompletableFuture<ApiResponse> postMultipart(String path, Multipart form) {
        return post(path, form.body(), form.contentType(), ApiRequest.Kind.CREATE);
    }

    private CompletableFuture<ApiResponse> post(String path, byte[] body, String contentType, ApiRequest.Kind kind) {
        // OpenAI refuses a call without a key; say what to do before spending a request on it.
        // A compatible server (another base URL) may well need none.
        if (!hasKey && official()) {
            return CompletableFuture.failedFuture(new AuthenticationException("no OpenAI API key; " + keyHint));
        }
        return http.send(new ApiRequest("POST", URI.create(baseUrl + path), apiHeaders, body, contentType, kind, null));
    }

    /** Requests a second the platform's limiter lets through now. */
    public double permitsPerSecond() {
        return http.permitsPerSecond();
    }

    /**
     * Fetches an output file at once (OpenAI's image URLs expire after an hour). The key is not
     * sent unless the file lives at the API's own origin.
     */
    public CompletableFuture<Payload> download(String url, Modality expected) {
        return http.download(url, expected);
    }

    /** The {@code x-request-id} OpenAI gives every answer, to find a call in its logs. */
    public static Optional<String> requestId(ApiResponse response) {
        return response.header("x-request-id").filter(s -> !s.isBlank());
    }

    /**
     * Records what the answer says about the call in its metadata: the {@code x-request-id} (also as
     * the prediction id when {@code asPredictionId}), and the times the paid request was repeated
     * after a server error, when {@code HttpSettings.paidRetries} allowed it.
     */
    static void record(ApiResponse response, Metadata.Builder m, boolean asPredictionId) {
        requestId(response).ifPresent(rid -> {
            m.extra("request_id", rid);
            if (asPredictionId) {
                m.platformPredictionId(rid);
            }
        });
        if (response.paidRetries() > 0) {
            m.extra("paid_retries", response.paidRetries());
        }
    }
}
