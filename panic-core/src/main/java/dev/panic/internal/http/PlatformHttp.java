package dev.panic.internal.http;

import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.PanicException;
import dev.panic.exception.RateLimitedException;
import dev.panic.exception.TimeoutException;
import dev.panic.exception.UnavailableException;
import dev.panic.exception.ValidationException;
import dev.panic.http.HttpSettings;
import dev.panic.internal.SharedScheduler;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client of one platform, shared by every run that uses it. Each request goes
 * retry → circuit breaker → rate limiter → bulkhead → {@code java.net.http}, all asynchronous:
 * waits (back-off, rate limit, a place in flight) are timers and futures, never a sleeping thread.
 *
 * <p>Error answers become typed exceptions in {@link ApiErrors}. The key travels only in its
 * header; it is never logged, and {@link Secret#scrub} removes it from every message.
 */
public final class PlatformHttp {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformHttp.class);

    private final String platform;
    private final HttpSettings settings;
    private final Map<String, String> defaultHeaders;
    private final Secret secret;
    private final URI credentialsOrigin;
    private final ApiErrors.Context errors;
    private final HttpClient client;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Retry readRetry;
    private final Retry createRetry;
    private final CircuitBreaker circuitBreaker;
    private final RateLimiter rateLimiter;
    private final AsyncBulkhead bulkhead;

    private PlatformHttp(Builder b) {
        this.platform = b.platform;
        this.settings = b.settings;
        this.secret = b.secret;
        this.credentialsOrigin = b.credentialsOrigin;
        this.errors = new ApiErrors.Context(platform, b.keyHint, secret);
        Map<String, String> headers = new LinkedHashMap<>(b.headers);
        headers.putIfAbsent("User-Agent", "panic-java/0.1");
        this.defaultHeaders = Map.copyOf(headers);
        this.scheduler = SharedScheduler.get();
        this.clock = Clock.systemUTC();
        this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                // Redirects are followed by hand, so the key is re-decided for every hop (see exchange).
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.readRetry = Retry.of(platform + "-read", retryConfig(this::retriableRead));
        this.createRetry = Retry.of(platform + "-create", retryConfig(this::retriableCreate));
        for (Retry r : new Retry[] {readRetry, createRetry}) {
            r.getEventPublisher().onRetry(e -> LOG.debug("{}: attempt {} failed ({}); retrying in {} ms", platform,
                    e.getNumberOfRetryAttempts(), e.getLastThrowable() == null ? "?" : e.getLastThrowable().getMessage(),
                    e.getWaitInterval().toMillis()));
        }
        this.circuitBreaker = CircuitBreaker.of(platform, CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .waitDurationInOpenState(settings.openStateWait())
                .build());
        this.rateLimiter = RateLimiter.of(platform, RateLimiterConfig.custom()
                .limitForPeriod(settings.requestsPerPeriod())
                .limitRefreshPeriod(settings.period())
                .timeoutDuration(settings.maxWaitForPermit())
                .build());
        this.bulkhead = new AsyncBulkhead(platform, settings.maxConcurrentCalls(), settings.maxQueueWait(), scheduler);
    }

    /** A builder for the client of {@code platform}. */
    public static Builder builder(String platform) {
        return new Builder(platform);
    }

    /** The platform id. */
    public String platform() {
        return platform;
    }

    /** The settings in force. */
    public HttpSettings settings() {
        return settings;
    }

    /** The key, to scrub platform messages that did not come through this client. */
    public String scrub(String text) {
        return secret == null ? text : secret.scrub(text);
    }

    /** The error context, for adapters that map errors found inside successful answers. */
    public ApiErrors.Context errorContext() {
        return errors;
    }

    private RetryConfig retryConfig(java.util.function.Predicate<Throwable> retriable) {
        IntervalBiFunction<Object> interval = (attempt, outcome) -> {
            if (outcome != null && outcome.isLeft() && outcome.getLeft() instanceof PanicException p
                    && p.retryAfter().isPresent()) {
                return p.retryAfter().get().toMillis();
            }
            double base = settings.initialBackoff().toMillis() * Math.pow(settings.backoffMultiplier(), attempt - 1);
            double capped = Math.min(base, settings.maxBackoff().toMillis());
            double spread = 1 + settings.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
            return Math.max(1L, Math.round(capped * spread));
        };
        return RetryConfig.custom()
                .maxAttempts(settings.maxAttempts())
                .intervalBiFunction(interval)
                .retryOnException(t -> retriable.test(unwrap(t)))
                .build();
    }

    private boolean retriableRead(Throwable t) {
        return t instanceof PanicException p && p.isRetriable() && withinRetryAfterLimit(p);
    }

    /** A create is repeated only if the platform refused it (and asked for a wait we accept) or never saw it. */
    private boolean retriableCreate(Throwable t) {
        return (t instanceof RateLimitedException r && withinRetryAfterLimit(r)) || (t instanceof PanicException && neverSent(t));
    }

    private boolean withinRetryAfterLimit(PanicException p) {
        return p.retryAfter().map(d -> d.compareTo(settings.maxRetryAfter()) <= 0).orElse(true);
    }

    private static boolean neverSent(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof HttpConnectTimeoutException || c instanceof NotSent) {
                return true;
            }
        }
        return false;
    }

    /** Marks a failure that happened before the request left this process (circuit open, queue timeout). */
    private static final class NotSent extends RuntimeException {
        NotSent(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Sends a request, with every resilience rule, and completes with the 2xx answer or a typed
     * {@link PanicException}.
     */
    public CompletableFuture<ApiResponse> send(ApiRequest request) {
        return send(request, null);
    }

    /**
     * Sends a request whose successful answer is a stream of lines (NDJSON), handing each
     * non-blank line to {@code onLine} as it arrives; the returned answer then has an empty body.
     * If {@code onLine} throws, the request fails with what it threw (e.g. an error line after a 200).
     * An error status is read whole and mapped as usual.
     */
    public CompletableFuture<ApiResponse> sendStreaming(ApiRequest request, java.util.function.Consumer<String> onLine) {
        return send(request, java.util.Objects.requireNonNull(onLine, "onLine"));
    }

    private CompletableFuture<ApiResponse> send(ApiRequest request, java.util.function.Consumer<String> onLine) {
        return send(new Call(request, onLine, 0));
    }

    /**
     * One logical call through retries: what it sends, the download cap, and what is under way now,
     * so that cancelling the caller's future reaches the bulkhead line or the live exchange (which
     * the JDK client then aborts) and stops the retries.
     */
    private static final class Call {
        final ApiRequest request;
        final java.util.function.Consumer<String> onLine;
        final long maxBytes;
        volatile boolean cancelled;
        volatile CompletableFuture<?> current;

        Call(ApiRequest request, java.util.function.Consumer<String> onLine, long maxBytes) {
            this.request = request;
            this.onLine = onLine;
            this.maxBytes = maxBytes;
        }

        /** Makes {@code step} the current piece of work, cancelled at once if the call already is. */
        <T> CompletableFuture<T> track(CompletableFuture<T> step) {
            current = step;
            if (cancelled) {
                step.cancel(true);
            }
            return step;
        }
    }

    private CompletableFuture<ApiResponse> send(Call call) {
        Retry retry = call.request.kind() == ApiRequest.Kind.CREATE ? createRetry : readRetry;
        Supplier<java.util.concurrent.CompletionStage<ApiResponse>> attempt = () -> guarded(call);
        CompletableFuture<ApiResponse> result = new CompletableFuture<>();
        retry.executeCompletionStage(scheduler, attempt).whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(unwrap(e));
            } else {
                result.complete(r);
            }
        });
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                call.cancelled = true;
                CompletableFuture<?> now = call.current;
                if (now != null) {
                    now.cancel(true);
                }
            }
        });
        return result;
    }

    private static java.util.concurrent.CancellationException cancelled() {
        return new java.util.concurrent.CancellationException("call cancelled");
    }

    private CompletableFuture<ApiResponse> guarded(Call call) {
        if (call.cancelled) {
            return CompletableFuture.failedFuture(cancelled());
        }
        if (!circuitBreaker.tryAcquirePermission()) {
            return CompletableFuture.failedFuture(new UnavailableException(platform
                    + " has failed too often lately, so calls are paused for " + settings.openStateWait()
                    + " (circuit open); try again later", new NotSent("circuit open")));
        }
        long waitNanos = rateLimiter.reservePermission();
        if (waitNanos < 0) {
            circuitBreaker.releasePermission();
            return CompletableFuture.failedFuture(new RateLimitedException("more requests to " + platform
                    + " are queued than its rate limit of " + settings.requestsPerPeriod() + " per " + settings.period()
                    + " lets through within " + settings.maxWaitForPermit() + "; slow down or raise maxWaitForPermit",
                    new NotSent("rate limit"), -1, settings.period()));
        }
        CompletableFuture<ApiResponse> result = new CompletableFuture<>();
        Runnable go = () -> call.track(bulkhead.acquire()).whenComplete((ignored, queueError) -> {
            if (queueError != null || call.cancelled) {
                if (queueError == null) {
                    bulkhead.release(); // a place was granted to a call that no longer wants it
                }
                circuitBreaker.releasePermission();
                result.completeExceptionally(call.cancelled ? cancelled()
                        : new UnavailableException(unwrap(queueError).getMessage(), new NotSent("queue")));
                return;
            }
            long start = System.nanoTime();
            exchange(call, call.request, 0).whenComplete((response, error) -> {
                bulkhead.release();
                long took = System.nanoTime() - start;
                Throwable failure = error == null ? null : unwrap(error);
                if (failure instanceof UnavailableException || failure instanceof TimeoutException) {
                    circuitBreaker.onError(took, TimeUnit.NANOSECONDS, failure);
                } else {
                    // A 4xx or a cancel is no sign the platform is down.
                    circuitBreaker.onSuccess(took, TimeUnit.NANOSECONDS);
                }
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(response);
                }
            });
        });
        if (waitNanos == 0) {
            go.run();
        } else {
            scheduler.schedule(go, waitNanos, TimeUnit.NANOSECONDS);
        }
        return result;
    }

    private static final int MAX_REDIRECTS = 5;

    /** A 3xx answer to follow by hand. */
    private static final class Redirect extends RuntimeException {
        final transient ApiRequest next;

        Redirect(ApiRequest next) {
            super(null, null, false, false);
            this.next = next;
        }
    }

    private CompletableFuture<ApiResponse> exchange(Call call, ApiRequest request, int hops) {
        java.util.function.Consumer<String> onLine = call.onLine;
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
                && (hops == 0 || sameOrigin(call.request.uri(), request.uri()))) {
            b.header("Authorization", "Bearer " + secret.reveal());
        }
        b.method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        long start = System.nanoTime();
        LineSink sink = onLine == null ? null : new LineSink(onLine);
        HttpResponse.BodyHandler<byte[]> handler = info -> {
            if (sink != null && info.statusCode() < 300) {
                return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.fromLineSubscriber(sink),
                        done -> new byte[0]);
            }
            return call.maxBytes > 0 && info.statusCode() < 300 ? new CappedBody(call.maxBytes)
                    : HttpResponse.BodySubscribers.ofByteArray();
        };
        CompletableFuture<ApiResponse> exchanged = call.track(client.sendAsync(b.build(), handler)).handle((response, error) -> {
            // What the adapter threw wins over the transport error its cancelling may have caused.
            if (sink != null && sink.failure != null) {
                throw sink.failure;
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (error != null) {
                Throwable cause = unwrap(error);
                if (call.cancelled || cause instanceof java.util.concurrent.CancellationException) {
                    throw cancelled();
                }
                if (cause instanceof CappedBody.TooLarge || cause.getCause() instanceof CappedBody.TooLarge) {
                    throw new InvalidRequestException("the output at " + request.uri() + " is larger than maxDownloadBytes "
                            + call.maxBytes + "; raise it in HttpSettings if such outputs are expected");
                }
                PanicException mapped = transportFailure(request, cause);
                LOG.debug("{} {} {} failed after {} ms: {}", platform, request.method(), request.uri(), ms,
                        mapped.getMessage());
                throw mapped;
            }
            LOG.debug("{} {} {} -> {} ({} bytes) in {} ms", platform, request.method(), request.uri(),
                    response.statusCode(), response.body().length, ms);
            int status = response.statusCode();
            if (status >= 300 && status < 400 && status != 304) {
                throw new Redirect(redirected(request, response, hops));
            }
            if (status >= 400) {
                throw ApiErrors.fromResponse(errors, status, response.headers(), response.body(), clock.instant());
            }
            return new ApiResponse(platform, status, response.headers(), response.body());
        });
        CompletableFuture<ApiResponse> followed = exchanged.exceptionallyCompose(e -> {
            Throwable t = unwrap(e);
            return t instanceof Redirect r ? exchange(call, r.next, hops + 1) : CompletableFuture.failedFuture(t);
        });
        if (sink == null) {
            return followed;
        }
        // Once the adapter rejects a line the stream is cancelled, and the client may then never
        // complete its own future; the call ends with the adapter's failure at once instead.
        CompletableFuture<ApiResponse> result = new CompletableFuture<>();
        followed.whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(unwrap(e));
            } else {
                result.complete(r);
            }
        });
        sink.aborted.whenComplete((ignored, e) -> result.completeExceptionally(e));
        return result;
    }

    /** The request a 3xx answer points at: GET after 303 (and after 301/302 to a POST), else the same. */
    private ApiRequest redirected(ApiRequest request, HttpResponse<byte[]> response, int hops) {
        String location = response.headers().firstValue("Location").orElseThrow(() -> new UnavailableException(platform
                + " answered " + response.statusCode() + " to " + request.uri() + " without saying where to go"));
        if (hops + 1 > MAX_REDIRECTS) {
            throw new UnavailableException(platform + " redirected " + request.uri() + " more than " + MAX_REDIRECTS
                    + " times; giving up");
        }
        URI next = request.uri().resolve(location);
        if (!"https".equalsIgnoreCase(next.getScheme()) && !isAllowedDownload(next)) {
            throw new UnavailableException(platform + " redirected " + request.uri() + " to '" + next
                    + "', which is not https; refusing to follow");
        }
        int status = response.statusCode();
        boolean toGet = status == 303 || ((status == 301 || status == 302) && request.method().equals("POST"));
        return toGet ? new ApiRequest("GET", next, request.headers(), null, null, request.kind(), request.timeout())
                : new ApiRequest(request.method(), next, request.headers(), request.body(), request.contentType(),
                        request.kind(), request.timeout());
    }

    /** Hands lines to the adapter as they arrive; remembers what the adapter threw and stops reading. */
    private static final class LineSink implements java.util.concurrent.Flow.Subscriber<String> {
        private final java.util.function.Consumer<String> onLine;
        private java.util.concurrent.Flow.Subscription subscription;
        private volatile RuntimeException failure;
        private final CompletableFuture<Void> aborted = new CompletableFuture<>();

        LineSink(java.util.function.Consumer<String> onLine) {
            this.onLine = onLine;
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (failure != null || line.isBlank()) {
                return;
            }
            try {
                onLine.accept(line);
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
            return new TimeoutException(platform + " did not answer " + request.method() + " " + request.uri().getPath()
                    + " within " + (request.timeout() != null ? request.timeout() : settings.requestTimeout())
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
     * Fetches an output file into a payload of {@code expected} modality. Only {@code https:} and
     * {@code data:} addresses are accepted ({@code http:} only to this machine, for local servers
     * and tests); the size is capped by {@link HttpSettings#maxDownloadBytes()}, and the type must
     * be an image or sound as expected (sniffed from the bytes when the server says only
     * {@code application/octet-stream}). The bytes are kept at once, because platforms' output
     * URLs expire.
     */
    public CompletableFuture<Payload> download(String address, Modality expected) {
        URI uri;
        try {
            if (address.startsWith("data:")) {
                DataUri.Decoded d = DataUri.decode(address);
                if (d.bytes().length > settings.maxDownloadBytes()) {
                    throw new InvalidRequestException(platform + " sent a data URI of " + d.bytes().length
                            + " bytes, more than maxDownloadBytes " + settings.maxDownloadBytes());
                }
                return CompletableFuture.completedFuture(Media.payload(d.bytes(), d.mediaType(), expected, "a data URI"));
            }
            uri = URI.create(address);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new InvalidRequestException(platform + " gave an output address that is not a URI: '"
                    + Json.excerpt(address.getBytes(java.nio.charset.StandardCharsets.UTF_8), 120) + "'", e));
        } catch (PanicException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!isAllowedDownload(uri)) {
            return CompletableFuture.failedFuture(new ValidationException("refusing to fetch output from '" + uri
                    + "': only https: and data: addresses are fetched (http: only from this machine)"));
        }
        // The cap is enforced while reading, so an oversized output is never held whole in memory.
        return Futures.linked(send(new Call(ApiRequest.get(uri), null, settings.maxDownloadBytes())),
                r -> Media.payload(r.body(), r.header("Content-Type").orElse(""), expected, uri.toString()));
    }

    /**
     * Whether the key goes with a request to {@code uri}: always, unless the client was told the
     * one origin its API lives at, so that a download from a third-party store (OpenAI's image
     * URLs point at cloud storage) never receives it.
     */
    boolean carriesCredentials(URI uri) {
        return credentialsOrigin == null || sameOrigin(credentialsOrigin, uri);
    }

    static boolean sameOrigin(URI a, URI b) {
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

    static boolean isAllowedDownload(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme.equals("https")) {
            return true;
        }
        if (scheme.equals("http") && uri.getHost() != null) {
            String h = uri.getHost();
            return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
        }
        return false;
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Lowers the rate limit to what the platform says the account may do ({@code perMinute}
     * requests a minute, as OpenAI's {@code x-ratelimit-limit-requests} header gives it), spread
     * evenly over the settings' period. Never raises it above the configured limit: the settings
     * stay the ceiling the user chose.
     */
    public void limitToRequestsPerMinute(long perMinute) {
        if (perMinute <= 0) {
            return;
        }
        double perPeriod = perMinute * (settings.period().toNanos() / 60e9);
        int wanted = (int) Math.max(1, Math.min(settings.requestsPerPeriod(), Math.floor(perPeriod)));
        if (wanted != rateLimiter.getRateLimiterConfig().getLimitForPeriod()) {
            LOG.debug("{}: the account allows {} requests a minute; limiting to {} per {}", platform, perMinute, wanted,
                    settings.period());
            rateLimiter.changeLimitForPeriod(wanted);
        }
    }

    /** Requests let through per period now (the settings' value, or lower once the platform said so). */
    public int requestsPerPeriod() {
        return rateLimiter.getRateLimiterConfig().getLimitForPeriod();
    }

    /** Current in-flight and waiting counts, for tests and diagnostics. */
    public String loadDescription() {
        return bulkhead.inUse() + " in flight, " + bulkhead.waiting() + " waiting, circuit "
                + circuitBreaker.getState();
    }

    /** Builds a {@link PlatformHttp}. */
    public static final class Builder {
        private final String platform;
        private HttpSettings settings = HttpSettings.defaults();
        private Secret secret;
        private URI credentialsOrigin;
        private String keyHint = "check the API key";
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(String platform) {
            this.platform = platform;
        }

        /** Timeouts, retries and limits. */
        public Builder settings(HttpSettings s) {
            settings = s == null ? HttpSettings.defaults() : s;
            return this;
        }

        /** The bearer key, or null for none. */
        public Builder bearer(Secret s) {
            secret = s;
            return this;
        }

        /**
         * Sends the bearer key only to requests for this origin (scheme, host and port of
         * {@code apiBase}); other hosts, such as the storage an output URL points at, get no key.
         * Unset, every request carries it.
         */
        public Builder credentialsOnlyFor(URI apiBase) {
            credentialsOrigin = apiBase;
            return this;
        }

        /** What to tell the user when the key is refused. */
        public Builder keyHint(String hint) {
            keyHint = hint;
            return this;
        }

        /** A header sent with every request. */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** The client. */
        public PlatformHttp build() {
            return new PlatformHttp(this);
        }
    }
}
