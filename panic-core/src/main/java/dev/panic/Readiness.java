package dev.panic;

/**
 * Whether a platform can be used now, and why not.
 *
 * @param ready  true if calls can be expected to work
 * @param detail one line: what was checked, or what to do (e.g. "set REPLICATE_API_TOKEN")
 */
public record Readiness(boolean ready, String detail) {
    /** Usable. */
    public static Readiness ready(String detail) {
        return new Readiness(true, detail);
    }

    /** Not usable, with what to do about it. */
    public static Readiness notReady(String detail) {
        return new Readiness(false, detail);
    }
}
