package dev.panic.notebook.jjava;

import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.analysis.RunAnalysis;
import dev.panic.notebook.MimeBundles;
import dev.panic.notebook.internal.KernelDisplay;
import dev.panic.StoredRun;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;

/**
 * Shows PANIC's objects in JJava (and kernels built on {@code jjava-jupyter}), installed by the
 * kernel's extension loader when this module's jar is added to the notebook ({@code %classpath},
 * {@code %maven}). A {@link Run} shown while it is going updates in place as outputs arrive.
 */
public final class PanicExtension implements Extension {

    /** Called by the kernel's service loader. */
    public PanicExtension() {
    }

    /** Registers PANIC's views with the kernel's renderer and makes it the kernel runs are watched in. */
    @Override
    public void install(BaseKernel kernel) {
        register(kernel.getRenderer(), (id, data) -> kernel.getIO().display.updateDisplay(id, data));
        KernelDisplay.register(new KernelDisplay() {
            @Override
            public void display(Map<String, String> bundle, String displayId) {
                DisplayData dd = data(bundle);
                dd.setDisplayId(displayId);
                kernel.display(dd);
            }

            @Override
            public void update(Map<String, String> bundle, String displayId) {
                kernel.getIO().display.updateDisplay(displayId, data(bundle));
            }
        });
    }

    /**
     * Registers PANIC's views with {@code renderer}; a live run's updates go to {@code update}
     * (display id, new data).
     */
    static void register(Renderer renderer, BiConsumer<String, DisplayData> update) {
        for (Class<?> type : new Class<?>[] {Payload.Text.class, Payload.Image.class, Payload.Audio.class,
            Prediction.class, Run.class, StoredRun.class, RunAnalysis.class}) {
            renderer.createRegistration(type).register((value, context) -> {
                DisplayData out = context.getOutputContainer();
                MimeBundles.of(value).orElseThrow().forEach(out::putData);
                if (value instanceof Run run && !run.status().isFinal()) {
                    String id = "panic-run-" + UUID.randomUUID();
                    out.setDisplayId(id);
                    MimeBundles.follow(run, bundle -> update.accept(id, data(bundle)));
                }
            });
        }
    }

    private static DisplayData data(Map<String, String> bundle) {
        DisplayData dd = new DisplayData();
        bundle.forEach(dd::putData);
        return dd;
    }
}
