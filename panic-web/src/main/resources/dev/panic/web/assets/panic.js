/* PANIC's web frontend: the little JavaScript the server-rendered pages need. No build step. */
(() => {
  "use strict";

  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  const body = document.body;
  const page = body.dataset.page;
  const runId = body.dataset.run;

  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  function toast(message, kind = "ok") {
    const t = el("div", { class: "toast " + kind, role: "status", text: message });
    $("#toasts").append(t);
    setTimeout(() => t.remove(), kind === "bad" ? 9000 : 4000);
  }

  /** POSTs (or DELETEs) JSON; resolves with the answer, or rejects with the server's reason. */
  async function send(method, url, data) {
    const res = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json" },
      body: data === undefined ? "{}" : JSON.stringify(data),
    });
    let answer = {};
    try { answer = await res.json(); } catch (e) { /* no JSON body */ }
    if (!res.ok) throw new Error(answer.error || res.status + " " + res.statusText);
    return answer;
  }

  /** A picked file as {media_type, data} (base64), as the server's JSON takes it. */
  function readFile(file) {
    return new Promise((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve({ media_type: file.type || "application/octet-stream", data: String(r.result).split(",")[1] });
      r.onerror = () => reject(new Error("could not read " + file.name));
      r.readAsDataURL(file);
    });
  }

  const lower = (s) => String(s || "").toLowerCase();
  const seconds = (from, to) => ((new Date(to) - new Date(from)) / 1000).toFixed(1) + " s";
  const time = (at) => new Date(at).toLocaleTimeString();

  /** Shows the run's status; once its end has been told ({@code ended}), nothing later changes it. */
  function setStatus(status, ended) {
    const s = lower(status);
    const now = body.dataset.status;
    // An answer to a click can arrive after the run's end was told: an ended run does not come back to life here.
    if (body.dataset.ended && !ended) return;
    if (ended) body.dataset.ended = "1";
    if (now && now !== "running" && now !== "paused" && (s === "running" || s === "paused")) return;
    body.dataset.status = s;
    for (const holder of $$("[data-status-badge]")) {
      holder.innerHTML = "";
      holder.append(el("span", { class: "badge status-" + s, "data-status": true, text: s }));
    }
    const going = s === "running" || s === "paused";
    const controls = $("[data-live-controls]");
    if (controls) {
      controls.hidden = !going;
      $("[data-action=pause]", controls).hidden = s === "paused";
      $("[data-action=unpause]", controls).hidden = s !== "paused";
    }
    const steer = $("#steer");
    if (steer && !going) steer.hidden = true;
  }

  /** Follows a run's events: earlier ones first (replayed by the server), then each as it happens. */
  function follow(handlers) {
    const source = new EventSource("/api/runs/" + encodeURIComponent(runId) + "/events");
    source.onmessage = (m) => {
      let e;
      try { e = JSON.parse(m.data); } catch (err) { return; }
      const h = handlers[e.type];
      if (h) h(e);
      if (e.type === "finished" || (e.type === "state" && !["RUNNING", "PAUSED"].includes(e.status))
          || e.type === "error") {
        source.close();
      }
    };
    return source;
  }

  /** What a payload looks like on a card or a wall tile. */
  function payloadView(p, big) {
    if (!p) return el("div", { class: "text" });
    if (p.modality === "image") {
      return el("div", { class: "media" }, el("img", { src: p.url, alt: "image output", loading: "lazy" }));
    }
    if (p.modality === "audio") {
      return el("div", { class: "audio" }, el("audio", { controls: true, preload: "none", src: p.url }));
    }
    return el("div", { class: big ? "words" : "text", text: p.text });
  }

  // ------------------------------------------------------------------ one run, live

  function runPage() {
    const outputs = $("#outputs");
    const timeline = $("#timeline");
    const cards = new Map();
    const series = new Map();
    let timers = new Map();

    function card(seq) {
      let c = cards.get(seq);
      if (!c) {
        c = el("article", { class: "card", "data-seq": seq });
        cards.set(seq, c);
        // Newest first: before the latest output older than this one.
        const older = [...cards.keys()].filter((k) => k < seq).sort((a, b) => b - a)[0];
        if (older !== undefined && cards.get(older).isConnected) outputs.insertBefore(c, cards.get(older));
        else outputs.append(c);
      }
      return c;
    }

    function note(kind, html, at) {
      const li = el("li", { class: kind });
      li.innerHTML = html;
      if (at) li.prepend(el("div", { class: "t", text: time(at) }));
      timeline.prepend(li);
    }

    function meta(p) {
      const m = el("div", { class: "meta" });
      m.append(el("div", { class: "l1" }, el("span", { class: "seq", text: "#" + p.sequence }),
        el("span", { class: "model", text: p.model })));
      const l2 = el("div", { class: "l2" }, el("span", { text: "node " + p.node }),
        el("span", { class: "rev", "data-rev": p.revision || 0, text: "rev " + (p.revision || 0) }));
      if (p.started_at && p.finished_at) l2.append(el("span", { text: seconds(p.started_at, p.finished_at) }));
      m.append(l2);
      return m;
    }

    function made(e) {
      const p = e.prediction;
      const c = card(p.sequence);
      clearInterval(timers.get(p.sequence));
      c.className = "card" + (p.error ? " failed" : "");
      c.dataset.kind = p.output ? p.output.modality : "error";
      c.dataset.revision = p.revision || 0;
      const marks = c.querySelector(".marks");
      c.innerHTML = "";
      c.append(p.error ? el("div", { class: "text", text: p.error.type + ": " + p.error.message }) : payloadView(p.output));
      if (marks) c.append(marks);
      c.append(meta(p));
      body.dataset.last = p.sequence;
    }

    function measured(e) {
      $("[data-no-measures]")?.remove();
      for (const s of e.similarities) {
        let d = series.get(s.embedder);
        if (!d) {
          d = { points: new Map(), node: el("div", { class: "spark", "data-embedder": s.embedder }) };
          series.set(s.embedder, d);
          $("#sparklines").append(d.node);
        }
        d.points.set(s.sequence, s);
        drawSpark(s.embedder, d);
      }
    }

    function drawSpark(name, d) {
      const pts = [...d.points.values()].sort((a, b) => a.sequence - b.sequence);
      const W = 320, H = 64, pad = 4;
      const n = Math.max(pts.length - 1, 1);
      const x = (i) => pad + (i * (W - 2 * pad)) / n;
      const y = (v) => H - pad - Math.max(0, Math.min(1, v)) * (H - 2 * pad);
      const line = (key) => pts.map((p, i) => (p[key] === undefined || p[key] === null) ? null : x(i).toFixed(1) + "," + y(p[key]).toFixed(1))
        .filter(Boolean).join(" ");
      const last = pts[pts.length - 1];
      const fmt = (v) => (v === undefined || v === null) ? "–" : v.toFixed(3);
      d.node.innerHTML = `<h4><span>${name}</span><span class="muted">#${last.sequence}: ${fmt(last.to_previous)} / ${fmt(last.to_origin)}</span></h4>
        <svg viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label="similarity of each output, ${name}">
          <line x1="0" x2="${W}" y1="${y(0.95)}" y2="${y(0.95)}" stroke="#3a4058" stroke-dasharray="3 4"/>
          <polyline fill="none" stroke="#ffb347" stroke-width="1.6" points="${line("to_origin")}"/>
          <polyline fill="none" stroke="#ff5c8a" stroke-width="2" points="${line("to_previous")}"/>
        </svg>
        <div class="legend"><span><i style="background:#ff5c8a"></i>to the previous</span><span><i style="background:#ffb347"></i>to the first</span><span>${pts.length} points</span></div>`;
    }

    const handlers = {
      started(e) {
        note("", `started${e.first_sequence > 0 ? " from #" + e.first_sequence : ""}`, e.at);
      },
      prediction_started(e) {
        const c = card(e.sequence);
        c.className = "card working";
        c.dataset.revision = e.revision;
        c.innerHTML = "";
        const label = el("div", { class: "working-label", text: e.model + " is working… 0 s" });
        c.append(el("div", { class: "media" }, el("div", { class: "spinner" })), label);
        c.append(meta({ sequence: e.sequence, node: e.node, model: e.model, revision: e.revision }));
        const t0 = Date.now();
        timers.set(e.sequence, setInterval(() => {
          label.textContent = e.model + " is working… " + Math.round((Date.now() - t0) / 1000) + " s";
        }, 1000));
      },
      partial_output(e) {
        const c = card(e.sequence);
        let t = c.querySelector(".text.streaming");
        if (!t) {
          c.querySelector(".media")?.remove();
          t = el("div", { class: "text streaming" });
          c.prepend(t);
        }
        t.textContent += e.piece;
      },
      prediction_made: made,
      prediction_failed(e) {
        made(e);
        note("observed", `#${e.prediction.sequence} failed: ${escapeHtml(e.prediction.error.message)}`);
      },
      embedding_failed(e) {
        note("observed", `could not embed #${e.sequence} with ${escapeHtml(e.embedder)}: ${escapeHtml(e.message)}`);
      },
      measured,
      observed(e) {
        const r = e.reason;
        note("observed", `<b>${escapeHtml(r.rule)}</b>: ${escapeHtml(r.message)}`);
        const c = cards.get(r.sequence);
        if (c) {
          let marks = c.querySelector(".marks");
          if (!marks) { marks = el("div", { class: "marks" }); c.insertBefore(marks, c.querySelector(".meta")); }
          marks.append(el("span", { class: "mark", text: r.rule }));
        }
      },
      steered(e) {
        const r = e.revision;
        const what = r.changes.map(describeChange).join("; ");
        note("steered", `<b>rev ${r.number}</b> from #${r.after_sequence + 1}: ${escapeHtml(what)}`, r.at);
        const rev = $("[data-revision]");
        if (rev) rev.textContent = "rev " + r.number;
      },
      branched(e) {
        note("", `branch <a href="/runs/${encodeURIComponent(e.branch_id)}">${escapeHtml(e.branch_id)}</a> goes on from #${e.sequence} at ${escapeHtml(e.to_node)}`);
      },
      branch_skipped(e) {
        note("observed", `no branch from #${e.sequence} to ${escapeHtml(e.to_node)}: ${escapeHtml(e.reason)}`);
      },
      finished(e) {
        setStatus(e.status, true);
        for (const t of timers.values()) clearInterval(t);
        $$(".card.working").forEach((c) => c.remove());
        const box = $("[data-stop-reason]");
        if (e.reason) {
          box.textContent = e.reason.message + " (" + e.reason.rule + ")";
          box.hidden = false;
        }
        note("finished", `<b>${lower(e.status)}</b>${e.reason ? ": " + escapeHtml(e.reason.message) : ""}`, e.at);
        if (body.dataset.hosted === "true") {
          const controls = $("[data-live-controls]");
          if (controls) controls.replaceWith(el("div", { class: "controls" },
            el("button", { class: "btn", "data-action": "resume", text: "Resume" })));
        }
      },
      state(e) {
        setStatus(e.status);
        if (!e.hosted && (e.status === "RUNNING" || e.status === "PAUSED")) {
          // Live in another process: new outputs arrive as they are saved.
        }
      },
      error(e) { toast(e.message, "bad"); },
    };
    follow(handlers);

    body.addEventListener("click", async (ev) => {
      const b = ev.target.closest("[data-action]");
      if (!b) return;
      const action = b.dataset.action;
      b.disabled = true;
      try {
        if (action === "resume") {
          const steps = prompt("How many more outputs?", "12");
          if (steps === null) return;
          const r = await send("POST", `/api/runs/${runId}/resume`, { steps: Number(steps) });
          location.href = r.url;
          return;
        }
        const s = await send("POST", `/api/runs/${runId}/${action}`);
        setStatus(s.status);
        toast(action === "stop" ? "Stopping after the call in flight" : action === "cancel" ? "Cancelled"
          : action === "pause" ? "Paused: no new call starts" : "Going on");
      } catch (err) {
        toast(err.message, "bad");
      } finally {
        b.disabled = false;
      }
    });

    for (const form of $$("[data-steer-node]")) {
      form.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        const node = form.dataset.steerNode;
        const data = { node, model: form.model.value, parameters: form.parameters.value.trim() || null };
        if (form.template) data.template = form.template.value;
        try {
          const r = await send("POST", `/api/runs/${runId}/steer`, data);
          toast(`Revision ${r.revision}: ${node} changed from the next call on`);
        } catch (err) {
          toast(err.message, "bad");
        }
      });
    }
    const inject = $("[data-inject]");
    if (inject) {
      inject.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        try {
          const file = inject.file.files[0];
          const data = file ? { input: await readFile(file) } : { text: inject.text.value };
          const r = await send("POST", `/api/runs/${runId}/inject`, data);
          toast(`Revision ${r.revision}: the next call at ${r.node} gets your input`);
          inject.reset();
        } catch (err) {
          toast(err.message, "bad");
        }
      });
    }
  }

  /** One steering change in words, e.g. painter's template: “a watercolour of {input}”. */
  function describeChange(c) {
    const q = (t) => "“" + t + "”";
    switch (c.change) {
      case "template": return c.node + "'s template: " + (c.template ? q(c.template) : "none");
      case "parameter_template": return c.node + "'s " + c.parameter + ": " + (c.template ? q(c.template) : "none");
      case "parameters": return c.node + "'s parameters: " + JSON.stringify(c.parameters);
      case "model": return c.node + " calls " + c.model;
      case "inject": return "next input" + (c.node ? " for " + c.node : "") + ": "
        + (c.input.modality === "text" ? q(c.input.text) : c.input.modality);
      case "max_steps": return "limit of " + c.steps + " outputs";
      case "max_duration": return "time limit " + c.limit;
      default: return c.change;
    }
  }

  function escapeHtml(s) {
    return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  // ------------------------------------------------------------------ watch: the wall

  function watchPage() {
    const wall = $("#wall");
    const keep = 12;
    wall.append(el("div", { class: "waiting", text: "waiting for the first output…" }));
    function add(p) {
      if (!p.output) return;
      $(".waiting", wall)?.remove();
      const tile = el("div", { class: "tile", "data-seq": p.sequence });
      const v = payloadView(p.output, true);
      tile.append(v.classList.contains("media") ? v.firstChild : v);
      tile.append(el("div", { class: "cap", text: "#" + p.sequence + " · " + p.model }));
      wall.append(tile);
      // The oldest go, except the one the single view is holding on screen.
      const tiles = $$(".tile", wall);
      let extra = tiles.length - keep;
      for (const t of tiles) {
        if (extra <= 0) break;
        if (!t.classList.contains("current")) { t.remove(); extra--; }
      }
      if (!$(".tile.current", wall)) showNewest(true);
    }
    follow({
      prediction_made: (e) => add(e.prediction),
      finished: (e) => setStatus(e.status, true),
      state: (e) => setStatus(e.status),
    });
    // One at a time, each output stays on screen a few seconds however fast the loop goes.
    const hold = 4000;
    let shownAt = 0;
    let mode = "grid";
    function showNewest(force) {
      if (mode !== "single") return;
      const newest = wall.lastElementChild;
      if (!newest || !newest.classList.contains("tile")) return;
      if (!force && Date.now() - shownAt < hold) return;
      $$(".tile.current", wall).forEach((t) => t.classList.remove("current"));
      newest.classList.add("current");
      shownAt = Date.now();
    }
    setInterval(() => showNewest(false), 500);
    function view(next) {
      if (next === "fullscreen") {
        if (document.fullscreenElement) document.exitFullscreen(); else document.documentElement.requestFullscreen?.();
        return;
      }
      mode = next;
      wall.className = "wall " + mode;
      if (mode === "single") showNewest(true);
      else $$(".tile.current", wall).forEach((t) => t.classList.remove("current"));
    }
    $$("[data-view]").forEach((b) => b.addEventListener("click", () => view(b.dataset.view)));
    document.addEventListener("keydown", (e) => {
      if (e.key === "g") view("grid");
      if (e.key === "s") view("single");
      if (e.key === "f") view("fullscreen");
    });
    let hide;
    document.addEventListener("mousemove", () => {
      body.classList.add("show-bar");
      clearTimeout(hide);
      hide = setTimeout(() => body.classList.remove("show-bar"), 2500);
    });
    const asked = new URLSearchParams(location.search).get("view");
    if (asked === "single" || asked === "grid") view(asked);
  }

  // ------------------------------------------------------------------ the visitor's prompt

  function promptPage() {
    const latest = $("#latest");
    follow({
      prediction_made: (e) => {
        const o = e.prediction.output;
        if (!o) return;
        latest.innerHTML = "";
        if (o.modality === "image") latest.append(el("img", { src: o.url, alt: "the latest output" }));
        else if (o.modality === "text") latest.append(el("div", { class: "words", text: o.text }));
      },
    });
    const form = $("#prompt-form");
    if (!form) return;
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const button = $("button", form);
      button.disabled = true;
      try {
        await send("POST", `/api/runs/${runId}/inject`, { text: form.text.value });
        const sent = $("#sent");
        sent.textContent = "Sent! The loop takes your words at its next step. Watch the screen.";
        sent.hidden = false;
        form.reset();
      } catch (err) {
        toast(err.message, "bad");
      } finally {
        setTimeout(() => { button.disabled = false; }, 3000);
      }
    });
  }

  // ------------------------------------------------------------------ new run: a network that fits

  function newPage() {
    const cat = JSON.parse($("#catalogue").textContent);
    const models = [];
    for (const p of cat.platforms) for (const m of p.models) models.push({ ...m, platform: p.id, ready: p.ready, detail: p.detail });
    const byId = new Map(models.map((m) => [m.id, m]));
    const chain = $("#chain");
    const form = $("#new-run");

    const list = $("#platforms");
    for (const p of cat.platforms) {
      list.append(el("li", {}, el("b", { text: p.id + " " }),
        el("span", { class: p.ready ? "ready" : "not-ready", text: p.ready ? "ready" : "not ready: " + p.detail }),
        el("span", { class: "muted", text: " · " + p.models.length + " models" })));
    }
    for (const e of cat.embedders) {
      $("#embedders").append(el("label", { class: "check" },
        el("input", { type: "checkbox", name: "embedder", value: e.id, "data-modalities": e.modalities.join(",") }),
        el("span", { text: e.id + " " }), ...e.modalities.map((m) => el("span", { class: "mod " + m, text: m }))));
    }

    function steps() { return $$("select", chain).map((s) => byId.get(s.value)).filter(Boolean); }

    function options(select, wantedInput, chosen) {
      select.innerHTML = "";
      const groups = new Map();
      for (const m of models) {
        if (!groups.has(m.platform)) {
          const ready = m.ready;
          groups.set(m.platform, el("optgroup", { label: m.platform + (ready ? "" : " (not ready: " + m.detail + ")") }));
        }
        const fits = !wantedInput || m.input === wantedInput;
        const o = el("option", { value: m.id, disabled: !m.ready || !fits, title: m.description,
          text: m.id + "  ·  " + m.input + " → " + m.output });
        if (m.id === chosen) o.selected = true;
        groups.get(m.platform).append(o);
      }
      for (const g of groups.values()) select.append(g);
      if (!chosen || select.selectedOptions[0]?.disabled) {
        const first = $$("option", select).find((o) => !o.disabled);
        if (first) first.selected = true;
      }
    }

    function addStep(chosen) {
      const prev = steps();
      const wanted = prev.length ? prev[prev.length - 1].output : null;
      const li = el("li", { class: "step" });
      const n = el("div", { class: "n" }, el("span", { text: "model " + (chain.children.length + 1) }));
      const remove = el("button", { type: "button", class: "remove", title: "remove this model", text: "×" });
      n.append(remove);
      const select = el("select", { name: "model" });
      options(select, wanted, chosen);
      li.append(n, select, el("div", { class: "mods" }));
      chain.append(li);
      select.addEventListener("change", refresh);
      remove.addEventListener("click", () => { li.remove(); refresh(); });
      refresh();
    }

    function refresh() {
      // Each model must take what the one before gives: later picks that no longer fit are re-chosen.
      const selects = $$("select", chain);
      selects.forEach((s, i) => {
        const prev = i ? byId.get(selects[i - 1].value) : null;
        const keep = s.value;
        options(s, prev ? prev.output : null, keep);
        const m = byId.get(s.value);
        const mods = s.parentElement.querySelector(".mods");
        mods.innerHTML = "";
        if (m) mods.append(el("span", { class: "mod " + m.input, text: m.input }), " → ", el("span", { class: "mod " + m.output, text: m.output }));
        s.parentElement.querySelector(".n span").textContent = "model " + (i + 1);
      });
      const ms = steps();
      const check = $("#loop-check");
      const start = $("#start");
      if (!ms.length) {
        check.className = "loop-check bad";
        check.textContent = "pick at least one model";
        start.disabled = true;
        return;
      }
      const first = ms[0], last = ms[ms.length - 1];
      const closes = last.output === first.input;
      check.className = "loop-check " + (closes ? "ok" : "bad");
      check.textContent = closes ? "↺ the loop closes: " + last.id + " feeds " + first.id
        : "the loop does not close: " + last.id + " gives " + last.output + " but " + first.id + " takes " + first.input;
      start.disabled = !closes;
      $("#input-text").hidden = first.input !== "text";
      $("#input-file").hidden = first.input === "text";
      $("#input-file-hint").textContent = first.input !== "text" ? first.id + " takes " + first.input + ": upload a file" : "";
      const fileInput = $("input[name=file]", form);
      fileInput.accept = first.input === "image" ? "image/*" : first.input === "audio" ? "audio/*" : "";
      const outputs = new Set(ms.map((m) => m.output));
      const boxes = $$("input[name=embedder]");
      const covered = new Set();
      for (const b of boxes) {
        if (b.dataset.touched) continue;
        const mods = b.dataset.modalities.split(",");
        const useful = mods.find((m) => outputs.has(m) && !covered.has(m));
        b.checked = Boolean(useful);
        if (useful) mods.forEach((m) => covered.add(m));
      }
    }
    $$("input[name=embedder]").forEach((b) => b.addEventListener("change", () => { b.dataset.touched = "1"; }));

    $("#add-step").addEventListener("click", () => addStep());
    const painter = byId.get("sim:painter"), describer = byId.get("sim:describer");
    if (painter && describer) { addStep(painter.id); addStep(describer.id); } else addStep();

    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const start = $("#start");
      start.disabled = true;
      try {
        const ms = steps();
        const data = {
          network: ms.map((m) => m.id),
          max_steps: form.max_steps.value,
          max_minutes: form.max_minutes.value ? Number(form.max_minutes.value) : 0,
          pace_ms: form.pace_ms.value,
          forever: form.forever.checked,
          exact_repeat: form.exact_repeat.value,
          fixed_point: form.fixed_point.value,
          cycle: form.cycle.value,
          drift: form.drift.value,
          embedders: $$("input[name=embedder]:checked").map((b) => b.value),
        };
        if (ms[0].input === "text") data.prompt = form.prompt.value;
        else {
          const file = $("input[name=file]", form).files[0];
          if (!file) throw new Error(ms[0].id + " takes " + ms[0].input + ": choose a file to start from");
          data.input = await readFile(file);
        }
        const r = await send("POST", "/api/runs", data);
        location.href = r.url;
      } catch (err) {
        toast(err.message, "bad");
        start.disabled = false;
      }
    });
  }

  // ------------------------------------------------------------------ the list of runs

  function runsPage() {
    const dialog = $("#fork-dialog");
    let forking = null;
    $("#runs")?.addEventListener("click", async (ev) => {
      const b = ev.target.closest("[data-action]");
      if (!b) return;
      const row = b.closest("[data-run]");
      const id = row.dataset.run;
      const action = b.dataset.action;
      try {
        if (action === "delete") {
          const kids = Number(row.dataset.children || 0);
          const question = kids > 0
            ? `Run ${id} has ${kids} fork(s) that share its outputs. Delete it together with them?`
            : `Delete run ${id} and everything it saved?`;
          if (!confirm(question)) return;
          const r = await send("DELETE", `/api/runs/${encodeURIComponent(id)}${kids > 0 ? "?subtree=true" : ""}`);
          toast(r.message);
          for (const gone of r.deleted) document.querySelector(`[data-run="${CSS.escape(gone)}"]`)?.remove();
        } else if (action === "resume") {
          const steps = prompt(`Resume ${id}: how many more outputs?`, "12");
          if (steps === null) return;
          const r = await send("POST", `/api/runs/${encodeURIComponent(id)}/resume`, { steps: Number(steps) });
          location.href = r.url;
        } else if (action === "fork") {
          forking = id;
          $("[data-fork-run]", dialog).textContent = id;
          dialog.querySelector("[name=at]").value = row.dataset.last;
          dialog.querySelector("[name=at]").max = row.dataset.last;
          dialog.showModal();
        }
      } catch (err) {
        toast(err.message, "bad");
      }
    });
    dialog?.addEventListener("close", async () => {
      if (dialog.returnValue !== "ok" || !forking) return;
      const f = $("#fork-form");
      try {
        const r = await send("POST", `/api/runs/${encodeURIComponent(forking)}/fork`,
          { at: Number(f.at.value), steps: Number(f.steps.value), input: f.input.value || null });
        location.href = r.url;
      } catch (err) {
        toast(err.message, "bad");
      }
    });
  }

  ({ run: runPage, watch: watchPage, prompt: promptPage, new: newPage, runs: runsPage }[page] || (() => {}))();
})();
