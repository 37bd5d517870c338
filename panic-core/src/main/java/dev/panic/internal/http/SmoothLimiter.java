package dev.panic.internal.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * A platform's rate limit: permits handed one at a time, evenly spaced, to calls waiting in line.
 *
 * <p>Servers refill their allowance continuously (a token bucket, a sliding window), so a limiter
 * that releases a period's permits in one burst drifts against them and meets 429s even at the
 * right average rate. Here permit {@code k} is granted no earlier than {@code 1 / rate} after
 * permit {@code k - 1} (the generic cell rate algorithm, with a little slack so that a late timer
 * does not lower the rate: after a quiet spell at most three go out together). Nothing is reserved ahead: a waiter is only a place in line, so a rate
 * change applies to every waiter at once, and a waiter that leaves (its call cancelled, its
 * patience spent) costs no permit.
 *
 * <p>The rate adapts below its ceiling (the configured limit, or the limit the platform reported
 * if lower): a 429 for a permit granted at the current rate multiplies it by {@value #DECREASE}
 * and, if the 429 said how long, pauses every grant that long (a little jittered, so clients
 * sharing an account do not come back together); 429s for permits granted before that cut, or
 * before a reported limit brought the rate down, belong to the same overload and change nothing. Each success while calls wait raises the rate by
 * {@value #INCREASE_PER_SECOND} of itself per second of such successes, back to the ceiling.
 * Waiting is a timer on the shared scheduler; no thread sleeps.
 */
public final class SmoothLimiter {

    /** What a 429 leaves of the rate. */
    static final double DECREASE = 0.7;
    /** How fast the rate climbs back while calls wait: this fraction of itself per second. */
    static final double INCREASE_PER_SECOND = 0.05;
    /** The rate is never cut below one permit a minute (or the ceiling, if lower). */
    static final double FLOOR_PER_SECOND = 1.0 / 60;
    /** Spread of the platform-wide pause beyond the wait the platform asked for. */
    static final double PAUSE_JITTER = 0.1;
    /**
     * How far behind schedule the grants may fall and still catch up: a timer that fires late on a
     * busy machine must not lower the rate, yet catching up may not become a burst a server minds.
     * Two permits' time, at most 100 ms.
     */
    private static final long MAX_SLACK = TimeUnit.MILLISECONDS.toNanos(100);

    private final double configured;
    private final ScheduledExecutorService timer;
    private final LongSupplier clock;
    private final DoubleSupplier random;

    private final PriorityQueue<Ticket> line = new PriorityQueue<>(
            java.util.Comparator.comparingLong((Ticket t) -> t.priority).thenComparingLong(t -> t.order));
    private double ceiling;
    private double rate;
    private long nextAt;
    private long lastGrant;
    private boolean anyGranted;
    private long pausedUntil;
    private long lastRaise;
    private boolean cut;
    private long epoch;
    private boolean epochSet;
    private long sequence;
    private ScheduledFuture<?> wakeup;
    private long wakeupAt;

    /**
     * A limiter of at most {@code perSecond} permits a second.
     *
     * @param clock  nanoseconds, as {@link System#nanoTime()}
     * @param random numbers in [0, 1), for the pause's jitter
     */
    public SmoothLimiter(double perSecond, ScheduledExecutorService timer, LongSupplier clock, DoubleSupplier random) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("a rate limit needs a positive rate, got " + perSecond);
        }
        this.configured = perSecond;
        this.ceiling = perSecond;
        this.rate = perSecond;
        this.timer = timer;
        this.clock = clock;
        this.random = random;
        long now = clock.getAsLong();
        this.nextAt = now;
        this.pausedUntil = now;
        this.lastRaise = now;
    }

    /**
     * A waiter's place in line: completes with the time (clock nanoseconds) its permit was granted.
     * Cancelling it, or failing it, takes it out of line without spending a permit.
     */
    public final class Ticket extends CompletableFuture<Long> {
        private final long priority;
        private final long order;

        private Ticket(long priority, long order) {
            this.priority = priority;
            this.order = order;
        }
    }

    /**
     * Joins the line. Waiters are served by {@code priority} (lower first), then in order of
     * arrival: a call retried after a 429 passes its first attempt's time so it keeps its place.
     */
    public Ticket acquire(long priority) {
        Ticket t;
        synchronized (this) {
            t = new Ticket(priority, sequence++);
            line.add(t);
        }
        t.whenComplete((granted, error) -> {
            if (error != null) {
                synchronized (this) {
                    line.remove(t);
                }
            }
        });
        drain();
        return t;
    }

    /** Grants every permit that is due, and sets a timer for the next one. */
    private void drain() {
        List<Ticket> granted = new ArrayList<>();
        long now = clock.getAsLong();
        synchronized (this) {
            while (!line.isEmpty()) {
                Ticket head = line.peek();
                if (head.isDone()) {
                    line.poll();
                    continue;
                }
                long due = Math.max(nextAt, pausedUntil);
                if (now - due < 0) {
                    wakeAt(due, now);
                    break;
                }
                line.poll();
                long interval = interval();
                nextAt = Math.max(nextAt, now - Math.min(2 * interval, MAX_SLACK)) + interval;
                lastGrant = now;
                anyGranted = true;
                granted.add(head);
            }
        }
        boolean refunded = false;
        for (Ticket t : granted) {
            if (!t.complete(now)) {
                // It left between being chosen and being told: its permit goes to the next in line.
                synchronized (this) {
                    nextAt -= interval();
                }
                refunded = true;
            }
        }
        if (refunded) {
            drain();
        }
    }

    private void wakeAt(long due, long now) {
        if (wakeup != null && wakeupAt - due <= 0) {
            return;
        }
        if (wakeup != null) {
            wakeup.cancel(false);
        }
        wakeupAt = due;
        wakeup = timer.schedule(this::wake, due - now, TimeUnit.NANOSECONDS);
    }

    private void wake() {
        synchronized (this) {
            wakeup = null;
        }
        drain();
    }

    private void newEpoch(long now) {
        epoch = now;
        epochSet = true;
    }

    /** After the rate came down, the next permit is one new interval after the last: no debt at the old pace. */
    private void respace() {
        if (anyGranted && lastGrant + interval() - nextAt > 0) {
            nextAt = lastGrant + interval();
        }
    }

    private long interval() {
        return Math.max(1L, Math.round(1e9 / rate));
    }

    /** A call whose permit was granted at {@code grantedAt} was answered without a 429. */
    public void accepted(long grantedAt) {
        synchronized (this) {
            long now = clock.getAsLong();
            // Time since the last raise counts while calls wait; a long quiet spell does not, beyond two permits' time.
            double seconds = Math.min(Math.max(1.0, 2.0 / rate), (now - lastRaise) / 1e9);
            lastRaise = now;
            if (!line.isEmpty() && rate < ceiling && seconds > 0) {
                rate = Math.min(ceiling, rate * (1 + INCREASE_PER_SECOND * seconds));
            }
        }
    }

    /**
     * A call whose permit was granted at {@code grantedAt} was refused with a 429.
     *
     * @param retryAfter the wait the platform asked for, or null
     */
    public void refused(long grantedAt, Duration retryAfter) {
        synchronized (this) {
            if (epochSet && grantedAt - epoch <= 0) {
                return; // sent before the rate last came down: the same overload, already answered
            }
            long now = clock.getAsLong();
            cut = true;
            newEpoch(now);
            lastRaise = now;
            rate = Math.max(Math.min(FLOOR_PER_SECOND, ceiling), rate * DECREASE);
            respace();
            if (retryAfter != null && !retryAfter.isNegative()) {
                long pause = Math.round(retryAfter.toNanos() * (1 + PAUSE_JITTER * random.getAsDouble()));
                if (now + pause - pausedUntil > 0) {
                    pausedUntil = now + pause;
                }
            }
        }
        drain();
    }

    /**
     * The platform said how many requests a second the account may make: that becomes the
     * ceiling (never above the configured limit), and the rate comes down to it at once. A higher
     * report than the current rate lets it climb back, as successes come, to the new ceiling.
     */
    public void limitTo(double perSecond) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            return;
        }
        synchronized (this) {
            ceiling = Math.min(configured, perSecond);
            if (rate > ceiling || !cut) {
                if (ceiling < rate) {
                    newEpoch(clock.getAsLong()); // 429s for calls sent at the old pace are no news
                }
                rate = ceiling; // nothing refused yet: the reported limit is the best knowledge there is
            }
            respace();
        }
        drain();
    }

    /** Permits a second now. */
    public synchronized double rate() {
        return rate;
    }

    /** The most permits a second now: the configured limit, or the platform's if lower. */
    public synchronized double ceiling() {
        return ceiling;
    }

    /** Calls waiting for a permit. */
    public synchronized int waiting() {
        return (int) line.stream().filter(t -> !t.isDone()).count();
    }

    /** How long from now grants are paused, or zero. */
    public synchronized Duration pause() {
        long left = pausedUntil - clock.getAsLong();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }
}
