package dev.panic.replicate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.Embedding;
import dev.panic.exception.AuthenticationException;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.PanicException;
import dev.panic.spi.Futures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/** What the Replicate embedders share: reading vectors and joining several predictions into one future. */
final class Vectors {

    private Vectors() {
    }

    /**
     * A JSON list of numbers as an embedding of {@code dimension} components.
     *
     * @throws InvalidRequestException if it is not one, or has another length (a different model version)
     */
    static Embedding vector(JsonNode node, int dimension, String who) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new InvalidRequestException(who + " did not give a list of numbers: "
                    + (node == null ? "nothing" : excerpt(node)));
        }
        if (node.size() != dimension) {
            throw new InvalidRequestException(who + " gave a vector of " + node.size() + " numbers where "
                    + dimension + " were expected; is the model version the one this embedder was made for?");
        }
        float[] v = new float[node.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode x = node.get(i);
            if (!x.isNumber()) {
                throw new InvalidRequestException(who + " gave a vector holding " + excerpt(x) + " at " + i);
            }
            v[i] = (float) x.asDouble();
        }
        return Embedding.of(v);
    }

    /** The failure for an embedder used without a token. */
    static <T> CompletableFuture<T> missingToken(String embedder, String missingToken) {
        return CompletableFuture.failedFuture(new AuthenticationException("cannot use embedder '" + embedder + "': "
                + missingToken));
    }

    /**
     * One future for all {@code parts}, in order; it fails with the first typed failure, and
     * cancelling it cancels every part (and so their predictions on Replicate).
     */
    static CompletableFuture<List<Embedding>> all(List<CompletableFuture<Embedding>> parts) {
        CompletableFuture<List<Embedding>> all = Futures.propagateCancel(new CompletableFuture<>(), parts);
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
            if (e == null) {
                List<Embedding> out = new ArrayList<>(parts.size());
                parts.forEach(p -> out.add(p.join()));
                all.complete(out);
                return;
            }
            Throwable t = PanicException.unwrap(e);
            all.completeExceptionally(t instanceof CancellationException ? t : PanicException.from(t));
            // One failure dooms the call: stop paying for the rest.
            parts.forEach(p -> p.cancel(true));
        });
        return all;
    }

    static String excerpt(JsonNode node) {
        String s = node.toString();
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
