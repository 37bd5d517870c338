package dev.panic.postgres;

import static dev.panic.store.Fixtures.T0;
import static dev.panic.store.Fixtures.ok;
import static dev.panic.store.Fixtures.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.RunStatus;
import dev.panic.exception.PanicException;
import dev.panic.RunStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases on the database clock: one writer per run across processes, and take-over after a writer dies. */
class LeaseTest {

    private final PostgresCluster cluster = PostgresCluster.shared();
    private final String url = cluster.newDatabase();
    private final List<PostgresRunStore> opened = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @TempDir
    Path dir;

    private PostgresRunStore open(Duration lease) {
        PostgresRunStore store = PostgresRunStore.builder(url).lease(lease).poolSize(2).build();
        opened.add(store);
        return store;
    }

    @AfterEach
    void cleanUp() {
        processes.forEach(Process::destroyForcibly);
        opened.forEach(PostgresRunStore::close);
    }

    @Test
    void should_show_a_killed_writers_run_live_until_its_lease_lapses_then_interrupted_and_resumable() throws Exception {
        // given: a writer in another process, saving a prediction every 50 ms
        PostgresRunStore reader = open(Duration.ofSeconds(3));
        Process writer = java(dir.resolve("writer.txt"), "write", url, "r1", "3000");
        int seen = awaitPredictions(reader, "r1", 5, writer, dir.resolve("writer.txt"));
        assertThat(reader.info("r1").status()).isEqualTo(RunStatus.RUNNING);
        assertThat(awaitPredictions(reader, "r1", seen + 3, writer, dir.resolve("writer.txt")))
                .as("a reader sees the live run grow").isGreaterThan(seen);

        // when: the writer is killed mid-run, with no chance to let the run go
        writer.destroyForcibly();
        assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // then: live until its lease lapses, then interrupted, and another process takes it over
        assertThat(reader.info("r1").status()).isEqualTo(RunStatus.RUNNING);
        assertThatThrownBy(() -> reader.resume("r1")).isInstanceOf(PanicException.class).hasMessageContaining("live");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (reader.info("r1").status() != RunStatus.INTERRUPTED && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(reader.info("r1").status()).isEqualTo(RunStatus.INTERRUPTED);
        List<Prediction> saved = reader.read("r1").predictions();
        int next = saved.size();
        assertThat(saved).extracting(Prediction::sequence).containsExactlyElementsOf(IntStream.range(0, next).boxed().toList());
        try (RunStore.Recorder taken = reader.resume("r1")) {
            taken.append(ok("r1", next, Payload.text("in " + next), Payload.text("out " + next)), true);
        }
        assertThat(reader.read("r1").predictions()).hasSize(next + 1);
    }

    @Test
    void should_let_exactly_one_of_two_processes_take_over_an_interrupted_run_at_the_same_moment() throws Exception {
        // given
        PostgresRunStore store = open(Duration.ofSeconds(5));
        try (RunStore.Recorder r = store.create(running("r1", Payload.text("x"), T0))) {
            r.append(ok("r1", 0, Payload.text("x"), Payload.text("y")), true);
        }
        assertThat(store.info("r1").status()).isEqualTo(RunStatus.INTERRUPTED);
        String at = String.valueOf(System.currentTimeMillis() + 5000);

        // when: two processes try at the same moment
        Process a = java(dir.resolve("a.txt"), "take", url, "r1", "5000", at, "1");
        Process b = java(dir.resolve("b.txt"), "take", url, "r1", "5000", at, "1");
        assertThat(a.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(b.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // then
        List<String> outcomes = List.of(Files.readString(dir.resolve("a.txt")), Files.readString(dir.resolve("b.txt")));
        assertThat(outcomes).as("%s", outcomes).filteredOn(o -> o.contains("won") && o.contains("let go")).hasSize(1);
        assertThat(outcomes).as("%s", outcomes).filteredOn(o -> o.contains("refused: run 'r1' is live")).hasSize(1);
        assertThat(store.read("r1").predictions()).extracting(Prediction::sequence).containsExactly(0, 1);
        assertThat(store.info("r1").status()).isEqualTo(RunStatus.INTERRUPTED);
    }

    @Test
    void should_stop_a_writer_whose_lease_lapsed_and_whose_run_was_taken_over() throws Exception {
        // given: a writer that was cut off long enough for its lease to lapse, and a second one that took over
        PostgresRunStore first = open(Duration.ofSeconds(30));
        PostgresRunStore second = open(Duration.ofSeconds(30));
        RunStore.Recorder stale = first.create(running("r1", Payload.text("x"), T0));
        stale.append(ok("r1", 0, Payload.text("x"), Payload.text("y")), true);
        try (Connection c = cluster.connect(url);
             PreparedStatement s = c.prepareStatement(
                     "UPDATE panic_runs SET lease_until = clock_timestamp() - interval '1 second' WHERE id = 'r1'")) {
            s.executeUpdate();
        }
        RunStore.Recorder current = second.resume("r1");

        // when / then: the stale writer can write nothing more, the current one goes on
        assertThatThrownBy(() -> stale.append(ok("r1", 1, Payload.text("y"), Payload.text("stale")), true))
                .isInstanceOf(PanicException.class).hasMessageContaining("no longer holds run 'r1'");
        current.append(ok("r1", 1, Payload.text("y"), Payload.text("current")), true);
        stale.close();
        assertThat(second.info("r1").status()).as("closing the stale writer leaves the lease alone")
                .isEqualTo(RunStatus.RUNNING);
        current.close();
        assertThat(first.read("r1").predictions()).extracting(p -> ((Payload.Text) p.output()).text())
                .containsExactly("y", "current");
    }

    @Test
    void should_keep_a_quiet_run_live_by_renewing_its_lease() throws Exception {
        // given: a one-second lease, and a run whose model takes longer than that
        PostgresRunStore writer = open(Duration.ofSeconds(1));
        PostgresRunStore reader = open(Duration.ofSeconds(1));
        RunStore.Recorder recorder = writer.create(running("r1", Payload.text("x"), T0));

        // when
        Thread.sleep(2500);

        // then
        assertThat(reader.info("r1").status()).isEqualTo(RunStatus.RUNNING);
        assertThatThrownBy(() -> reader.resume("r1")).isInstanceOf(PanicException.class);
        recorder.append(ok("r1", 0, Payload.text("x"), Payload.text("y")), true);
        recorder.close();
        assertThat(reader.info("r1").status()).isEqualTo(RunStatus.INTERRUPTED);
    }

    private int awaitPredictions(PostgresRunStore reader, String runId, int atLeast, Process writer, Path log)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!writer.isAlive()) {
                throw new AssertionError("the writer process ended: " + Files.readString(log));
            }
            try {
                int n = reader.info(runId).predictions();
                if (n >= atLeast) {
                    return n;
                }
            } catch (dev.panic.exception.NotFoundException notYet) {
                // the writer has not created it yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the writer did not save " + atLeast + " predictions: " + Files.readString(log));
    }

    /** {@link StoreProcess} in a JVM of its own, on this test's class path. */
    private Process java(Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StoreProcess.class.getName());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        processes.add(p);
        return p;
    }
}
