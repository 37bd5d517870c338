package dev.panic.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback server that imitates a platform's rate limit: a token bucket of {@code bucket}
 * requests refilled continuously at {@code perSecond}, a 429 with {@code Retry-After} (answered at
 * once) when it is empty, and each accepted call answered after {@code latency}. It speaks just
 * enough of two APIs: OpenAI's {@code POST /v1/chat/completions} and Replicate's
 * {@code POST /v1/predictions} (a prediction that has succeeded) and
 * {@code POST /v1/predictions/{id}/cancel}. With {@code limitHeader} set, every answer carries
 * {@code x-ratelimit-limit-requests} (requests a minute), as OpenAI's do.
 */
final class LimitServer implements AutoCloseable {

    /**
     * What the server allows.
     *
     * @param perSecond   the bucket's refill, requests a second
     * @param bucket      the most requests the bucket holds
     * @param retryAfter  the wait a 429 asks for
     * @param latency     how long an accepted call takes
     * @param limitHeader the {@code x-ratelimit-limit-requests} value sent with every answer, or 0 for none
     */
    record Limits(double perSecond, double bucket, Duration retryAfter, Duration latency, long limitHeader) {
    }

    private final Limits limits;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newFixedThreadPool(4, daemon("limit-server"));
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(daemon("limit-server-later"));
    private final long start = System.nanoTime();
    private final List<Long> accepted = new ArrayList<>();
    private final List<Long> creates = new ArrayList<>();
    private final List<Long> refused = new ArrayList<>();
    private final AtomicLong cancels = new AtomicLong();
    private final AtomicLong ids = new AtomicLong();
    private double tokens;
    private long refilledAt = System.nanoTime();

    LimitServer(Limits limits) throws IOException {
        this.limits = limits;
        this.tokens = limits.bucket();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(handlers);
        server.createContext("/v1/", this::handle);
        server.start();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** The API root, e.g. {@code http://127.0.0.1:41234/v1}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
        String path = ex.getRequestURI().getPath();
        if (path.endsWith("/cancel")) {
            cancels.incrementAndGet();
            answer(ex, 200, "{\"id\":\"x\",\"status\":\"canceled\"}");
            return;
        }
        boolean create = path.equals("/v1/predictions");
        if (!create && !path.equals("/v1/chat/completions")) {
            answer(ex, 404, "{\"detail\":\"Not found.\"}");
            return;
        }
        long now = System.nanoTime();
        if (create) {
            synchronized (creates) {
                creates.add(now - start);
            }
        }
        if (!take(now)) {
            synchronized (refused) {
                refused.add(now - start);
            }
            ex.getResponseHeaders().add("Retry-After", String.valueOf(limits.retryAfter().toSeconds()));
            answer(ex, 429, "{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\","
                    + "\"code\":\"rate_limit_exceeded\"}}");
            return;
        }
        synchronized (accepted) {
            accepted.add(now - start);
        }
        String body = create
                ? "{\"id\":\"p" + ids.incrementAndGet() + "\",\"status\":\"succeeded\",\"output\":\"a red circle\","
                        + "\"version\":\"bench\",\"urls\":{\"get\":\"" + baseUrl() + "/predictions/p" + ids.get() + "\","
                        + "\"cancel\":\"" + baseUrl() + "/predictions/p" + ids.get() + "/cancel\"}}"
                : "{\"id\":\"chatcmpl-" + ids.incrementAndGet() + "\",\"object\":\"chat.completion\",\"model\":\"bench\","
                        + "\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\","
                        + "\"content\":\"a red circle on a blue ground\"}}],\"usage\":{\"prompt_tokens\":9,"
                        + "\"completion_tokens\":7,\"total_tokens\":16}}";
        later.schedule(() -> answer(ex, create ? 201 : 200, body), limits.latency().toNanos(), TimeUnit.NANOSECONDS);
    }

    private synchronized boolean take(long now) {
        tokens = Math.min(limits.bucket(), tokens + (now - refilledAt) / 1e9 * limits.perSecond());
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    private void answer(HttpExchange ex, int status, String json) {
        try {
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            if (limits.limitHeader() > 0) {
                ex.getResponseHeaders().add("x-ratelimit-limit-requests", String.valueOf(limits.limitHeader()));
            }
            ex.sendResponseHeaders(status, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        } catch (IOException e) {
            ex.close(); // the client gave up on this call
        }
    }

    /** Nanoseconds since the server started at which it accepted each limited call. */
    List<Long> accepted() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
    }

    /** Nanoseconds since the server started at which each prediction create arrived. */
    List<Long> creates() {
        synchronized (creates) {
            return List.copyOf(creates);
        }
    }

    /** Nanoseconds since the server started, now. */
    long now() {
        return System.nanoTime() - start;
    }

    /** Nanoseconds since the server started at which it refused each call with a 429. */
    List<Long> refused() {
        synchronized (refused) {
            return List.copyOf(refused);
        }
    }

    long cancels() {
        return cancels.get();
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        later.shutdownNow();
    }
}
