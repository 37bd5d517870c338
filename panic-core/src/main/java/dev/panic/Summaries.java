package dev.panic;

import java.util.Locale;

/** Short human-readable forms shared by the payload summaries. */
final class Summaries {
    private Summaries() {
    }

    static String shorten(String s, int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be at least 1, got " + maxChars);
        }
        return s.length() <= maxChars ? s : s.substring(0, Math.max(0, maxChars - 1)) + "…";
    }

    static String byteSize(long n) {
        if (n < 1000) {
            return n + " B";
        }
        if (n < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f kB", n / 1000.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", n / 1_000_000.0);
    }
}
