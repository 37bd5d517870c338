package dev.panic.postgres.internal;

import dev.panic.exception.ValidationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A PostgreSQL location as libpq writes it, {@code postgresql://[user[:password]@][host][:port][/database][?k=v&…]},
 * turned into what JDBC needs. Query parameters go to the driver (e.g. {@code sslmode=require}), except
 * PANIC's own {@code pool_size} and {@code lease_seconds}. A password comes from the URL, else {@code PGPASSWORD}, else the
 * driver's {@code ~/.pgpass}; it never appears in {@link #display()}.
 *
 * @param jdbcUrl    {@code jdbc:postgresql://host:port/database}
 * @param user       the user name, or null for the driver's default
 * @param password   the password, or null
 * @param properties the driver properties from the query
 * @param poolSize   the largest number of connections the store opens, or 0 for the default
 * @param lease      how long a writer's lease lasts, or null for the default
 * @param display    the location without its password, for messages
 */
public record PgLocation(String jdbcUrl, String user, String password, Map<String, String> properties, int poolSize,
                         java.time.Duration lease, String display) {

    /** Parses a location. */
    public static PgLocation parse(String location, String environmentPassword) {
        if (location == null) {
            throw new ValidationException("the PostgreSQL location is null; give postgresql://user@host:5432/database");
        }
        URI uri;
        try {
            uri = new URI(location.trim());
        } catch (URISyntaxException e) {
            throw new ValidationException("'" + redact(location) + "' is not a PostgreSQL URL (" + e.getReason()
                    + "); write postgresql://user@host:5432/database, with special characters percent-encoded");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
            throw new ValidationException("'" + redact(location) + "' is not a PostgreSQL URL; it must start with"
                    + " postgresql://");
        }
        if (uri.getRawAuthority() != null && uri.getHost() == null) {
            throw new ValidationException("cannot read a host and port in '" + redact(location)
                    + "'; write postgresql://user@host:5432/database");
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        if (password == null && environmentPassword != null && !environmentPassword.isEmpty()) {
            password = environmentPassword;
        }
        String host = uri.getHost() == null ? "localhost" : uri.getHost();
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = path.length() > 1 ? decode(path.substring(1)) : user != null ? user : "postgres";
        if (database.contains("/")) {
            throw new ValidationException("'" + redact(location) + "' names the database '" + database
                    + "'; a database name has no '/'");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        int poolSize = 0;
        java.time.Duration lease = null;
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (key.equals("pool_size")) {
                    poolSize = atLeastOne(key, value, location);
                } else if (key.equals("lease_seconds")) {
                    lease = java.time.Duration.ofSeconds(atLeastOne(key, value, location));
                } else if (key.equals("password") || key.equals("user")) {
                    throw new ValidationException("give the " + key + " in the URL's user part"
                            + " (postgresql://user:password@host/db) or PGPASSWORD, not as a query parameter");
                } else {
                    properties.put(key, value);
                }
            }
        }
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String jdbc = "jdbc:postgresql://" + hostPart + ":" + port + "/" + database;
        String display = "postgresql://" + (user == null ? "" : user + "@") + hostPart + ":" + port + "/" + database;
        return new PgLocation(jdbc, user, password, Map.copyOf(properties), poolSize, lease, display);
    }

    private static int atLeastOne(String key, String value, String location) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new ValidationException(key + " in '" + redact(location) + "' must be a whole number of at least 1, got '"
                + value + "'");
    }

    /** The location with any password in it replaced, for messages about a location that did not parse. */
    static String redact(String location) {
        return location.replaceAll("(?<=://)([^:/@]*):[^@/]*@", "$1:***@");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return display;
    }
}
