package dev.panic.examples;

import dev.panic.Platforms;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code panic} command-line program: {@code run} a network of models, {@code resume} or
 * {@code fork} a saved run, list the saved {@code runs}, list the {@code models} of every platform,
 * {@code export} saved runs in the Fake Panic shape, {@code analyse} saved runs, {@code report} them
 * as pages, {@code serve} the web frontend; the recipes {@code socratic}, {@code telestrations} and
 * {@code prompts}; {@code experiment}s of many runs; {@code store copy} runs between stores
 * (folders, PostgreSQL) and a {@code worker} for durable runs.
 *
 * <p>Exit codes: 0 when the command did its work, 1 when a run failed or a command could not
 * complete (a platform the network needs is not ready, e.g. its API key is not set), 2 for bad
 * options.
 */
@Command(name = "panic", mixinStandardHelpOptions = true, versionProvider = PanicCli.Version.class,
        description = "PANIC: wire creative AI models into closed loops and watch what the loops do.",
        subcommands = {CommandLine.HelpCommand.class},
        footer = {"", "Run 'panic COMMAND --help' for a command's options."})
public final class PanicCli implements Runnable {

    /** Exit code of a command that could not complete (a failed run, a platform not ready, an unreadable store). */
    static final int FAILED = 1;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the program and exits the JVM with its exit code. */
    public static void main(String[] args) {
        // UTF-8 whatever the locale says: under LANG=C the JVM's default would turn every "→" and "é" into "?".
        PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.setOut(stdout);
        System.setErr(stderr);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
        System.exit(execute(Platforms::discover, out, err, System.console() != null, args));
    }

    /**
     * Runs the program in-process, for tests and embedding.
     *
     * @param platforms   where models come from (discovery by default)
     * @param interactive whether out is a terminal (enables the in-place progress line)
     * @return the exit code
     */
    public static int execute(Supplier<Platforms> platforms, PrintWriter out, PrintWriter err, boolean interactive,
                              String... args) {
        return execute(platforms, System.in, out, err, interactive, args);
    }

    /**
     * Runs the program in-process reading the user's edits ({@code panic telestrations}) from {@code in}.
     *
     * @return the exit code
     */
    public static int execute(Supplier<Platforms> platforms, InputStream in, PrintWriter out, PrintWriter err,
                              boolean interactive, String... args) {
        Console console = new Console(in, out, err, interactive);
        CommandLine cli = new CommandLine(new PanicCli())
                .addSubcommand("run", new RunCommand(platforms, console))
                .addSubcommand("resume", new ResumeCommand(platforms, console))
                .addSubcommand("fork", new ForkCommand(platforms, console))
                .addSubcommand("runs", new RunsCommand(console))
                .addSubcommand("models", new ModelsCommand(platforms, console))
                .addSubcommand("export", new ExportCommand(console))
                .addSubcommand("analyse", new AnalyseCommand(console))
                .addSubcommand("report", new ReportCommand(console))
                .addSubcommand("serve", new ServeCommand(platforms, console))
                .addSubcommand("socratic", new SocraticCommand(platforms, console))
                .addSubcommand("telestrations", new TelestrationsCommand(platforms, console))
                .addSubcommand("prompts", new PromptsCommand(platforms, console))
                .addSubcommand("experiment", ExperimentCommand.command(platforms, console))
                .addSubcommand("worker", new WorkerCommand(platforms, console))
                .addSubcommand("store", new CommandLine(new StoreCommand())
                        .addSubcommand("copy", new StoreCommand.Copy(console)))
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(new ErrorHandler(console));
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The version from the jar's manifest ({@code Implementation-Version}), else from the
     * {@code version.properties} Maven filled in when it built the classes (tests, an IDE).
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"panic " + version()};
        }

        static String version() {
            String v = PanicCli.class.getPackage().getImplementationVersion();
            if (v != null) {
                return v;
            }
            try (InputStream in = PanicCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    String built = p.getProperty("version");
                    if (built != null && !built.isBlank() && !built.startsWith("${")) {
                        return built;
                    }
                }
            } catch (IOException e) {
                // fall through: the version is unknown
            }
            return "(version unknown: built without Maven)";
        }
    }

    /** Prints PANIC's own errors as one clear line, not a stack trace. */
    private static final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
        private final Console console;

        ErrorHandler(Console console) {
            this.console = console;
        }

        @Override
        public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
            if (e instanceof dev.panic.exception.ValidationException
                    || e instanceof dev.panic.exception.NotFoundException) {
                console.error(e.getMessage());
                cmd.getErr().println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
                return CommandLine.ExitCode.USAGE;
            }
            if (e instanceof dev.panic.exception.PanicException) {
                console.error(e.getMessage());
                return FAILED;
            }
            console.error("unexpected " + e);
            e.printStackTrace(cmd.getErr());
            return FAILED;
        }
    }
}
