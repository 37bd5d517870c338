package dev.panic.http;

import dev.panic.exception.ValidationException;
import java.time.Duration;

/**
 * How a platform talks HTTP: timeouts, retries, its rate limit, how many calls it keeps in
 * flight, when it stops calling a failing service, and how much it downloads. One instance per
 * platform, shared by every run that uses the platform, so that many concurrent runs keep a
 * platform busy without provoking 429s.
 *
 * <pre>{@code
 * HttpSettings http = HttpSettings.builder()
 *         .requestsPerPeriod(10).period(Duration.ofSeconds(1))   // at most 10 requests a second, one every 100 ms
 *         .maxConcurrentCalls(32)
 *         .patience(Duration.ofMinutes(30))                      // wait out rate limits for up to 30 minutes a call
 *         .build();
 * }</pre>
 *
 * <p><b>Rate limit.</b> {@code requestsPerPeriod} per {@code period} is the most the platform is
 * sent: permits are spread evenly (one every {@code period / requestsPerPeriod}), never released
 * in bursts. Below that ceiling the limit adapts: a 429 lowers the rate and its
 * {@code Retry-After} pauses the whole platform, not one call; successes raise it again slowly;
 * and a platform that reports its account's limit in a header is held to it at once.
 *
 * <p><b>Retries.</b> A 429 is retried, after the wait the platform asks for (with jitter) or a
 * back-off, for as long as the call's {@code patience} lasts; other transient failures (server
 * errors, resets, timeouts) get {@code maxAttempts} in all, with exponential back-off and jitter.
 * A request that may have created a paid prediction is repeated only when the platform refused
 * it (429) or no connection was made, unless {@code paidRetries} allows repeating it after a
 * server error too; reads (polls, downloads) are repeated on any transient failure.
 *
 * @param connectTimeout          how long to wait for a connection
 * @param requestTimeout          how long to wait for a whole answer (Replicate's sync mode holds a request up to 60 s)
 * @param maxAttempts             attempts per request through failures other than 429, the first included (1 means no retry)
 * @param initialBackoff          the wait before the first retry
 * @param backoffMultiplier       how much each further wait grows
 * @param maxBackoff              the longest back-off wait
 * @param jitter                  the random spread of each wait, 0 to 1 (0.5 means ±50%)
 * @param maxRetryAfter           the longest {@code Retry-After} honoured; a longer one fails the call at once
 * @param requestsPerPeriod       the platform's rate limit: requests allowed per {@code period}
 * @param period                  the rate limit's period
 * @param maxConcurrentCalls      requests in flight at once; more wait in line
 * @param maxQueueWait            how long a request may wait in that line
 * @param failureRateThreshold    percentage of failed calls (server errors, timeouts) that opens the circuit
 * @param slidingWindowSize       how many recent calls the circuit breaker looks at
 * @param minimumNumberOfCalls    calls needed in the window before the circuit can open
 * @param openStateWait           how long an open circuit refuses calls before trying again
 * @param maxDownloadBytes        the largest output file fetched
 * @param patience                how long one call may wait, in all, for the platform's limits (permits, pauses,
 *                                429 retries) before it fails with a {@link dev.panic.exception.RateLimitedException}
 * @param paidRetries             how many times a paid request (or prediction) that failed on the platform's side
 *                                after it may have run is tried again; 0, the default, never pays twice
 */
