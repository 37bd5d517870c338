package dev.panic.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.RunStatus;
import dev.panic.recipes.Csv;
import dev.panic.recipes.experiment.ExperimentReport;
import dev.panic.RunStore;
import dev.panic.StoredRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code panic experiment run}, {@code resume}, {@code report} and {@code --dry-run}; a kill -9 in the middle. */
class ExperimentCliTest {

    private static final int STEPS = 30;
    private static final int RUNS = 4;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int panic(String... args) {
        return PanicCli.execute(Platforms::discover, new PrintWriter(out), new PrintWriter(err), false, args);
    }

    @Test
    void should_run_an_experiment_report_it_and_forecast_it() throws Exception {
        // given
        Path spec = dir.resolve("loops.json");
        Files.writeString(spec, """
                {"name": "loops",
                 "networks": [{"name": "pd", "network": ["sim:painter", "sim:describer"], "controls": ["fixed-caption"]},
                              {"name": "contra", "network": ["sim:contrarian"]}],
                 "prompts": ["a hot red circle on a dark background", "a cold blue square on a light background"],
                 "embedders": ["minilm"], "max_steps": 6, "stop": ["exact-repeat"],
                 "prices": {"sim:painter": 0.01}}""");
        Path folder = dir.resolve("exp");

        // when
        int dry = panic("experiment", "run", spec.toString(), "-o", folder.toString(), "--dry-run");
        String forecast = out.toString();
        int ran = panic("experiment", "run", spec.toString(), "-o", folder.toString());
        int reported = panic("experiment", "report", folder.toString());

        // then
        assertThat(dry).as(err.toString()).isZero();
        assertThat(forecast).contains("experiment loops: 6 runs", "sim:painter", "12 calls",
                "$0.0100 each = $0.1200 (declared)");
        assertThat(ran).as(err.toString()).isZero();
        assertThat(reported).as(err.toString()).isZero();
        assertThat(out.toString()).contains("finished pd.fixed-caption.p2.r1: completed",
                "experiment loops: 6 completed, 0 failed, 0 stopped, 0 skipped", "pd, loop: 2 runs in 2 attractors",
                "written: " + folder.resolve("report"));
        List<List<String>> runs = Csv.parse(Files.readString(folder.resolve("report/runs.csv")));
        assertThat(runs.get(0)).isEqualTo(ExperimentReport.RUN_COLUMNS);
        assertThat(runs).hasSize(7);
        assertThat(folder.resolve("report/states.csv")).exists();
    }

    @Test
    void should_finish_an_experiment_killed_at_random_moments_with_every_run_whole() throws Exception {
        Path spec = dir.resolve("grow.json");
        Files.writeString(spec, """
                {"name": "grow", "networks": [["calllog:grow"]], "prompts": ["a", "b", "c", "d"], "max_steps": %d,
                 "pacing": {"kind": "fixed", "delay": "PT0.03S"}, "limits": {"runs": 2}}""".formatted(STEPS));
        Path folder = dir.resolve("exp");
        Path calls = dir.resolve("calls.log");
        Random random = new Random(20261202L);
        int kills = 0;
        boolean done = false;
        String last = "";
        StringBuilder all = new StringBuilder();
        for (int attempt = 0; attempt < 30 && !done; attempt++) {
            Path output = dir.resolve("out-" + attempt + ".txt");
            Process p = CrashResumeTest.panic(List.of("experiment", "run", spec.toString(), "-o", folder.toString()), calls,
                    output);
            // Kill it once a few more predictions are saved: in the middle of the runs, not during start-up.
            int target = saved(folder) + 5 + random.nextInt(30);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (attempt < 5 && p.isAlive() && saved(folder) < target && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            if (attempt < 5 && p.isAlive()) {
                p.destroyForcibly(); // SIGKILL: no shutdown hook, nothing stopped cleanly
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                kills++;
                all.append(Files.readString(output));
                continue;
            }
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            last = Files.readString(output);
            assertThat(p.exitValue()).as(last).isZero();
            done = true;
        }
        assertThat(done).isTrue();
        assertThat(kills).as("the test killed the program at least a few times").isGreaterThanOrEqualTo(3);
        all.append(last);
        assertThat(last).contains("experiment grow: " + RUNS + " completed, 0 failed");
        assertThat(all.toString()).as("a run cut short by a kill was resumed").contains("resumed  n1.loop.");

        RunStore store = RunStore.directory(folder.resolve("runs"));
        assertThat(store.runIds()).hasSize(RUNS);
        int predictions = 0;
        for (String id : store.runIds()) {
            StoredRun run = store.read(id);
            assertThat(run.info().status()).as(id).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.warnings()).isEmpty();
            List<Prediction> ps = run.predictions();
            assertThat(ps).extracting(Prediction::sequence)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, STEPS).boxed().toList());
            for (int i = 1; i < ps.size(); i++) {
                assertThat(ps.get(i).input()).as("%s: prediction %d takes output %d", id, i, i - 1)
                        .isEqualTo(ps.get(i - 1).output());
            }
            predictions += ps.size();
        }
        // Only calls in flight when a kill came were made again: at most two runs at once.
        long made = Files.readAllLines(calls).size();
        assertThat(made - predictions).as("calls made again after %d kills", kills).isBetween(0L, 2L * kills);
    }

    /** How many predictions the experiment's runs have saved so far. */
    private static int saved(Path folder) throws IOException {
        Path runs = folder.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return 0;
        }
        int n = 0;
        try (java.util.stream.Stream<Path> s = Files.list(runs)) {
            for (Path run : s.toList()) {
                Path log = run.resolve("predictions.jsonl");
                if (Files.exists(log)) {
                    n += (int) Files.readAllLines(log).stream().filter(l -> l.contains("\"sequence\"")).count();
                }
            }
        }
        return n;
    }
}
