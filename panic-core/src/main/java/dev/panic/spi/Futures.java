package dev.panic.spi;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Future plumbing that keeps cancellation flowing back to the work it should stop; use it rather
 * than writing the {@code whenComplete(... isCancelled() ... cancel)} loop again. The failure behind
 * a future's wrappers is {@link dev.panic.exception.PanicException#unwrap(Throwable)}.
 */
public final class Futures {
    private Futures() {
    }

    /**
     * {@code source.thenApply(f)}, except that cancelling the returned future also cancels
     * {@code source}. A plain {@code thenApply} future, when cancelled, leaves the work behind it
     * running: an HTTP exchange, a model generating on a server.
     */
    public static <T, R> CompletableFuture<R> linked(CompletableFuture<T> source, Function<? super T, ? extends R> f) {
        return propagateCancel(source.thenApply(f), source);
    }

    /** {@code source.thenCompose(f)}, except that cancelling the returned future also cancels {@code source}. */
    public static <T, R> CompletableFuture<R> linkedCompose(CompletableFuture<T> source,
            Function<? super T, ? extends java.util.concurrent.CompletionStage<R>> f) {
        return propagateCancel(source.thenCompose(f), source);
    }

    /** Returns {@code derived}, arranging that cancelling it cancels {@code source} too. */
    public static <R> CompletableFuture<R> propagateCancel(CompletableFuture<R> derived, CompletableFuture<?> source) {
        return propagateCancel(derived, List.of(source));
    }

    /** Returns {@code derived}, arranging that cancelling it cancels every one of {@code sources}. */
    public static <R> CompletableFuture<R> propagateCancel(CompletableFuture<R> derived,
                                                           Collection<? extends Future<?>> sources) {
        List<Future<?>> all = List.copyOf(sources);
        derived.whenComplete((r, e) -> {
            if (derived.isCancelled()) {
                all.forEach(s -> s.cancel(true));
            }
        });
        return derived;
    }
}
