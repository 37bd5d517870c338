package dev.panic.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests: a cluster made with Debian's {@code initdb} in a
 * temporary folder, started with {@code pg_ctl} on a free loopback port, trusted logins, and
 * removed when the JVM exits. {@code initdb} refuses to run as root, so as root the server runs
 * as the {@code postgres} user that Debian's package creates. Each test takes a database of its
 * own ({@link #newDatabase()}).
 */
public final class PostgresCluster {

    private static PostgresCluster shared;

    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asPostgresUser;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresCluster(Path dir, Path bin, int port, boolean asPostgresUser) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The cluster of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized PostgresCluster shared() {
        if (shared == null) {
            shared = start();
            PostgresCluster c = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(c::stop, "postgres-cluster-stop"));
        }
        return shared;
    }

    /** The loopback port the server listens on. */
    public int port() {
        return port;
    }

    /** A new, empty database; returns its URL, e.g. {@code postgresql://postgres@127.0.0.1:PORT/t3}. */
    public String newDatabase() {
        String name = "t" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
        }
        return "postgresql://postgres@127.0.0.1:" + port + "/" + name;
    }

    /** A connection to a database of this cluster (by its URL), for tests that look at the tables. */
    public Connection connect(String url) throws SQLException {
        String database = url.substring(url.lastIndexOf('/') + 1);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
    }

    private static PostgresCluster start() {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Path dir = null;
            try {
                dir = Files.createTempDirectory("panic-pg-");
                if (root) {
                    // The server runs as 'postgres', which must own its folder and reach it.
                    UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                            .lookupPrincipalByName("postgres");
                    Files.setOwner(dir, postgres);
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                }
                int port = freePort();
                PostgresCluster c = new PostgresCluster(dir, bin, port, root);
                c.run(60, bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
                        "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
                c.run(90, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                        dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                                + " -c full_page_writes=off -c max_connections=300", "start");
                return c;
            } catch (IOException | IllegalStateException e) {
                last = new IllegalStateException("could not start a PostgreSQL server for the tests in " + dir + ": "
                        + e.getMessage() + serverLog(dir), e);
                deleteQuietly(dir);
            }
        }
        throw last;
    }

    private void stop() {
        try {
            run(60, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "stop");
        } catch (IOException | IllegalStateException e) {
            System.err.println("could not stop the test PostgreSQL server in " + dir + ": " + e.getMessage());
        }
        deleteQuietly(dir);
    }

    private void run(int timeoutSeconds, String... command) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        Path log = Files.createTempFile("panic-pg-cmd", ".log");
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish in " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " exited with " + p.exitValue() + ": "
                        + Files.readString(log).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + full.get(0), e);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Debian's binaries: the newest /usr/lib/postgresql/N/bin, or PANIC_PG_BIN. */
    private static Path binaries() {
        String given = System.getenv("PANIC_PG_BIN");
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        Path base = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(base)) {
            try (Stream<Path> versions = Files.list(base)) {
                var found = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> versionOf(v.getFileName().toString())));
                if (found.isPresent()) {
                    return found.get().resolve("bin");
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + base + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("no PostgreSQL server binaries in " + base + "; install Debian's postgresql"
                + " package (apt-get install postgresql; .ci/run does it) or set PANIC_PG_BIN to a folder with initdb");
    }

    private static int versionOf(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String serverLog(Path dir) {
        try {
            Path log = dir == null ? null : dir.resolve("server.log");
            return log != null && Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: the folder is in the temporary folder
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
