package dev.panic.web.internal;

import static dev.panic.web.internal.Html.esc;

import dev.panic.ModelInfo;
import dev.panic.RunInfo;
import dev.panic.RunSpec;
import dev.panic.StopReason;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The pages, rendered on the server; {@code panic.js} brings them to life. */
final class Pages {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    /** A run in the list: its state, or why it cannot be read. */
    record RunRow(String id, RunInfo info, String error, boolean hosted, String thumbnail, String excerpt,
                  List<String> children) {
    }

    /** A node of a run as the steering panel shows it, with the models it could call instead. */
    record NodeView(RunSpec.NodeSpec node, String modalities, List<ModelInfo> alternatives) {
    }

    private Pages() {
    }

    // ------------------------------------------------------------------ runs

    static String runs(List<RunRow> rows, int live, String storeName) {
        StringBuilder list = new StringBuilder();
        for (RunRow r : rows) {
            list.append(row(r));
        }
        String empty = rows.isEmpty() ? """
                <div class="empty">
                  <p>No runs yet in %s.</p>
                  <p><a class="btn primary" href="/new">Start the first one</a></p>
                </div>
                """.formatted(esc(storeName)) : "";
        String body = """
                <section class="page-head">
                  <div>
                    <h1>Runs</h1>
                    <p class="muted">Saved in %s, newest first. Open one to watch it, steer it while it runs, resume or fork it.</p>
                  </div>
                  <a class="btn primary" href="/new">New run</a>
                </section>
                %s
                <ul class="runs" id="runs">
                %s
                </ul>
                <dialog id="fork-dialog" class="dialog">
                  <form method="dialog" id="fork-form">
                    <h2>Fork <span data-fork-run></span></h2>
                    <p class="muted">A new run that shares this run's outputs up to the one you pick and goes its own way from there.</p>
                    <label>After output # <input type="number" name="at" min="0" required></label>
                    <label>Next input (optional) <textarea name="input" rows="2" placeholder="leave empty to go on from that output"></textarea></label>
                    <label>More outputs <input type="number" name="steps" min="1" value="12"></label>
                    <menu><button value="cancel" class="btn ghost" formnovalidate>Cancel</button><button value="ok" class="btn primary">Fork</button></menu>
                  </form>
                </dialog>
                """.formatted(esc(storeName), empty, list);
        return Html.page("Runs", "runs", "", body, "runs", live);
    }

    private static String row(RunRow r) {
        if (r.info() == null) {
            return """
                    <li class="run unreadable" data-run="%1$s">
                      <div class="thumb empty-thumb">?</div>
                      <div class="what"><div class="id">%1$s</div><div class="muted">cannot be read: %2$s</div></div>
                      <div class="actions"><button class="btn small danger" data-action="delete">Delete</button></div>
                    </li>
                    """.formatted(esc(r.id()), esc(r.error()));
        }
        RunInfo info = r.info();
        String thumb = r.thumbnail() != null
                ? "<img src=\"" + esc(r.thumbnail()) + "\" alt=\"\" loading=\"lazy\">"
                : r.excerpt() != null ? "<span>" + esc(shorten(r.excerpt(), 90)) + "</span>" : "<span>…</span>";
        String lineage = info.parent().map(l -> "<span class=\"lineage\">" + (l.branch() ? "branch" : "fork")
                + " of <a href=\"/runs/" + esc(l.runId()) + "\">" + esc(l.runId()) + "</a> after #" + l.sequence()
                + "</span>").orElse("");
        String children = r.children().isEmpty() ? "" : "<span class=\"lineage\">" + r.children().size()
                + (r.children().size() == 1 ? " fork" : " forks") + "</span>";
        boolean live = !info.status().isFinal();
        StringBuilder actions = new StringBuilder();
        actions.append("<a class=\"btn small\" href=\"/runs/").append(esc(info.id())).append("\">Open</a>");
        actions.append("<a class=\"btn small ghost\" href=\"/runs/").append(esc(info.id())).append("/watch\">Watch</a>");
        if (!live) {
            actions.append("<button class=\"btn small ghost\" data-action=\"resume\">Resume</button>");
            if (info.predictions() > 0) {
                actions.append("<button class=\"btn small ghost\" data-action=\"fork\">Fork</button>");
            }
            actions.append("<button class=\"btn small ghost danger\" data-action=\"delete\">Delete</button>");
        }
        return """
                <li class="run" data-run="%s" data-last="%d" data-children="%d" data-status="%s">
                  <a class="thumb" href="/runs/%1$s">%s</a>
                  <div class="what">
                    <div class="line1"><a class="id" href="/runs/%1$s">%1$s</a> %s %s %s %s</div>
                    <div class="network">%s</div>
                    <div class="muted">%s · %s · %s</div>
                  </div>
                  <div class="actions">%s</div>
                </li>
                """.formatted(esc(info.id()), info.predictions() - 1, r.children().size(),
                esc(info.status().name().toLowerCase(Locale.ROOT)), thumb, Html.status(info.status()),
                r.hosted() ? "<span class=\"badge here\">here</span>" : "", lineage, children,
                chain(info.spec().network()), steps(info.predictions()), esc(reason(info)),
                info.startedAt() == null ? "" : esc(WHEN.format(info.startedAt())), actions);
    }

