package dev.panic.ollama;

import java.util.OptionalDouble;

/**
 * One progress report while Ollama downloads a model.
 *
 * @param status    what the server is doing, e.g. "pulling manifest", "downloading", "success"
 * @param digest    the layer being fetched, or "" if none
 * @param completed bytes fetched so far of that layer, or 0 if not reported
 * @param total     bytes of that layer, or 0 if not reported
 */
public record PullProgress(String status, String digest, long completed, long total) {

    /** Fraction done of the current layer, 0 to 1; empty if the server did not say. */
    public OptionalDouble fraction() {
        return total > 0 ? OptionalDouble.of(Math.min(1.0, (double) completed / total)) : OptionalDouble.empty();
    }
}
