package dev.panic.internal.run;

import dev.panic.Embedder;
import dev.panic.Embedding;
import dev.panic.Payload;
import dev.panic.exception.PanicException;
import dev.panic.internal.SharedScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Embeds outputs with a run's embedders. Each embedder works on the compute pool, so an
 * in-process one delays neither the next model call nor the shared scheduler; each has a timeout,
 * counted from when it starts; and when the run gives up on an output (the timeout, or the run
 * ending) the embedder's own future is cancelled, so remote work stops before the run moves on.
 */
final class EmbeddingStage {

    /** One embedder's failure on one output. */
    record Failure(String embedderId, String message) {
    }

    /** What the embedders made of one output: the vectors they gave, and why the others gave none. */
    record Vectors(Map<String, Embedding> embeddings, List<Failure> failures) {
    }

    /** The embedding of one output, which the run may abandon. */
    static final class Job {
        final CompletableFuture<Vectors> result;
        private final List<CompletableFuture<Embedding>> parts;

        private Job(CompletableFuture<Vectors> result, List<CompletableFuture<Embedding>> parts) {
            this.result = result;
            this.parts = parts;
        }

        /** Stops every embedder still working on it. */
        void abandon() {
            parts.forEach(f -> f.cancel(true));
        }
    }

    private final List<Embedder> embedders;
    private final Duration timeout;
    private final ScheduledExecutorService timers;

    EmbeddingStage(List<Embedder> embedders, Duration timeout, ScheduledExecutorService timers) {
        this.embedders = List.copyOf(embedders);
        this.timeout = timeout;
        this.timers = timers;
        for (Embedder e : embedders) {
            for (dev.panic.Modality m : dev.panic.Modality.values()) {
                if (e.accepts(m)) {
                    accepted.add(m);
                }
            }
        }
    }

    private final java.util.Set<dev.panic.Modality> accepted = java.util.EnumSet.noneOf(dev.panic.Modality.class);

    /** True if some embedder takes outputs of this payload's modality. */
    boolean embeds(Payload output) {
        return accepted.contains(output.modality());
    }

    /** Starts embedding {@code output} with every embedder that accepts it; the result always completes normally. */
    Job embed(Payload output) {
        List<Embedder> mine = embedders.stream().filter(e -> e.accepts(output.modality())).toList();
        List<CompletableFuture<Embedding>> parts = new ArrayList<>(mine.size());
        for (Embedder embedder : mine) {
            parts.add(embedOne(embedder, output));
        }
        CompletableFuture<Vectors> result = CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .handle((ignored, e) -> {
                    Map<String, Embedding> vectors = new LinkedHashMap<>();
                    List<Failure> failures = new ArrayList<>();
                    for (int i = 0; i < mine.size(); i++) {
                        try {
                            vectors.put(mine.get(i).id(), parts.get(i).join());
                        } catch (CancellationException | CompletionException ex) {
                            Throwable cause = PanicException.unwrap(ex);
                            failures.add(new Failure(mine.get(i).id(), cause.getMessage() != null ? cause.getMessage()
                                    : cause.getClass().getSimpleName()));
                        }
                    }
                    return new Vectors(vectors, failures);
                });
        return new Job(result, parts);
    }

    /**
     * One embedder on one output, as a future that always completes: with a vector of the declared
     * dimension, or exceptionally with why not. An embedder still computing inside
     * {@code embedAll} has no future yet when it is given up on; its future is cancelled as soon
     * as it returns one.
     */
    private CompletableFuture<Embedding> embedOne(Embedder embedder, Payload output) {
        CompletableFuture<Embedding> result = new CompletableFuture<>();
        Attempt attempt = new Attempt(result);
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                attempt.giveUp(null); // the run ended: stop the embedder's work
            }
        });
        SharedScheduler.compute().execute(() -> {
            if (attempt.isAbandoned()) {
                return; // the run ended before it began
            }
            ScheduledFuture<?> timer = timers.schedule(() -> attempt.giveUp(
                    new java.util.concurrent.TimeoutException("timed out after " + timeout)),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
            CompletableFuture<List<Embedding>> own;
            try {
                // embedAll rather than embed: embed's default derives a new future, and cancelling a
                // derived future does not reach the embedder's, so remote work could not be stopped.
                own = embedder.embedAll(List.of(output));
                if (own == null) {
                    throw new IllegalStateException("embedder returned no future");
                }
            } catch (RuntimeException | Error e) {
                // An Error too (an embedder out of memory): the output's embedding fails, the run goes on.
                timer.cancel(false);
                result.completeExceptionally(e);
                return;
            }
            if (!attempt.started(own)) {
                return; // given up on while it computed; started() has cancelled its future
            }
            own.whenComplete((list, e) -> {
                timer.cancel(false);
                Embedding v = list != null && list.size() == 1 ? list.get(0) : null;
                if (e != null) {
                    result.completeExceptionally(PanicException.unwrap(e));
                } else if (list == null || list.size() != 1) {
                    result.completeExceptionally(new IllegalStateException("embedder returned "
                            + (list == null ? "no list" : list.size() + " vectors") + " for one input"));
                } else if (v == null) {
                    result.completeExceptionally(new IllegalStateException("embedder returned a null vector"));
                } else if (v.dimension() != embedder.dimension()) {
                    result.completeExceptionally(new IllegalStateException("embedder returned " + v.dimension()
                            + " dimensions but declares " + embedder.dimension()));
                } else {
                    result.complete(v);
                }
            });
        });
        return result;
    }

    /** Decides, between the embedder's task and whoever gives up on it, who cancels its future. */
    private static final class Attempt {
        private final CompletableFuture<Embedding> result;
        private CompletableFuture<List<Embedding>> own;
        private boolean abandoned;

        Attempt(CompletableFuture<Embedding> result) {
            this.result = result;
        }

        synchronized boolean isAbandoned() {
            return abandoned;
        }

        /** Records the embedder's future; false (having cancelled it) if the attempt was given up meanwhile. */
        boolean started(CompletableFuture<List<Embedding>> future) {
            boolean late;
            synchronized (this) {
                own = future;
                late = abandoned;
            }
            if (late) {
                future.cancel(true);
            }
            return !late;
        }

        /** Cancels the embedder's future if there is one, then fails the attempt with {@code why} (if given). */
        void giveUp(Throwable why) {
            CompletableFuture<List<Embedding>> toCancel;
            synchronized (this) {
                if (abandoned) {
                    return;
                }
                abandoned = true;
                toCancel = own;
            }
            if (toCancel != null) {
                toCancel.cancel(true);
            }
            if (why != null) {
                result.completeExceptionally(why);
            }
        }
    }
}
