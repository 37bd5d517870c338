package dev.panic.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.RunStatus;
import dev.panic.RunStore;
import dev.panic.StoredRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real {@code panic} process with SIGKILL at random moments, resumes the run with
 * {@code panic resume} each time, and checks that the run completes with no gap and no model
 * called twice for a step that was saved: at most the call in flight is lost per kill.
 */
class CrashResumeTest {

    private static final int STEPS = 40;

    @TempDir
    Path dir;

    @Test
    void should_complete_a_run_killed_at_random_moments_with_no_gap_and_no_saved_step_called_twice() throws Exception {
        Path runs = dir.resolve("runs");
        Path calls = dir.resolve("calls.log");
        Random random = new Random(20261201L);
        int kills = 0;
        boolean done = false;
        for (int attempt = 0; attempt < 30 && !done; attempt++) {
            boolean started = runIds(runs).size() == 1;
            List<String> args = started
                    ? List.of("resume", runIds(runs).get(0), "-o", runs.toString())
                    : List.of("run", "-n", "calllog:grow", "-p", "start", "--observe", "-s", String.valueOf(STEPS),
                    "--pace", "25ms", "-o", runs.toString());
            Process p = panic(args, calls, dir.resolve("out-" + attempt + ".txt"));
            boolean kill = attempt < 8;
            if (kill && !p.waitFor(400 + random.nextInt(1400), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly(); // SIGKILL: no shutdown hook, no final save
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                kills++;
                continue;
            }
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("panic %s finished", args).isTrue();
            assertThat(p.exitValue()).as(Files.readString(dir.resolve("out-" + attempt + ".txt"))).isZero();
            done = true;
        }
        assertThat(done).isTrue();
        assertThat(kills).as("the test killed the program at least a few times").isGreaterThanOrEqualTo(3);

        StoredRun run = RunStore.directory(runs).read(runIds(runs).get(0));
        assertThat(run.info().status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.warnings()).isEmpty();
        List<Prediction> ps = run.predictions();
        assertThat(ps).extracting(Prediction::sequence)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, STEPS).boxed().toList());
        for (int i = 1; i < ps.size(); i++) {
            assertThat(ps.get(i).input()).as("prediction %d takes output %d", i, i - 1).isEqualTo(ps.get(i - 1).output());
        }
        assertThat(ps).allSatisfy(pr -> assertThat(pr.embeddings()).containsKey("minilm"));
        // Every saved step was called; a step was called more than once only when a kill cut its call short.
        Map<Integer, Integer> perInput = new HashMap<>();
        for (String line : Files.readAllLines(calls)) {
            perInput.merge(Integer.parseInt(line.strip()), 1, Integer::sum);
        }
        for (Prediction pr : ps) {
            assertThat(perInput).containsKey(((Payload.Text) pr.input()).text().length());
        }
        int repeated = perInput.values().stream().mapToInt(n -> n - 1).sum();
        assertThat(repeated).as("calls made again after %d kills", kills).isLessThanOrEqualTo(kills);
    }

    private static List<String> runIds(Path runs) throws IOException {
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(d -> Files.exists(d.resolve("run.json"))).map(d -> d.getFileName().toString()).toList();
        }
    }

    /** The {@code panic} program in a process of its own, on this test's class path, logging calls to {@code callLog}. */
    static Process panic(List<String> args, Path callLog, Path output) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PanicCli.class.getName());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("PANIC_CALL_LOG", callLog.toString());
        return pb.start();
    }

}
