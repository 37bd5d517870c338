package dev.panic.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pastes the README's Java blocks marked {@code <!-- jshell ... -->} into the real {@code jshell}
 * tool, in a process of its own with this test's class path, as a reader would: every snippet must
 * be accepted and run without an exception.
 */
class ReadmeSnippetsTest {

    private static final Pattern MARKED = Pattern.compile("<!-- jshell[^>]*-->\\s*```java\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void should_run_every_marked_readme_block_in_jshell_as_it_is() throws Exception {
        List<String> blocks = markedBlocks();
        assertThat(blocks).as("the README marks its pastable blocks").isNotEmpty();
        List<String> outputs = new ArrayList<>();
        for (String block : blocks) {
            String out = jshell(block);
            assertThat(out).as("jshell said:%n%s", out)
                    .doesNotContain("Error:")
                    .doesNotContain("Exception")
                    .doesNotContain("cannot find symbol");
            outputs.add(out);
        }
        // the first block is the 20-line tour: it ends with the run's status and its outputs, as its comments say
        assertThat(outputs.get(0)).contains("COMPLETED: output 2 repeats output 0 exactly")
                .contains("0 image/png 128x128").contains("1 a dark image of a medium red circle");
    }

    private static List<String> markedBlocks() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        List<String> blocks = new ArrayList<>();
        Matcher m = MARKED.matcher(readme);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private String jshell(String code) throws Exception {
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        ProcessBuilder pb = new ProcessBuilder(jshell.toString(), "--class-path", System.getProperty("java.class.path"),
                "--feedback", "concise", "-J-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                .directory(dir.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().write((code + "\n/exit\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
