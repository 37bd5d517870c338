package dev.panic.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.RunStatus;
import dev.panic.postgres.PostgresCluster;
import dev.panic.postgres.PostgresRunStore;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command that works on saved runs, with {@code --store postgresql://…}, and {@code panic store copy}. */
class StoreCliTest {

    private static final Pattern RUN_ID = Pattern.compile("(?m)^run:\\s+(\\S+)$");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int panic(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return PanicCli.execute(Platforms::discover, new PrintWriter(out), new PrintWriter(err), false, args);
    }

    private String runId() {
        Matcher m = RUN_ID.matcher(out.toString());
        assertThat(m.find()).as(out.toString()).isTrue();
        return m.group(1);
    }

    @Test
    void should_run_resume_fork_list_analyse_report_and_export_runs_in_postgresql() throws Exception {
        String db = PostgresCluster.shared().newDatabase();

        // run, then resume with a higher limit, then fork
        assertThat(panic("run", "-n", "sim:contrarian", "-p", "a big red circle", "--observe", "-s", "3",
                "--store", db)).as(err.toString()).isZero();
        String run = runId();
        assertThat(out.toString()).contains("saved:   run " + run + " in " + db);
        assertThat(panic("resume", run, "-s", "5", "--store", db)).as(err.toString()).isZero();
        assertThat(out.toString()).contains("completed after 5 predictions");
        assertThat(panic("fork", run, "--at", "1", "--input", "a small blue square", "-s", "4", "--store", db))
                .as(err.toString()).isZero();
        String fork = runId();

        // listed as a tree
        assertThat(panic("runs", "--store", db)).isZero();
        assertThat(out.toString()).contains(run).contains("└ " + fork).contains("completed");

        // analysed, reported and exported from the database
        assertThat(panic("analyse", "--store", db)).as(err.toString()).isZero();
        assertThat(out.toString()).contains(run).contains(fork);
        assertThat(panic("report", "--store", db, fork, "-o", dir.resolve("report").toString()))
                .as(err.toString()).isZero();
        assertThat(dir.resolve("report/report.html")).exists();
        assertThat(panic("export", "--store", db, run, "-o", dir.resolve("export.json").toString())).isZero();
        assertThat(Files.readString(dir.resolve("export.json"))).contains("\"seq_no\"");

        try (PostgresRunStore store = PostgresRunStore.open(db)) {
            StoredRun saved = store.read(fork);
            assertThat(saved.info().status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(saved.predictions()).extracting(Prediction::sequence).containsExactly(0, 1, 2, 3);
            assertThat(saved.predictions().subList(0, 2)).extracting(Prediction::runId).containsOnly(run);
            assertThat(saved.warnings()).isEmpty();
            assertThat(store.read(run).predictions()).hasSize(5);
        }
    }

    @Test
    void should_copy_runs_from_a_folder_to_postgresql_and_back_with_one_command() {
        // given: a run and its fork in a folder
        Path folder = dir.resolve("runs");
        assertThat(panic("run", "-n", "sim:painter,sim:describer", "-s", "4", "--observe", "--store",
                folder.toString())).as(err.toString()).isZero();
        String run = runId();
        assertThat(panic("fork", run, "--at", "1", "-s", "3", "--store", folder.toString())).as(err.toString()).isZero();
        String fork = runId();
        String db = PostgresCluster.shared().newDatabase();
        Path back = dir.resolve("back");

        // when
        int there = panic("store", "copy", folder.toString(), db);
        String thereOut = out.toString();
        int again = panic("store", "copy", folder.toString(), db, "--run", fork);
        String againOut = out.toString();
        int home = panic("store", "copy", db, back.toString());

        // then
        assertThat(there).as(err.toString()).isZero();
        assertThat(thereOut).contains("copied  " + run, "copied  " + fork, "copied 2 run(s)");
        assertThat(again).isZero();
        assertThat(againOut).contains("skipped " + fork, "copied 0 run(s)");
        assertThat(home).as(err.toString()).isZero();
        RunStore original = RunStore.directory(folder);
        RunStore returned = RunStore.directory(back);
        try (PostgresRunStore store = PostgresRunStore.open(db)) {
            for (String id : List.of(run, fork)) {
                assertThat(store.read(id).predictions()).isEqualTo(original.read(id).predictions());
                assertThat(returned.read(id).predictions()).isEqualTo(original.read(id).predictions());
                assertThat(returned.read(id).info()).isEqualTo(original.read(id).info());
                assertThat(returned.read(id).warnings()).isEmpty();
            }
        }
        assertThat(panic("runs", "--store", back.toString())).isZero();
        assertThat(out.toString()).contains("└ " + fork);
    }
}
