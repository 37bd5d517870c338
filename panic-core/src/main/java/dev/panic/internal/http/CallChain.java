package dev.panic.internal.http;

import dev.panic.exception.PanicException;
import dev.panic.exception.RateLimitedException;
import dev.panic.exception.CallTimeoutException;
import dev.panic.exception.UnavailableException;
import dev.panic.http.HttpSettings;
import dev.panic.http.PermitSource;
import dev.panic.spi.http.ApiRequest;
import dev.panic.spi.http.ApiResponse;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limit and retry chain of one platform, shared by every run that uses it. Each attempt of a
 * call takes a place in flight ({@link AsyncBulkhead}), then a permit ({@link SmoothLimiter}), then
 * the circuit breaker's leave, and only then goes on the wire, so that permits turn into requests
 * at the pace they are granted. With a shared {@link PermitSource}, each permit granted here then
 * reserves the shared bucket's next slot and waits for it, so that every process on the account
 * keeps to one limit. All waits are timers and futures; no thread sleeps.
 *
 * <p>Retries: a 429 is tried again after the wait the platform asked for plus up to
 * {@code jitter} of it (so refused calls do not return together), or after a back-off, for as long
 * as the call's {@linkplain HttpSettings#patience() patience} lasts; its place in line is kept.
 * Other failures get {@linkplain HttpSettings#maxAttempts() maxAttempts} in all: reads through
 * any transient failure, creates only when the platform never received them, or, as far as
 * {@linkplain HttpSettings#paidRetries() paidRetries} allows, after a server error.
 */
public final class CallChain {

    private static final Logger LOG = LoggerFactory.getLogger(CallChain.class);

    private final String platform;
    private final HttpSettings settings;
    private final ScheduledExecutorService timer;
    private final LongSupplier clock;
    private final DoubleSupplier random;
    private final SmoothLimiter limiter;
    private final AsyncBulkhead bulkhead;
    private final CircuitBreaker circuitBreaker;
    private final UnaryOperator<String> scrub;
    private final PermitSource permits;
    private final String bucket;
    private final AtomicBoolean sharedDown = new AtomicBoolean();

    /**
     * A chain for {@code platform}.
     *
     * @param clock  nanoseconds, as {@link System#nanoTime()}
     * @param random numbers in [0, 1), for jitter
     * @param scrub  removes the key from text before it is logged
     * @param permits the shared bucket's source, or null to limit this process's calls only
     * @param bucket  the shared bucket's name (used only with {@code permits})
     */
    public CallChain(String platform, HttpSettings settings, ScheduledExecutorService timer, LongSupplier clock,
                     DoubleSupplier random, UnaryOperator<String> scrub, PermitSource permits, String bucket) {
        this.platform = platform;
        this.permits = permits;
        this.bucket = bucket;
        this.settings = settings;
        this.timer = timer;
        this.clock = clock;
        this.random = random;
        this.scrub = scrub;
        this.limiter = new SmoothLimiter(settings.permitsPerSecond(), timer, clock, random);
        this.bulkhead = new AsyncBulkhead(platform, settings.maxConcurrentCalls(), settings.maxQueueWait(), timer);
        this.circuitBreaker = CircuitBreaker.of(platform, CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .waitDurationInOpenState(settings.openStateWait())
                .build());
    }

    /** The rate limit. */
    public SmoothLimiter limiter() {
        return limiter;
    }

    /**
     * Starts a call whose attempts {@code exchange} makes; {@code result} completes with its
     * answer or its typed failure. Cancelling {@code result} cancels the call.
     *
     * @param onLine   lines of a streamed answer go here, or null
     * @param maxBytes the most bytes an answer may have, or 0 for no cap
     */
    public Call start(ApiRequest request, Consumer<String> onLine, long maxBytes, CompletableFuture<ApiResponse> result,
                      Function<Call, CompletableFuture<ApiResponse>> exchange) {
        long now = clock.getAsLong();
        Call call = new Call(request, onLine, maxBytes, result, now, now + settings.patience().toNanos());
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                call.cancel();
            }
        });
        attempt(call, exchange);
        return call;
    }

    /** Cancels {@code call} if it is waiting rather than on the wire; see {@link Call#withdraw()}. */
    public boolean withdraw(Call call) {
        return call.withdraw();
    }

    private void attempt(Call call, Function<Call, CompletableFuture<ApiResponse>> exchange) {
        if (call.cancelled()) {
            return;
        }
        CompletableFuture<Void> place = call.track(bulkhead.acquire());
        failOnBug(call, place, place.whenComplete((granted, queueError) -> {
            if (queueError != null || call.cancelled()) {
                if (queueError == null) {
                    bulkhead.release(); // a place was granted to a call that no longer wants it
                }
                failed(call, queueError == null ? null
                        : new UnavailableException(unwrap(queueError).getMessage(), new NotSent("queue")), exchange);
                return;
            }
            SmoothLimiter.Ticket ticket = call.track(limiter.acquire(call.start));
            long left = call.deadline - clock.getAsLong();
            ScheduledFuture<?> giveUp = null;
            if (!ticket.isDone()) {
                if (left <= 0) {
                    ticket.completeExceptionally(patienceSpent(null));
                } else {
                    giveUp = timer.schedule(() -> {
                        ticket.completeExceptionally(patienceSpent(null));
                    }, left, TimeUnit.NANOSECONDS);
                }
            }
            ScheduledFuture<?> timeout = giveUp;
            failOnBug(call, ticket, ticket.whenComplete((grantedAt, permitError) -> {
                if (timeout != null) {
                    timeout.cancel(false);
                }
                if (permitError != null || call.cancelled()) {
                    bulkhead.release();
                    failed(call, permitError == null ? null : unwrap(permitError), exchange);
                    return;
                }
                if (permits == null) {
                    send(call, grantedAt, exchange);
                } else {
                    shared(call, grantedAt, exchange);
                }
            }));
        }));
    }

    /**
     * Reserves the shared bucket's next slot for a call granted a local permit, and sends it when
     * the slot comes. If the shared source fails, the call goes at this process's pace (said once
     * in the log), rather than failing runs because the shared limit cannot be reached.
     */
    private void shared(Call call, long grantedAt, Function<Call, CompletableFuture<ApiResponse>> exchange) {
        CompletableFuture<Duration> slot;
        try {
            slot = permits.reserve(bucket, Duration.ofNanos(Math.max(1L, Math.round(1e9 / limiter.rate()))));
        } catch (RuntimeException e) {
            slot = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Duration> reserved = call.track(slot);
        failOnBug(call, reserved, reserved.whenComplete((due, error) -> {
            if (call.cancelled() || reserved.isCancelled()) {
                bulkhead.release();
                failed(call, null, exchange);
                return;
            }
            long wait = 0;
            if (error != null) {
                if (sharedDown.compareAndSet(false, true)) {
                    LOG.warn("{}: the shared rate limit cannot be reached ({}); calls go at this process's own pace"
                            + " until it answers again", platform, scrub.apply(String.valueOf(unwrap(error))));
                }
            } else {
                if (sharedDown.compareAndSet(true, false)) {
                    LOG.info("{}: the shared rate limit answers again", platform);
                }
                wait = due.toNanos();
            }
            if (wait <= 0) {
                send(call, grantedAt, exchange);
                return;
            }
            if (clock.getAsLong() + wait - call.deadline > 0) {
                bulkhead.release();
                call.result.completeExceptionally(patienceSpent(null));
                return;
            }
            CompletableFuture<Void> later = new CompletableFuture<>();
            ScheduledFuture<?> timerTask = timer.schedule(() -> {
                later.complete(null);
            }, wait, TimeUnit.NANOSECONDS);
            later.whenComplete((v, e) -> timerTask.cancel(false));
            call.track(later).whenComplete((v, e) -> {
                if (e != null || call.cancelled()) {
                    bulkhead.release();
                    failed(call, null, exchange);
                } else {
                    send(call, grantedAt, exchange);
                }
            });
        }));
    }

    /**
     * A step of the chain that throws (its {@code source} did not fail, yet the step did) is a bug;
     * the call fails with it rather than waiting forever.
     */
    private static void failOnBug(Call call, CompletableFuture<?> source, CompletableFuture<?> step) {
        step.exceptionally(e -> {
            if (!source.isCompletedExceptionally()) {
                bug(call, unwrap(e));
            }
            return null;
        });
    }

    private static void bug(Call call, Throwable t) {
        if (!call.result.isDone()) {
            LOG.error("the HTTP chain failed on a call; this is a bug", t);
            call.result.completeExceptionally(new PanicException("the HTTP layer failed: " + t, t));
        }
    }

    private void send(Call call, long grantedAt, Function<Call, CompletableFuture<ApiResponse>> exchange) {
        if (!circuitBreaker.tryAcquirePermission()) {
            bulkhead.release();
            failed(call, new UnavailableException(platform + " has failed too often lately, so calls are paused for "
                    + settings.openStateWait() + " (circuit open); try again later", new NotSent("circuit open")), exchange);
            return;
        }
        if (!call.toWire()) {
            circuitBreaker.releasePermission();
            bulkhead.release();
            failed(call, null, exchange);
            return;
        }
        long sentAt = clock.getAsLong();
        CompletableFuture<ApiResponse> answer;
        try {
            answer = exchange.apply(call);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, error) -> {
            try {
                answered(call, grantedAt, sentAt, response, error, exchange);
            } catch (RuntimeException e) {
                bug(call, e);
            }
        });
    }

    private void answered(Call call, long grantedAt, long sentAt, ApiResponse response, Throwable error,
                          Function<Call, CompletableFuture<ApiResponse>> exchange) {
        call.offWire();
        bulkhead.release();
        long took = clock.getAsLong() - sentAt;
        Throwable failure = error == null ? null : unwrap(error);
        if (failure instanceof UnavailableException || failure instanceof CallTimeoutException) {
            circuitBreaker.onError(took, TimeUnit.NANOSECONDS, failure);
        } else {
            // A 4xx or a cancel is no sign the platform is down.
            circuitBreaker.onSuccess(took, TimeUnit.NANOSECONDS);
        }
        if (failure instanceof RateLimitedException r && r.httpStatus().isPresent()) {
            limiter.refused(grantedAt, r.retryAfter().orElse(null));
            if (permits != null && r.retryAfter().isPresent()) {
                pauseShared(r.retryAfter().get());
            }
        } else if (failure == null) {
            limiter.accepted(grantedAt);
        }
        if (failure == null) {
            call.result.complete(response);
        } else {
            failed(call, failure, exchange);
        }
    }

    /** Every caller on the account waits out a {@code Retry-After} one of them met. */
    private void pauseShared(Duration pause) {
        try {
            permits.pause(bucket, pause).exceptionally(e -> {
                LOG.debug("{}: could not pause the shared rate limit: {}", platform, scrub.apply(String.valueOf(e)));
                return null;
            });
        } catch (RuntimeException e) {
            LOG.debug("{}: could not pause the shared rate limit: {}", platform, scrub.apply(String.valueOf(e)));
        }
    }

    /** Decides what a failed attempt leads to: a retry later, or the call's end. Null means cancelled. */
    private void failed(Call call, Throwable failure, Function<Call, CompletableFuture<ApiResponse>> exchange) {
        if (failure == null || call.cancelled() || failure instanceof CancellationException) {
            call.result.completeExceptionally(new CancellationException("call cancelled"));
            return;
        }
        PanicException p = PanicException.from(failure);
        long wait;
        synchronized (call) {
            wait = retryWait(call, p);
        }
        if (wait < 0) {
            call.result.completeExceptionally(wait == GIVE_UP_PATIENCE ? patienceSpent(p) : p);
            return;
        }
        LOG.debug("{}: {} {} failed ({}); trying again in {} ms", platform, call.request.method(),
                scrub.apply(String.valueOf(call.request.uri())), scrub.apply(p.getMessage()),
                TimeUnit.NANOSECONDS.toMillis(wait));
        CompletableFuture<Void> later = new CompletableFuture<>();
        ScheduledFuture<?> timerTask = timer.schedule(() -> {
            later.complete(null);
        }, wait, TimeUnit.NANOSECONDS);
        later.whenComplete((v, e) -> timerTask.cancel(false));
        call.track(later).thenRun(() -> attempt(call, exchange));
    }

    private static final long GIVE_UP = -1;
    private static final long GIVE_UP_PATIENCE = -2;

    /** Nanoseconds to wait before the next attempt, or {@link #GIVE_UP} / {@link #GIVE_UP_PATIENCE}. */
    private long retryWait(Call call, PanicException p) {
        boolean create = call.request.kind() == ApiRequest.Kind.CREATE;
        if (p instanceof RateLimitedException && p.httpStatus().isPresent()) {
            Duration asked = p.retryAfter().orElse(null);
            if (asked != null && asked.compareTo(settings.maxRetryAfter()) > 0) {
                return GIVE_UP;
            }
            long wait = asked != null
                    ? asked.toNanos() + Math.round(asked.toNanos() * settings.jitter() * random.getAsDouble())
                    : backoff(call.refusals);
            call.refusals++;
            return clock.getAsLong() + wait - call.deadline > 0 ? GIVE_UP_PATIENCE : wait;
        }
        if (call.failures + 1 >= settings.maxAttempts()) {
            return GIVE_UP;
        }
        boolean paid = create && !neverSent(p) && mayHaveRun(p);
        boolean again = !create ? p.isRetriable() : neverSent(p) || (paid && call.paidRetries < settings.paidRetries());
        if (!again || p.retryAfter().map(d -> d.compareTo(settings.maxRetryAfter()) > 0).orElse(false)) {
            return GIVE_UP;
        }
        if (paid) {
            call.paidRetries++;
        }
        call.failures++;
        return p.retryAfter().map(Duration::toNanos).orElseGet(() -> backoff(call.failures));
    }

    /** Exponential back-off with jitter for the {@code n}th retry (from 1). */
    private long backoff(int n) {
        double base = settings.initialBackoff().toNanos() * Math.pow(settings.backoffMultiplier(), Math.max(0, n - 1));
        double capped = Math.min(base, settings.maxBackoff().toNanos());
        double spread = 1 + settings.jitter() * (2 * random.getAsDouble() - 1);
        return Math.max(1L, Math.round(capped * spread));
    }

    private RateLimitedException patienceSpent(PanicException last) {
        return new RateLimitedException(platform + " kept this call waiting for its rate limit longer than the call's"
                + " patience of " + settings.patience() + (last == null ? "" : " (last answer: " + last.getMessage() + ")")
                + "; slow down, or raise HttpSettings.patience", new NotSent("patience"),
                last == null ? null : last.retryAfter().orElse(null));
    }

    /** A failure the platform answered after it may have acted on the request: a server error or timeout. */
    private static boolean mayHaveRun(PanicException p) {
        return (p instanceof UnavailableException || p instanceof CallTimeoutException) && p.isRetriable();
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
    static final class NotSent extends RuntimeException {
        NotSent(String message) {
            super(message, null, false, false);
        }
    }

    static Throwable unwrap(Throwable t) {
        return PanicException.unwrap(t);
    }

    /**
     * Calls on the wire and calls waiting (for a place in flight or a permit; a call holds its
     * place while it waits for its permit), for tests and diagnostics.
     */
    public String loadDescription() {
        int forPermit = limiter.waiting();
        return Math.max(0, bulkhead.inUse() - forPermit) + " in flight, " + (bulkhead.waiting() + forPermit)
                + " waiting, circuit " + circuitBreaker.getState();
    }
}
