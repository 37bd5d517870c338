package dev.panic.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads how long a platform asked us to wait: a {@code Retry-After} header or a {@code retry_after} body field. */
public final class RetryAfter {
    private RetryAfter() {
    }

    /**
     * Parses a {@code Retry-After} value: seconds (whole or decimal) or an HTTP date. A date in the
     * past means no wait. Anything else is ignored.
     */
    public static Optional<Duration> parseHeader(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        try {
            double seconds = Double.parseDouble(v);
            if (seconds >= 0 && !Double.isInfinite(seconds)) {
                return Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
            }
            return Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    /** The {@code retry_after} field (seconds) of a JSON error body, at the top or under {@code error}. */
    public static Optional<Duration> fromBody(JsonNode body) {
        if (body == null) {
            return Optional.empty();
        }
        for (JsonNode n : new JsonNode[] {body.get("retry_after"), body.path("error").get("retry_after")}) {
            if (n != null && n.isNumber() && n.asDouble() >= 0) {
                return Optional.of(Duration.ofMillis(Math.round(n.asDouble() * 1000)));
            }
            if (n != null && n.isTextual()) {
                Optional<Duration> d = parseHeader(n.asText(), Instant.now());
                if (d.isPresent()) {
                    return d;
                }
            }
        }
        return Optional.empty();
    }
}
