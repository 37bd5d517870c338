package dev.panic.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.Change;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.Network;
import dev.panic.Pacing;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.Prediction;
import dev.panic.Revision;
import dev.panic.Run;
import dev.panic.RunEvent;
import dev.panic.RunInfo;
import dev.panic.RunSpec;
import dev.panic.StopRule;
import dev.panic.detection.Detectors;
import dev.panic.Embedder;
import dev.panic.exception.NotFoundException;
import dev.panic.exception.PanicException;
import dev.panic.exception.UnavailableException;
import dev.panic.exception.ValidationException;
import dev.panic.json.RunJson;
import dev.panic.RunStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The routes of {@link dev.panic.web.PanicServer}: pages, the JSON API, event streams and media. */
public final class WebApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebApp.class);

    /** What a path may name: run ids as stores write them, digests as lower-case hex. Nothing else reaches a store. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final long MAX_BODY = 32L * 1024 * 1024;
    private static final int MAX_INPUT_TEXT = 20_000;

    private final RunStore store;
    private final Platforms platforms;
    private final Catalogue catalogue;
    private final RunJson json;
    private final MediaIndex media;
    private final LiveRuns live;
    private final ExecutorService senders = Executors.newCachedThreadPool(daemon("panic-web-send"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("panic-web-timer"));
    private final Map<String, byte[]> assets = new LinkedHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final String host;
    private Javalin javalin;

    private WebApp(RunStore store, Platforms platforms, String host) {
        this.store = store;
        this.platforms = platforms;
        this.host = host;
        this.catalogue = new Catalogue(platforms);
        this.json = RunJson.builder().mediaUrls((run, sha, type) -> Optional.ofNullable(run).map(r -> "/media/" + r + "/" + sha))
                .embeddings(false).build();
        this.media = new MediaIndex(store);
        this.live = new LiveRuns(store, json, media);
        for (String name : List.of("panic.css", "panic.js")) {
            try (InputStream in = WebApp.class.getResourceAsStream("/dev/panic/web/assets/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the web asset " + name + " is missing from the jar");
                }
                assets.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Starts serving {@code store} on {@code host:port}. */
    public static WebApp start(RunStore store, Platforms platforms, String host, int port) {
        WebApp app = new WebApp(store, platforms, host);
        app.javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = MAX_BODY;
            config.http.asyncTimeout = 0;
            app.routes(config.routes);
        });
        try {
            app.javalin.start(host, port);
        } catch (RuntimeException e) {
            app.close();
            throw new PanicException("could not listen on " + host + ":" + port + ": " + rootMessage(e)
                    + (port != 0 ? "; is another program using the port? Try another with --port" : ""), e);
        }
        app.timers.scheduleAtFixedRate(app.live::ping, 15, 15, TimeUnit.SECONDS);
        return app;
    }

    public URI url() {
        String h = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        return URI.create("http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port() + "/");
    }

    public int port() {
        return javalin.port();
    }

    public void await() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        // Closing from a thread that was interrupted out of await(): Jetty must still stop cleanly.
        boolean interrupted = Thread.interrupted();
        try {
            live.close();
        } finally {
            try {
                if (javalin != null) {
                    javalin.stop();
                }
            } finally {
                senders.shutdownNow();
                timers.shutdownNow();
                closed.countDown();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    // ------------------------------------------------------------------ routes

    private void routes(io.javalin.config.RoutesConfig r) {
        r.get("/", ctx -> ctx.redirect("/runs"));
        r.get("/assets/{name}", this::asset);
        r.get("/runs", ctx -> html(ctx, runsPage()));
        r.get("/new", ctx -> html(ctx, Pages.newRun(Json.write(catalogueJson()), live.ids().size())));
        r.get("/runs/{id}", ctx -> html(ctx, runPage(runId(ctx))));
        r.get("/runs/{id}/watch", ctx -> html(ctx, Pages.watch(info(runId(ctx)), promptUrl(ctx, runId(ctx)))));
        r.get("/runs/{id}/prompt", this::promptPage);
        r.get("/media/{id}/{sha}", this::media);

        r.get("/api/runs", ctx -> jsonAnswer(ctx, 200, runsJson()));
        r.get("/api/runs/{id}", ctx -> jsonAnswer(ctx, 200, stateJson(runId(ctx))));
        r.get("/api/models", ctx -> jsonAnswer(ctx, 200, catalogueJson()));
        r.post("/api/runs", this::newRun);
        r.post("/api/runs/{id}/stop", ctx -> control(ctx, Run::stop));
        r.post("/api/runs/{id}/cancel", ctx -> control(ctx, Run::cancel));
        r.post("/api/runs/{id}/pause", ctx -> control(ctx, Run::pause));
        r.post("/api/runs/{id}/unpause", ctx -> control(ctx, Run::unpause));
        r.post("/api/runs/{id}/steer", this::steer);
        r.post("/api/runs/{id}/inject", this::inject);
        r.post("/api/runs/{id}/resume", this::resume);
        r.post("/api/runs/{id}/fork", this::fork);
        r.delete("/api/runs/{id}", this::delete);
        r.before("/api/runs/{id}/events", ctx -> info(runId(ctx)));
        r.sse("/api/runs/{id}/events", this::events);

        r.exception(ValidationException.class, (e, ctx) -> fail(ctx, 400, e.getMessage()));
        r.exception(NotFoundException.class, (e, ctx) -> fail(ctx, 404, e.getMessage()));
        r.exception(UnavailableException.class, (e, ctx) -> fail(ctx, 503, e.getMessage()));
        r.exception(PanicException.class, (e, ctx) -> fail(ctx, 409, e.getMessage()));
        r.exception(HttpResponseException.class, (e, ctx) -> fail(ctx, e.getStatus(), e.getStatus() == 404
                ? "there is nothing at " + ctx.path() : e.getMessage()));
        r.exception(Exception.class, (e, ctx) -> {
            LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
            fail(ctx, 500, "the server could not do that (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        });
        r.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                fail(ctx, 404, "there is nothing at " + ctx.path());
            }
        });
    }

    /** An error as the caller can use it: JSON for the API, a page for a browser. Never a stack trace. */
    private void fail(Context ctx, int status, String message) {
        ctx.status(status);
        if (ctx.path().startsWith("/api/") || ctx.path().startsWith("/media/")) {
            ObjectNode n = Json.object();
            n.put("error", message);
            n.put("status", status);
            ctx.contentType("application/json; charset=utf-8").result(Json.write(n));
        } else {
            ctx.contentType("text/html; charset=utf-8").result(Html.error(status, message, live.ids().size()));
        }
    }

    private static void html(Context ctx, String page) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.contentType("text/html; charset=utf-8").result(page);
    }

    private static void jsonAnswer(Context ctx, int status, Object body) {
        ctx.status(status).header("Cache-Control", "no-store")
                .contentType("application/json; charset=utf-8").result(body instanceof String s ? s : Json.write(body));
    }

    private void asset(Context ctx) {
        byte[] bytes = assets.get(ctx.pathParam("name"));
        if (bytes == null) {
            throw new NotFoundException("there is no asset " + ctx.pathParam("name"));
        }
        String name = ctx.pathParam("name");
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8")
                .result(bytes);
    }

    // ------------------------------------------------------------------ pages

    private String runsPage() {
        List<Pages.RunRow> rows = new ArrayList<>();
        List<String> ids = new ArrayList<>(store.runIds());
        java.util.Collections.reverse(ids);
        Map<String, List<String>> children = new LinkedHashMap<>();
        Map<String, RunInfo> infos = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (String id : ids) {
            try {
                RunInfo info = info(id);
                infos.put(id, info);
                info.parent().ifPresent(l -> children.computeIfAbsent(l.runId(), k -> new ArrayList<>()).add(id));
            } catch (RuntimeException e) {
                errors.put(id, e.getMessage());
            }
        }
        for (String id : ids) {
            RunInfo info = infos.get(id);
            if (info == null) {
                rows.add(new Pages.RunRow(id, null, errors.get(id), false, null, null, List.of()));
                continue;
            }
            Thumb t = thumbnail(info);
            rows.add(new Pages.RunRow(id, info, null, live.run(id).isPresent(), t.url(), t.text(),
                    children.getOrDefault(id, List.of())));
        }
        // "DirectoryRunStore[/home/me/panic-runs]" reads as "/home/me/panic-runs".
        String name = store.toString().replaceFirst("^\\w+\\[(.*)]$", "$1");
        return Pages.runs(rows, live.ids().size(), name);
    }

    private record Thumb(String url, String text) {
    }

    /** The run's latest image, or its latest text: what the list shows of it. */
    private Thumb thumbnail(RunInfo info) {
        if (info.predictions() == 0) {
            return new Thumb(null, info.initialInput().summary(90));
        }
        String text = null;
        try (Stream<Prediction> s = store.predictions(info.id(), Math.max(0, info.predictions() - 8))) {
            String url = null;
            for (Prediction p : (Iterable<Prediction>) s::iterator) {
                if (p.output() instanceof Payload.Image i) {
                    media.put(p.runId(), i);
                    url = "/media/" + p.runId() + "/" + i.data().sha256();
                } else if (p.output() != null) {
                    text = p.output().summary(90);
                }
            }
            return new Thumb(url, text);
        } catch (RuntimeException e) {
            return new Thumb(null, text);
        }
    }

    private String runPage(String id) {
        Optional<Run> hosted = live.run(id);
        RunInfo info = hosted.map(Run::info).orElseGet(() -> store.info(id));
        List<Pages.NodeView> nodes = new ArrayList<>();
        if (hosted.isPresent()) {
            Network net = hosted.get().network();
            List<ModelInfo> all = new ArrayList<>();
            catalogue.platforms(false).stream().filter(Catalogue.PlatformEntry::ready).forEach(p -> all.addAll(p.models()));
            for (RunSpec.NodeSpec n : hosted.get().spec().network().nodes()) {
                Model m = net.node(n.id()).model();
                List<ModelInfo> fits = new ArrayList<>(all.stream().filter(x -> x.input() == m.input()
                        && x.output() == m.output()).toList());
                if (fits.stream().noneMatch(x -> x.id().equals(m.id()))) {
                    fits.add(0, m.info());
                }
                nodes.add(new Pages.NodeView(n, m.info().modalities(), fits));
            }
        }
        List<String> children;
        try {
            children = store.children(id);
        } catch (RuntimeException e) {
            children = List.of();
        }
        return Pages.run(info, hosted.isPresent(), nodes, children, live.ids().size());
    }

    private void promptPage(Context ctx) {
        String id = runId(ctx);
        Optional<Run> run = live.run(id);
        RunInfo info = run.map(Run::info).orElseGet(() -> store.info(id));
        String next = run.map(r -> r.network().entry().model().input().name()).orElse(null);
        boolean open = run.isPresent() && textNode(run.get()).isPresent();
        html(ctx, Pages.prompt(info, open, next));
    }

    private String promptUrl(Context ctx, String id) {
        return ctx.scheme() + "://" + ctx.host() + "/runs/" + id + "/prompt";
    }

    // ------------------------------------------------------------------ state as JSON

    private RunInfo info(String id) {
        return live.run(id).map(Run::info).orElseGet(() -> store.info(id));
    }

    private ObjectNode stateJson(String id) {
        Optional<Run> run = live.run(id);
        return stateJson(run.map(Run::info).orElseGet(() -> store.info(id)), run.isPresent());
    }

    private ObjectNode stateJson(RunInfo info, boolean hosted) {
        ObjectNode n = Json.object();
        n.put("type", "state");
        n.put("run_id", info.id());
        n.put("status", info.status().name());
        n.put("hosted", hosted);
        n.set("info", json.toTree(info));
        return n;
    }

    private ObjectNode runsJson() {
        ObjectNode n = Json.object();
        ArrayNode runs = n.putArray("runs");
        for (String id : store.runIds()) {
            try {
                ObjectNode o = json.toTree(info(id));
                o.put("hosted", live.run(id).isPresent());
                runs.add(o);
            } catch (RuntimeException e) {
                ObjectNode o = runs.addObject();
                o.put("id", id);
                o.put("error", e.getMessage());
            }
        }
        return n;
    }

    private ObjectNode catalogueJson() {
        ObjectNode n = Json.object();
        ArrayNode ps = n.putArray("platforms");
        for (Catalogue.PlatformEntry p : catalogue.platforms(false)) {
            ObjectNode o = ps.addObject();
            o.put("id", p.id());
            o.put("description", p.description());
            o.put("ready", p.ready());
            o.put("detail", p.detail());
            ArrayNode models = o.putArray("models");
            for (ModelInfo m : p.models()) {
                ObjectNode mo = models.addObject();
                mo.put("id", m.id().toString());
                mo.put("input", m.input().wireName());
                mo.put("output", m.output().wireName());
                mo.put("description", m.description());
            }
        }
        ArrayNode es = n.putArray("embedders");
        for (Catalogue.EmbedderEntry e : catalogue.embedders()) {
            ObjectNode o = es.addObject();
            o.put("id", e.id());
            ArrayNode mods = o.putArray("modalities");
            e.modalities().forEach(m -> mods.add(m.wireName()));
        }
        return n;
    }

    // ------------------------------------------------------------------ actions

    private void newRun(Context ctx) {
        JsonNode body = jsonBody(ctx);
        JsonNode ids = body.get("network");
        if (ids == null || !ids.isArray() || ids.isEmpty()) {
            throw new ValidationException("give the network as a list of model ids, e.g. [\"sim:painter\", \"sim:describer\"]");
        }
        Network.Builder nb = Network.builder();
        for (JsonNode id : ids) {
            if (!id.isTextual()) {
                throw new ValidationException("the network lists model ids as strings; got " + id);
            }
            ModelId mid = ModelId.parse(id.textValue());
            String why = catalogue.notReady(mid.platform());
            if (why != null) {
                throw new ValidationException("platform '" + mid.platform() + "' is not ready: " + why);
            }
            try {
                nb.add(platforms.model(mid.toString()));
            } catch (NotFoundException e) {
                throw new ValidationException(e.getMessage());
            }
        }
        Network network = nb.build();
        Payload input = input(body, "prompt", "input");
        if (input.modality() != network.input()) {
            throw new ValidationException("the first model, " + network.entry().model().id() + ", takes "
                    + network.input().name().toLowerCase(Locale.ROOT) + " but the input is "
                    + input.modality().name().toLowerCase(Locale.ROOT));
        }
        Run.Builder b = Run.builder(network, input);
        boolean forever = body.path("forever").asBoolean(false);
        if (forever) {
            b.forever();
        } else {
            b.maxSteps(intField(body, "max_steps", 12, 1, 100_000));
        }
        double minutes = body.path("max_minutes").asDouble(0);
        if (minutes < 0) {
            throw new ValidationException("the time limit must not be negative, got " + minutes + " minutes");
        }
        if (minutes > 0) {
            b.maxDuration(Duration.ofMillis(Math.round(minutes * 60_000)));
        }
        int pace = intField(body, "pace_ms", 0, 0, 3_600_000);
        if (pace > 0) {
            b.pacing(Pacing.fixed(Duration.ofMillis(pace)));
        }
        List<Embedder> embedders = new ArrayList<>();
        for (JsonNode e : body.path("embedders")) {
            try {
                embedders.add(platforms.embedder(e.asText()));
            } catch (NotFoundException ex) {
                throw new ValidationException(ex.getMessage());
            }
        }
        if (!embedders.isEmpty()) {
            b.embedWith(embedders.toArray(Embedder[]::new));
        }
        detector(b, body, "exact_repeat", StopRule.exactRepeat(), false);
        detector(b, body, "fixed_point", Detectors.fixedPoint().build(), !embedders.isEmpty());
        detector(b, body, "cycle", Detectors.cycle().build(), !embedders.isEmpty());
        detector(b, body, "drift", Detectors.drift().build(), !embedders.isEmpty());
        Run run = live.start(b);
        started(ctx, run);
    }

    private static void detector(Run.Builder b, JsonNode body, String field, StopRule rule, boolean vectors) {
        String mode = body.path(field).asText("off");
        if (mode.equals("off") || mode.isEmpty()) {
            return;
        }
        if (rule.needsEmbeddings() && !vectors) {
            throw new ValidationException("the " + field.replace('_', ' ') + " detector compares outputs' vectors: tick"
                    + " an embedder, or turn it off");
        }
        switch (mode) {
            case "stop" -> b.stopWhen(rule);
            case "observe" -> b.observe(rule);
            default -> throw new ValidationException(field + " must be stop, observe or off; got '" + mode + "'");
        }
    }

    private void started(Context ctx, Run run) {
        ObjectNode n = Json.object();
        n.put("id", run.id());
        n.put("url", "/runs/" + run.id());
        jsonAnswer(ctx, 201, n);
    }

    private interface Control {
        void apply(Run run);
    }

    private void control(Context ctx, Control action) {
        jsonBody(ctx);
        Run run = hostedRun(runId(ctx));
        action.apply(run);
        // The run's own state: its store may not have saved an end that has just happened.
        jsonAnswer(ctx, 200, stateJson(run.info(), !run.status().isFinal()));
    }

    /** The run if this server runs it; otherwise a 409 that says where it is controlled. */
    private Run hostedRun(String id) {
        Optional<Run> run = live.run(id);
        if (run.isPresent()) {
            return run.get();
        }
        RunInfo info = store.info(id);
        if (info.status().isFinal()) {
            throw new PanicException("run '" + id + "' has ended (" + info.status().name().toLowerCase(Locale.ROOT)
                    + "); resume it to go on");
        }
        throw new PanicException("run '" + id + "' is live in another process; control it there");
    }

    private void steer(Context ctx) {
        JsonNode body = jsonBody(ctx);
        Run run = hostedRun(runId(ctx));
        String node = text(body, "node");
        if (node == null) {
            throw new ValidationException("say which node to steer: {\"node\": \"painter\", ...}");
        }
        Network.Node current = run.network().node(node);
        List<Change> changes = new ArrayList<>();
        String model = text(body, "model");
        if (model != null && !ModelId.parse(model).equals(current.model().id())) {
            Model m;
            try {
                m = platforms.model(model);
            } catch (NotFoundException e) {
                throw new ValidationException(e.getMessage());
            }
            if (m.input() != current.model().input() || m.output() != current.model().output()) {
                throw new ValidationException("node '" + node + "' needs a model that takes "
                        + current.model().input() + " and gives " + current.model().output() + "; " + m.id()
                        + " is " + m.info().modalities());
            }
            String why = catalogue.notReady(m.id().platform());
            if (why != null) {
                throw new ValidationException("platform '" + m.id().platform() + "' is not ready: " + why);
            }
            changes.add(Change.model(node, m));
        }
        if (body.has("template")) {
            String t = body.get("template").isNull() ? null : body.get("template").asText();
            String now = current.template().map(dev.panic.Template::text).orElse(null);
            String wanted = t == null || t.isBlank() ? null : t;
            if (!java.util.Objects.equals(wanted, now)) {
                changes.add(Change.template(node, wanted));
            }
        }
        JsonNode params = body.get("parameters");
        if (params != null && !params.isNull() && !(params.isTextual() && params.asText().isBlank())) {
            JsonNode p = params.isTextual() ? Json.read(params.asText()) : params;
            Parameters wanted = Parameters.of(Json.map(p, "parameters"));
            if (!wanted.equals(current.model().parameters())) {
                changes.add(Change.parameters(node, wanted));
            }
        }
        if (changes.isEmpty()) {
            throw new ValidationException("nothing to change: node '" + node + "' is configured so already");
        }
        Revision r = run.steer(changes.toArray(Change[]::new));
        ObjectNode n = Json.object();
        n.put("revision", r.number());
        n.put("changes", r.changes().toString());
        jsonAnswer(ctx, 200, n);
    }

    private void inject(Context ctx) {
        JsonNode body = jsonBody(ctx);
        Run run = hostedRun(runId(ctx));
        Payload input = input(body, "text", "input");
        String node = text(body, "node");
        if (node == null) {
            node = run.network().nodes().stream().filter(n -> n.model().input() == input.modality()).findFirst()
                    .map(Network.Node::id).orElseThrow(() -> new ValidationException("no node of this run takes "
                            + input.modality().name().toLowerCase(Locale.ROOT)));
        }
        Revision r = run.steer(Change.inject(node, input));
        ObjectNode n = Json.object();
        n.put("revision", r.number());
        n.put("node", node);
        jsonAnswer(ctx, 200, n);
    }

    private Optional<Network.Node> textNode(Run run) {
        return run.network().nodes().stream().filter(n -> n.model().input() == Modality.TEXT).findFirst();
    }

    private void resume(Context ctx) {
        JsonNode body = jsonBody(ctx);
        String id = runId(ctx);
        RunInfo info = store.info(id);
        if (live.run(id).isPresent()) {
            throw new PanicException("run '" + id + "' is running here already");
        }
        Run.Builder b = Run.resume(store, id, platforms);
        int more = intField(body, "steps", 12, 1, 100_000);
        b.maxSteps(info.predictions() + more);
        readyFor(info.spec().modelIds());
        started(ctx, live.start(b));
    }

    private void fork(Context ctx) {
        JsonNode body = jsonBody(ctx);
        String id = runId(ctx);
        RunInfo info = store.info(id);
        int at = intField(body, "at", Math.max(0, info.predictions() - 1), 0, Integer.MAX_VALUE);
        if (at >= info.predictions()) {
            throw new ValidationException("run '" + id + "' has outputs #0 to #" + (info.predictions() - 1)
                    + "; fork after one of them, not #" + at);
        }
        List<Change> changes = new ArrayList<>();
        String text = text(body, "input");
        if (text != null && !text.isBlank()) {
            changes.add(Change.inject(Payload.text(text)));
        }
        Run.Builder b = Run.fork(store, id, at, platforms).change(changes.toArray(Change[]::new));
        b.maxSteps(at + 1 + intField(body, "steps", 12, 1, 100_000));
        readyFor(info.spec().modelIds());
        started(ctx, live.start(b));
    }

    private void readyFor(List<ModelId> models) {
        for (ModelId m : models) {
            String why = catalogue.notReady(m.platform());
            if (why != null) {
                throw new ValidationException("platform '" + m.platform() + "' is not ready: " + why);
            }
        }
    }

    /** Deletes a run; with {@code ?subtree=true} its forks too (leaves first), saying which. */
    private void delete(Context ctx) {
        String id = runId(ctx);
        store.info(id);
        boolean subtree = "true".equals(ctx.queryParam("subtree"));
        List<String> order = new ArrayList<>();
        collect(id, order);
        if (order.size() > 1 && !subtree) {
            List<String> kids = order.subList(0, order.size() - 1);
            throw new ValidationException("run '" + id + "' has " + kids.size() + (kids.size() == 1 ? " fork" : " forks")
                    + " that share its outputs (" + String.join(", ", kids) + "); delete them first, or delete the"
                    + " run with its forks");
        }
        for (String r : order) {
            if (live.run(r).isPresent()) {
                throw new PanicException("run '" + r + "' is running here; stop it before deleting it");
            }
        }
        List<String> deleted = new ArrayList<>();
        for (String r : order) {
            store.delete(r);
            deleted.add(r);
        }
        ObjectNode n = Json.object();
        ArrayNode list = n.putArray("deleted");
        deleted.forEach(list::add);
        n.put("message", deleted.size() == 1 ? "deleted run " + id
                : "deleted run " + id + " and its " + (deleted.size() - 1) + " fork(s): "
                + String.join(", ", deleted.subList(0, deleted.size() - 1)));
        jsonAnswer(ctx, 200, n);
    }

    /** The run's descendants, leaves first, then the run. */
    private void collect(String id, List<String> out) {
        for (String child : store.children(id)) {
            collect(child, out);
        }
        out.add(id);
    }

    // ------------------------------------------------------------------ events and media

    private void events(SseClient client) {
        Context ctx = client.ctx();
        String id = runId(ctx);
        long last = lastEventId(ctx);
        client.keepAlive();
        SseChannel channel = new SseChannel(client, senders);
        Optional<EventLog> log = live.log(id);
        if (log.isPresent()) {
            log.get().follow(last, channel);
            return;
        }
        List<String> history;
        try {
            history = History.of(store, id, Integer.MAX_VALUE, json);
        } catch (RuntimeException e) {
            ObjectNode n = Json.object();
            n.put("type", "error");
            n.put("message", e.getMessage());
            channel.send(null, Json.write(n));
            channel.end();
            return;
        }
        for (int i = 0; i < history.size(); i++) {
            if (i > last) {
                channel.send(Integer.toString(i), history.get(i));
            }
        }
        RunInfo info = store.info(id);
        channel.send(null, Json.write(stateJson(id)));
        if (info.status().isFinal()) {
            channel.end();
        } else {
            follow(id, channel, Math.max(history.size(), (int) last + 1), info.predictions());
        }
    }

    /** Follows a run that another process is writing by reading its new predictions as they are saved. */
    private void follow(String id, SseChannel channel, int firstEventId, int fromSequence) {
        AtomicInteger nextId = new AtomicInteger(firstEventId);
        AtomicInteger nextSeq = new AtomicInteger(fromSequence);
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        task[0] = timers.scheduleWithFixedDelay(() -> {
            try {
                if (channel.isClosed()) {
                    task[0].cancel(false);
                    return;
                }
                try (Stream<Prediction> s = store.predictions(id, nextSeq.get())) {
                    s.forEach(p -> {
                        RunEvent e = p.succeeded() ? new RunEvent.PredictionMade(id, p) : new RunEvent.PredictionFailed(id, p);
                        channel.send(Integer.toString(nextId.getAndIncrement()), json.write(e));
                        nextSeq.set(p.sequence() + 1);
                    });
                }
                RunInfo now = store.info(id);
                if (now.status().isFinal()) {
                    channel.send(null, Json.write(stateJson(id)));
                    channel.end();
                    task[0].cancel(false);
                }
            } catch (RuntimeException e) {
                LOG.debug("stopped following run {}: {}", id, e.toString());
                channel.end();
                task[0].cancel(false);
            }
        }, 1, 1, TimeUnit.SECONDS);
        channel.onClose(() -> task[0].cancel(false));
    }

    private static long lastEventId(Context ctx) {
        String h = ctx.header("Last-Event-ID");
        if (h == null || h.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(h.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void media(Context ctx) {
        String id = runId(ctx);
        String sha = ctx.pathParam("sha");
        if (!SHA256.matcher(sha).matches()) {
            throw new ValidationException("'" + sha + "' is not a SHA-256 (64 lower-case hex digits)");
        }
        Payload p = media.get(id, sha);
        String type = p instanceof Payload.Image i ? i.mediaType() : ((Payload.Audio) p).mediaType();
        dev.panic.Bytes data = p instanceof Payload.Image i ? i.data() : ((Payload.Audio) p).data();
        if (!type.startsWith("image/") && !type.startsWith("audio/")) {
            type = "application/octet-stream";
        }
        ctx.header("Cache-Control", "private, max-age=31536000, immutable");
        ctx.header("X-Content-Type-Options", "nosniff");
        // An SVG output is shown as a picture, never run as a document with scripts.
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
        ctx.contentType(type).result(data.newInputStream());
    }

    // ------------------------------------------------------------------ request parts

    private static String runId(Context ctx) {
        String id = ctx.pathParam("id");
        if (!RUN_ID.matcher(id).matches() || id.contains("..")) {
            throw new ValidationException("'" + id + "' is not a run id: letters, digits, '.', '_' and '-' only");
        }
        return id;
    }

    /** The body of a request that changes something: JSON only, so another site's form cannot send it. */
    private static JsonNode jsonBody(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new HttpResponseException(415, "send the request as JSON (Content-Type: application/json)");
        }
        String body = new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8);
        return body.isBlank() ? Json.object() : Json.read(body);
    }

    private Payload input(JsonNode body, String textField, String payloadField) {
        JsonNode media = body.get(payloadField);
        String text = text(body, textField);
        if (media != null && !media.isNull()) {
            if (text != null && !text.isBlank()) {
                throw new ValidationException("give either " + textField + " or " + payloadField + ", not both");
            }
            return json.readPayload(media);
        }
        if (text == null || text.isBlank()) {
            throw new ValidationException("the input is empty: write a " + textField + ", or upload a picture or a sound");
        }
        if (text.length() > MAX_INPUT_TEXT) {
            throw new ValidationException("the text is " + text.length() + " characters long; at most "
                    + MAX_INPUT_TEXT + " are taken");
        }
        return Payload.text(text);
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ValidationException("'" + field + "' must be a string, got " + v);
        }
        return v.textValue();
    }

    private static int intField(JsonNode body, String field, int otherwise, int min, int max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            return otherwise;
        }
        long n;
        if (v.isIntegralNumber()) {
            n = v.longValue();
        } else if (v.isTextual() && v.asText().trim().matches("-?\\d{1,12}")) {
            n = Long.parseLong(v.asText().trim());
        } else {
            throw new ValidationException("'" + field + "' must be a whole number, got " + v);
        }
        if (n < min || n > max) {
            throw new ValidationException("'" + field + "' must be between " + min + " and " + max + ", got " + n);
        }
        return (int) n;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