    // ------------------------------------------------------------------ one run

    static String run(RunInfo info, boolean hosted, List<NodeView> nodes, List<String> children, int live) {
        String id = info.id();
        boolean going = !info.status().isFinal();
        StringBuilder steer = new StringBuilder();
        for (NodeView n : nodes) {
            steer.append(steerNode(n));
        }
        String lineage = info.parent().map(l -> "<p class=\"muted\">" + (l.branch() ? "A branch" : "A fork")
                + " of <a href=\"/runs/" + esc(l.runId()) + "\">" + esc(l.runId())
                + "</a>, sharing its outputs up to #" + l.sequence() + ".</p>").orElse("");
        StringBuilder kids = new StringBuilder();
        for (String c : children) {
            kids.append("<li><a href=\"/runs/").append(esc(c)).append("\">").append(esc(c)).append("</a></li>");
        }
        String controls = hosted && going ? """
                <div class="controls" data-live-controls>
                  <button class="btn" data-action="pause">Pause</button>
                  <button class="btn" data-action="unpause" hidden>Unpause</button>
                  <button class="btn" data-action="stop" title="end after the call in flight, keeping it">Stop</button>
                  <button class="btn danger" data-action="cancel" title="end now, dropping the call in flight">Cancel</button>
                </div>
                """ : going ? """
                <p class="notice">This run is live in another process: it is shown as it is saved, and can be controlled only there.</p>
                """ : """
                <div class="controls">
                  <button class="btn" data-action="resume">Resume</button>
                  <a class="btn ghost" href="/runs">All runs</a>
                </div>
                """;
        String steerPanel = hosted && going ? """
                <section class="panel steer" id="steer">
                  <h2>Steer</h2>
                  <p class="muted">Changes apply from the next call on; each output shows the revision that made it.</p>
                  %s
                  <form class="inject" data-inject>
                    <h3>Inject the next input</h3>
                    <textarea name="text" rows="2" placeholder="text for the next call"></textarea>
                    <div class="row"><input type="file" name="file" accept="image/*,audio/*"><button class="btn primary">Inject</button></div>
                  </form>
                  <p class="share">Visitors can send the next input from <a href="/runs/%s/prompt">/runs/%s/prompt</a>.</p>
                </section>
                """.formatted(steer, esc(id), esc(id)) : "";
        String body = """
                <section class="page-head run-head">
                  <div>
                    <h1><span class="id">%s</span> <span data-status-badge>%s</span> <span class="badge rev" data-revision>rev %d</span></h1>
                    <div class="network">%s</div>
                    <p class="muted">%s · started %s</p>
                    %s
                  </div>
                  <div class="head-actions">
                    <a class="btn ghost" href="/runs/%1$s/watch">Watch full screen</a>
                    %s
                  </div>
                </section>
                <div class="stop-reason" data-stop-reason%s>%s</div>
                <div class="run-layout">
                  <section class="outputs" id="outputs" aria-live="polite"></section>
                  <aside class="side">
                    <section class="panel">
                      <h2>Similarity</h2>
                      <p class="muted small">Each output against the previous output of the same model, and against its first.</p>
                      <div id="sparklines" class="sparklines"><p class="muted small" data-no-measures>No measures yet: a run measures its outputs when it has embedders.</p></div>
                    </section>
                    %s
                    <section class="panel">
                      <h2>What happened</h2>
                      <ol id="timeline" class="timeline"></ol>
                    </section>
                    %s
                  </aside>
                </div>
                """.formatted(esc(id), Html.status(info.status()), info.revision(), chain(info.spec().network()),
                esc(info.initialInput().summary(140)), info.startedAt() == null ? "" : esc(WHEN.format(info.startedAt())),
                lineage, controls, info.stopReason().isEmpty() ? " hidden" : "",
                info.stopReason().isEmpty() ? "" : esc(reason(info)), steerPanel,
                children.isEmpty() ? "" : "<section class=\"panel\"><h2>Forks</h2><ul class=\"kids\">" + kids
                        + "</ul></section>");
        String data = "data-run=\"" + esc(id) + "\" data-hosted=\"" + hosted + "\" data-status=\""
                + esc(info.status().name().toLowerCase(Locale.ROOT)) + "\" data-last=\"" + (info.predictions() - 1) + "\"";
        return Html.page(id, "run", data, body, "runs", live);
    }

