package dev.panic.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.exception.PanicException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FuturesTest {

    @Test
    void cancellingALinkedFutureCancelsItsSource() {
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletableFuture<Integer> derived = Futures.linked(source, String::length);
        derived.cancel(true);
        assertThat(source).isCancelled();
    }

    @Test
    void cancellingCancelsEverySource() {
        CompletableFuture<String> a = new CompletableFuture<>();
        CompletableFuture<String> b = new CompletableFuture<>();
        CompletableFuture<List<String>> all = Futures.propagateCancel(new CompletableFuture<>(), List.of(a, b));
        all.cancel(true);
        assertThat(a).isCancelled();
        assertThat(b).isCancelled();
    }

    @Test
    void completingNormallyCancelsNothing() {
        CompletableFuture<String> a = new CompletableFuture<>();
        CompletableFuture<String> all = Futures.propagateCancel(new CompletableFuture<>(), List.of(a));
        all.complete("done");
        assertThat(a).isNotCancelled();
    }

    @Test
    void unwrapFindsTheFailureBehindNestedWrappers() {
        IllegalStateException root = new IllegalStateException("root");
        Throwable wrapped = new CompletionException(new ExecutionException(new CompletionException(root)));
        assertThat(PanicException.unwrap(wrapped)).isSameAs(root);
        CancellationException cancelled = new CancellationException();
        assertThat(PanicException.unwrap(cancelled)).isSameAs(cancelled);
        CompletionException empty = new CompletionException("no cause", null);
        assertThat(PanicException.unwrap(empty)).isSameAs(empty);
    }
}
