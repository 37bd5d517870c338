package dev.panic.spi.http;

import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.http.HttpSettings;
import dev.panic.http.PermitSource;
import dev.panic.internal.SharedScheduler;
import dev.panic.internal.http.Call;
import dev.panic.internal.http.CallChain;
import dev.panic.internal.http.Downloads;
import dev.panic.internal.http.Exchange;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client of one platform, shared by every run that uses it: what an adapter sends its
 * requests through. Each request goes through the platform's limit and retry chain (a place in
 * flight, an evenly spaced permit of its adaptive rate limit, the circuit breaker, retries with
 * back-off and jitter) to one exchange over {@code java.net.http}, all asynchronous: waits are
 * timers and futures, never a sleeping thread.
 *
 * <pre>{@code
 * PlatformHttp http = PlatformHttp.builder("acme")
 *         .settings(HttpSettings.builder().requestsPerPeriod(5).build())  // from the adapter's builder
 *         .bearer(key).credentialsOnlyFor(URI.create("https://api.acme.example/v1"))
 *         .keyHint("set ACME_API_KEY to a key from https://acme.example/keys")
 *         .build();
 * http.send(ApiRequest.create(uri, body)).thenApply(ApiResponse::json)...
 * }</pre>
 *
 * <p>Error answers become typed exceptions ({@link ApiErrors}). The key travels only in its
 * header, only to its origin; it is never logged, and every answer's body, streamed line and
 * quoted text is scrubbed of it ({@link Secret#scrub}) before the adapter sees it.
 *
 * <p>A platform with a key shares its rate limit with every process on the same account when a
 * {@link PermitSource} is given ({@link Builder#permits}, or {@link PermitSource#shareByDefault}):
 * its bucket is named by the platform and a fingerprint of the key's origin, the key and the
 * configured limit ({@link #sharedBucket()}).
 */
public final class PlatformHttp {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformHttp.class);

    private final String platform;
    private final HttpSettings settings;
    private final Secret secret;
    private final ScheduledExecutorService scheduler;
    private final CallChain chain;
    private final Exchange exchange;
    private final Downloads downloads;
    private final String limitHeader;
    private final Duration limitWindow;
    private final String bucket;

    private PlatformHttp(Builder b) {
        this.platform = b.platform;
        this.settings = b.settings;
        this.secret = b.secret;
        this.scheduler = b.scheduler;
        this.limitHeader = b.limitHeader;
        this.limitWindow = b.limitWindow;
        PermitSource permits = b.permitsSet ? b.permits : PermitSource.byDefault().orElse(null);
        // An account is a key: a platform without one (a local server) has nothing to share.
        this.bucket = permits == null || secret == null ? null : bucketName(platform, b.credentialsOrigin, secret,
                settings.permitsPerSecond());
        this.chain = new CallChain(platform, settings, scheduler, b.clock, b.random, this::scrub,
                bucket == null ? null : permits, bucket);
        Map<String, String> headers = new LinkedHashMap<>(b.headers);
        headers.putIfAbsent("User-Agent", "panic-java/0.1");
        this.exchange = new Exchange(platform, settings, headers, secret, b.credentialsOrigin, b.keyHint, this::learn);
        this.downloads = new Downloads(platform, settings.maxDownloadBytes(),
                (request, max) -> send(request, null, max), this::scrub);
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

    /** {@code text} without the key, for platform text that did not come through this client. */
    public String scrub(String text) {
        return secret == null ? text : secret.scrub(text);
    }

    /**
     * The scheduler this client's timers run on (shared by every platform and run): for an
     * adapter's own waits, such as the pause between polls of a running prediction.
     */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /**
     * Sends a request through the platform's limits and retries, and completes with the 2xx
     * answer or a typed {@link dev.panic.exception.PanicException}.
     */
    public PendingResponse send(ApiRequest request) {
        return send(request, null, 0);
    }

    /**
     * Sends a request whose successful answer is a stream of lines (NDJSON), handing each
     * non-blank line, scrubbed, to {@code onLine} as it arrives; the returned answer then has an
     * empty body. If {@code onLine} throws, the request fails with what it threw (e.g. an error
     * line after a 200). An error status is read whole and mapped as usual.
     */
    public PendingResponse sendStreaming(ApiRequest request, Consumer<String> onLine) {
        return send(request, Objects.requireNonNull(onLine, "onLine"), 0);
    }

    private PendingResponse send(ApiRequest request, Consumer<String> onLine, long maxBytes) {
        PendingResponse result = new PendingResponse();
        Call call = chain.start(request, onLine, maxBytes, result, exchange::send);
        result.withdrawWith(() -> chain.withdraw(call));
        return result;
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
        return downloads.fetch(address, expected);
    }

    /** Requests a second the platform is sent now: at most the configured rate, lower after 429s or a reported limit. */
    public double permitsPerSecond() {
        return chain.limiter().rate();
    }

    private void learn(HttpHeaders headers) {
        if (limitHeader == null) {
            return;
        }
        headers.firstValue(limitHeader).ifPresent(v -> {
            try {
                long limit = Long.parseLong(v.trim());
                if (limit > 0) {
                    double perSecond = limit * 1e9 / limitWindow.toNanos();
                    if (perSecond < chain.limiter().ceiling()) {
                        LOG.debug("{}: the account allows {} requests per {}; limiting to {} a second", platform, limit,
                                limitWindow, perSecond);
                    }
                    chain.limiter().limitTo(perSecond);
                }
            } catch (NumberFormatException ignored) {
                // A header we cannot read teaches nothing; the configured limit stays.
            }
        });
    }

    /**
     * The shared rate-limit bucket this client draws its permits from, e.g. {@code openai:3fa94c0d1e2b7a56},
     * or empty when it limits only this process's calls (no {@link PermitSource}, or no key).
     */
    public Optional<String> sharedBucket() {
        return Optional.ofNullable(bucket);
    }

    /**
     * {@code platform:} and 16 hex digits of SHA-256 over the key's origin, the key and the
     * configured limit: the same for every process on the account, and no clue to the key. The
     * limit keeps apart a platform's clients with limits of their own (Replicate's creates and reads).
     */
    private static String bucketName(String platform, URI origin, Secret key, double perSecond) {
        String where = "";
        if (origin != null) {
            String scheme = String.valueOf(origin.getScheme()).toLowerCase(java.util.Locale.ROOT);
            int port = origin.getPort() >= 0 ? origin.getPort() : scheme.equals("https") ? 443 : 80;
            where = scheme + "://" + String.valueOf(origin.getHost()).toLowerCase(java.util.Locale.ROOT) + ":" + port;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    ("panic rate limit\n" + where + "\n" + perSecond + "\n" + key.reveal()).getBytes(StandardCharsets.UTF_8));
            return platform + ":" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** Current in-flight and waiting counts, for tests and diagnostics. */
    public String loadDescription() {
        return chain.loadDescription();
    }

    /** Same scheme, host and effective port: whether the key may follow a request from {@code a} to {@code b}. */
    public static boolean sameOrigin(URI a, URI b) {
        return Exchange.sameOrigin(a, b);
    }

    /** Builds a {@link PlatformHttp}. */
    public static final class Builder {
        private final String platform;
        private HttpSettings settings = HttpSettings.defaults();
        private Secret secret;
        private URI credentialsOrigin;
        private String keyHint = "check the API key";
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String limitHeader;
        private Duration limitWindow;
        private ScheduledExecutorService scheduler = SharedScheduler.get();
        private LongSupplier clock = System::nanoTime;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private PermitSource permits;
        private boolean permitsSet;

        private Builder(String platform) {
            this.platform = Objects.requireNonNull(platform, "platform");
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

        /**
         * The header in which the platform reports how many requests the account may make per
         * {@code window} (OpenAI's {@code x-ratelimit-limit-requests}, per minute): every answer
         * that carries it brings the rate limit down to it at once (never above the configured
         * limit), so that many runs sharing a key slow down before they provoke 429s.
         */
        public Builder limitHeader(String name, Duration window) {
            if (window == null || window.isZero() || window.isNegative()) {
                throw new IllegalArgumentException("the limit header's window must be positive, got " + window);
            }
            limitHeader = Objects.requireNonNull(name, "name");
            limitWindow = window;
            return this;
        }

        /**
         * The scheduler timers run on; the shared one by default. Tests give their own to drive
         * time by hand, with {@link #clock}.
         */
        public Builder scheduler(ScheduledExecutorService s) {
            scheduler = Objects.requireNonNull(s, "scheduler");
            return this;
        }

        /** The clock waits are measured with, in nanoseconds; {@link System#nanoTime()} by default. */
        public Builder clock(LongSupplier nanos) {
            clock = Objects.requireNonNull(nanos, "clock");
            return this;
        }

        /** Numbers in [0, 1) that jitter is drawn from; random by default, fixed in tests. */
        public Builder random(DoubleSupplier numbers) {
            random = Objects.requireNonNull(numbers, "random");
            return this;
        }

        /**
         * Shares the platform's rate limit with every process on the same key through
         * {@code source}; null limits only this process's calls. Unset, the process's default
         * ({@link PermitSource#shareByDefault}) is used. A client without a key shares nothing.
         */
        public Builder permits(PermitSource source) {
            permits = source;
            permitsSet = true;
            return this;
        }

        /** The client. */
        public PlatformHttp build() {
            return new PlatformHttp(this);
        }
    }
}
