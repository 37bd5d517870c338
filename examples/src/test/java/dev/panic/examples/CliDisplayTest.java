package dev.panic.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.panic.Metadata;
import dev.panic.ModelId;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.RunEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person sees of a run on the command line: the status line, streamed words, observations, numbers, version, encoding. */
class CliDisplayTest {

    private static final Instant T = Instant.parse("2025-05-01T12:00:00Z");
    private static final ModelId A = ModelId.parse("sim:painter");
    private static final ModelId B = ModelId.parse("typist:slow");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** The lines a terminal shows after receiving {@code written}: carriage returns overwrite. */
    static List<String> screen(String written) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int col = 0;
        for (char c : written.toCharArray()) {
            if (c == '\n') {
                lines.add(line.toString().stripTrailing());
                line.setLength(0);
                col = 0;
            } else if (c == '\r') {
                col = 0;
            } else {
                if (col < line.length()) {
                    line.setCharAt(col, c);
                } else {
                    line.append(c);
                }
                col++;
            }
        }
        lines.add(line.toString().stripTrailing());
        return lines;
    }

    private static Prediction made(int seq, ModelId model, String text) {
        return new Prediction("r", seq, model.name(), model, Payload.text("in"), Payload.text(text), T,
                T.plusMillis(300), Metadata.empty(), Map.of(), null, 0);
    }

    @Test
    void should_keep_the_status_of_the_call_at_work_when_an_earlier_output_is_printed() {
        // With embedders the next call starts before the previous output is printed.
        Console console = new Console(new PrintWriter(out), new PrintWriter(err), true);
        try (RunWatch.Progress progress = new RunWatch.Progress(console, 10)) {
            progress.onEvent(new RunEvent.PredictionStarted("r", 0, "painter", A, Payload.text("x"), T, 0));
            progress.onEvent(new RunEvent.PredictionStarted("r", 1, "slow", B, Payload.text("y"), T, 0));
            progress.onEvent(new RunEvent.PredictionMade("r", made(0, A, "a picture")));

            List<String> shown = screen(out.toString());
            assertThat(shown.get(shown.size() - 2)).startsWith("#0 sim:painter").endsWith("a picture");
            assertThat(shown.get(shown.size() - 1)).matches("#1 typist:slow working \\d+\\.\\d s …");

            // Streamed words show as they arrive, under the printed lines.
            progress.onEvent(new RunEvent.PartialOutput("r", 1, B, "hello"));
            progress.onEvent(new RunEvent.PartialOutput("r", 1, B, " world"));
            shown = screen(out.toString());
            assertThat(shown.get(shown.size() - 1)).matches("#1 typist:slow working \\d+\\.\\d s: hello world");

            progress.onEvent(new RunEvent.PredictionMade("r", made(1, B, "hello world")));
            shown = screen(out.toString());
            assertThat(shown.get(shown.size() - 2)).startsWith("#1 typist:slow").endsWith("hello world");
            assertThat(shown.get(shown.size() - 1)).isEmpty();
        }
    }

    @Test
    void should_print_no_status_line_when_not_on_a_terminal() {
        Console console = new Console(new PrintWriter(out), new PrintWriter(err), false);
        try (RunWatch.Progress progress = new RunWatch.Progress(console, null)) {
            progress.onEvent(new RunEvent.PredictionStarted("r", 0, "painter", A, Payload.text("x"), T, 0));
            progress.onEvent(new RunEvent.PartialOutput("r", 0, A, "tok"));
            progress.onEvent(new RunEvent.PredictionMade("r", made(0, A, "done")));
        }
        assertThat(out.toString()).doesNotContain("\r").doesNotContain("working").startsWith("#0 sim:painter");
    }

    @Test
    void should_print_an_observation_when_it_happens_not_at_the_end() {
        int code = PanicCli.execute(Platforms::discover, new PrintWriter(out), new PrintWriter(err), false,
                "run", "--no-save", "--observe", "--no-embed", "-s", "8", "-n", "sim:contrarian", "-p", "a hot day");

        assertThat(code).as(err.toString()).isZero();
        String text = out.toString();
        int observed = text.indexOf("observed: output 2 repeats output 0 exactly");
        assertThat(observed).isPositive();
        assertThat(text.indexOf("#2 sim:contrarian")).isLessThan(observed);
        assertThat(text.indexOf("#7 sim:contrarian")).isGreaterThan(observed);
    }

    @Test
    void should_number_outputs_from_0_everywhere_as_stop_reasons_and_saved_runs_do() throws Exception {
        int code = PanicCli.execute(Platforms::discover, new PrintWriter(out), new PrintWriter(err), false,
                "run", "-o", dir.toString(), "--no-embed", "-s", "12", "-n", "sim:contrarian", "-p", "a hot day");

        assertThat(code).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).contains("limit:   12 outputs, #0 to #11");
        List<String> steps = text.lines().filter(l -> l.startsWith("#")).toList();
        for (int i = 0; i < steps.size(); i++) {
            assertThat(steps.get(i)).startsWith(String.format("#%-2d sim:contrarian", i));
        }
        // The stop reason names the last printed output by the same number.
        Matcher m = Pattern.compile("output (\\d+) repeats output (\\d+)").matcher(text);
        assertThat(m.find()).as(text).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isEqualTo(steps.size() - 1);
        String runId = text.lines().filter(l -> l.startsWith("run:")).findFirst().orElseThrow().substring(9).trim();

        StringWriter forkOut = new StringWriter();
        int forked = PanicCli.execute(Platforms::discover, new PrintWriter(forkOut), new PrintWriter(err), false,
                "fork", runId, "--at", "1", "-o", dir.toString(), "-s", "4");
        assertThat(forked).as(err.toString()).isZero();
        assertThat(forkOut.toString()).contains("forking " + runId + " after #1").contains("#2 sim:contrarian")
                .doesNotContain("#1 sim:contrarian");
    }

    @Test
    void should_print_the_version_it_was_built_as() {
        int code = PanicCli.execute(Platforms::discover, new PrintWriter(out), new PrintWriter(err), false, "--version");

        assertThat(code).isZero();
        String expected = System.getProperty("panic.expected.version");
        assertThat(expected).as("set by the build").isNotBlank();
        assertThat(out.toString().strip()).isEqualTo("panic " + expected);
    }

    @Test
    void should_write_utf8_under_lang_c() throws Exception {
        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, "{\"network\": [\"sim:contrarian\"], \"input\": {\"text\": \"café ☕ — déjà vu\"}}",
                StandardCharsets.UTF_8);
        Process p = panicProcess(List.of("run", "--no-save", "-s", "2", "--spec", spec.toString()),
                Map.of("LANG", "C", "LC_ALL", "C"));
        byte[] bytes = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).contains("input:   café ☕ — déjà vu").doesNotContain("caf?");
    }

    /** The program in a JVM of its own, on this test's class path, with these environment variables. */
    static Process panicProcess(List<String> args, Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PanicCli.class.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        return pb.start();
    }

    @Test
    void should_show_a_person_the_status_line_and_streamed_words_in_a_terminal() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")) || "true".equalsIgnoreCase(System.getenv("CI")),
                "tmux is not installed: skipping the terminal check ('apt-get install tmux')");
        String session = "panic-test-" + ProcessHandle.current().pid();
        Path script = dir.resolve("panic.sh");
        Files.writeString(script, "#!/bin/sh\n'" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -cp '" + System.getProperty("java.class.path") + "' " + PanicCli.class.getName()
                + " run --no-save --no-embed -s 3 -n typist:slow -p 'one two three four five six seven eight'"
                + "; echo PANIC-EXITED-$?; sleep 30\n");
        script.toFile().setExecutable(true);
        tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "30", "env TYPIST_DELAY_MS=250 " + script);
        try {
            List<String> seen = new ArrayList<>();
            String screen = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!screen.contains("PANIC-EXITED-") && System.nanoTime() < deadline) {
                screen = tmux("capture-pane", "-p", "-t", session);
                seen.add(screen);
                Thread.sleep(100);
            }
            assertThat(screen).contains("PANIC-EXITED-0").contains("completed after 3 predictions");
            // While a call was at work, its status line named it, its time and the words streamed so far.
            Pattern status = Pattern.compile("(?m)^#(\\d) typist:slow working \\d+\\.\\d s: (\\S+( \\S+)*)\\s*$");
            List<String> statuses = new ArrayList<>();
            for (String s : seen) {
                Matcher m = status.matcher(s);
                while (m.find()) {
                    statuses.add(m.group(1) + ":" + m.group(2));
                }
            }
            assertThat(statuses).as(String.join("\n----\n", seen.subList(Math.max(0, seen.size() - 3), seen.size())))
                    .anyMatch(s -> s.equals("0:eight seven"))
                    .anyMatch(s -> s.startsWith("1:"));
            // The printed lines stay, and the status line is gone at the end.
            assertThat(screen).contains("#0 typist:slow").contains("eight seven six five four three two one")
                    .doesNotContain("working");
        } finally {
            tmux("kill-session", "-t", session);
        }
    }

    private static String tmux(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tmux"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return text;
    }
}
