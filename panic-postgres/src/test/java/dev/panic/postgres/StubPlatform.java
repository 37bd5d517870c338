package dev.panic.postgres;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A loopback platform with an account's rate limit: a token bucket of {@code bucket} requests
 * refilled continuously at {@code perSecond}, a 429 with {@code Retry-After: 1} when it is empty,
 * and each accepted call answered after {@code latencyMillis}. It counts what it accepted (with
 * the time) and what it refused, whoever sent it; {@code GET /v1/health} is answered at once and
 * not counted. It also counts accepted calls by their {@code X-Caller} header, to tell workers apart.
 */
public final class StubPlatform implements AutoCloseable {

    private final double perSecond;
    private final double capacity;
    private final long latencyMillis;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private final List<Long> accepted = new ArrayList<>();
    private int refused;
    private final java.util.Map<String, Integer> callers = new java.util.HashMap<>();
    private final List<Long> refusedAt = new ArrayList<>();
    private double tokens;
    private long refilledAt = System.nanoTime();

    /** A platform allowing {@code perSecond} calls a second, a bucket of {@code bucket}, answering after {@code latencyMillis}. */
    public StubPlatform(double perSecond, double bucket, long latencyMillis) throws IOException {
        this.perSecond = perSecond;
        this.capacity = bucket;
        this.tokens = bucket;
        this.latencyMillis = latencyMillis;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(handlers);
        server.createContext("/v1/", this::handle);
        server.start();
    }

    /** The API root, e.g. {@code http://127.0.0.1:41234/v1}; calls go to {@code POST /v1/calls}. */
    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        if (exchange.getRequestURI().getPath().endsWith("/health")) {
            answer(exchange, 200, "{\"ok\":true}"); // not counted: warms a client up
            return;
        }
        if (!take(exchange.getRequestHeaders().getFirst("X-Caller"))) {
            exchange.getResponseHeaders().add("Retry-After", "1");
            answer(exchange, 429, "{\"error\":{\"message\":\"rate limit reached\"}}");
            return;
        }
        later.schedule(() -> {
            try {
                answer(exchange, 200, "{\"ok\":true}");
            } catch (IOException ignored) {
                // the caller went away
            }
        }, latencyMillis, TimeUnit.MILLISECONDS);
    }

    private synchronized boolean take(String caller) {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - refilledAt) / 1e9 * perSecond);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            accepted.add(now);
            callers.merge(String.valueOf(caller), 1, Integer::sum);
            return true;
        }
        refused++;
        refusedAt.add(now);
        return false;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The nanoTimes of the accepted requests, in order. */
    public synchronized List<Long> accepted() {
        return List.copyOf(accepted);
    }

    /** The nanoTimes of the refused requests, in order. */
    public synchronized List<Long> refusedAt() {
        return List.copyOf(refusedAt);
    }

    /** Requests answered 429. */
    public synchronized int refused() {
        return refused;
    }

    /** Accepted calls by their {@code X-Caller} header ("null" for none). */
    public synchronized java.util.Map<String, Integer> callers() {
        return java.util.Map.copyOf(callers);
    }

    /** The most calls accepted within one second. */
    public synchronized int peak() {
        int most = 0;
        for (int i = 0, j = 0; i < accepted.size(); i++) {
            while (accepted.get(i) - accepted.get(j) >= 1_000_000_000L) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        return most;
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        later.shutdownNow();
    }
}
