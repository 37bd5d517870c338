package dev.panic.internal.http;

import dev.panic.http.PermitSource;
import java.util.concurrent.atomic.AtomicReference;

/** The process-wide {@link PermitSource} that {@link PermitSource#shareByDefault} sets. */
public final class DefaultPermits {

    private static final AtomicReference<PermitSource> SOURCE = new AtomicReference<>();

    private DefaultPermits() {
    }

    /** Sets it, or clears it with null. */
    public static void set(PermitSource source) {
        SOURCE.set(source);
    }

    /** The source, or null. */
    public static PermitSource get() {
        return SOURCE.get();
    }
}
