package dev.panic.examples;

import dev.panic.Platforms;
import dev.panic.web.PanicServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code panic serve}: the web frontend over the saved runs, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serves the web frontend: the saved and live runs, each run live (outputs as they are made, "
                + "similarities, detector findings) with stop, pause and steering, a network builder for new runs, "
                + "a full-screen gallery and a page where visitors send the next input. Open the URL it prints.",
                "It listens on localhost only unless --host says otherwise. Runs it started are cancelled (and stay "
                        + "saved, resumable) when it stops."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"--store", "-o", "--output-dir"}, paramLabel = "STORE", defaultValue = "panic-runs",
            description = OpenStore.HELP)
    String store;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
            description = "Port to listen on; 0 for any free port. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "localhost",
            description = "Address to listen on. Default: ${DEFAULT-VALUE}; 0.0.0.0 lets other machines (visitors' "
                    + "phones) in, and anyone who reaches it can start, steer and delete runs.")
    String host;

    private final Supplier<Platforms> platforms;
    private final Console console;

    ServeCommand(Supplier<Platforms> platforms, Console console) {
        this.platforms = platforms;
        this.console = console;
    }

    @Override
    public Integer call() {
        quietServerLogs();
        try (OpenStore saved = OpenStore.open(store)) {
            return serve(saved);
        }
    }

    private int serve(OpenStore saved) {
        PanicServer server = PanicServer.builder().store(saved.store()).platforms(platforms.get())
                .host(host).port(port).start();
        Thread onExit = new Thread(server::close, "panic-serve-stop");
        Runtime.getRuntime().addShutdownHook(onExit);
        try {
            console.line("serving the runs in " + (OpenStore.isUrl(store) ? saved.location()
                    : Path.of(store).toAbsolutePath().normalize()));
            console.line("open " + server.url());
            if (!isLoopback(host)) {
                console.line("listening on " + host + ": anyone who can reach this machine can start, steer and"
                        + " delete runs");
            }
            console.line("press Ctrl-C to stop");
            server.await();
        } finally {
            Thread.interrupted(); // interrupted out of await(): that is how it is told to stop
            server.close();
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is closing the server already.
            }
        }
        return 0;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The server's own start-up chatter stays out of the way; warnings and errors still show. */
    private static void quietServerLogs() {
        for (String name : new String[] {"io.javalin", "org.eclipse.jetty"}) {
            String key = "org.slf4j.simpleLogger.log." + name;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }
}
