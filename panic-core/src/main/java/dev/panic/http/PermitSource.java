package dev.panic.http;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a platform's calls draw their rate-limit permits when the limit belongs to an account that
 * several processes share: the workers of a durable-run cluster, or several {@code panic}
 * commands on one key. Every permit of a bucket comes from one schedule held outside the process
 * (the shared PostgreSQL store's is {@code PostgresRunStore.permits()}), so that all callers
 * together stay within the account's limit, however many there are.
 *
 * <p>A platform's client still paces its own calls ({@link HttpSettings}: evenly spaced permits,
 * adapting to 429s); each permit it grants then reserves the bucket's next free slot here and is
 * sent when that slot comes, on a timer. A {@code Retry-After} one caller meets pauses the whole
 * bucket, for every caller. Buckets are named by the platform and a fingerprint of its origin
 * and key (never the key itself); platforms without a key (a local Ollama) keep per-process limits.
 *
 * <pre>{@code
 * PermitSource.shareByDefault(store.permits());    // platforms' clients built from now on share their limits
 * Platforms platforms = Platforms.discover();
 * }</pre>
 *
 * <p>Implementations must be thread-safe and must not block the caller: the futures complete on
 * threads of their own.
 */
public interface PermitSource {

    /**
     * Reserves the next permit of {@code bucket}, whose permits are {@code interval} apart. Completes
     * with how long from now the permit is due (zero or negative: now). A reservation is spent even
     * if the call is then abandoned.
     *
     * @param bucket   the bucket's name, e.g. {@code openai:3fa94c0d1e2b7a56}
     * @param interval the time between two permits at the caller's current rate
     */
    CompletableFuture<Duration> reserve(String bucket, Duration interval);

    /**
     * Holds every permit of {@code bucket} back until {@code pause} from now (a platform's
     * {@code Retry-After}); a pause that ends earlier than one already in force changes nothing.
     */
    CompletableFuture<Void> pause(String bucket, Duration pause);

    /**
     * Makes {@code source} the one that every platform client built from now on in this process
     * shares its rate limits through, unless its builder names another ({@code null}: none, each
     * process limits its own calls, the default).
     */
    static void shareByDefault(PermitSource source) {
        DefaultPermits.set(source);
    }

    /** The source platform clients share their limits through by default, if one was set. */
    static Optional<PermitSource> byDefault() {
        return Optional.ofNullable(DefaultPermits.get());
    }
}
