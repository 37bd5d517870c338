package dev.panic.benchmarks;

import dev.panic.Model;
import dev.panic.Network;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Run;
import dev.panic.RunStatus;
import dev.panic.http.HttpSettings;
import dev.panic.http.PermitSource;
import dev.panic.openai.OpenAiPlatform;
import dev.panic.postgres.PostgresCluster;
import dev.panic.postgres.PostgresRunStore;
import dev.panic.replicate.ReplicatePlatform;
import dev.panic.PlatformContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How close the HTTP layer holds a platform to its rate limit, measured as a user would see it:
 * 200 runs at once on one platform against {@link LimitServer}, which allows R = 20 requests a
 * second (a token bucket), answers 429 with {@code Retry-After: 1} above that, and takes 300 ms
 * per accepted call. Each run is a one-model loop of OpenAI's chat (the real adapter, pointed at
 * the loopback server) that never stops by itself; after the window the runs are cancelled.
 *
 * <ul>
 *   <li>{@code configured}: the client is told R ({@code requestsPerPeriod(20)}); the bucket holds 20;</li>
 *   <li>{@code bucket5}: the same, but the server's bucket holds only 5 (R enforced over 250 ms);</li>
 *   <li>{@code adaptive}: nothing configured (the default 50 a second), no limit headers;</li>
 *   <li>{@code headers}: nothing configured, every answer says {@code x-ratelimit-limit-requests: 1200};</li>
 *   <li>{@code slow}: an account of 20 a minute (bucket 5), said by the header, nothing configured;</li>
 *   <li>{@code cancel}: 200 Replicate runs (creates limited to 10 a second) cancelled after 3 s, while
 *       most creates wait for permits: how many creates reach the server after the cancel (those in
 *       the first second were already on the wire; any later one would have been sent after it).</li>
 *   <li>{@code shared2}, {@code shared4}: as {@code configured}, but the 200 runs are spread over 2 or 4
 *       workers, each with a client of its own told R and its own PostgreSQL store (its own pool), sharing
 *       the key's limit through the store's bucket (a throwaway PostgreSQL the program starts);</li>
 *   <li>{@code local2}: 2 such workers, each limiting only its own calls: the load without the shared bucket;</li>
 *   <li>{@code overhead}: what a shared permit costs: one caller reserving permits that are due at once
 *       (latency of each), then 1, 4 and 16 callers over two stores, as fast as they can (permits a second).</li>
 * </ul>
 *
 * <p>Run: {@code java -cp benchmarks/target/panic-benchmarks.jar dev.panic.benchmarks.RateLimits
 * [--window SECONDS] [--rounds N] [--cases configured,bucket5,adaptive,headers,slow,cancel,shared2,shared4,local2,overhead]
 * [--trace]}
 * ({@code --trace} also prints the calls accepted and refused in each second).
 * The README's figures use the default 60 s window; a shorter one is for quick checks.
 */
public final class RateLimits {

    private static final int RUNS = 200;
    private static final double R = 20;
    private static final Duration LATENCY = Duration.ofMillis(300);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final PlatformContext NO_ENVIRONMENT = PlatformContext.of(name -> null);

    private RateLimits() {
    }

