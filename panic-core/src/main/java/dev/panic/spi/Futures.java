package dev.panic.spi;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Future plumbing that keeps cancellation flowing back to the work it should stop. */
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
        derived.whenComplete((r, e) -> {
            if (derived.isCancelled()) {
                source.cancel(true);
            }
        });
        return derived;
    }
}
