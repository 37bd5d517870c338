package dev.panic.internal.http;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** Reads a body into memory but stops, cancelling the transfer, as soon as it passes a size limit. */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The body passed the limit; the transfer was cancelled. */
    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    private final HttpResponse.BodySubscriber<byte[]> whole = HttpResponse.BodySubscribers.ofByteArray();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final long limit;
    private long seen;
    private Flow.Subscription subscription;

    CappedBody(long limit) {
        this.limit = limit;
        whole.getBody().whenComplete((bytes, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(bytes);
            }
        });
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        whole.onSubscribe(s);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            seen += b.remaining();
        }
        if (seen > limit) {
            subscription.cancel();
            result.completeExceptionally(new TooLarge());
            return;
        }
        whole.onNext(items);
    }

    @Override
    public void onError(Throwable t) {
        whole.onError(t);
    }

    @Override
    public void onComplete() {
        whole.onComplete();
    }
}
