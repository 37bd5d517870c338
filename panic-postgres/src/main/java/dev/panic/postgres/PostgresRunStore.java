package dev.panic.postgres;

import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.RunInfo;
import dev.panic.exception.ValidationException;
import dev.panic.http.PermitSource;
import dev.panic.postgres.internal.PgLocation;
import dev.panic.postgres.internal.PgRunStore;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@link RunStore} in a PostgreSQL database that many processes on many machines write and
 * read at once: a research group's shared store of runs, the store of a web frontend, the store
 * that {@code panic worker}s on several hosts share.
 *
 * <pre>{@code
 * try (PostgresRunStore store = PostgresRunStore.open("postgresql://panic@db.example.com:5432/panic")) {
 *     Run run = Run.builder(loop, Payload.text("a red circle")).maxSteps(40).store(store).start();
 * }
 * }</pre>
 *
 * <p>It keeps what the directory store keeps, in tables ({@code panic_runs}, {@code panic_run_specs},
 * {@code panic_revisions}, {@code panic_predictions}, {@code panic_embeddings}, {@code panic_media},
 * {@code panic_analyses}, and {@code panic_rate_buckets} for {@link #permits()}) that it creates and migrates itself (Flyway, history in
 * {@code panic_schema_history}) in the connection's schema: descriptions, specs, predictions and
 * revisions as the directory store's JSON, vectors as little-endian float32 {@code bytea}, and
 * each image or sound once for all runs, by SHA-256, as {@code bytea}. A fork keeps only its own
 * predictions; its trajectory is read through its parent's.
 *
 * <p><b>One writer per run.</b> A recorder holds its run by a lease that lapses
 * {@linkplain Builder#lease(Duration) 30 seconds} (by default) after it was last renewed, by the
 * database's clock; every write and a timer renew it. A run whose writer died reads as
 * {@link dev.panic.RunStatus#INTERRUPTED} once its lease has lapsed, and can be taken over with
 * {@link #resume}. Every write checks the lease in its own transaction, so a writer that lost its
 * lease (paused, or cut off from the database, for longer than the lease) cannot write again, even
 * if it wakes up after another process took the run over.
 *
 * <p><b>Readers see live runs.</b> Each record is committed before the recorder returns; streams
 * from {@link #predictions} read a page at a time as they are consumed, in short transactions,
 * and so see predictions saved after they began. A live run's {@link RunInfo#predictions()} counts
 * the predictions saved so far.
 *
 * <p>Thread-safe. Close it to close its connections.
 */
public final class PostgresRunStore implements RunStore, AutoCloseable {

    /** The lease a writer holds a run by, unless {@link Builder#lease(Duration)} says otherwise. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    private final PgRunStore store;

    private PostgresRunStore(PgRunStore store) {
        this.store = store;
    }

    /**
     * Opens the store at a libpq-style URL, {@code postgresql://[user[:password]@]host[:port][/database][?param=value…]},
     * with the default settings. Query parameters go to the JDBC driver (e.g. {@code sslmode=require}),
     * except {@code pool_size}, the most connections the store opens (8 by default), and
     * {@code lease_seconds}, the lease a writer holds a run by (30 by default). Without a
     * password in the URL, {@code PGPASSWORD} is used, else the driver reads {@code ~/.pgpass}.
     *
     * @throws ValidationException                     if the URL is not a PostgreSQL URL
     * @throws dev.panic.exception.UnavailableException if the database cannot be reached
     * @throws dev.panic.exception.PanicException       if its tables cannot be created or migrated
     */
    public static PostgresRunStore open(String url) {
        return builder(url).build();
    }

    /** A builder for the store at {@code url} (see {@link #open(String)}). */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** Settings of a {@link PostgresRunStore}. */
    public static final class Builder {
        private final String url;
        private String password;
        private Duration lease;
        private int poolSize;

        private Builder(String url) {
            this.url = url;
        }

        /** The password, instead of one in the URL or {@code PGPASSWORD}. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * How long a writer's hold on a run outlives its last renewal: how soon a run whose writer
         * died can be taken over, and how long a writer may be cut off before it loses its run.
         * At least one second; overrides {@code lease_seconds} in the URL.
         */
        public Builder lease(Duration lease) {
            if (lease == null || lease.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new ValidationException("a lease must last at least a second, got " + lease);
            }
            this.lease = lease;
            return this;
        }

        /** The most connections the store opens at once (default 8, or {@code pool_size} in the URL). */
        public Builder poolSize(int poolSize) {
            if (poolSize < 1) {
                throw new ValidationException("a pool needs at least one connection, got " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        /** Connects, creates or migrates the tables, and returns the store. */
        public PostgresRunStore build() {
            PgLocation location = PgLocation.parse(url, password != null ? password : System.getenv("PGPASSWORD"));
            Duration held = lease != null ? lease : location.lease() != null ? location.lease() : DEFAULT_LEASE;
            return new PostgresRunStore(new PgRunStore(location, poolSize, held));
        }
    }

    /** The store's location without its password, e.g. {@code postgresql://panic@db:5432/panic}. */
    public String location() {
        return store.display();
    }

    @Override
    public Recorder create(RunInfo info) {
        return store.create(info);
    }

    @Override
    public Recorder resume(String runId) {
        return store.resume(runId);
    }

    @Override
    public StoredRun read(String runId) {
        return store.read(runId);
    }

    @Override
    public RunInfo info(String runId) {
        return store.info(runId);
    }

    @Override
    public Stream<Prediction> predictions(String runId, int fromSequence) {
        return store.predictions(runId, fromSequence);
    }

    @Override
    public List<Revision> revisions(String runId) {
        return store.revisions(runId);
    }

    @Override
    public List<String> runIds() {
        return store.runIds();
    }

    @Override
    public List<String> children(String runId) {
        return store.children(runId);
    }

    /**
     * Deletes a run with everything it saved, and the images and sounds no other run uses; refuses
     * a live run and a run that forks share. Finding the media no other run uses reads the other
     * runs' records, so it takes time in proportion to the store's size.
     */
    @Override
    public void delete(String runId) {
        store.delete(runId);
    }

    /** Saves an analysis in {@code panic_analyses}, replacing the run's earlier one. */
    @Override
    public void saveAnalysis(String runId, String json) {
        store.saveAnalysis(runId, json);
    }

    /**
     * Platforms' rate limits shared by every process that uses this database: one bucket per
     * platform and key (named by a fingerprint, never the key), in {@code panic_rate_buckets}, each
     * permit reserved in one {@code UPDATE ... RETURNING} on the database's clock. Give it to
     * {@link PermitSource#shareByDefault} before the platforms are created (as {@code panic worker
     * --store postgresql://…} does) or to {@code PlatformHttp.Builder.permits}. If the database
     * cannot be reached, calls go at each process's own pace until it answers again.
     */
    public PermitSource permits() {
        return store.permits();
    }

    /** The connection pool, for tests. */
    com.zaxxer.hikari.HikariDataSource pool() {
        return store.pool();
    }

    /** Closes its connections; recorders still open lose their runs when their leases lapse. */
    @Override
    public void close() {
        store.close();
    }

    /** Names the location, never the password. */
    @Override
    public String toString() {
        return store.toString();
    }
}
