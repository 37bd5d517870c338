package dev.panic.ollama.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.PanicException;
import dev.panic.exception.UnavailableException;
import dev.panic.exception.ValidationException;
import dev.panic.http.HttpSettings;
import dev.panic.spi.http.ApiRequest;
import dev.panic.spi.http.ApiResponse;
import dev.panic.spi.Futures;
import dev.panic.spi.http.Json;
import dev.panic.spi.http.PlatformHttp;
import dev.panic.spi.http.Secret;
import dev.panic.ollama.PullProgress;
import dev.panic.Readiness;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The Ollama endpoints PANIC uses ({@code /api/version}, {@code /api/tags}, {@code /api/show},
 * {@code /api/generate}, {@code /api/embed}, {@code /api/pull}), over the shared HTTP layer, with
 * Ollama's failures explained in Ollama's terms (which address was tried, which model to pull).
 */
public final class OllamaApi {

    private static final int DEFAULT_PORT = 11434;

    private final URI host;
    private final PlatformHttp http;
    // Look-ups for listings and readiness: one quick attempt, and little patience with a server that
    // refuses them, so that a missing or overloaded server is reported at once.
    private final PlatformHttp probe;

    /** A client of the server at {@code host}. */
    public OllamaApi(URI host, Secret key, HttpSettings settings) {
        this.host = host;
        String hint = "set OLLAMA_API_KEY to the key the server at " + host + " expects";
        this.http = PlatformHttp.builder("ollama").settings(settings).bearer(key).credentialsOnlyFor(host)
                .keyHint(hint).build();
        this.probe = PlatformHttp.builder("ollama").bearer(key).credentialsOnlyFor(host).keyHint(hint).settings(HttpSettings.builder()
                .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(10)).maxAttempts(1)
                .patience(Duration.ofSeconds(10)).build())
                .build();
    }

    /** Defaults for a local server: long answers, few calls in flight, no rate limit to speak of. */
    public static HttpSettings defaultSettings() {
        return HttpSettings.builder().requestTimeout(Duration.ofMinutes(10)).maxConcurrentCalls(4)
                .requestsPerPeriod(1000).build();
    }

    /** An address as {@code OLLAMA_HOST} may give it ({@code host}, {@code host:port}, a URL) as a URL. */
    public static URI normaliseHost(String value) {
        if (value == null || value.isBlank()) {
            throw new ValidationException("the Ollama host is empty; give an address like http://localhost:11434");
        }
        String v = value.strip();
        if (!v.contains("://")) {
            v = "http://" + v;
        }
        URI uri;
        try {
            uri = URI.create(v);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("the Ollama host '" + value + "' is not an address; give one like http://localhost:11434", e);
        }
        if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new ValidationException("the Ollama host '" + value + "' is not an http(s) address; give one like http://localhost:11434");
        }
        int port = uri.getPort() < 0 && uri.getScheme().equals("http") ? DEFAULT_PORT : uri.getPort();
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        return URI.create(uri.getScheme() + "://" + uri.getHost() + (port < 0 ? "" : ":" + port) + path);
    }

    /** The server address. */
    public URI host() {
        return host;
    }

    private URI at(String path) {
        return URI.create(host + path);
    }

    /** Whether the server answers, from {@code /api/version}. */
    public Readiness readiness() {
        try {
            JsonNode v = probe.send(ApiRequest.get(at("/api/version"))).join().json();
            return Readiness.ready("Ollama " + v.path("version").asText("?") + " answers at " + host);
        } catch (CompletionException e) {
            PanicException p = explain(e, null);
            // Only a server that cannot be reached is told to start; one that answered is quoted.
            return Readiness.notReady(isConnectFailure(p) ? unreachable()
                    : "the Ollama server at " + host + " did not answer as expected: " + p.getMessage());
        } catch (PanicException e) {
            return Readiness.notReady("the Ollama server at " + host + " did not answer as expected: " + e.getMessage());
        }
    }

    private String unreachable() {
        return "no Ollama server answers at " + host + "; start it with `ollama serve`, or set OLLAMA_HOST to where it runs";
    }

    /** The installed models ({@code /api/tags}), answered quickly or not at all. */
    public CompletableFuture<JsonNode> tags() {
        return probe.send(ApiRequest.get(at("/api/tags"))).thenApply(r -> r.json().path("models"));
    }

    /** What the server knows of a model ({@code /api/show}): capabilities, details, model_info. */
    public CompletableFuture<JsonNode> show(String model, boolean quick) {
        ObjectNode body = Json.object().put("model", model);
        ApiRequest req = new ApiRequest("POST", at("/api/show"), java.util.Map.of(), Json.bytes(body),
                "application/json", ApiRequest.Kind.READ, null);
        return (quick ? probe : http).send(req).thenApply(r -> r.json()).exceptionally(e -> {
            throw explain(e, model);
        });
    }

    /**
     * Generates with {@code /api/generate}. When the body asks to stream, each piece of the
     * response goes to {@code pieces} as it arrives, and an {@code {"error": ...}} line after the
     * 200 fails the call. Completes with the final answer object, its {@code response} holding
     * the whole text.
     */
    public CompletableFuture<JsonNode> generate(String model, ObjectNode body, Consumer<String> pieces) {
        ApiRequest req = ApiRequest.create(at("/api/generate"), Json.bytes(body));
        if (!body.path("stream").asBoolean(true)) {
            CompletableFuture<ApiResponse> sent = http.send(req);
            return Futures.propagateCancel(sent.thenApply(r -> {
                JsonNode n = r.json();
                failOnErrorField(n, model);
                return n;
            }).exceptionally(e -> {
                throw explain(e, model);
            }), sent);
        }
        StringBuilder text = new StringBuilder();
        ObjectNode last = Json.object();
        // Cancelling the answer (a run cancelled or stopped) closes the stream, and Ollama stops generating.
        CompletableFuture<ApiResponse> sent = http.sendStreaming(req, line -> {
            JsonNode n = Json.tryParse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .orElseThrow(() -> new UnavailableException("the Ollama server at " + host
                            + " sent a line that is not JSON while answering with '" + model + "': " + line));
            failOnErrorField(n, model);
            String piece = n.path("response").asText("");
            if (!piece.isEmpty()) {
                text.append(piece);
                pieces.accept(piece);
            }
            if (n.path("done").asBoolean(false)) {
                last.setAll((ObjectNode) n);
            }
        });
        return Futures.propagateCancel(sent.thenApply(r -> {
            if (!last.path("done").asBoolean(false)) {
                throw new UnavailableException("the Ollama server at " + host + " ended its answer with '" + model
                        + "' before saying it was done; try again");
            }
            last.put("response", text.toString());
            return (JsonNode) last;
        }).exceptionally(e -> {
            throw explain(e, model);
        }), sent);
    }

    private void failOnErrorField(JsonNode n, String model) {
        if (n.hasNonNull("error")) {
            throw new UnavailableException("the Ollama server at " + host + " stopped with an error while answering with '"
                    + model + "': " + http.scrub(n.path("error").asText()));
        }
    }

    /** Vectors of {@code texts} from {@code /api/embed} (always an array of arrays). */
    public CompletableFuture<List<float[]>> embed(String model, List<String> texts) {
        ObjectNode body = Json.object().put("model", model);
        texts.forEach(body.putArray("input")::add);
        ApiRequest req = new ApiRequest("POST", at("/api/embed"), java.util.Map.of(), Json.bytes(body),
                "application/json", ApiRequest.Kind.READ, null);
        return http.send(req).thenApply(r -> {
            JsonNode vectors = r.json().path("embeddings");
            if (!vectors.isArray() || vectors.size() != texts.size()) {
                throw new UnavailableException("the Ollama server at " + host + " answered " + texts.size()
                        + " texts with " + vectors.size() + " embeddings from '" + model + "'");
            }
            List<float[]> out = new ArrayList<>();
            for (JsonNode v : vectors) {
                float[] f = new float[v.size()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) v.get(i).asDouble();
                }
                out.add(f);
            }
            return out;
        }).exceptionally(e -> {
            throw explain(e, model);
        });
    }

    /** Pulls a model ({@code /api/pull}, streamed), reporting each status line. */
    public CompletableFuture<Void> pull(String model, Consumer<PullProgress> progress) {
        ObjectNode body = Json.object().put("model", model).put("stream", true);
        ApiRequest req = new ApiRequest("POST", at("/api/pull"), java.util.Map.of(), Json.bytes(body),
                "application/json", ApiRequest.Kind.READ, Duration.ofHours(6));
        String[] lastStatus = {""};
        CompletableFuture<ApiResponse> sent = http.sendStreaming(req, line -> {
            JsonNode n = Json.tryParse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElse(Json.object());
            if (n.hasNonNull("error")) {
                throw new UnavailableException("the Ollama server at " + host + " could not pull '" + model + "': "
                        + n.path("error").asText());
            }
            lastStatus[0] = n.path("status").asText("");
            progress.accept(new PullProgress(lastStatus[0], n.path("digest").asText(""),
                    n.path("completed").asLong(0), n.path("total").asLong(0)));
        });
        return Futures.propagateCancel(sent.thenAccept(r -> {
            if (!lastStatus[0].equals("success")) {
                throw new UnavailableException("pulling '" + model + "' onto " + host + " ended without success (last status: '"
                        + lastStatus[0] + "'); try again");
            }
        }).exceptionally(e -> {
            throw explain(e, model);
        }), sent);
    }

    /** A failure in Ollama's terms: which address did not answer, which model to pull. */
    public PanicException explain(Throwable t, String model) {
        PanicException p = PanicException.from(t);
        if (p instanceof NotFoundException && model != null && !p.getMessage().contains("ollama pull")) {
            return new NotFoundException("model 'ollama:" + model + "' is not installed on " + host + "; run `ollama pull "
                    + model + "` (or OllamaPlatform.pull)", p, p.httpStatus().orElse(404), null);
        }
        if (p instanceof UnavailableException && isConnectFailure(p)) {
            return new UnavailableException(unreachable(), p);
        }
        return p;
    }

    private static boolean isConnectFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
