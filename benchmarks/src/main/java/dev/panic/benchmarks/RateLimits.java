package dev.panic.benchmarks;

import dev.panic.Model;
import dev.panic.Network;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Run;
import dev.panic.RunStatus;
import dev.panic.http.HttpSettings;
import dev.panic.openai.OpenAiPlatform;
import dev.panic.replicate.ReplicatePlatform;
import dev.panic.PlatformContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
 * </ul>
 *
 * <p>Run: {@code java -cp benchmarks/target/panic-benchmarks.jar dev.panic.benchmarks.RateLimits
 * [--window SECONDS] [--rounds N] [--cases configured,bucket5,adaptive,headers,slow,cancel] [--trace]}
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
        try (LimitServer server = new LimitServer(limits)) {
            OpenAiPlatform openai = OpenAiPlatform.builder().context(NO_ENVIRONMENT).baseUrl(server.baseUrl())
                    .apiKey("sk-bench-0123456789abcdef0123456789").http(http).build();
            Model chat = openai.model("chat/bench");
            Network loop = Network.builder().add(chat).build();
            long t0 = server.now();
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                runs.add(Run.builder(loop, Payload.text("a red circle, number " + i)).maxSteps(1_000_000).start());
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
