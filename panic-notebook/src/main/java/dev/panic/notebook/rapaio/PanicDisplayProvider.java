package dev.panic.notebook.rapaio;

import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.analysis.RunAnalysis;
import dev.panic.notebook.MimeBundles;
import dev.panic.notebook.internal.KernelDisplay;
import dev.panic.StoredRun;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;
import org.rapaio.jupyter.kernel.display.DisplayTransformer;
import org.rapaio.jupyter.kernel.display.spi.DisplayProvider;

/**
 * Shows PANIC's objects in the rapaio-jupyter-kernel, found through its display provider SPI when
 * this module's jar is on the notebook's class path ({@code %jar}, {@code %%jars} or
 * {@code %dependency}). A {@link Run} shown while it is going updates in place as outputs arrive.
 */
public final class PanicDisplayProvider implements DisplayProvider {

    /** Called by the kernel's service loader; makes the kernel the one {@link dev.panic.notebook.Notebook} shows runs in. */
    public PanicDisplayProvider() {
        KernelDisplay.register(new KernelDisplay() {
            @Override
            public void display(Map<String, String> bundle, String displayId) {
                MainApp.kernel.display(data(bundle, displayId));
            }

            @Override
            public void update(Map<String, String> bundle, String displayId) {
                MainApp.kernel.updateDisplay(data(bundle, displayId));
            }
        });
    }

    @Override
    public List<DisplayRenderer> getDisplayRenderers() {
        return List.of(new Renderer(Payload.class), new Renderer(Prediction.class), new Renderer(Run.class),
                new Renderer(StoredRun.class), new Renderer(RunAnalysis.class));
    }

    @Override
    public List<DisplayTransformer> getDisplayTransformers() {
        return List.of();
    }

    /** Renders one type through {@link MimeBundles}. */
    private record Renderer(Class<?> type) implements DisplayRenderer {

        @Override
        public Class<?> rendererClass() {
            return type;
        }

        /** Any type asked for: the bundle holds every type the view has, and the front end picks. */
        @Override
        public boolean canRender(String mime) {
            return true;
        }

        @Override
        public DisplayData render(String mime, Object o) {
            Map<String, String> bundle = MimeBundles.of(o).orElseThrow();
            if (o instanceof Run run && !run.status().isFinal()) {
                String id = "panic-run-" + UUID.randomUUID();
                MimeBundles.follow(run, update -> MainApp.kernel.updateDisplay(data(update, id)));
                return data(bundle, id);
            }
            return data(bundle, null);
        }

    }

    private static DisplayData data(Map<String, String> bundle, String id) {
        DisplayData dd = new PinnedDisplayData(id);
        bundle.forEach(dd::putData);
        return dd;
    }

    /**
     * Display data whose display id, once given, stays: the kernel's {@code display(...)} gives every
     * display a fresh id after rendering, which would leave a live run's updates pointing nowhere.
     */
    private static final class PinnedDisplayData extends DisplayData {
        PinnedDisplayData(String id) {
            if (id != null) {
                super.setDisplayId(id);
            }
        }

        @Override
        public void setDisplayId(String id) {
            if (!hasDisplayId()) {
                super.setDisplayId(id);
            }
        }
    }
}
