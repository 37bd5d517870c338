package dev.panic.temporal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The official Temporal test server ({@code io.temporal:temporal-test-server}) in a process of its
 * own on a free loopback port, with real time: what worker processes and clients connect to in
 * the multi-process tests and the benchmark.
 */
public final class TemporalTestServer implements AutoCloseable {

    private final Process process;
    private final int port;

    private TemporalTestServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a server and waits until it takes connections. */
    public static TemporalTestServer start(Path log) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = JavaProcess.start(log, "io.temporal.testserver.TestServer", List.of(String.valueOf(port)));
        TemporalTestServer server = new TemporalTestServer(p, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the Temporal test server exited: " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return server;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        server.close();
        throw new IllegalStateException("the Temporal test server did not listen on " + port + ": " + Files.readString(log));
    }

    /** {@code 127.0.0.1:PORT}. */
    public String target() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