    private static String steerNode(NodeView v) {
        RunSpec.NodeSpec n = v.node();
        StringBuilder options = new StringBuilder();
        for (ModelInfo m : v.alternatives()) {
            options.append("<option value=\"").append(esc(m.id())).append("\"")
                    .append(m.id().equals(n.model()) ? " selected" : "").append(">").append(esc(m.id()))
                    .append("</option>");
        }
        String params = n.parameters().asMap().isEmpty() ? "" : Json.write(n.parameters().asMap());
        boolean text = v.modalities().startsWith("TEXT");
        return """
                <form class="node" data-steer-node="%s">
                  <div class="node-head"><span class="node-id">%1$s</span> <span class="modalities">%s</span></div>
                  <label>Model <select name="model">%s</select></label>
                  %s
                  <label>Parameters <input name="parameters" value="%s" placeholder='{"size": 256}' spellcheck="false"></label>
                  <div class="row"><button class="btn small primary">Apply</button></div>
                </form>
                """.formatted(esc(n.id()), esc(v.modalities()), options,
                text ? "<label>Template <input name=\"template\" value=\"" + esc(n.template().orElse(""))
                        + "\" placeholder=\"e.g. a watercolour of {input}\" spellcheck=\"false\"></label>" : "",
                esc(params));
    }

    // ------------------------------------------------------------------ new run

    static String newRun(String catalogueJson, int live) {
        String body = """
                <section class="page-head">
                  <div>
                    <h1>New run</h1>
                    <p class="muted">Pick models in order: each one's output feeds the next, and the last feeds the first.
                    Only models that take what the previous one gives can be picked.</p>
                  </div>
                </section>
                <form id="new-run" class="new-run">
                  <section class="panel">
                    <h2>Network</h2>
                    <ol class="chain" id="chain"></ol>
                    <div class="row"><button type="button" class="btn" id="add-step">Add a model</button>
                    <span class="loop-check" id="loop-check"></span></div>
                    <details class="platforms" open><summary>Platforms</summary><ul id="platforms"></ul></details>
                  </section>
                  <section class="panel">
                    <h2>Input</h2>
                    <div id="input-text"><textarea name="prompt" rows="3" placeholder="a red circle on a blue background">a red circle on a blue background</textarea></div>
                    <div id="input-file" hidden><input type="file" name="file"><p class="muted small" id="input-file-hint"></p></div>
                  </section>
                  <section class="panel grid2">
                    <div>
                      <h2>Limits</h2>
                      <label>Outputs <input type="number" name="max_steps" value="12" min="1" max="100000"></label>
                      <label>Time limit, minutes <input type="number" name="max_minutes" min="0" step="0.5" placeholder="none"></label>
                      <label>Wait before each call, ms <input type="number" name="pace_ms" value="0" min="0" step="50"></label>
                      <label class="check"><input type="checkbox" name="forever"> No limit: run until stopped</label>
                    </div>
                    <div>
                      <h2>Detectors</h2>
                      <label>Exact repeat <select name="exact_repeat"><option value="stop" selected>stop the run</option><option value="observe">note it</option><option value="off">off</option></select></label>
                      <label>Fixed point <select name="fixed_point"><option value="stop" selected>stop the run</option><option value="observe">note it</option><option value="off">off</option></select></label>
                      <label>Cycle <select name="cycle"><option value="stop">stop the run</option><option value="observe" selected>note it</option><option value="off">off</option></select></label>
                      <label>Drift <select name="drift"><option value="observe" selected>note it</option><option value="off">off</option></select></label>
                      <h3>Embedders</h3>
                      <div id="embedders" class="embedders"></div>
                    </div>
                  </section>
                  <div class="submit-row"><button class="btn primary big" id="start">Start the run</button></div>
                </form>
                <script type="application/json" id="catalogue">%s</script>
                """.formatted(Html.scriptJson(catalogueJson));
        return Html.page("New run", "new", "", body, "new", live);
    }

