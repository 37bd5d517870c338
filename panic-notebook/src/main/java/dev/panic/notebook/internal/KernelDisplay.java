package dev.panic.notebook.internal;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What PANIC needs of a notebook kernel: show a MIME bundle under a display id, and replace what
 * is shown under it. Each kernel adapter registers its kernel when the kernel loads it.
 */
public interface KernelDisplay {

    /** Shows {@code bundle} as a new output that can be replaced through {@code displayId}. */
    void display(Map<String, String> bundle, String displayId);

    /** Replaces the output shown under {@code displayId}. */
    void update(Map<String, String> bundle, String displayId);

    /** The kernel this JVM runs in, once its adapter was loaded; null otherwise. */
    static KernelDisplay current() {
        return Holder.CURRENT.get();
    }

    /** Called by an adapter when its kernel loads it. */
    static void register(KernelDisplay kernel) {
        Holder.CURRENT.set(kernel);
    }

    /** The registered kernel. */
    final class Holder {
        private static final AtomicReference<KernelDisplay> CURRENT = new AtomicReference<>();

        private Holder() {
        }
    }
}
