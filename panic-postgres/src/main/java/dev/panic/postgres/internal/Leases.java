package dev.panic.postgres.internal;

import java.security.SecureRandom;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writers' leases on their runs. A recorder holds its run by a lease in {@code panic_runs}
 * that lapses {@code duration} after it was last renewed, by the database's clock: every write
 * renews it, and so does this keeper, a third of a lease apart, while the run waits for a slow
 * model. A writer that dies stops renewing; its run then reads as interrupted and another process
 * may take it over. A lease that could not be renewed in time (the process was paused, or cut off
 * from the database) is lost for good: its recorder refuses to write, so two writers never drive
 * one run.
 */
final class Leases implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Db db;
    private final Duration duration;
    private final Map<String, PgRecorder> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> renewing;

    Leases(Db db, Duration duration) {
        this.db = db;
        this.duration = duration;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "panic-store-leases");
            t.setDaemon(true);
            return t;
        });
    }

    Duration duration() {
        return duration;
    }

    /** The lease interval as SQL takes it, in seconds (fractions allowed). */
    double seconds() {
        return duration.toNanos() / 1e9;
    }

    /** A name for a new lease: unique, and saying who holds it for the messages of refused writers. */
    static String newHolder() {
        byte[] r = new byte[6];
        RANDOM.nextBytes(r);
        String host = System.getenv("HOSTNAME");
        return HexFormat.of().formatHex(r) + " pid " + ProcessHandle.current().pid() + " on "
                + (host == null || host.isBlank() ? "an unnamed host" : host);
    }

    synchronized void hold(PgRecorder recorder) {
        held.put(recorder.holder(), recorder);
        if (renewing == null) {
            long every = Math.max(1, duration.toMillis() / 3);
            renewing = timer.scheduleWithFixedDelay(this::renewAll, every, every, TimeUnit.MILLISECONDS);
        }
    }

    void release(PgRecorder recorder) {
        held.remove(recorder.holder());
    }

    private void renewAll() {
        if (held.isEmpty()) {
            return;
        }
        Set<String> holders = new HashSet<>(held.keySet());
        try {
            Set<String> renewed = db.transaction("renew the leases of live runs", c -> {
                Set<String> out = new HashSet<>();
                try (PreparedStatement s = c.prepareStatement("UPDATE panic_runs SET lease_until = clock_timestamp()"
                        + " + make_interval(secs => ?) WHERE lease_holder = ANY (?) RETURNING lease_holder")) {
                    s.setDouble(1, seconds());
                    Array array = c.createArrayOf("text", holders.toArray());
                    s.setArray(2, array);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getString(1));
                        }
                    }
                }
                return out;
            });
            for (String h : holders) {
                PgRecorder r = held.get(h);
                if (r != null && !renewed.contains(h)) {
                    r.leaseLost("its lease could not be renewed: another writer took the run over");
                }
            }
        } catch (RuntimeException e) {
            // The next try may reach the database; each write checks the lease itself.
            LOG.warn("could not renew the leases of {} live run(s) in {}: {}", holders.size(), db.display(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