    /** Runs the benchmark and prints a table of its figures. */
    public static void main(String[] args) throws Exception {
        int window = 60;
        int rounds = 1;
        boolean trace = false;
        List<String> cases = List.of("configured", "bucket5", "adaptive", "headers", "slow", "cancel");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--window" -> window = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--cases" -> cases = Arrays.asList(args[++i].split(","));
                case "--trace" -> trace = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --window SECONDS, --rounds N, --cases a,b,..., --trace");
            }
        }
        System.out.printf(Locale.ROOT, "%d runs, R = %.0f requests/s, %d ms a call, Retry-After %d s, %d s window%n%n",
                RUNS, R, LATENCY.toMillis(), RETRY_AFTER.toSeconds(), window);
        System.out.println("| case | accepted / R (whole window) | accepted / R (after 10 s) | first 5 s at >= 0.9 R | 429s | runs failed |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (int round = 0; round < rounds; round++) {
            for (String c : cases) {
                switch (c) {
                    case "configured" -> limited(c, new LimitServer.Limits(R, R, RETRY_AFTER, LATENCY, 0), configured(), window, trace);
                    case "bucket5" -> limited(c, new LimitServer.Limits(R, 5, RETRY_AFTER, LATENCY, 0), configured(), window, trace);
                    case "adaptive" -> limited(c, new LimitServer.Limits(R, R, RETRY_AFTER, LATENCY, 0), null, window, trace);
                    case "headers" -> limited(c, new LimitServer.Limits(R, R, RETRY_AFTER, LATENCY, Math.round(R * 60)),
                            null, window, trace);
                    case "slow" -> limited(c, new LimitServer.Limits(20 / 60.0, 5, RETRY_AFTER, LATENCY, 20), null, window, trace);
                    case "shared2", "shared4", "local2" -> limited(c, new LimitServer.Limits(R, R, RETRY_AFTER, LATENCY, 0),
                            configured(), window, trace, c.charAt(c.length() - 1) - '0', c.startsWith("shared"));
                    case "overhead" -> overhead();
                    case "cancel" -> cancelled();
                    default -> throw new IllegalArgumentException("unknown case " + c);
                }
            }
        }
    }

    private static HttpSettings configured() {
        return HttpSettings.builder().requestsPerPeriod((int) R).period(Duration.ofSeconds(1))
                .requestTimeout(Duration.ofMinutes(3)).build();
    }

    private static void limited(String name, LimitServer.Limits limits, HttpSettings http, int window, boolean trace)
            throws Exception {
        limited(name, limits, http, window, trace, 1, false);
    }

    /**
     * The runs spread over {@code workers} platform clients on one key; with {@code shared}, each
     * worker has a PostgreSQL store of its own (its own pool and permit threads) on one database, and
     * its client draws from the key's bucket there.
     */
    private static void limited(String name, LimitServer.Limits limits, HttpSettings http, int window, boolean trace,
                                int workers, boolean shared) throws Exception {
        String db = shared ? PostgresCluster.shared().newDatabase() : null;
        List<PostgresRunStore> stores = new ArrayList<>();
        try (LimitServer server = new LimitServer(limits)) {
            List<Network> loops = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                PostgresRunStore store = db == null ? null : PostgresRunStore.open(db);
                if (store != null) {
                    stores.add(store);
                }
                // As panic worker --store postgresql://... does: the default source, set before the platform is made.
                PermitSource.shareByDefault(store == null ? null : store.permits());
                OpenAiPlatform openai = OpenAiPlatform.builder().context(NO_ENVIRONMENT).baseUrl(server.baseUrl())
                        .apiKey("sk-bench-0123456789abcdef0123456789").http(http).build();
                PermitSource.shareByDefault(null);
                loops.add(Network.builder().add(openai.model("chat/bench")).build());
            }
            long t0 = server.now();
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                runs.add(Run.builder(loops.get(i % workers), Payload.text("a red circle, number " + i))
                        .maxSteps(1_000_000).start());
            }
            Thread.sleep(window * 1000L);
            long t1 = server.now();
            long failed = runs.stream().filter(r -> r.status() == RunStatus.FAILED).count();
            String why = runs.stream().filter(r -> r.status() == RunStatus.FAILED).findFirst()
                    .flatMap(Run::stopReason).map(s -> " (" + s.message() + ")").orElse("");
            runs.forEach(Run::cancel);
            long[] perSecond = perSecond(server.accepted(), t0, window);
            long all = Arrays.stream(perSecond).sum();
            double rate = limits.perSecond();
            double whole = all / (double) window / rate;
            double late = window > 10 ? Arrays.stream(perSecond, 10, window).sum() / (double) (window - 10) / rate : whole;
            long refused = server.refused().stream().filter(t -> t >= t0 && t < t1).count();
            long answered = server.accepted().stream().filter(t -> t >= t0 && t < t1).count() + refused;
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %s | %.2f %% of %d | %d%s |%n", name, whole, late,
                    firstNinety(perSecond, rate), 100.0 * refused / Math.max(1, answered), answered, failed, why);
            if (trace) {
                System.out.println("  accepted per second: " + Arrays.toString(perSecond));
                System.out.println("  refused per second:  " + Arrays.toString(perSecond(server.refused(), t0, window)));
            }
        } finally {
            stores.forEach(PostgresRunStore::close);
        }
    }

    /**
     * What a permit of the shared bucket costs: the latency of a reservation that is due at once
     * (the delay it adds to a call whose slot has come), and how many reservations a second one
     * bucket serves to callers over two stores.
     */
    private static void overhead() throws Exception {
        String db = PostgresCluster.shared().newDatabase();
        try (PostgresRunStore a = PostgresRunStore.open(db); PostgresRunStore b = PostgresRunStore.open(db)) {
            Duration tiny = Duration.ofNanos(1000); // a permit every microsecond: every reservation is due at once
            for (int i = 0; i < 2000; i++) {
                a.permits().reserve("warm-up", tiny).join();
            }
            int n = 5000;
            long[] took = new long[n];
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                a.permits().reserve("bench:one", tiny).join();
                took[i] = System.nanoTime() - start;
            }
            Arrays.sort(took);
            System.out.printf(Locale.ROOT, "| overhead | one caller, %d permits: median %.0f µs, p99 %.0f µs, mean %.0f µs a"
                            + " permit | | | | |%n", n, took[n / 2] / 1e3, took[n * 99 / 100] / 1e3,
                    Arrays.stream(took).average().orElse(0) / 1e3);
            for (int callers : List.of(1, 4, 16)) {
                AtomicLong done = new AtomicLong();
                long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                List<CompletableFuture<Void>> all = new ArrayList<>();
                ExecutorService threads = Executors.newFixedThreadPool(callers);
                for (int c = 0; c < callers; c++) {
                    PostgresRunStore store = c % 2 == 0 ? a : b;
                    all.add(CompletableFuture.runAsync(() -> {
                        while (System.nanoTime() < until) {
                            store.permits().reserve("bench:many", tiny).join();
                            done.incrementAndGet();
                        }
                    }, threads));
                }
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
                threads.shutdown();
                System.out.printf(Locale.ROOT, "| overhead | %d callers over two stores, one bucket: %.0f permits a second"
                        + " | | | | |%n", callers, done.get() / 5.0);
            }
        }
    }

    private static long[] perSecond(List<Long> times, long t0, int window) {
        long[] counts = new long[window];
        for (long t : times) {
            long s = (t - t0) / 1_000_000_000L;
            if (s >= 0 && s < window) {
                counts[(int) s]++;
            }
        }
        return counts;
    }

    /** The first second from which five seconds in a row average at least 0.9 R. */
    private static String firstNinety(long[] perSecond, double rate) {
        for (int s = 0; s + 5 <= perSecond.length; s++) {
            if (Arrays.stream(perSecond, s, s + 5).sum() / 5.0 >= 0.9 * rate) {
                return s + " s";
            }
        }
        return "never";
    }

    /** 200 Replicate runs cancelled while their creates wait for permits: creates sent after the cancel. */
    private static void cancelled() throws Exception {
        try (LimitServer server = new LimitServer(new LimitServer.Limits(1000, 1000, RETRY_AFTER, LATENCY, 0))) {
            ReplicatePlatform replicate = ReplicatePlatform.builder().context(NO_ENVIRONMENT).baseUrl(server.baseUrl())
                    .apiToken("r8_bench0123456789abcdef0123456789").build();
            Model model = replicate.model("bench/captioner", Parameters.of(Map.of("replicate.input", "text",
                    "replicate.output", "text", "replicate.field", "prompt",
                    "replicate.version", "0".repeat(64))));
            Network loop = Network.builder().add(model).build();
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                runs.add(Run.builder(loop, Payload.text("a red circle, number " + i)).maxSteps(1_000_000).start());
            }
            Thread.sleep(3000);
            long cancelledAt = server.now();
            runs.forEach(Run::cancel);
            Thread.sleep(10_000);
            // A create already handed to the HTTP client when its run was cancelled cannot be called
            // back and may reach the server a little later; one sent after the cancel would come
            // when its permit was due, spread over the next 17 s (10 a second for ~170 waiting).
            long second = 1_000_000_000L;
            List<Long> creates = server.creates();
            long before = creates.stream().filter(t -> t < cancelledAt).count();
            long onTheWire = creates.stream().filter(t -> t >= cancelledAt && t < cancelledAt + second).count();
            long later = creates.stream().filter(t -> t >= cancelledAt + second).count();
            System.out.printf(Locale.ROOT, "| cancel | %d creates reached the server before the cancel at 3 s, %d in the"
                    + " second after it (already on the wire), %d in the 9 s after that; %d predictions cancelled on"
                    + " Replicate after their answer | | | | |%n", before, onTheWire, later, server.cancels());
        }
    }
}
