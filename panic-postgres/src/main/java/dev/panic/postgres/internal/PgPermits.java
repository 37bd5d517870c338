package dev.panic.postgres.internal;

import dev.panic.http.PermitSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rate-limit buckets in {@code panic_rate_buckets}: the generic cell rate algorithm with its
 * schedule in the database. A reservation moves the bucket's {@code next_at} on by one interval
 * from the later of itself and now (less a little slack, as the in-process limiter allows, so
 * that a late timer does not lower the rate) and answers how long until the reserved permit is
 * due, all in one {@code UPDATE ... RETURNING} on the database's clock, taken after the row lock
 * is held. The JDBC work runs on two threads of its own, never the caller's.
 */
public final class PgPermits implements PermitSource, AutoCloseable {

    /** How far behind its schedule a bucket may fall and still catch up: two permits' time, at most this. */
    private static final long MAX_SLACK_MICROS = 100_000;

    private static final String RESERVE = "UPDATE panic_rate_buckets"
            + " SET next_at = greatest(next_at, clock_timestamp() - ? * interval '1 microsecond')"
            + " + ? * interval '1 microsecond', updated_at = clock_timestamp()"
            + " WHERE bucket = ? RETURNING (extract(epoch FROM next_at - updated_at) * 1000000)::bigint";
    private static final String CREATE = "INSERT INTO panic_rate_buckets (bucket, next_at, updated_at)"
            + " VALUES (?, clock_timestamp(), clock_timestamp()) ON CONFLICT (bucket) DO NOTHING";
    private static final String PAUSE = "UPDATE panic_rate_buckets"
            + " SET next_at = greatest(next_at, clock_timestamp() + ? * interval '1 microsecond') WHERE bucket = ?";

    private final Db db;
    private final ExecutorService threads;

    public PgPermits(Db db) {
        this.db = db;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "panic-permits-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public CompletableFuture<Duration> reserve(String bucket, Duration interval) {
        Objects.requireNonNull(bucket, "bucket");
        long step = Math.max(1, interval.toNanos() / 1000);
        long slack = Math.min(2 * step, MAX_SLACK_MICROS);
        return submit(() -> {
            long until = db.transaction("reserve a permit of rate limit " + bucket, c -> {
                for (int attempt = 0; ; attempt++) {
                    try (PreparedStatement s = c.prepareStatement(RESERVE)) {
                        s.setLong(1, slack);
                        s.setLong(2, step);
                        s.setString(3, bucket);
                        try (ResultSet r = s.executeQuery()) {
                            if (r.next()) {
                                return r.getLong(1);
                            }
                        }
                    }
                    if (attempt > 0) {
                        throw new java.sql.SQLException("bucket " + bucket + " vanished while it was created");
                    }
                    try (PreparedStatement s = c.prepareStatement(CREATE)) {
                        s.setString(1, bucket);
                        s.executeUpdate();
                    }
                }
            });
            // next_at is one interval past the permit reserved.
            return Duration.ofNanos((until - step) * 1000);
        });
    }

    @Override
    public CompletableFuture<Void> pause(String bucket, Duration pause) {
        long micros = Math.max(0, pause.toNanos() / 1000);
        return submit(() -> {
            db.transaction("pause rate limit " + bucket, c -> {
                try (PreparedStatement s = c.prepareStatement(PAUSE)) {
                    s.setLong(1, micros);
                    s.setString(2, bucket);
                    return s.executeUpdate();
                }
            });
            return null;
        });
    }

    private <T> CompletableFuture<T> submit(java.util.function.Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, threads);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the run store is closed", e));
        }
    }

    /** Lets reservations under way finish (a second at most), then refuses new ones. */
    @Override
    public void close() {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "rate limits in " + db.display();
    }
}
