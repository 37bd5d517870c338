package dev.panic.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Run;
import dev.panic.RunStatus;
import dev.panic.json.RunJson;
import dev.panic.RunStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over HTTP, as a frontend or a script would use it: no browser. */
class PanicServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private RunStore store;
    private PanicServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("secret.txt"), "do not serve me");
        store = RunStore.directory(dir.resolve("runs"));
        server = PanicServer.builder().store(store).platforms(Platforms.discover()).port(0).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve(path)).timeout(Duration.ofSeconds(20))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The raw answer to a request line, so that paths reach the server exactly as written (no client normalising). */
    private String raw(String path) throws Exception {
        try (Socket s = new Socket("localhost", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String startRun(String extra) throws Exception {
        HttpResponse<String> r = post("/api/runs", "{\"network\":[\"sim:painter\",\"sim:describer\"],"
                + "\"prompt\":\"a red circle on a blue background\",\"max_steps\":6,\"exact_repeat\":\"off\"" + extra + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("id").asText();
    }

    /** Reads a run's event stream until it ends; returns the data lines and the ids. */
    private List<String[]> events(String runId, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url().resolve("/api/runs/" + runId + "/events"))
                .timeout(Duration.ofSeconds(30)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.io.InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String[]> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            String id = null;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    out.add(new String[] {id, line.substring(6)});
                    id = null;
                }
            }
        }
        return out;
    }

    private static List<String> types(List<String[]> events) throws Exception {
        List<String> t = new ArrayList<>();
        for (String[] e : events) {
            t.add(JSON.readTree(e[1]).get("type").asText());
        }
        return t;
    }

    @Test
    void should_start_a_run_stream_its_events_and_replay_them_after_a_given_event() throws Exception {
        String id = startRun("");

        List<String[]> all = events(id, null);

        List<String> types = types(all);
        assertThat(types).startsWith("started").endsWith("finished")
                .filteredOn("prediction_made"::equals).hasSize(6);
        // Every event reads back with the public codec, media by URL.
        RunJson codec = RunJson.standard();
        for (String[] e : all) {
            assertThat(codec.readEvent(e[1]).runId()).isEqualTo(id);
        }
        JsonNode image = JSON.readTree(all.get(types.indexOf("prediction_made"))[1]).at("/prediction/output");
        assertThat(image.get("url").asText()).isEqualTo("/media/" + id + "/" + image.get("sha256").asText());
        HttpResponse<byte[]> png = http.send(HttpRequest.newBuilder(server.url().resolve(image.get("url").asText()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(png.body()).hasSize(image.get("size").asInt());

        // A page that reconnects after event k is sent exactly the events after k.
        String k = all.get(4)[0];
        List<String[]> rest = events(id, k);
        assertThat(rest.stream().map(e -> e[1]).toList()).isEqualTo(all.subList(5, all.size()).stream()
                .map(e -> e[1]).toList());
    }

    @Test
    void should_replay_a_saved_run_it_did_not_run_from_the_store_with_its_similarities() throws Exception {
        Platforms platforms = Platforms.discover();
        Run run = Run.builder(platforms.network("sim:painter", "sim:describer"), Payload.text("a green square"))
                .maxSteps(6).embedWith(platforms.embedder("minilm"), platforms.embedder("image-descriptor"))
                .store(store).start().await();

        List<String[]> events = events(run.id(), null);

        List<String> types = types(events);
        assertThat(types).filteredOn("prediction_made"::equals).hasSize(6);
        assertThat(types).contains("measured", "finished").last().isEqualTo("state");
        JsonNode state = JSON.readTree(events.get(events.size() - 1)[1]);
        assertThat(state.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(state.get("hosted").asBoolean()).isFalse();
    }

    @Test
    void should_steer_a_live_run_and_show_the_revision_of_each_later_output() throws Exception {
        String id = startRun(",\"pace_ms\":150,\"max_steps\":30");
        HttpResponse<String> steered = post("/api/runs/" + id + "/steer",
                "{\"node\":\"painter\",\"template\":\"a watercolour of {input}\"}");
        assertThat(steered.statusCode()).as(steered.body()).isEqualTo(200);
        assertThat(JSON.readTree(steered.body()).get("revision").asInt()).isEqualTo(1);
        HttpResponse<String> injected = post("/api/runs/" + id + "/inject", "{\"text\":\"a yellow star\"}");
        assertThat(injected.statusCode()).as(injected.body()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (store.read(id).predictions().stream().noneMatch(p -> p.revision() == 2 && p.node().equals("describer"))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(post("/api/runs/" + id + "/stop", "{}").statusCode()).isEqualTo(200);

        List<String> types = types(events(id, null));

        assertThat(types).contains("steered").endsWith("finished");
        assertThat(store.info(id).status()).isEqualTo(RunStatus.STOPPED);
        assertThat(store.revisions(id)).hasSize(2);
        // The injected input went to the painter, wrapped in its new template, under revision 2.
        assertThat(store.read(id).predictions()).anyMatch(p -> p.revision() == 2 && p.node().equals("painter")
                && p.input() instanceof Payload.Text t && t.text().equals("a watercolour of a yellow star"));
        assertThat(store.read(id).predictions().get(0).revision()).isZero();
    }

    @Test
    void should_refuse_bad_requests_with_4xx_and_a_reason_never_a_stack_trace() throws Exception {
        String id = startRun("");
        events(id, null);

        record Case(HttpResponse<String> response, int status, String reason) {
        }
        List<Case> cases = List.of(
                new Case(post("/api/runs", "{\"network\":[\"sim:painter\"],\"prompt\":\"x\"}"), 400, "closed loop"),
                new Case(post("/api/runs", "{\"network\":[\"sim:nope\"],\"prompt\":\"x\"}"), 400, "nope"),
                new Case(post("/api/runs", "{\"network\":[\"sim:painter\",\"sim:describer\"]}"), 400, "input is empty"),
                new Case(post("/api/runs", "{not json"), 400, "not valid JSON"),
                new Case(post("/api/runs", "{\"network\":[\"sim:painter\",\"sim:describer\"],\"prompt\":\"x\","
                        + "\"max_steps\":0}"), 400, "between 1 and"),
                new Case(post("/api/runs", "{\"network\":[\"sim:painter\",\"sim:describer\"],\"prompt\":\"x\","
                        + "\"fixed_point\":\"stop\"}"), 400, "tick an embedder"),
                new Case(post("/api/runs/" + id + "/stop", "{}"), 409, "has ended"),
                new Case(post("/api/runs/no-such-run/stop", "{}"), 404, "no run 'no-such-run'"),
                new Case(get("/runs/no-such-run"), 404, "no run"),
                new Case(get("/nowhere"), 404, "nothing at /nowhere"),
                new Case(get("/media/" + id + "/" + "0".repeat(64)), 404, "holds no image"),
                new Case(get("/media/" + id + "/xyz"), 400, "not a SHA-256"),
                new Case(http.send(HttpRequest.newBuilder(server.url().resolve("/api/runs")).header("Content-Type",
                        "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("a=b")).build(),
                        HttpResponse.BodyHandlers.ofString()), 415, "as JSON"));
        for (Case c : cases) {
            assertThat(c.response().statusCode()).as(c.response().body()).isEqualTo(c.status());
            assertThat(c.response().body()).contains(c.reason()).doesNotContain("\tat ").doesNotContain("Exception:");
        }
        assertThat(get("/runs/no-such-run").body()).contains("<!doctype html>");
    }

    @Test
    void should_serve_nothing_outside_the_store_whatever_the_path() throws Exception {
        String id = startRun("");
        events(id, null);
        List<String> attacks = List.of(
                "/media/../secret.txt",
                "/media/..%2F..%2Fsecret.txt/" + "0".repeat(64),
                "/media/" + id + "/..%2F..%2F..%2Fsecret.txt",
                "/media/%2e%2e/%2e%2e%2fsecret.txt",
                "/media/..%252F..%252Fsecret.txt/" + "0".repeat(64),
                "/assets/..%2F..%2F..%2Fpom.xml",
                "/assets/../../pom.xml",
                "/runs/..%2F..%2Fsecret.txt",
                "/runs/../../secret.txt",
                "/api/runs/..%2Fsecret.txt/events",
                "/api/runs/.hidden",
                "/media/" + id + "/../../../../../../etc/passwd",
                "/../../../../etc/passwd",
                "/%2e%2e/%2e%2e/etc/passwd",
                "/assets/panic.js%00.png");
        for (String path : attacks) {
            String answer = raw(path);
            int status = Integer.parseInt(answer.substring(9, 12));
            assertThat(status).as(path + "\n" + answer).isBetween(400, 499);
            assertThat(answer).as(path).doesNotContain("do not serve me").doesNotContain("root:")
                    .doesNotContain("<project").doesNotContain("\tat ");
        }
    }

    @Test
    void should_refuse_to_delete_a_run_with_forks_unless_asked_to_delete_them_too() throws Exception {
        String id = startRun("");
        events(id, null);
        HttpResponse<String> forked = post("/api/runs/" + id + "/fork", "{\"at\":2,\"steps\":2,\"input\":\"a cat\"}");
        assertThat(forked.statusCode()).as(forked.body()).isEqualTo(201);
        String fork = JSON.readTree(forked.body()).get("id").asText();
        events(fork, null);
        assertThat(store.info(fork).parent().orElseThrow().runId()).isEqualTo(id);

        HttpResponse<String> refused = delete("/api/runs/" + id);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("1 fork").contains(fork).contains("delete them first");
        assertThat(store.runIds()).contains(id, fork);

        HttpResponse<String> deleted = delete("/api/runs/" + id + "?subtree=true");
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(JSON.readTree(deleted.body()).get("message").asText())
                .isEqualTo("deleted run " + id + " and its 1 fork(s): " + fork);
        assertThat(store.runIds()).doesNotContain(id, fork);
    }

    @Test
    void should_resume_a_saved_run_and_count_on_from_where_it_ended() throws Exception {
        String id = startRun("");
        events(id, null);

        HttpResponse<String> resumed = post("/api/runs/" + id + "/resume", "{\"steps\":3}");

        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(201);
        List<String> types = types(events(id, null));
        assertThat(types).filteredOn("prediction_made"::equals).hasSize(9);
        assertThat(store.info(id).predictions()).isEqualTo(9);
    }

    @Test
    void should_list_runs_and_render_every_page() throws Exception {
        String id = startRun("");
        events(id, null);

        assertThat(get("/runs").body()).contains(id).contains("completed").contains("/media/" + id + "/");
        assertThat(get("/runs/" + id).body()).contains(id).contains("sim:painter");
        assertThat(get("/runs/" + id + "/watch").body()).contains("data-page=\"watch\"");
        assertThat(get("/runs/" + id + "/prompt").body()).contains("not taking inputs now");
        assertThat(get("/new").body()).contains("sim:painter").contains("minilm");
        JsonNode runs = JSON.readTree(get("/api/runs").body()).get("runs");
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).get("status").asText()).isEqualTo("COMPLETED");
        assertThat(get("/").statusCode()).isEqualTo(200);
        assertThat(URI.create(server.url().toString()).getHost()).isEqualTo("localhost");
    }
}
