package dev.panic.web;

import dev.panic.Platforms;
import dev.panic.exception.ValidationException;
import dev.panic.RunStore;
import dev.panic.web.internal.WebApp;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * PANIC's web frontend over a run store: the saved and live runs, a live page per run (outputs as
 * they are made, streamed tokens, similarity sparklines, detector observations; stop, cancel, pause,
 * steer, inject), a network builder that offers only models whose modalities fit, a full-screen
 * gallery for a wall and a phone-friendly page for visitors to send the next input. Pages are
 * rendered on the server with a little plain JavaScript; there is nothing to build.
 *
 * <pre>{@code
 * try (PanicServer server = PanicServer.builder()
 *         .store(RunStore.directory(Path.of("panic-runs")))
 *         .platforms(Platforms.discover())
 *         .start()) {
 *     System.out.println("open " + server.url());
 *     server.await();
 * }
 * }</pre>
 *
 * <p>It binds to {@code localhost} unless told otherwise ({@link Builder#host}); anyone who can
 * reach it can start, steer and delete runs, so expose it only on a network you trust. It reads
 * and writes runs only through the {@link RunStore} interface, so it works with any store, and
 * serves media only from the runs in it. Runs it starts go on when their page is closed; closing
 * the server cancels them (they are saved as cancelled and can be resumed).
 *
 * <p>Its JSON (the {@code /api/} endpoints and the events on {@code /api/runs/RUN/events}) is
 * {@link dev.panic.json.RunJson}'s form, with media URLs under {@code /media/RUN/SHA256}.
 */
public final class PanicServer implements AutoCloseable {

    private final WebApp app;

    private PanicServer(WebApp app) {
        this.app = app;
    }

    /** A builder; give it a store and platforms. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where to open it, e.g. {@code http://localhost:8080/}. */
    public URI url() {
        return app.url();
    }

    /** The port it listens on (the one chosen when it was started on port 0). */
    public int port() {
        return app.port();
    }

    /** Blocks until the server is closed (by {@link #close()} from another thread, or the JVM's end). */
    public void await() {
        app.await();
    }

    /** Stops serving and cancels the runs it started (they stay saved, as cancelled). */
    @Override
    public void close() {
        app.close();
    }

    /** Configures and starts a {@link PanicServer}. */
    public static final class Builder {
        private RunStore store;
        private Platforms platforms;
        private String host = "localhost";
        private int port = 8080;

        private Builder() {
        }

        /** The runs it shows, and where the runs it starts are saved. Required. */
        public Builder store(RunStore store) {
            this.store = store;
            return this;
        }

        /** Where models and embedders come from; {@link Platforms#discover()} by default. */
        public Builder platforms(Platforms platforms) {
            this.platforms = platforms;
            return this;
        }

        /**
         * The address to listen on; {@code localhost} by default, so only this machine can reach it.
         * {@code 0.0.0.0} lets phones on the same network open the visitor page.
         */
        public Builder host(String host) {
            if (host == null || host.isBlank()) {
                throw new ValidationException("the host to listen on is empty; use localhost, an address or 0.0.0.0");
            }
            this.host = host;
            return this;
        }

        /** The port; 8080 by default, 0 for any free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new ValidationException("port must be between 0 and 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Starts serving.
         *
         * @throws ValidationException if no store was given or the host is unknown
         * @throws dev.panic.exception.PanicException if the port cannot be bound (e.g. it is taken)
         */
        public PanicServer start() {
            if (store == null) {
                throw new ValidationException("the server needs a run store, e.g. RunStore.directory(Path.of(\"panic-runs\"))");
            }
            try {
                InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new ValidationException("unknown host '" + host + "'; use localhost, an address or 0.0.0.0");
            }
            return new PanicServer(WebApp.start(store, platforms == null ? Platforms.discover() : platforms, host,
                    port));
        }
    }
}
