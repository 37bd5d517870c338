package dev.panic.notebook;

import dev.panic.Run;
import dev.panic.exception.PanicException;
import dev.panic.notebook.internal.KernelDisplay;
import dev.panic.notebook.internal.LiveView;
import dev.panic.notebook.internal.Views;
import java.util.UUID;

/**
 * Runs watched from a notebook cell. PANIC's objects show themselves as soon as this module is on
 * the notebook's class path; {@link #watch(Run)} is for when a cell should follow a run to its end.
 *
 * <pre>{@code
 * Run run = Run.builder(loop, Payload.text("a red circle")).maxSteps(20).start();
 * Notebook.watch(run);     // the strip and the curve update in place; returns when the run has ended
 * }</pre>
 */
public final class Notebook {

    private Notebook() {
    }

    /**
     * Shows the run as a strip of its outputs with its similarity curve, updates it in place as
     * outputs arrive, and returns once the run has ended and its final state is shown. Notebook
     * front ends take a cell's updates while it runs, so this is the way to be sure of the last
     * frame; {@code display(run)} also updates in place, for as long as its cell (or a later one) is
     * running. Interrupting the cell stops the waiting, not the run.
     *
     * @throws PanicException if no notebook kernel has loaded this module (e.g. in plain JShell:
     *                        use {@code run.await()} there)
     */
    public static void watch(Run run) {
        KernelDisplay kernel = KernelDisplay.current();
        if (kernel == null) {
            throw new PanicException("no notebook kernel has loaded panic-notebook: add its jars to a "
                    + "rapaio-jupyter-kernel or JJava notebook (e.g. %jar panic-notebook/target/notebook-jars), "
                    + "or wait with run.await() outside notebooks");
        }
        String id = "panic-run-" + UUID.randomUUID();
        kernel.display(Views.bundle(run).orElseThrow(), id);
        LiveView view = LiveView.follow(run, bundle -> kernel.update(bundle, id));
        run.await();
        view.finish();
    }
}