public record HttpSettings(Duration connectTimeout, Duration requestTimeout, int maxAttempts, Duration initialBackoff,
                           double backoffMultiplier, Duration maxBackoff, double jitter, Duration maxRetryAfter,
                           int requestsPerPeriod, Duration period, int maxConcurrentCalls,
                           Duration maxQueueWait, float failureRateThreshold, int slidingWindowSize,
                           int minimumNumberOfCalls, Duration openStateWait, long maxDownloadBytes,
                           Duration patience, int paidRetries) {

    private static final HttpSettings DEFAULTS = new Builder().build();

    /** Checks every value; the message names the bad one. */
    public HttpSettings {
        positive(connectTimeout, "connectTimeout");
        positive(requestTimeout, "requestTimeout");
        atLeast(maxAttempts, 1, "maxAttempts");
        positive(initialBackoff, "initialBackoff");
        if (!(backoffMultiplier >= 1.0) || Double.isInfinite(backoffMultiplier)) {
            throw new ValidationException("backoffMultiplier must be a finite number of at least 1, got " + backoffMultiplier);
        }
        positive(maxBackoff, "maxBackoff");
        if (!(jitter >= 0 && jitter < 1)) {
            throw new ValidationException("jitter must be at least 0 and below 1, got " + jitter);
        }
        notNegative(maxRetryAfter, "maxRetryAfter");
        atLeast(requestsPerPeriod, 1, "requestsPerPeriod");
        positive(period, "period");
        atLeast(maxConcurrentCalls, 1, "maxConcurrentCalls");
        notNegative(maxQueueWait, "maxQueueWait");
        if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
            throw new ValidationException("failureRateThreshold must be above 0 and at most 100, got " + failureRateThreshold);
        }
        atLeast(slidingWindowSize, 1, "slidingWindowSize");
        atLeast(minimumNumberOfCalls, 1, "minimumNumberOfCalls");
        positive(openStateWait, "openStateWait");
        if (maxDownloadBytes < 1) {
            throw new ValidationException("maxDownloadBytes must be at least 1, got " + maxDownloadBytes);
        }
        notNegative(patience, "patience");
        atLeast(paidRetries, 0, "paidRetries");
    }

    /** The most requests a second the platform is sent: {@code requestsPerPeriod / period}. */
    public double permitsPerSecond() {
        return requestsPerPeriod * 1e9 / period.toNanos();
    }

    /** The defaults: see {@link Builder} for each value. */
    public static HttpSettings defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings, to change a few. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new ValidationException(name + " must be longer than zero, got " + d);
        }
    }

    private static void notNegative(Duration d, String name) {
        if (d == null || d.isNegative()) {
            throw new ValidationException(name + " must be zero or more, got " + d);
        }
    }

    private static void atLeast(int v, int min, String name) {
        if (v < min) {
            throw new ValidationException(name + " must be at least " + min + ", got " + v);
        }
    }

    /** Builds {@link HttpSettings}; every setter is optional. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(90);
        private int maxAttempts = 4;
        private Duration initialBackoff = Duration.ofMillis(500);
        private double backoffMultiplier = 2.0;
        private Duration maxBackoff = Duration.ofSeconds(30);
        private double jitter = 0.5;
        private Duration maxRetryAfter = Duration.ofSeconds(120);
        private int requestsPerPeriod = 50;
        private Duration period = Duration.ofSeconds(1);
        private int maxConcurrentCalls = 32;
        private Duration maxQueueWait = Duration.ofMinutes(10);
        private float failureRateThreshold = 50f;
        private int slidingWindowSize = 20;
        private int minimumNumberOfCalls = 10;
        private Duration openStateWait = Duration.ofSeconds(30);
        private long maxDownloadBytes = 100L * 1024 * 1024;
        private Duration patience = Duration.ofMinutes(10);
        private int paidRetries;

        private Builder() {
        }

        private Builder(HttpSettings s) {
            connectTimeout = s.connectTimeout;
            requestTimeout = s.requestTimeout;
            maxAttempts = s.maxAttempts;
            initialBackoff = s.initialBackoff;
            backoffMultiplier = s.backoffMultiplier;
            maxBackoff = s.maxBackoff;
            jitter = s.jitter;
            maxRetryAfter = s.maxRetryAfter;
            requestsPerPeriod = s.requestsPerPeriod;
            period = s.period;
            maxConcurrentCalls = s.maxConcurrentCalls;
            maxQueueWait = s.maxQueueWait;
            failureRateThreshold = s.failureRateThreshold;
            slidingWindowSize = s.slidingWindowSize;
            minimumNumberOfCalls = s.minimumNumberOfCalls;
            openStateWait = s.openStateWait;
            maxDownloadBytes = s.maxDownloadBytes;
            patience = s.patience;
            paidRetries = s.paidRetries;
        }

        /** Connection timeout; 10 s by default. */
        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        /** Whole-answer timeout; 90 s by default (longer than Replicate's 60 s sync wait). */
        public Builder requestTimeout(Duration v) {
            requestTimeout = v;
            return this;
        }

        /** Attempts per request through failures other than 429 (which {@link #patience} governs), the first included; 4 by default. */
        public Builder maxAttempts(int v) {
            maxAttempts = v;
            return this;
        }

        /** Wait before the first retry; 500 ms by default. */
        public Builder initialBackoff(Duration v) {
            initialBackoff = v;
            return this;
        }

        /** Growth of each further wait; 2 by default. */
        public Builder backoffMultiplier(double v) {
            backoffMultiplier = v;
            return this;
        }

        /** Longest back-off wait; 30 s by default. */
        public Builder maxBackoff(Duration v) {
            maxBackoff = v;
            return this;
        }

        /** Random spread of each wait, 0 to 1; 0.5 by default. */
        public Builder jitter(double v) {
            jitter = v;
            return this;
        }

        /** Longest {@code Retry-After} honoured; 120 s by default. */
        public Builder maxRetryAfter(Duration v) {
            maxRetryAfter = v;
            return this;
        }

        /**
         * Requests allowed per period, the most the platform is sent, spread evenly over the
         * period; 50 by default (each platform sets its own documented limit). The rate adapts
         * below it to the platform's 429s and reported limits.
         */
        public Builder requestsPerPeriod(int v) {
            requestsPerPeriod = v;
            return this;
        }

        /** The rate limit's period; 1 s by default. */
        public Builder period(Duration v) {
            period = v;
            return this;
        }

        /**
         * How long one call may wait, in all, for the platform's limits: its turn at the rate limit,
         * pauses a 429 asked for, and 429s retried; 10 min by default. Past it the call fails with
         * a {@link dev.panic.exception.RateLimitedException}. Zero fails a call at its first wait.
         */
        public Builder patience(Duration v) {
            patience = v;
            return this;
        }

        /**
         * How many times a paid request that failed on the platform's side after it may have run
         * (a server error answering it, a Replicate prediction that failed for lack of capacity) is
         * tried again; 0 by default, since each try may be billed. Adapters record the retries
         * they made in the prediction's metadata.
         */
        public Builder paidRetries(int v) {
            paidRetries = v;
            return this;
        }

        /** Requests in flight at once; 32 by default. */
        public Builder maxConcurrentCalls(int v) {
            maxConcurrentCalls = v;
            return this;
        }

        /** Longest wait in line for a place in flight; 10 min by default. */
        public Builder maxQueueWait(Duration v) {
            maxQueueWait = v;
            return this;
        }

        /** Failure percentage that opens the circuit; 50 by default. */
        public Builder failureRateThreshold(float v) {
            failureRateThreshold = v;
            return this;
        }

        /** Calls the circuit breaker looks at; 20 by default. */
        public Builder slidingWindowSize(int v) {
            slidingWindowSize = v;
            return this;
        }

        /** Calls needed before the circuit can open; 10 by default. */
        public Builder minimumNumberOfCalls(int v) {
            minimumNumberOfCalls = v;
            return this;
        }

        /** How long an open circuit refuses calls; 30 s by default. */
        public Builder openStateWait(Duration v) {
            openStateWait = v;
            return this;
        }

        /** Largest output file fetched; 100 MiB by default. */
        public Builder maxDownloadBytes(long v) {
            maxDownloadBytes = v;
            return this;
        }

        /**
         * The settings.
         *
         * @throws ValidationException naming the first value out of range
         */
        public HttpSettings build() {
            return new HttpSettings(connectTimeout, requestTimeout, maxAttempts, initialBackoff, backoffMultiplier,
                    maxBackoff, jitter, maxRetryAfter, requestsPerPeriod, period, maxConcurrentCalls,
                    maxQueueWait, failureRateThreshold, slidingWindowSize, minimumNumberOfCalls, openStateWait,
                    maxDownloadBytes, patience, paidRetries);
        }
    }
}
