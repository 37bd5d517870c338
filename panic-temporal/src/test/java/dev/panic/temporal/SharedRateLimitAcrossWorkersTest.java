package dev.panic.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Run;
import dev.panic.RunSpec;
import dev.panic.RunStatus;
import dev.panic.postgres.PostgresCluster;
import dev.panic.postgres.PostgresRunStore;
import dev.panic.postgres.StubPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 durable runs across two worker processes, all calling one key of a loopback platform that
 * allows 10 calls a second and answers 429 above it: the workers share the key's limit through
 * the store, so together they keep to it.
 */
class SharedRateLimitAcrossWorkersTest {

    private static final int RUNS = 200;
    private static final int PER_SECOND = 10;

    @TempDir
    Path dir;

    private final List<Process> workers = new ArrayList<>();
    private TemporalTestServer server;

    @AfterEach
    void stopAll() {
        workers.forEach(Process::destroyForcibly);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void should_keep_two_workers_within_one_keys_limit() throws Exception {
        String db = PostgresCluster.shared().newDatabase();
        try (StubPlatform platform = new StubPlatform(PER_SECOND, PER_SECOND, 100)) {
            server = TemporalTestServer.start(dir.resolve("server.log"));
            for (int i = 0; i < 2; i++) {
                workers.add(JavaProcess.start(dir.resolve("worker-" + i + ".log"), WorkerMain.class.getName(),
                        List.of(server.target(), db + "?pool_size=4", "10", "steps"),
                        Map.of("STUB_BASE_URL", platform.base().toString(), "STUB_PER_SECOND", String.valueOf(PER_SECOND))));
            }
            // This process checks networks and runs the workflow code; it makes no model call.
            Platforms platforms = Platforms.builder().register(new StubHttpPlatform(platform.base(), PER_SECOND, "client"))
                    .build();
            try (PostgresRunStore store = PostgresRunStore.open(db);
                 PanicWorker workflows = PanicWorker.builder(server.target()).store(store).platforms(platforms)
                         .roles(true, false).build().start();
                 TemporalRuns runs = TemporalRuns.builder(server.target()).store(store).platforms(platforms).build()) {
                List<TemporalRun> started = new ArrayList<>();
                for (int i = 0; i < RUNS; i++) {
                    RunSpec spec = Run.builder(platforms.network("stub:echo"), Payload.text("run " + i)).maxSteps(1)
                            .spec();
                    started.add(runs.start(spec));
                }
                for (TemporalRun run : started) {
                    assertThat(run.await(Duration.ofMinutes(3))).as(logs()).isTrue();
                    assertThat(run.status()).as(logs()).isEqualTo(RunStatus.COMPLETED);
                }
            }
            List<Long> accepted = platform.accepted();
            double rate = (accepted.size() - 1) / ((accepted.get(accepted.size() - 1) - accepted.get(0)) / 1e9);
            long t0 = accepted.get(0);
            System.out.printf("two workers: %d accepted at %.1f a second, at most %d in a second, %d refused at ms %s,"
                            + " by %s%n", accepted.size(), rate, platform.peak(), platform.refused(),
                    platform.refusedAt().stream().map(t -> (t - t0) / 1_000_000).toList(), platform.callers());
            assertThat(accepted).hasSize(RUNS);
            assertThat(platform.callers()).as("calls by worker").hasSize(2).doesNotContainKey("client");
            assertThat(platform.refused()).as("429s for %d calls", RUNS).isLessThanOrEqualTo(RUNS / 100);
            assertThat(platform.peak()).as("the most accepted in any second").isLessThanOrEqualTo(PER_SECOND * 3 / 2);
        }
    }

    private String logs() {
        StringBuilder b = new StringBuilder("worker logs:");
        for (int i = 0; i < 2; i++) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve("worker-" + i + ".log"));
                b.append("\n--- worker ").append(i).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            } catch (java.io.IOException e) {
                b.append("\n(no log ").append(i).append(')');
            }
        }
        return b.toString();
    }
}
