package dev.panic.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.RunStatus;
import dev.panic.postgres.PostgresCluster;
import dev.panic.postgres.PostgresRunStore;
import dev.panic.StoredRun;
import dev.panic.temporal.JavaProcess;
import dev.panic.temporal.TemporalTestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code panic worker} in a process of its own, and {@code panic run --on temporal://…} watching the run it carries. */
class DurableCliTest {

    @TempDir
    Path dir;

    @Test
    void should_run_a_loop_on_a_worker_process_and_show_its_steps_as_a_local_run_does() throws Exception {
        String db = PostgresCluster.shared().newDatabase();
        try (TemporalTestServer server = TemporalTestServer.start(dir.resolve("server.log"))) {
            Process worker = JavaProcess.start(dir.resolve("worker.log"), PanicCli.class.getName(),
                    List.of("worker", "--temporal", server.target(), "--store", db));
            try {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int code = PanicCli.execute(Platforms::discover, new PrintWriter(out), new PrintWriter(err), false,
                        "run", "-n", "sim:contrarian", "-p", "a big red circle", "--observe", "-s", "4",
                        "--on", "temporal://" + server.target(), "--store", db);

                String shown = out + "\n" + err + "\n--- worker\n" + Files.readString(dir.resolve("worker.log"));
                assertThat(code).as(shown).isZero();
                assertThat(out.toString()).contains("#0 sim:contrarian", "#3 sim:contrarian",
                        "completed after 4 predictions", "observed: output 2 repeats output 0");
                Matcher m = Pattern.compile("(?m)^run:\\s+(\\S+)").matcher(out.toString());
                assertThat(m.find()).isTrue();
                try (PostgresRunStore store = PostgresRunStore.open(db)) {
                    StoredRun saved = store.read(m.group(1));
                    assertThat(saved.info().status()).isEqualTo(RunStatus.COMPLETED);
                    assertThat(saved.predictions()).extracting(Prediction::sequence).containsExactly(0, 1, 2, 3);
                    assertThat(saved.predictions()).allSatisfy(p -> assertThat(p.embeddings()).containsKey("minilm"));
                    assertThat(saved.info().observations()).isNotEmpty();
                }
            } finally {
                worker.destroyForcibly();
            }
        }
    }
}
