package dev.panic.http;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The process-wide {@link PermitSource} that {@link PermitSource#shareByDefault} sets; others read it
 * through {@link PermitSource#byDefault}.
 */
final class DefaultPermits {

    private static final AtomicReference<PermitSource> SOURCE = new AtomicReference<>();

    private DefaultPermits() {
    }

    /** Sets it, or clears it with null. */
    static void set(PermitSource source) {
        SOURCE.set(source);
    }

    /** The source, or null. */
    static PermitSource get() {
        return SOURCE.get();
    }
}
