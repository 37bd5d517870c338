package dev.panic.replicate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.panic.exception.PanicException;
import dev.panic.http.HttpSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

/**
 * A stand-in for Replicate's API on a local WireMock server: prediction objects and error bodies
 * laid out as in Replicate's official API description (api.replicate.com/openapi.json), and a
 * platform pointed at it with short waits so the suite stays fast.
 */
final class Fake {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "r8_TestTokenThatMustNeverLeak0123456789abc";
    static final String BLIP_VERSION = "2e1dddc8621f72155f24cf2e0adbde548458d3cab9f00c0139eea840d0ac4746";
    static final String WHISPER_VERSION = "3c08daf437fe359eb158a5123c395673f0a113dd8b4bd01ddce5936850e2a981";
    static final String MUSICGEN_VERSION = "671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb";
    static final String LLAVA_VERSION = "80537f9eead1a5bfa72d5ac6ea6414379be41d4d4f6679fd776e9535d1eb58bb";
    static final String OTHER_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa";

    /** The smallest bytes the HTTP layer recognises as PNG. */
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    /** The start of a WAV file. */
    static final byte[] WAV = {'R', 'I', 'F', 'F', 36, 0, 0, 0, 'W', 'A', 'V', 'E', 'f', 'm', 't', ' '};

    private Fake() {
    }

    /** A PNG of {@code size} bytes: the signature, then zeros. */
    static byte[] png(int size) {
        byte[] b = new byte[size];
        System.arraycopy(PNG, 0, b, 0, PNG.length);
        return b;
    }

    /** Fast retries and polls; a sync wait of 1 s so that held requests stay short. */
    static ReplicatePlatform.Builder platform(WireMockExtension server) {
        return ReplicatePlatform.builder()
                .apiToken(TOKEN)
                .baseUrl(server.baseUrl() + "/v1")
                .http(http().build())
                .syncWait(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(10))
                .maxPollInterval(Duration.ofMillis(40))
                .predictionTimeout(Duration.ofSeconds(20));
    }

    static HttpSettings.Builder http() {
        return HttpSettings.builder().initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(50))
                .requestTimeout(Duration.ofSeconds(5));
    }

    /** A prediction object, as predictions.create and predictions.get answer. */
    static Prediction prediction(WireMockExtension server, String id) {
        return new Prediction(server.baseUrl(), id);
    }

    /** Builds the JSON of one prediction; unset fields take the values of a fresh prediction. */
    static final class Prediction {
        private final ObjectNode json = JSON.createObjectNode();

        private Prediction(String base, String id) {
            json.put("id", id);
            json.put("model", "salesforce/blip");
            json.put("version", BLIP_VERSION);
            json.putObject("input");
            json.put("logs", "");
            json.putNull("output");
            json.put("data_removed", false);
            json.putNull("error");
            json.put("status", "starting");
            json.put("created_at", "2024-09-08T16:19:34.765994Z");
            json.put("source", "api");
            ObjectNode urls = json.putObject("urls");
            urls.put("web", "https://replicate.com/p/" + id);
            urls.put("get", base + "/v1/predictions/" + id);
            urls.put("cancel", base + "/v1/predictions/" + id + "/cancel");
        }

        Prediction model(String model, String version) {
            json.put("model", model);
            json.put("version", version);
            return this;
        }

        Prediction status(String status) {
            json.put("status", status);
            if (!status.equals("starting") && !status.equals("processing")) {
                json.put("started_at", "2024-09-08T16:19:34.779176Z");
                json.put("completed_at", "2024-09-08T16:19:36.791859Z");
                json.putObject("metrics").put("predict_time", 1.25).put("total_time", 2.02);
            }
            return this;
        }

        /** A succeeded prediction with this output, given as JSON text. */
        Prediction succeeded(String outputJson) {
            try {
                json.set("output", JSON.readTree(outputJson));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(outputJson, e);
            }
            return status("succeeded");
        }

        Prediction failed(String error) {
            json.put("error", error);
            return status("failed");
        }

        Prediction logs(String logs) {
            json.put("logs", logs);
            return this;
        }

        @Override
        public String toString() {
            return json.toString();
        }

        /** A 201 answer carrying it, as predictions.create gives. */
        ResponseDefinitionBuilder created() {
            return aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody(toString());
        }

        /** A 200 answer carrying it, as predictions.get gives. */
        ResponseDefinitionBuilder ok() {
            return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(toString());
        }
    }

    /** An error answer in Replicate's problem+json shape. */
    static ResponseDefinitionBuilder problem(int status, String title, String detail) {
        ObjectNode body = JSON.createObjectNode().put("title", title).put("detail", detail).put("status", status);
        return aResponse().withStatus(status).withHeader("Content-Type", "application/problem+json")
                .withBody(body.toString());
    }

    /** Serves {@code bytes} at {@code path} with a content type, as replicate.delivery serves outputs. */
    static String serveFile(WireMockExtension server, String path, byte[] bytes, String type) {
        server.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withHeader("Content-Type", type).withBody(bytes)));
        return server.baseUrl() + path;
    }

    /** Answers file uploads as files.create does. */
    static void acceptUploads(WireMockExtension server, String fileId) {
        ObjectNode file = JSON.createObjectNode();
        file.put("id", fileId);
        file.put("content_type", "image/png");
        file.put("size", 300000);
        file.putObject("checksums").put("sha256", "f047f8e745f9996c6e386064e06cb2007b8e6bc0a968a334fc0d2b2d64012066");
        file.putObject("metadata");
        file.put("created_at", "2024-02-21T12:54:18.578761Z");
        file.put("expires_at", "2024-02-22T12:54:18.578761Z");
        file.putObject("urls").put("get", server.baseUrl() + "/v1/files/" + fileId);
        server.stubFor(post(urlEqualTo("/v1/files")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(file.toString())));
    }

    /** A JSON list of {@code n} numbers. */
    static ArrayNode vector(int n, double value) {
        ArrayNode a = JSON.createArrayNode();
        for (int i = 0; i < n; i++) {
            a.add(value);
        }
        return a;
    }

    /** The body of a logged request as JSON. */
    static JsonNode body(LoggedRequest r) {
        try {
            return JSON.readTree(r.getBodyAsString());
        } catch (java.io.IOException e) {
            throw new AssertionError("request body is not JSON: " + r.getBodyAsString(), e);
        }
    }

    /** The first request body of these, as JSON. */
    static JsonNode only(List<LoggedRequest> requests) {
        if (requests.size() != 1) {
            throw new AssertionError("expected one request, got " + requests.size());
        }
        return body(requests.get(0));
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The result of a future, or its typed failure thrown. */
    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw PanicException.from(e);
        }
    }

    /** Waits up to 5 s for a condition that another thread makes true. */
    static void eventually(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
