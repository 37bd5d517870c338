package dev.panic.replicate.internal;

import dev.panic.exception.PanicException;
import java.util.concurrent.CompletableFuture;

/**
 * The future of a call made of several steps (upload, predict, download), where cancelling the
 * call must reach the step under way: the prediction step cancels remote work when it is cancelled.
 *
 * @param <T> the call's result
 */
final class Chain<T> {

    private final CompletableFuture<T> result = new CompletableFuture<>();
    private volatile CompletableFuture<?> current;

    Chain() {
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                CompletableFuture<?> step = current;
                if (step != null) {
                    step.cancel(true);
                }
            }
        });
    }

    /** Makes {@code step} the step under way; cancels it at once if the call already was. */
    <U> CompletableFuture<U> track(CompletableFuture<U> step) {
        current = step;
        if (result.isCancelled()) {
            step.cancel(true);
        }
        return step;
    }

    /** Completes the call from its last step; a failure is unwrapped to its typed {@link PanicException}. */
    CompletableFuture<T> finish(CompletableFuture<T> last) {
        last.whenComplete((v, e) -> {
            if (e == null) {
                result.complete(v);
            } else {
                Throwable t = PanicException.unwrap(e);
                result.completeExceptionally(t instanceof java.util.concurrent.CancellationException
                        ? t : PanicException.from(t));
            }
        });
        return result;
    }
}
