package dev.panic.temporal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A class's main method in a JVM of its own, on this JVM's class path, its output to a file. */
public final class JavaProcess {

    private JavaProcess() {
    }

    public static Process start(Path output, String mainClass, List<String> args) throws IOException {
        return start(output, mainClass, args, Map.of());
    }

    public static Process start(Path output, String mainClass, List<String> args, Map<String, String> env)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        // Logs to the process's own output, not to the test log file the test jar configures.
        command.add("-Dorg.slf4j.simpleLogger.logFile=System.err");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }
}
