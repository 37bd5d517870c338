package dev.panic.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Platforms;
import dev.panic.RunStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's mends: what it did wrong with read-only stores, missing folders, odd prompts, full disks, Ctrl-C. */
class CliMendsTest {

    private static final String CAFE = "café crème ☕ on a red table";

    @TempDir
    Path dir;

    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void clear() {
        out = new StringWriter();
        err = new StringWriter();
    }

    private int panic(String... args) {
        clear();
        return PanicCli.execute(Platforms::discover, new PrintWriter(out), new PrintWriter(err), false, args);
    }

    private Path onlyRun(Path runs) throws Exception {
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(p -> Files.exists(p.resolve("run.json"))).findFirst().orElseThrow();
        }
    }

    @Test
    void should_print_the_analysis_of_a_store_it_cannot_write_and_warn() throws Exception {
        // given: analysis.json cannot be replaced (a folder stands in its way, which stops root as well)
        assertThat(panic("run", "-s", "4", "-o", dir.toString())).isZero();
        Path run = onlyRun(dir);
        Files.delete(run.resolve("analysis.json"));
        Files.createDirectories(run.resolve("analysis.json").resolve("in-the-way"));

        // when
        int code = panic("analyse", dir.toString());

        // then
        assertThat(code).isZero();
        assertThat(out.toString()).contains("run " + run.getFileName() + ": 4 predictions").contains("image outputs");
        assertThat(out.toString()).contains("1 analysis file(s) could not be saved");
        assertThat(err.toString()).contains("could not save the analysis").doesNotContain("\tat ");
    }

    @Test
    void should_say_the_export_folder_is_missing_without_a_stack_trace() throws Exception {
        assertThat(panic("run", "-s", "2", "--no-embed", "-o", dir.toString())).isZero();

        int code = panic("export", "-d", dir.toString(), "-o", dir.resolve("nodir").resolve("x.json").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("does not exist; create it first").doesNotContain("\tat ");
    }

    @Test
    void should_refuse_an_embedder_no_prediction_has() throws Exception {
        assertThat(panic("run", "-s", "2", "-o", dir.toString())).isZero();

        int code = panic("export", "-d", dir.toString(), "--embedder", "nope");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("'nope'").contains("image-descriptor").contains("minilm");
    }

    @Test
    void should_treat_an_empty_folder_alike_in_analyse_and_export() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        assertThat(panic("analyse", empty.toString())).isZero();
        assertThat(out.toString()).contains("no saved runs in " + empty);
        assertThat(panic("export", "-d", empty.toString())).isZero();
        assertThat(out.toString()).contains("no saved runs in " + empty);
    }

    @Test
    void should_carry_on_past_an_unreadable_run_and_count_it() throws Exception {
        assertThat(panic("run", "-s", "2", "-o", dir.toString())).isZero();
        assertThat(panic("run", "-s", "2", "-o", dir.toString(), "-p", "a blue square")).isZero();
        Path broken = onlyRun(dir);
        Files.writeString(broken.resolve("run.json"), "{ not json");

        assertThat(panic("analyse", dir.toString())).isZero();
        assertThat(out.toString()).contains("1 run(s) could not be read and were skipped").contains("2 predictions");
        assertThat(panic("export", "-d", dir.toString())).isZero();
        assertThat(err.toString()).contains("1 run(s) could not be read and were left out");
    }

    @Test
    void should_take_a_prompt_from_a_file_or_standard_input_as_utf8() throws Exception {
        Path file = dir.resolve("prompt.txt");
        Files.writeString(file, CAFE + "\n", StandardCharsets.UTF_8);

        assertThat(panic("run", "-s", "1", "--no-embed", "--prompt-file", file.toString(), "-o",
                dir.resolve("a").toString())).isZero();
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream(CAFE.getBytes(StandardCharsets.UTF_8)));
            assertThat(panic("run", "-s", "1", "--no-embed", "--prompt-file", "-", "-o", dir.resolve("b").toString()))
                    .isZero();
        } finally {
            System.setIn(stdin);
        }

        for (String folder : List.of("a", "b")) {
            assertThat(RunStore.directory(dir.resolve(folder)).read(onlyRun(dir.resolve(folder)).getFileName().toString())
                    .info().initialInput()).isEqualTo(dev.panic.Payload.text(CAFE));
        }
    }

    @Test
    void should_refuse_a_prompt_the_locale_garbled_instead_of_saving_it() throws Exception {
        Process p = spawn(List.of("run", "-s", "1", "--no-embed", "-p", CAFE, "-o", dir.toString()),
                Map.of("LANG", "C", "LC_ALL", "C"));
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(text).isEqualTo(2);
        assertThat(text).contains("could not pass to Java on the command line").contains("--prompt-file");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void should_stop_cleanly_and_say_so_when_the_disk_is_full() throws Exception {
        // given: a process that may write no file beyond 20 blocks, as a full disk stops a run part way
        Path sh = Path.of("/bin/sh");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(sh), "needs /bin/sh");
        List<String> command = new ArrayList<>(List.of(sh.toString(), "-c", "ulimit -f 20; exec \"$0\" \"$@\""));
        command.addAll(javaCommand(List.of("run", "-n", "sim:drifter", "-s", "400", "--no-embed", "-o", dir.toString())));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();

        // when
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // then: the run failed on its store, says what is saved, how many predictions, and how to go on
        assertThat(p.exitValue()).as(text).isEqualTo(1);
        Path run = onlyRun(dir);
        int saved = RunStore.directory(dir).read(run.getFileName().toString()).predictions().size();
        assertThat(saved).isBetween(1, 399);
        assertThat(text).contains("failed after " + saved + " predictions").contains("could not save prediction " + saved)
                .contains("not saved completely").contains("panic resume").doesNotContain("saved:   ")
                .doesNotContain("\tat ");
    }

    @Test
    void should_save_the_end_and_the_analysis_when_interrupted() throws Exception {
        // given: a slow, endless run in a process of its own
        Path log = Files.createTempFile("panic-interrupted", ".txt");
        Process p = new ProcessBuilder(javaCommand(List.of("run", "-n", "sim:drifter", "--forever", "--pace", "50ms",
                "-o", dir.toString()))).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && predictionBytes() < 2000) {
            Thread.sleep(50);
        }

        // when: what Ctrl-C or a TERM signal does
        p.destroy();

        // then
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(log);
        Path run = onlyRun(dir);
        assertThat(Files.readString(run.resolve("run.json"))).contains("\"status\" : \"CANCELLED\"");
        assertThat(run.resolve("analysis.json")).exists();
        assertThat(text).as("no warning about a prediction the cancel drops").doesNotContain("keeping the prediction");
    }

    /** How much the run in {@link #dir} has saved so far: 0 before it exists. */
    private long predictionBytes() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            Path file = s.map(r -> r.resolve("predictions.jsonl")).filter(Files::exists).findFirst().orElse(null);
            return file == null ? 0 : Files.size(file);
        }
    }

    private static List<String> javaCommand(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PanicCli.class.getName());
        command.addAll(args);
        return command;
    }

    private static Process spawn(List<String> args, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(javaCommand(args)).redirectErrorStream(true);
        pb.environment().putAll(env);
        return pb.start();
    }
}
