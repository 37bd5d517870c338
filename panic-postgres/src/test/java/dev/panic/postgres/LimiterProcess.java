package dev.panic.postgres;

import dev.panic.http.HttpSettings;
import dev.panic.http.PermitSource;
import dev.panic.spi.http.ApiRequest;
import dev.panic.spi.http.PlatformHttp;
import dev.panic.spi.http.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker's calls to a rate-limited platform: {@code callers} concurrent callers, each making
 * {@code calls} calls one after another through a client of its own (its own timers, its own
 * connection pool), drawing permits from {@code permits} (null: this client's own limit only).
 * As a program ({@code URL BASE KEY PER_SECOND CALLERS CALLS}, then the start time in epoch milliseconds on its input) it is a second
 * process sharing the bucket through the store at URL; it prints {@code ready}, then at the start
 * time makes its calls and prints {@code done ok=N failed=M}.
 */
final class LimiterProcess {

    private LimiterProcess() {
    }

    /** Counts of a worker's calls. */
    record Outcome(int ok, int failed) {
    }

    /**
     * A client of its own (its own timers and connections), warmed up by a call the platform does
     * not count, so that a cold HTTP client's first sends do not bunch up.
     */
    static PlatformHttp client(URI base, String key, int perSecond, PermitSource permits,
                               ScheduledExecutorService timers) {
        PlatformHttp http = PlatformHttp.builder("stub")
                .settings(HttpSettings.builder().requestsPerPeriod(perSecond).period(Duration.ofSeconds(1)).build())
                .bearer(Secret.of(key, "STUB_API_KEY")).credentialsOnlyFor(base)
                .permits(permits).scheduler(timers).build();
        http.send(ApiRequest.get(URI.create(base + "/health"))).join();
        return http;
    }

    static CompletableFuture<Outcome> calls(PlatformHttp http, URI base, int callers, int calls) {
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (int j = 0; j < calls; j++) {
                chain = chain.thenCompose(v -> http.send(ApiRequest.create(URI.create(base + "/calls"),
                                "{}".getBytes(StandardCharsets.UTF_8)))
                        .handle((r, e) -> {
                            (e == null ? ok : failed).incrementAndGet();
                            return null;
                        }));
            }
            all.add(chain);
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> new Outcome(ok.get(), failed.get()));
    }

    public static void main(String[] args) throws Exception {
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        try (PostgresRunStore store = PostgresRunStore.builder(args[0]).poolSize(2).build()) {
            URI base = URI.create(args[1]);
            PlatformHttp http = client(base, args[2], Integer.parseInt(args[3]), store.permits(), timers);
            System.out.println("ready");
            System.out.flush();
            long start = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine().trim());
            Thread.sleep(Math.max(0, start - System.currentTimeMillis()));
            Outcome o = calls(http, base, Integer.parseInt(args[4]), Integer.parseInt(args[5])).join();
            System.out.println("done ok=" + o.ok() + " failed=" + o.failed());
        } finally {
            timers.shutdownNow();
        }
    }
}
