package dev.panic.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.spi.http.PlatformHttp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A platform's rate limit shared through the store: two processes' clients, 200 concurrent
 * callers in all, against one account of a loopback platform that refuses calls over its limit
 * (the README's single-JVM case: 20 a second, a server bucket of 20).
 */
class SharedRateLimitTest {

    private static final String KEY = "sk-stub-4f1c9a77d2e84b6a9c03e5d1b7a2f608";
    private static final int PER_SECOND = 20;
    /** The most calls in any second that keep to the rate: a few go together after a quiet spell, and timers run late under load. */
    private static final int PEAK = PER_SECOND * 3 / 2;

    private final PostgresCluster cluster = PostgresCluster.shared();
    private final String url = cluster.newDatabase();
    private final List<Process> processes = new ArrayList<>();
    private final List<ScheduledExecutorService> timers = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        processes.forEach(Process::destroyForcibly);
        timers.forEach(ScheduledExecutorService::shutdownNow);
    }

    @Test
    void reservationsFollowOneScheduleOnTheDatabaseClock() {
        try (PostgresRunStore a = PostgresRunStore.open(url); PostgresRunStore b = PostgresRunStore.open(url)) {
            List<CompletableFuture<Duration>> due = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                due.add((i % 2 == 0 ? a : b).permits().reserve("p:one", Duration.ofSeconds(1)));
            }
            List<Long> millis = due.stream().map(f -> f.join().toMillis()).sorted().toList();
            // One permit a second from one schedule, whichever store reserved it: 0, 1, 2 ... 9 s from now.
            for (int i = 0; i < 10; i++) {
                assertThat(millis.get(i)).as("permit %d of %s", i, millis).isBetween(i * 1000L - 500, i * 1000L + 50);
            }
            assertThat(a.permits().reserve("p:other", Duration.ofSeconds(1)).join()).as("another bucket")
                    .isLessThanOrEqualTo(Duration.ZERO);
            a.permits().pause("p:other", Duration.ofSeconds(5)).join();
            assertThat(b.permits().reserve("p:other", Duration.ofSeconds(1)).join().toMillis()).as("after a pause")
                    .isBetween(4000L, 5050L);
        }
    }

    @Test
    void twoProcessesOnOneKeyStayWithinItsLimit() throws Exception {
        try (StubPlatform platform = new StubPlatform(PER_SECOND, PER_SECOND, 100);
             PostgresRunStore store = PostgresRunStore.open(url)) {
            PlatformHttp http = LimiterProcess.client(platform.base(), KEY, PER_SECOND, store.permits(), timers());
            long startAt = System.currentTimeMillis() + 1500;
            Process other = java("LimiterProcess", url, platform.base().toString(), KEY, String.valueOf(PER_SECOND),
                    "100", "1");
            BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("the second process").isEqualTo("ready");
            // Both start at once: the start time goes to the other process only once it is ready.
            startAt = Math.max(startAt, System.currentTimeMillis() + 500);
            other.getOutputStream().write((startAt + "\n").getBytes(StandardCharsets.UTF_8));
            other.getOutputStream().flush();
            Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
            LimiterProcess.Outcome here = LimiterProcess.calls(http, platform.base(), 100, 1).get(60, TimeUnit.SECONDS);
            String there = out.readLine();
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();

            List<Long> accepted = platform.accepted();
            long t0 = accepted.get(0);
            double rate = (accepted.size() - 1) / ((accepted.get(accepted.size() - 1) - t0) / 1e9);
            int[] per = new int[60];
            accepted.forEach(t -> per[(int) Math.min(59, (t - t0) / 250_000_000L)]++);
            System.out.printf("shared: %d accepted at %.1f a second, at most %d in a second, %d refused at ms %s;"
                    + " accepted per 250 ms %s%n", accepted.size(), rate, platform.peak(), platform.refused(),
                    platform.refusedAt().stream().map(t -> (t - t0) / 1_000_000).toList(), Arrays.toString(per));

            assertThat(here).isEqualTo(new LimiterProcess.Outcome(100, 0));
            assertThat(there).isEqualTo("done ok=100 failed=0");
            assertThat(accepted).hasSize(200);
            // Either process alone may send 20 a second: together they kept to the account's 20, with at most
            // the 1% of 429s a single JVM's limiter is held to.
            assertThat(platform.refused()).as("429s for 200 calls").isLessThanOrEqualTo(2);
            assertThat(rate).as("accepted a second").isBetween(0.8 * PER_SECOND, 1.1 * PER_SECOND);
            assertThat(platform.peak()).as("the most accepted in any second").isLessThanOrEqualTo(PEAK);

            try (Connection c = cluster.connect(url); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT bucket FROM panic_rate_buckets WHERE bucket LIKE 'stub:%'")) {
                assertThat(r.next()).isTrue();
                String bucket = r.getString(1);
                assertThat(bucket).matches("stub:[0-9a-f]{16}").doesNotContain(KEY.substring(3, 15));
                assertThat(r.next()).as("one bucket for the key, whoever calls").isFalse();
            }
        }
    }

    @Test
    void theSameLoadWithoutTheSharedBucketMeets429s() throws Exception {
        // The control: two clients on one key, each limited only by itself, offer twice the account's rate
        // (the server's bucket and the clients' adaptive limits as above).
        try (StubPlatform platform = new StubPlatform(PER_SECOND, PER_SECOND, 100)) {
            PlatformHttp a = LimiterProcess.client(platform.base(), KEY, PER_SECOND, null, timers());
            PlatformHttp b = LimiterProcess.client(platform.base(), KEY, PER_SECOND, null, timers());
            CompletableFuture<LimiterProcess.Outcome> one = LimiterProcess.calls(a, platform.base(), 100, 1);
            CompletableFuture<LimiterProcess.Outcome> two = LimiterProcess.calls(b, platform.base(), 100, 1);
            one.get(60, TimeUnit.SECONDS);
            two.get(60, TimeUnit.SECONDS);
            System.out.printf("not shared: %d accepted, %d refused, at most %d in a second%n", platform.accepted().size(),
                    platform.refused(), platform.peak());
            // The clients' adaptive limits soon settle near the account's rate by meeting 429s, but at first
            // each sends the account's rate, and the server's full bucket lets twice the rate through.
            assertThat(platform.peak()).as("the most accepted in any second").isGreaterThan(PEAK);
        }
    }

    private ScheduledExecutorService timers() {
        ScheduledExecutorService t = Executors.newScheduledThreadPool(2);
        timers.add(t);
        return t;
    }

    /** A test program in a JVM of its own, on this test's class path. */
    private Process java(String program, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SharedRateLimitTest.class.getPackageName() + "." + program);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(p);
        return p;
    }
}
