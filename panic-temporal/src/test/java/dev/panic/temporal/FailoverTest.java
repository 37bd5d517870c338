package dev.panic.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Change;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.Run;
import dev.panic.RunEvent;
import dev.panic.RunSpec;
import dev.panic.RunStatus;
import dev.panic.postgres.PostgresCluster;
import dev.panic.postgres.PostgresRunStore;
import dev.panic.StoredRun;
import dev.panic.testing.TestEmbedders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Temporal test server process, two worker processes and a client, sharing a PostgreSQL
 * store: a simulator loop with latency survives a kill -9 of the worker that holds it, every step
 * saved once and no model called again for a saved step, and a steering signal changes the next
 * prediction's revision.
 *
 * <p>The two worker processes make the steps; the workflow code runs in this process. The test
 * server, unlike Temporal's service, can lose a workflow task it hands to a long poll of a process
 * killed at that moment (the task is never started, and nothing times it out), which would hang
 * the run; activity tasks have pick-up timeouts, so a lost claim or step is tried again.
 */
class FailoverTest {

    private static final int STEPS = 40;

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
    void should_finish_a_run_on_the_other_worker_after_a_kill_with_every_step_saved_once() throws Exception {
        // given: a server, two workers, a shared store
        String db = PostgresCluster.shared().newDatabase();
        String workerStore = db + "?lease_seconds=3&pool_size=4";
        Path calls = dir.resolve("calls.log");
        server = TemporalTestServer.start(dir.resolve("server.log"));
        for (int i = 0; i < 2; i++) {
            workers.add(JavaProcess.start(dir.resolve("worker-" + i + ".log"), WorkerMain.class.getName(),
                    List.of(server.target(), workerStore, "150", "steps", calls.toString())));
        }
        Platforms platforms = Platforms.builder().discover().register(TestEmbedders.words("w", 16)).build();
        RunSpec spec = Run.builder(platforms.network("sim:painter", "sim:describer"), Payload.text("a red circle"))
                .embedWith(TestEmbedders.words("w", 16)).maxSteps(STEPS).spec();
        List<RunEvent> events = new CopyOnWriteArrayList<>();

        try (PostgresRunStore store = PostgresRunStore.open(db);
             PanicWorker workflows = PanicWorker.builder(server.target()).store(store).platforms(platforms)
                     .roles(true, false).build().start();
             TemporalRuns runs = TemporalRuns.builder(server.target()).store(store).platforms(platforms)
                     .failover(Duration.ofSeconds(3), Duration.ofSeconds(3)).build()) {
            // when: the run is steered early, and the worker holding it is killed later
            TemporalRun run = runs.start(spec, events::add);
            awaitStep(run, 6);
            run.steer(Change.template("painter", "a watercolour of {input}"));
            awaitStep(run, 14);
            String holder = holderQueue(run);
            Process victim = workerOf(holder);
            victim.destroyForcibly();
            assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(run.await(Duration.ofMinutes(2))).as(logs()).isTrue();

            // then: completed on the other worker
            StoredRun saved = store.read(run.id());
            assertThat(run.status()).as(logs()).isEqualTo(RunStatus.COMPLETED);
            assertThat(saved.info().status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(saved.warnings()).isEmpty();
            List<Prediction> ps = saved.predictions();
            assertThat(ps).extracting(Prediction::sequence)
                    .containsExactlyElementsOf(IntStream.range(0, STEPS).boxed().toList());
            for (int i = 1; i < ps.size(); i++) {
                Payload in = ps.get(i).input();
                Payload out = ps.get(i - 1).output();
                if (in instanceof Payload.Text t && out instanceof Payload.Text o && ps.get(i).revision() > 0
                        && ps.get(i).node().equals("painter")) {
                    assertThat(t.text()).isEqualTo("a watercolour of " + o.text());
                } else {
                    assertThat(in).as("prediction %d takes output %d", i, i - 1).isEqualTo(out);
                }
            }
            int firstRevised = ps.stream().filter(p -> p.revision() == 1).mapToInt(Prediction::sequence).min()
                    .orElseThrow();
            assertThat(ps).allSatisfy(p -> assertThat(p.revision()).isEqualTo(p.sequence() < firstRevised ? 0 : 1));
            assertThat(firstRevised).isBetween(6, 14);
            assertThat(saved.revisions()).singleElement().satisfies(r -> assertThat(r.changes())
                    .containsExactly(Change.template("painter", "a watercolour of {input}")));

            // every saved step was called; only the call the kill cut short was made again
            List<String> lines = Files.readAllLines(calls);
            Map<String, Integer> byPid = new HashMap<>();
            lines.forEach(l -> byPid.merge(l.substring(0, l.indexOf(' ')), 1, Integer::sum));
            assertThat(byPid).as("both workers made calls: %s", byPid).hasSize(2);
            assertThat(lines.size()).as("model calls for %d steps after one kill", STEPS).isBetween(STEPS, STEPS + 1);
            assertThat(events).filteredOn(e -> e instanceof RunEvent.PredictionMade).hasSize(STEPS);
            assertThat(events).filteredOn(e -> e instanceof RunEvent.Steered).hasSize(1);
            assertThat(events.get(events.size() - 1)).isInstanceOf(RunEvent.Finished.class);
        }
    }

    private static void awaitStep(TemporalRun run, int step) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (run.next() < step) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the run did not reach step " + step + "; it is at " + run.next());
            }
            Thread.sleep(50);
        }
    }

    private static String holderQueue(TemporalRun run) {
        return run.holder().orElseThrow(() -> new AssertionError("no worker holds the run"));
    }

    /** The worker process whose queue is {@code queue} (its pid is in the name). */
    private Process workerOf(String queue) {
        for (Process p : workers) {
            if (queue.contains("-" + p.pid() + "-")) {
                return p;
            }
        }
        throw new AssertionError("no worker process has queue " + queue);
    }

    private String logs() {
        StringBuilder b = new StringBuilder();
        for (String name : List.of("worker-0.log", "worker-1.log")) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve(name));
                b.append("\n--- ").append(name).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            } catch (java.io.IOException e) {
                b.append("\n(no ").append(name).append(')');
            }
        }
        return b.toString();
    }
}
