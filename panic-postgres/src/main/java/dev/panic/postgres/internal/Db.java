package dev.panic.postgres.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.panic.exception.PanicException;
import dev.panic.exception.UnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The store's connection pool, its schema migrations, and one way to run work in a transaction
 * that turns every {@link SQLException} into a {@link PanicException} naming the store.
 */
public final class Db implements AutoCloseable {

    /** Work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T on(Connection connection) throws SQLException;
    }

    /** The SQLSTATE of a unique constraint that a row broke. */
    public static final String UNIQUE_VIOLATION = "23505";

    private static final int DEFAULT_POOL_SIZE = 8;

    private final HikariDataSource pool;
    private final String display;

    private Db(HikariDataSource pool, String display) {
        this.pool = pool;
        this.display = display;
    }

    /** Opens a pool on {@code location} and brings the schema up to date. */
    public static Db open(PgLocation location, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(location.jdbcUrl());
        if (location.user() != null) {
            config.setUsername(location.user());
        }
        if (location.password() != null) {
            config.setPassword(location.password());
        }
        location.properties().forEach(config::addDataSourceProperty);
        config.addDataSourceProperty("ApplicationName", "panic");
        int size = poolSize > 0 ? poolSize : location.poolSize() > 0 ? location.poolSize() : DEFAULT_POOL_SIZE;
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(2, size));
        config.setPoolName("panic-store");
        config.setAutoCommit(false);
        config.setConnectionTimeout(Duration.ofSeconds(15).toMillis());
        // Fail now, with a clear message, rather than at the first run.
        config.setInitializationFailTimeout(Duration.ofSeconds(15).toMillis());
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new UnavailableException("could not connect to the run store " + location.display() + ": "
                    + rootMessage(e) + "; check that the server runs, the database exists and the user may log in"
                    + " (password in the URL, PGPASSWORD or ~/.pgpass)", e);
        }
        Db db = new Db(pool, location.display());
        try {
            migrate(pool, location.display());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return db;
    }

    private static void migrate(HikariDataSource pool, String display) {
        try {
            Flyway.configure(Db.class.getClassLoader())
                    .dataSource(pool)
                    // A table of its own, so that PANIC's tables can share a schema with an application's.
                    .table("panic_schema_history")
                    .locations("classpath:dev/panic/postgres/migration")
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new PanicException("could not bring the run store's tables in " + display + " up to date: "
                    + rootMessage(e) + "; the user needs the right to create tables in its schema", e);
        }
    }

    /** Runs {@code work} in a transaction of its own, committed when it returns and rolled back when it throws. */
    public <T> T transaction(String what, Work<T> work) {
        try (Connection c = pool.getConnection()) {
            try {
                T result = work.on(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** The exception for a failed statement: unavailable when the server could not be reached. */
    public PanicException failure(String what, SQLException e) {
        String state = e.getSQLState();
        String message = "could not " + what + " in " + display + ": " + rootMessage(e)
                + (state == null ? "" : " (SQLSTATE " + state + ")");
        if (e instanceof SQLTransientConnectionException || state != null && state.startsWith("08")) {
            return new UnavailableException(message + "; check that the database server is reachable", e);
        }
        return new PanicException(message, e);
    }

    /** The location without its password. */
    public String display() {
        return display;
    }

    /** The pool, for tests and metrics. */
    public HikariDataSource pool() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }

    private static void rollbackQuietly(Connection c, Exception primary) {
        try {
            c.rollback();
        } catch (SQLException e) {
            primary.addSuppressed(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
