package dev.panic.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapaio.jupyter.kernel.MainApp;

/**
 * Executes {@code examples/notebooks/tour.ipynb} headlessly, as a reader would run it: Debian's
 * {@code jupyter-nbconvert} drives the rapaio-jupyter-kernel (the jar Maven fetched, installed
 * into a temporary Jupyter folder with its own installer), and the notebook adds the jars of
 * {@code target/notebook-jars}. Runs after {@code package}, through failsafe. The executed
 * notebook is kept in {@code target/notebook/} for a reviewer.
 */
class TourNotebookTest {

    private static final Path TOUR = Path.of("..", "examples", "notebooks", "tour.ipynb");
    private static final Path OUT = Path.of("target", "notebook");
    private static final List<String> NBCONVERT = List.of("/usr/bin/jupyter-nbconvert", "/usr/local/bin/jupyter-nbconvert");

    @TempDir
    Path home;

    @Test
    void should_execute_the_tour_notebook_without_errors_and_show_pictures_and_live_runs() throws Exception {
        Path nbconvert = NBCONVERT.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        if (nbconvert == null) {
            String what = "Jupyter's nbconvert is not installed (looked for " + String.join(", ", NBCONVERT) + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(what + "; .ci/run installs the Debian packages jupyter-nbconvert, jupyter-client, "
                        + "python3-nbclient and python3-ipykernel before the build");
            }
            assumeTrue(false, what + ": skipping the notebook run; install them with apt-get");
        }
        assertThat(Path.of("target", "notebook-jars", "panic-notebook.jar"))
                .as("the build copies the module and its dependencies to target/notebook-jars").exists();
        Map<String, String> env = installKernel();

        Path executed = execute(nbconvert, env);

        JsonNode nb = new ObjectMapper().readTree(executed.toFile());
        List<JsonNode> outputs = new ArrayList<>();
        int codeCells = 0;
        for (JsonNode cell : nb.get("cells")) {
            if (cell.get("cell_type").asText().equals("code")) {
                codeCells++;
                assertThat(cell.get("execution_count").isNumber()).as("every code cell ran: %s", cell.get("source"))
                        .isTrue();
                cell.get("outputs").forEach(outputs::add);
            }
        }
        assertThat(codeCells).isGreaterThanOrEqualTo(8);
        for (JsonNode o : outputs) {
            assertThat(o.get("output_type").asText()).as("no cell fails: %s", o).isNotEqualTo("error");
        }
        List<JsonNode> images = outputs.stream().filter(o -> o.path("data").has("image/png")).toList();
        List<JsonNode> html = outputs.stream().filter(o -> o.path("data").has("text/html")).toList();
        assertThat(images).as("the painter's picture and the contact sheet show as PNG").hasSizeGreaterThanOrEqualTo(2);
        assertThat(html).as("sounds, runs, predictions and analyses show as HTML").hasSizeGreaterThanOrEqualTo(4);
        assertThat(html).anySatisfy(o -> assertThat(text(o, "text/html")).contains("<audio"));
        assertThat(html).anySatisfy(o -> assertThat(text(o, "text/html")).contains("<svg").contains("Similarity matrix"));
        // The watched run was shown at its start and replaced in place to its end: the output under
        // its display id holds the final state, not the first frame.
        JsonNode live = outputs.stream().filter(o -> o.get("output_type").asText().equals("display_data")
                && text(o, "text/html").contains("panic-run")).findFirst().orElseThrow();
        assertThat(text(live, "text/html")).contains("data-outputs=\"12\"").contains("<b>COMPLETED</b>")
                .contains("max-steps");
    }

    private static String text(JsonNode output, String mime) {
        JsonNode v = output.path("data").path(mime);
        if (v.isArray()) {
            StringBuilder b = new StringBuilder();
            v.forEach(line -> b.append(line.asText()));
            return b.toString();
        }
        return v.asText();
    }

    /** Installs the kernel Maven fetched with its own installer into a temporary home; returns the environment that finds it. */
    private Map<String, String> installKernel() throws Exception {
        Path jar = Path.of(MainApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        run(List.of(java, "-Duser.home=" + home, "-jar", jar.toString(), "-i", "-auto"), Map.of(), home.resolve("install.log"),
                60);
        Path data = home.resolve(".local/share/jupyter");
        assertThat(data.resolve("kernels/rapaio-jupyter-kernel/kernel.json")).exists();
        // The kernel starts as 'java' from the PATH: the JDK running this test, so the one that built PANIC.
        return Map.of("JUPYTER_PATH", data.toString(), "JUPYTER_DATA_DIR", home.resolve("data").toString(),
                "JUPYTER_CONFIG_DIR", home.resolve("config").toString(), "JUPYTER_RUNTIME_DIR",
                home.resolve("runtime").toString(), "HOME", home.toString(),
                "PATH", Path.of(java).getParent() + File.pathSeparator + System.getenv("PATH"));
    }

    private Path execute(Path nbconvert, Map<String, String> env) throws Exception {
        Files.createDirectories(OUT);
        Path executed = OUT.resolve("tour.executed.ipynb");
        List<String> cmd = List.of(nbconvert.toString(), "--to", "notebook", "--execute", TOUR.toString(),
                "--output-dir", OUT.toAbsolutePath().toString(), "--output", "tour.executed.ipynb",
                "--ExecutePreprocessor.timeout=120", "--ExecutePreprocessor.startup_timeout=30");
        // A kernel that misses the client's first handshake now and then is retried, not counted as a failure.
        for (int attempt = 1; ; attempt++) {
            Path log = OUT.resolve("nbconvert-" + attempt + ".log");
            int code = run(cmd, env, log, 240);
            if (code == 0) {
                return executed;
            }
            String said = Files.readString(log);
            if (attempt == 3 || !said.contains("Kernel didn't respond")) {
                fail("jupyter-nbconvert exited with " + code + ":\n" + tail(said));
            }
        }
    }

    private static int run(List<String> cmd, Map<String, String> env, Path log, int seconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail(cmd.get(0) + " did not finish within " + seconds + " s; its output is in " + log);
        }
        return p.exitValue();
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : "…" + s.substring(s.length() - 4000);
    }
}