    // ------------------------------------------------------------------ watch and prompt

    static String watch(RunInfo info, String promptUrl) {
        String body = """
                <div class="watch-bar">
                  <span class="logo">PANIC</span>
                  <span class="watch-net">%s</span>
                  <span data-status-badge>%s</span>
                  <span class="spacer"></span>
                  <button class="btn small ghost" data-view="grid">Grid</button>
                  <button class="btn small ghost" data-view="single">Single</button>
                  <button class="btn small ghost" data-view="fullscreen">Full screen</button>
                  <a class="btn small ghost" href="/runs/%s">Back</a>
                </div>
                <div class="wall grid" id="wall"></div>
                <div class="wall-hint">send the next input: <b>%s</b></div>
                """.formatted(chain(info.spec().network()), Html.status(info.status()), esc(info.id()), esc(promptUrl));
        return Html.page("Watch " + info.id(), "watch", "data-run=\"" + esc(info.id()) + "\" data-status=\""
                + esc(info.status().name().toLowerCase(Locale.ROOT)) + "\"", body, "", 0);
    }

    static String prompt(RunInfo info, boolean open, String nextModality) {
        String form = open ? """
                <form id="prompt-form" class="prompt-form">
                  <label for="prompt-text">What should the loop see next?</label>
                  <textarea id="prompt-text" name="text" rows="4" maxlength="2000" placeholder="a lighthouse in a storm" required></textarea>
                  <button class="btn primary big">Send</button>
                </form>
                <p class="sent" id="sent" hidden></p>
                """ : "<p class=\"notice\">This run is not taking inputs now (it is "
                + esc(info.status().name().toLowerCase(Locale.ROOT)) + ").</p>";
        String note = open && !"TEXT".equals(nextModality) ? "<p class=\"muted small\">The next model takes "
                + esc(nextModality == null ? "" : nextModality.toLowerCase(Locale.ROOT))
                + "; text goes to the first node that reads text.</p>" : "";
        String body = """
                <div class="prompt-page">
                  <div class="logo big">PANIC</div>
                  <p class="muted">Your words become the next input of a loop of AI models on the screen.</p>
                  <div class="latest" id="latest"></div>
                  %s
                  %s
                </div>
                """.formatted(form, note);
        return Html.page("Send the next input", "prompt", "data-run=\"" + esc(info.id()) + "\"", body, "", 0);
    }

    // ------------------------------------------------------------------ parts

    static String chain(RunSpec.NetworkSpec net) {
        StringBuilder sb = new StringBuilder("<span class=\"chain-view\">");
        List<RunSpec.NodeSpec> nodes = net.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            RunSpec.NodeSpec n = nodes.get(i);
            if (i > 0) {
                sb.append("<span class=\"arrow\">→</span>");
            }
            sb.append("<span class=\"chip\" title=\"node ").append(esc(n.id())).append("\">").append(esc(n.model()))
                    .append("</span>");
        }
        if (net.isRing()) {
            sb.append("<span class=\"arrow loop\" title=\"the last feeds the first\">↺</span>");
        } else {
            StringBuilder links = new StringBuilder();
            for (Map.Entry<String, List<String>> e : net.links().entrySet()) {
                links.append(e.getKey()).append("→").append(String.join("+", e.getValue())).append(' ');
            }
            sb.append("<span class=\"muted small\" title=\"links\">").append(esc(links.toString().trim())).append("</span>");
        }
        return sb.append("</span>").toString();
    }

    static String reason(RunInfo info) {
        StopReason r = info.stopReason().orElse(null);
        if (r == null) {
            return info.status().isFinal() ? "its process stopped before saving its end; resume it" : "running";
        }
        return r.message() + " (" + r.rule() + ")";
    }

    private static String steps(int n) {
        return n == 1 ? "1 output" : n + " outputs";
    }

    static String shorten(String s, int max) {
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }

    static String duration(Instant from, Instant to) {
        if (from == null || to == null) {
            return "";
        }
        Duration d = Duration.between(from, to);
        return d.toSeconds() < 60 ? d.toMillis() / 100 / 10.0 + " s" : d.toMinutes() + " min";
    }
}
