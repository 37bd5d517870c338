package dev.panic.notebook;

import dev.panic.Run;
import dev.panic.notebook.internal.LiveView;
import dev.panic.notebook.internal.Views;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * PANIC's objects as Jupyter MIME bundles (media type to content, binary content in base64), for
 * any kernel or front end: what the rapaio and JJava adapters of this module show, and what a
 * kernel without an adapter can be given by hand.
 *
 * <ul>
 * <li>{@link dev.panic.Payload.Image}: {@code image/png}, {@code image/jpeg} or {@code image/gif} as it
 * is, other decodable types as PNG;</li>
 * <li>{@link dev.panic.Payload.Audio}: an HTML audio player with the sound inside;</li>
 * <li>{@link dev.panic.Payload.Text}: the text;</li>
 * <li>{@link dev.panic.Prediction}: a card with the output, its model, time and cost;</li>
 * <li>{@link Run} and {@link dev.panic.StoredRun}: a strip of the latest outputs and the similarity
 * curve; see {@link #follow} for a live one;</li>
 * <li>{@link dev.panic.analysis.RunAnalysis}: its plots (similarity to the first output, step to step,
 * similarity matrices).</li>
 * </ul>
 *
 * <p>Every bundle also has {@code text/plain}. Stateless and thread-safe.
 */
public final class MimeBundles {

    private MimeBundles() {
    }

    /** True if {@link #of(Object)} has a view of {@code value}. */
    public static boolean supports(Object value) {
        return Views.supports(value);
    }

    /** The bundle of {@code value}, or empty if it is not one of the objects listed above. */
    public static Optional<Map<String, String>> of(Object value) {
        return Views.bundle(value);
    }

    /**
     * Hands the run's bundle to {@code update} again whenever it makes an output or finds a pattern,
     * at most every 250 ms, and once more when it ends; does nothing if it has already ended. The
     * kernel adapters use it to replace a run's view in place (Jupyter's {@code update_display_data});
     * {@link Notebook#watch(Run)} also waits for the last frame.
     *
     * @param update called from a background thread, one call at a time
     */
    public static void follow(Run run, Consumer<Map<String, String>> update) {
        LiveView.follow(run, update);
    }
}
