package dev.panic.examples;

import dev.panic.Platforms;
import java.io.PrintWriter;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code panic} command-line program: {@code run} a network of models, {@code resume} or
 * {@code fork} a saved run, list the saved {@code runs}, list the {@code models} of every platform,
 * {@code export} saved runs in the Fake Panic shape, {@code analyse} saved runs, {@code report} on them,
 * {@code store copy} runs between stores (folders, PostgreSQL).
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
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
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
        Console console = new Console(out, err, interactive);
        CommandLine cli = new CommandLine(new PanicCli())
                .addSubcommand("run", new RunCommand(platforms, console))
                .addSubcommand("resume", new ResumeCommand(platforms, console))
                .addSubcommand("fork", new ForkCommand(platforms, console))
                .addSubcommand("runs", new RunsCommand(console))
                .addSubcommand("models", new ModelsCommand(platforms, console))
                .addSubcommand("export", new ExportCommand(console))
                .addSubcommand("analyse", new AnalyseCommand(console))
                .addSubcommand("report", new ReportCommand(console))
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

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PanicCli.class.getPackage().getImplementationVersion();
            return new String[] {"panic " + (v == null ? "development" : v)};
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
