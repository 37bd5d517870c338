package dev.panic.internal.http;

import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.PanicException;
import dev.panic.exception.CallTimeoutException;
import dev.panic.exception.UnavailableException;
import dev.panic.http.HttpSettings;
import dev.panic.spi.http.ApiErrors;
import dev.panic.spi.http.ApiRequest;
import dev.panic.spi.http.ApiResponse;
import dev.panic.spi.http.Secret;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a call over {@code java.net.http}: the headers (the key only to the origin that
 * may have it), redirects followed by hand so the key is decided again at every hop, a streamed
 * answer handed over line by line, a size cap enforced while reading, and the answer turned into
 * an {@link ApiResponse} or a typed exception. Every byte and line the platform sends is scrubbed
 * of the key before anything reads it.
 */
public final class Exchange {

    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);
    private static final int MAX_REDIRECTS = 5;

    private final String platform;
    private final HttpSettings settings;
    private final HttpClient client;
    private final Map<String, String> defaultHeaders;
    private final Secret secret;
    private final URI credentialsOrigin;
    private final ApiErrors.Context errors;
    private final Consumer<HttpHeaders> headersSeen;
    private final Clock clock = Clock.systemUTC();

    /**
     * An exchange for {@code platform}.
     *
     * @param secret            the bearer key, or null
     * @param credentialsOrigin the one origin the key goes to, or null for every request's
     * @param headersSeen       sees the headers of every answer, errors included (to learn rate limits)
     */
    public Exchange(String platform, HttpSettings settings, Map<String, String> defaultHeaders, Secret secret,
                    URI credentialsOrigin, String keyHint, Consumer<HttpHeaders> headersSeen) {
        this.platform = platform;
        this.settings = settings;
        this.defaultHeaders = Map.copyOf(defaultHeaders);
        this.secret = secret;
        this.credentialsOrigin = credentialsOrigin;
        this.errors = new ApiErrors.Context(platform, keyHint, secret);
        this.headersSeen = headersSeen;
        this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** {@code text} without the key. */
    public String scrub(String text) {
        return secret == null ? text : secret.scrub(text);
    }

    /** Makes one attempt of {@code call}. */
    public CompletableFuture<ApiResponse> send(Call call) {
        return send(call, call.request(), 0);
    }

    /** A 3xx answer to follow by hand. */
    private static final class Redirect extends RuntimeException {
        final transient ApiRequest next;

        Redirect(ApiRequest next) {
            super(null, null, false, false);
            this.next = next;
        }
    }

    private CompletableFuture<ApiResponse> send(Call call, ApiRequest request, int hops) {
        HttpRequest.Builder b = HttpRequest.newBuilder(request.uri())
                .timeout(request.timeout() != null ? request.timeout() : settings.requestTimeout());
        if ("http".equalsIgnoreCase(request.uri().getScheme())) {
            b.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance with plain-text local servers
        }
        defaultHeaders.forEach(b::header);
        request.headers().forEach(b::header);
        if (request.contentType() != null) {
            b.header("Content-Type", request.contentType());
        }
        // After a redirect to another origin the key stays behind, whatever the client allows.
        if (secret != null && carriesCredentials(request.uri())
                && (hops == 0 || sameOrigin(call.request().uri(), request.uri()))) {
            b.header("Authorization", "Bearer " + secret.reveal());
        }
        b.method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        long start = System.nanoTime();
        LineSink sink = call.onLine() == null ? null : new LineSink(call.onLine(), secret);
        HttpResponse.BodyHandler<byte[]> handler = info -> {
            if (sink != null && info.statusCode() < 300) {
                return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.fromLineSubscriber(sink),
                        done -> new byte[0]);
            }
            return call.maxBytes() > 0 && info.statusCode() < 300 ? new CappedBody(call.maxBytes())
                    : HttpResponse.BodySubscribers.ofByteArray();
        };
        CompletableFuture<ApiResponse> exchanged = call.track(client.sendAsync(b.build(), handler)).handle((response, error) -> {
            // What the adapter threw wins over the transport error its cancelling may have caused.
            if (sink != null && sink.failure != null) {
                throw sink.failure;
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (error != null) {
                Throwable cause = CallChain.unwrap(error);
                if (call.cancelled() || cause instanceof CancellationException) {
                    throw new CancellationException("call cancelled");
                }
                if (cause instanceof CappedBody.TooLarge || cause.getCause() instanceof CappedBody.TooLarge) {
                    throw new InvalidRequestException("the output at " + scrub(request.uri().toString())
                            + " is larger than maxDownloadBytes " + call.maxBytes()
                            + "; raise it in HttpSettings if such outputs are expected");
                }
                PanicException mapped = transportFailure(request, cause);
                LOG.debug("{} {} {} failed after {} ms: {}", platform, request.method(), scrub(request.uri().toString()),
                        ms, mapped.getMessage());
                throw mapped;
            }
            LOG.debug("{} {} {} -> {} ({} bytes) in {} ms", platform, request.method(), scrub(request.uri().toString()),
                    response.statusCode(), response.body().length, ms);
            headersSeen.accept(response.headers());
            int status = response.statusCode();
            if (status >= 300 && status < 400 && status != 304) {
                throw new Redirect(redirected(request, response, hops));
            }
            if (status >= 400) {
                throw ApiErrors.fromResponse(errors, status, response.headers(), response.body(), clock.instant());
            }
            return new ApiResponse(platform, status, response.headers(), response.body(), secret, call.paidRetries());
        });
        CompletableFuture<ApiResponse> followed = exchanged.exceptionallyCompose(e -> {
            Throwable t = CallChain.unwrap(e);
            return t instanceof Redirect r ? send(call, r.next, hops + 1) : CompletableFuture.failedFuture(t);
        });
        if (sink == null) {
            return followed;
        }
        // Once the adapter rejects a line the stream is cancelled, and the client may then never
        // complete its own future; the call ends with the adapter's failure at once instead.
        CompletableFuture<ApiResponse> result = new CompletableFuture<>();
        followed.whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(CallChain.unwrap(e));
            } else {
                result.complete(r);
            }
        });
        sink.aborted.whenComplete((ignored, e) -> result.completeExceptionally(e));
        return result;
    }

    /** The request a 3xx answer points at: GET after 303 (and after 301/302 to a POST), else the same. */
    private ApiRequest redirected(ApiRequest request, HttpResponse<byte[]> response, int hops) {
        String from = scrub(request.uri().toString());
        String location = response.headers().firstValue("Location").orElseThrow(() -> new UnavailableException(platform
                + " answered " + response.statusCode() + " to " + from + " without saying where to go"));
        if (hops + 1 > MAX_REDIRECTS) {
            throw new UnavailableException(platform + " redirected " + from + " more than " + MAX_REDIRECTS
                    + " times; giving up");
        }
        URI next = request.uri().resolve(location);
        if (!"https".equalsIgnoreCase(next.getScheme()) && !isAllowedDownload(next)) {
            throw new UnavailableException(platform + " redirected " + from + " to '" + scrub(next.toString())
                    + "', which is not https; refusing to follow");
        }
        int status = response.statusCode();
        boolean toGet = status == 303 || ((status == 301 || status == 302) && request.method().equals("POST"));
        return toGet ? new ApiRequest("GET", next, request.headers(), null, null, request.kind(), request.timeout())
                : new ApiRequest(request.method(), next, request.headers(), request.body(), request.contentType(),
                        request.kind(), request.timeout());
    }

    /** Hands scrubbed lines to the adapter as they arrive; remembers what the adapter threw and stops reading. */
    private static final class LineSink implements Flow.Subscriber<String> {
        private final Consumer<String> onLine;
        private final Secret secret;
        private Flow.Subscription subscription;
        private volatile RuntimeException failure;
        private final CompletableFuture<Void> aborted = new CompletableFuture<>();

        LineSink(Consumer<String> onLine, Secret secret) {
            this.onLine = onLine;
            this.secret = secret;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (failure != null || line.isBlank()) {
                return;
            }
            try {
                onLine.accept(secret == null ? line : secret.scrub(line));
            } catch (RuntimeException e) {
                failure = e;
                subscription.cancel();
                aborted.completeExceptionally(e);
            }
        }

        @Override
        public void onError(Throwable t) {
            // The exchange's future fails with it.
        }

        @Override
        public void onComplete() {
            // The exchange's future completes.
        }
    }

    private PanicException transportFailure(ApiRequest request, Throwable e) {
        String where = request.uri().getScheme() + "://" + request.uri().getAuthority();
        if (e instanceof PanicException p) {
            return p;
        }
        if (e instanceof HttpConnectTimeoutException) {
            return new UnavailableException("could not connect to " + platform + " at " + where + " within "
                    + settings.connectTimeout() + "; check the address and your network", e);
        }
        if (e instanceof HttpTimeoutException) {
            return new CallTimeoutException(platform + " did not answer " + request.method() + " "
                    + scrub(request.uri().getPath()) + " within "
                    + (request.timeout() != null ? request.timeout() : settings.requestTimeout())
                    + "; raise requestTimeout or try again later", e);
        }
        if (e instanceof ConnectException) {
            return new UnavailableException("could not connect to " + platform + " at " + where
                    + " (connection refused); is the server running and the address right?", e);
        }
        if (e instanceof IOException) {
            return new UnavailableException("the connection to " + platform + " at " + where + " failed: "
                    + scrub(String.valueOf(e.getMessage())) + "; try again later", e);
        }
        return new PanicException("calling " + platform + " failed: " + scrub(String.valueOf(e)), e);
    }

    /**
     * Whether the key goes with a request to {@code uri}: always, unless the client was told the
     * one origin its API lives at, so that a download from a third-party store (OpenAI's image
     * URLs point at cloud storage) never receives it.
     */
    boolean carriesCredentials(URI uri) {
        return credentialsOrigin == null || sameOrigin(credentialsOrigin, uri);
    }

    /** Same scheme, host and effective port. */
    public static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : "http".equalsIgnoreCase(u.getScheme()) ? 80 : -1;
    }

    /** {@code https:} anywhere, {@code http:} only to this machine (local servers and tests). */
    public static boolean isAllowedDownload(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return true;
        }
        if (scheme.equals("http") && uri.getHost() != null) {
            String h = uri.getHost();
            return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
        }
        return false;
    }
}
