package dev.panic.report;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium, driven through its command line: a screenshot of a page, and the DOM
 * the browser built from it. Without Chromium the calling test is skipped with what to install,
 * except in CI ({@code CI=true}), where {@code .ci/run} installs it and its absence is a failure.
 */
final class Chromium {

    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");

    private final Path binary;
    private final Path profile;

    private Chromium(Path binary, Path profile) {
        this.binary = binary;
        this.profile = profile;
    }

    /** The browser, with a fresh profile under {@code work}; skips or fails the test when there is none. */
    static Chromium require(Path work) throws IOException {
        Path found = CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        if (found == null) {
            String what = "headless Chromium is not installed (looked for " + String.join(", ", CANDIDATES) + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(what + "; .ci/run installs the Debian package 'chromium' before the build");
            }
            assumeTrue(false, what + ": skipping the browser check; install it with 'apt-get install chromium'");
        }
        return new Chromium(found, Files.createDirectories(work.resolve("chromium-profile")));
    }

    /** A screenshot of the page, {@code width} pixels wide and {@code height} tall. */
    void screenshot(Path page, Path png, int width, int height) throws Exception {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        run("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, "--hide-scrollbars",
                page.toUri().toString());
        if (!Files.isRegularFile(png)) {
            fail("Chromium wrote no screenshot to " + png);
        }
    }

    /** The DOM Chromium built from the page, serialised. */
    String dom(Path page) throws Exception {
        return run("--dump-dom", page.toUri().toString());
    }

    private String run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(profile, "chromium", ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("Chromium did not finish within 60 s: " + cmd);
        }
        if (p.exitValue() != 0) {
            fail("Chromium exited with " + p.exitValue() + ": " + Files.readString(log));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
