// The Sluice console: plain browser JS, no framework, no build step, nothing loaded from elsewhere.
// It reads the control token from its own URL (/_sluice/console/<token>/) and calls the control API
// (docs/console.md) with it. The server's CSP forbids inline scripts and styles, so everything here
// builds DOM nodes and sets element.style only from script.

const TOKEN = decodeURIComponent(location.pathname.split("/")[3] ?? "");
/** The server's page size for the list; "Load more" fetches the next page. */
const PAGE = 200;
const SVG_NS = "http://www.w3.org/2000/svg";

const $ = (id) => document.getElementById(id);

const state = {
  traces: [], // newest first, as loaded (TraceSummary[])
  byId: new Map(),
  exhausted: false,
  after: 0, // the newest hop seq seen: the cursor for /changes
  filterToken: 0, // bumps on every filter change so a stale answer is dropped
  openTraceId: undefined,
  timeline: undefined,
  selectedHop: undefined,
  resources: new Set(),
};

// ---------------------------------------------------------------- the control API

class ApiError extends Error {}

async function api(path, body) {
  const init = { headers: { authorization: `Bearer ${TOKEN}` }, cache: "no-store" };
  if (body !== undefined) {
    init.method = "POST";
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(`/_sluice${path}`, init);
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const message =
      data && typeof data.message === "string" ? data.message : `${res.status} ${res.statusText}`;
    throw new ApiError(data?.code ? `${data.code}: ${message}` : message);
  }
  return data;
}

// ---------------------------------------------------------------- small helpers

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("data-") || key.startsWith("aria-") || key === "role" || key === "tabindex")
      node.setAttribute(key, String(value));
    else node[key] = value;
  }
  for (const child of children) if (child !== undefined) node.append(child);
  return node;
}

function fmtTime(ms) {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString().replace("T", " ").slice(0, 23);
}

function fmtDuration(ms) {
  if (ms === undefined || ms === null) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

function prettyJson(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

const UNITS = {
  ms: 1,
  millisecond: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
};

/** "90 seconds", "5 minutes", "2h", "1500" (ms) → ms; undefined when it is not a duration. */
export function parseDuration(text) {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = match[2].toLowerCase().replace(/s$/, "") || "ms";
  const factor = UNITS[unit] ?? UNITS[`${unit}s`];
  if (factor === undefined) return undefined;
  return Math.round(Number(match[1]) * factor);
}

/** Results and errors of actions, in the aria-live region (newest first, a few kept). */
function announce(text, isError = false) {
  const list = $("results-list");
  const item = el("li", { class: isError ? "error" : "ok", text: `${isError ? "Error: " : ""}${text}` });
  list.prepend(item);
  while (list.children.length > 20) list.lastElementChild.remove();
}

// ---------------------------------------------------------------- the graph and its counters

async function loadGraph() {
  const box = $("graph");
  try {
    const res = await fetch("graph.svg", { cache: "no-store" });
    if (!res.ok) throw new Error(`${res.status}`);
    const doc = new DOMParser().parseFromString(await res.text(), "image/svg+xml");
    const svg = doc.documentElement;
    if (svg.nodeName !== "svg") throw new Error("not an SVG drawing");
    // Only the drawing: nothing that could run or load anything.
    for (const bad of svg.querySelectorAll("script, foreignObject, style")) bad.remove();
    for (const node of svg.querySelectorAll("*"))
      for (const attr of [...node.attributes]) if (/^on/i.test(attr.name)) node.removeAttribute(attr.name);
    box.replaceChildren(document.importNode(svg, true));
    for (const node of box.querySelectorAll("[data-resource]"))
      state.resources.add(node.getAttribute("data-resource"));
  } catch (error) {
    box.replaceChildren(el("p", { class: "empty", text: `No app graph (${error.message}).` }));
  }
}

function counterLine(c) {
  const parts = [];
  if (c.invocations !== undefined) parts.push(`${c.invocations} inv`);
  if (c.errors) parts.push(`${c.errors} err`);
  if (c.depth !== undefined) parts.push(`${c.depth} queued`);
  if (c.inFlight) parts.push(`${c.inFlight} in flight`);
  if (c.dlqDepth) parts.push(`${c.dlqDepth} in DLQ`);
  if (c.iteratorAgeMs !== undefined) parts.push(`age ${fmtDuration(c.iteratorAgeMs)}`);
  return parts.join(" · ");
}

function renderCounters(counters) {
  const body = $("counters-body");
  const rows = document.createDocumentFragment();
  const cell = (value) => el("td", { text: value === undefined ? "–" : String(value) });
  for (const c of counters) {
    state.resources.add(c.resource);
    rows.append(
      el(
        "tr",
        { "data-resource": c.resource },
        el("th", { scope: "row", text: c.resource }),
        cell(c.invocations),
        cell(c.errors),
        cell(c.depth),
        cell(c.inFlight),
        cell(c.dlqDepth),
        cell(c.iteratorAgeMs === undefined ? undefined : fmtDuration(c.iteratorAgeMs)),
      ),
    );
  }
  body.replaceChildren(rows);
  const byResource = new Map(counters.map((c) => [c.resource, c]));
  for (const node of $("graph").querySelectorAll("[data-resource]")) {
    const c = byResource.get(node.getAttribute("data-resource"));
    let text = node.querySelector("text.counter");
    const line = c ? counterLine(c) : "";
    if (!text) {
      text = document.createElementNS(SVG_NS, "text");
      text.setAttribute("class", "counter");
      const rect = node.querySelector("rect");
      const height = rect ? Number(rect.getAttribute("height")) || 56 : 56;
      text.setAttribute("x", "12");
      text.setAttribute("y", String(height + 12));
      node.append(text);
    }
    text.textContent = line;
    node.classList.toggle("has-errors", Boolean(c && (c.errors || c.dlqDepth)));
  }
}

let countersTimer;
let countersRunning = false;
function refreshCounters(soon = true) {
  if (countersTimer) return;
  countersTimer = setTimeout(
    async () => {
      countersTimer = undefined;
      if (countersRunning) return refreshCounters();
      countersRunning = true;
      try {
        renderCounters(await api("/counters"));
      } catch {
        // The next change or tick tries again.
      } finally {
        countersRunning = false;
      }
    },
    soon ? 50 : 250,
  );
}

// ---------------------------------------------------------------- the trace list

async function clockNow() {
  const { now } = await api("/time");
  $("app-clock").textContent = `clock ${fmtTime(now)}`;
  return now;
}

async function traceQuery(extra = {}) {
  const params = new URLSearchParams();
  const resource = $("filter-resource").value;
  if (resource) params.set("resource", resource);
  if ($("filter-outcome").value === "failed") params.set("failed", "1");
  const window = $("filter-time").value;
  if (window !== "all") params.set("since", String((await clockNow()) - Number(window)));
  for (const [key, value] of Object.entries(extra)) params.set(key, String(value));
  if (!params.has("limit")) params.set("limit", String(PAGE));
  return `/traces?${params}`;
}

function outcomeCell(outcome) {
  return el(
    "td",
    { class: `outcome outcome-${outcome}` },
    el("span", { class: "badge", text: outcome === "error" ? "failed" : "ok" }),
  );
}

function traceRow(t) {
  return el(
    "tr",
    {
      tabindex: 0,
      "data-trace": t.traceId,
      "aria-current": t.traceId === state.openTraceId ? "true" : undefined,
      class: t.outcome === "error" ? "failed" : undefined,
    },
    el("td", {}, el("time", { text: fmtTime(t.startMs) })),
    el("td", { text: `${t.source} → ${t.target}` }),
    el("td", { class: "num", text: String(t.hops) }),
    el("td", { class: "num", text: fmtDuration(t.durationMs) }),
    outcomeCell(t.outcome),
  );
}

/** Rows are rebuilt only for traces whose summary changed; the rest are moved, not recreated. */
const rowCache = new Map();
function renderTraces() {
  const body = $("traces-body");
  const frag = document.createDocumentFragment();
  const keep = new Set();
  for (const t of state.traces) {
    const key = `${t.traceId}`;
    const cached = rowCache.get(key);
    let row;
    if (cached && cached.lastSeq === t.lastSeq && cached.open === (t.traceId === state.openTraceId))
      row = cached.row;
    else {
      row = traceRow(t);
      rowCache.set(key, { row, lastSeq: t.lastSeq, open: t.traceId === state.openTraceId });
    }
    keep.add(key);
    frag.append(row);
  }
  for (const key of rowCache.keys()) if (!keep.has(key)) rowCache.delete(key);
  const focused = document.activeElement?.closest?.("tr[data-trace]")?.getAttribute("data-trace");
  body.replaceChildren(frag);
  if (focused) rowCache.get(focused)?.row.focus({ preventScroll: true });
  $("traces-count").textContent =
    state.traces.length === 0
      ? "No traces match."
      : `${state.traces.length} trace${state.traces.length === 1 ? "" : "s"} shown`;
  $("load-more").hidden = state.exhausted || state.traces.length === 0;
}

function setTraces(list, exhausted) {
  state.traces = list;
  state.byId = new Map(list.map((t) => [t.traceId, t]));
  state.exhausted = exhausted;
  for (const t of list) if (t.lastSeq > state.after) state.after = t.lastSeq;
  renderTraces();
  document.body.setAttribute("data-listed", "true");
}

async function loadTraces() {
  const mine = ++state.filterToken;
  document.body.setAttribute("data-loading", "traces");
  try {
    const list = await api(await traceQuery());
    if (mine !== state.filterToken) return;
    setTraces(list, list.length < PAGE);
  } catch (error) {
    if (mine === state.filterToken) announce(`listing traces: ${error.message}`, true);
  } finally {
    if (mine === state.filterToken) document.body.setAttribute("data-loading", "");
  }
}

async function loadMore() {
  const oldest = state.traces[state.traces.length - 1];
  if (!oldest) return;
  const mine = state.filterToken;
  // `until` is exclusive: ask from the oldest's start (+1 ms, for traces that started in the same
  // millisecond) and drop the ones already shown.
  const more = await api(await traceQuery({ until: oldest.startMs + 1 }));
  if (mine !== state.filterToken) return;
  const fresh = more.filter((t) => !state.byId.has(t.traceId));
  setTraces([...state.traces, ...fresh], fresh.length === 0 || more.length < PAGE);
}

function byNewest(a, b) {
  return b.startMs - a.startMs || (a.traceId < b.traceId ? 1 : -1);
}

/** Traces with hops newer than `since`, as the filters see them, merged into the list. */
async function mergeChanged(since) {
  const mine = state.filterToken;
  const changed = await api(await traceQuery({ after: since, limit: 1000 }));
  if (mine !== state.filterToken || changed.length === 0) return;
  const merged = new Map(state.byId);
  for (const t of changed) merged.set(t.traceId, t);
  let list = [...merged.values()].sort(byNewest);
  // Keep the page's length bound: new traces push the oldest past "load more".
  const limit = Math.max(PAGE, state.traces.length);
  if (list.length > limit) {
    list = list.slice(0, limit);
    state.exhausted = false;
  }
  setTraces(list, state.exhausted);
  if (state.openTraceId && changed.some((t) => t.traceId === state.openTraceId))
    openTrace(state.openTraceId, false);
}

async function followChanges() {
  $("live-state").textContent = "live";
  for (;;) {
    const since = state.after;
    try {
      const answer = await api(`/changes?after=${since}`);
      const hops = Array.isArray(answer?.hops) ? answer.hops : [];
      // `seq` is the cursor the answer accounts for (the newest of its hops, at most 500 of them).
      let newest = typeof answer?.seq === "number" ? answer.seq : since;
      for (const hop of hops) if (hop.seq > newest) newest = hop.seq;
      state.after = Math.max(state.after, newest);
      if (hops.length > 0) {
        refreshCounters();
        await mergeChanged(since);
      }
      $("live-state").textContent = "live";
    } catch (error) {
      $("live-state").textContent = `reconnecting (${error.message})`;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

// ---------------------------------------------------------------- one trace as a timeline

const FAILED = new Set(["error", "timeout", "throttled", "dropped"]);

function laneOf(hop) {
  return hop.kind === "request" || hop.kind === "match" || hop.kind === "schedule" ? hop.source : hop.target;
}

async function openTrace(traceId, focus = true) {
  try {
    const timeline = await api(`/trace?id=${encodeURIComponent(traceId)}`);
    state.openTraceId = traceId;
    state.timeline = timeline;
    renderTimeline(timeline);
    renderTraces();
    if (focus) $("trace-heading").focus();
  } catch (error) {
    announce(`opening trace ${traceId}: ${error.message}`, true);
  }
}

function renderTimeline(timeline) {
  const hops = [...timeline.hops].sort((a, b) => a.startMs - b.startMs || a.seq - b.seq);
  const t0 = hops.length ? Math.min(...hops.map((h) => h.startMs)) : 0;
  const t1 = hops.length ? Math.max(...hops.map((h) => h.startMs + h.durationMs)) : 0;
  const span = Math.max(t1 - t0, 1);
  const failed = hops.filter((h) => FAILED.has(h.outcome) || h.kind === "dead-letter").length;
  $("trace-heading").textContent = `Trace ${timeline.traceId}`;
  $("trace-summary").className = "";
  $("trace-summary").textContent =
    `${hops.length} hop${hops.length === 1 ? "" : "s"} over ${fmtDuration(t1 - t0)}, from ${fmtTime(t0)}${failed ? `; ${failed} failed` : ""}.`;

  const lanes = new Map();
  for (const hop of hops) {
    const lane = laneOf(hop);
    if (!lanes.has(lane)) lanes.set(lane, []);
    lanes.get(lane).push(hop);
  }
  const frag = document.createDocumentFragment();
  const axis = el(
    "div",
    { class: "axis", "aria-hidden": "true" },
    el("span", { text: "0" }),
    el("span", { text: fmtDuration(span) }),
  );
  frag.append(axis);
  for (const [lane, laneHops] of lanes) {
    const list = el("ul", { class: "lane-hops" });
    for (const hop of laneHops) {
      const bad = FAILED.has(hop.outcome) || hop.kind === "dead-letter";
      const label = `${hop.kind}${hop.attempt > 1 ? ` (attempt ${hop.attempt})` : ""} ${hop.source} → ${hop.target}: ${hop.outcome}, ${fmtDuration(hop.durationMs)} at +${fmtDuration(hop.startMs - t0)}`;
      const bar = el("span", {
        class: `bar outcome-${hop.outcome}${bad ? " bad" : ""}`,
        "aria-hidden": "true",
      });
      bar.style.left = `${((hop.startMs - t0) / span) * 100}%`;
      bar.style.width = `max(3px, ${(hop.durationMs / span) * 100}%)`;
      const button = el(
        "button",
        {
          type: "button",
          class: "hop",
          "data-hop": hop.hopId,
          "aria-pressed": state.selectedHop?.hopId === hop.hopId ? "true" : "false",
          "aria-label": label,
        },
        el(
          "span",
          { class: "hop-text" },
          el("span", { class: "hop-kind", text: hop.kind }),
          el("span", { class: `outcome-text outcome-${hop.outcome}`, text: hop.outcome }),
          el("span", { class: "dur", text: fmtDuration(hop.durationMs) }),
        ),
        el("span", { class: "track", "aria-hidden": "true" }, bar),
      );
      list.append(el("li", {}, button));
    }
    frag.append(
      el(
        "div",
        { class: "lane", role: "group", "aria-label": `Lane ${lane}` },
        el("h3", { class: "lane-name", text: lane }),
        list,
      ),
    );
  }
  $("timeline").replaceChildren(frag);
  const still = state.selectedHop && hops.find((h) => h.hopId === state.selectedHop.hopId);
  if (still) selectHop(still, false);
  else {
    state.selectedHop = undefined;
    $("hop-detail").hidden = true;
  }
}

function selectHop(hop, announceIt = true) {
  state.selectedHop = hop;
  for (const b of $("timeline").querySelectorAll("button.hop"))
    b.setAttribute("aria-pressed", b.getAttribute("data-hop") === hop.hopId ? "true" : "false");
  $("hop-detail").hidden = false;
  $("hop-heading").textContent = `Hop ${hop.kind}: ${hop.source} → ${hop.target}`;
  const facts = [
    ["Outcome", hop.outcome],
    ["Started", fmtTime(hop.startMs)],
    ["Duration", fmtDuration(hop.durationMs)],
    ["Attempt", String(hop.attempt)],
    ["Hop id", hop.hopId],
    ["Request id", hop.requestId],
    ["Detail", hop.detail],
    ["Payload", hop.truncated ? "truncated (cannot be replayed)" : undefined],
  ];
  const dl = document.createDocumentFragment();
  for (const [name, value] of facts)
    if (value !== undefined && value !== "") dl.append(el("dt", { text: name }), el("dd", { text: value }));
  $("hop-facts").replaceChildren(dl);
  $("hop-payload").textContent = prettyJson(hop.payload ?? "");
  const logs = (hop.requestId && state.timeline?.logs?.[hop.requestId]) || [];
  $("hop-logs").textContent = logs.length
    ? logs.map((l) => `${fmtTime(l.timestamp)}  ${l.text}`).join("\n")
    : "(no log lines)";
  $("replay-hop").disabled = Boolean(hop.truncated);
  $("edit-in-invoke").disabled = false;
  if (announceIt) prefillInvoke(hop, false);
}

/** The invoke form's payload editor starts from the selected hop's payload. */
function prefillInvoke(hop, focus) {
  $("invoke-payload").value = prettyJson(hop.payload ?? "");
  const fn = /^function:(.+)$/.exec(hop.target)?.[1];
  if (fn && [...$("invoke-function").options].some((o) => o.value === fn)) $("invoke-function").value = fn;
  if (focus) $("invoke-payload").focus();
}

// ---------------------------------------------------------------- actions

function fillSelect(select, values, label = (v) => v) {
  const current = select.value;
  select.replaceChildren(...values.map((v) => el("option", { value: v, text: label(v) })));
  // None: an empty choice, which the select's `required` refuses with the browser's own message.
  if (values.length === 0) select.append(el("option", { value: "", text: "(none in this app)" }));
  if (values.includes(current)) select.value = current;
}

async function loadLists() {
  const [functions, queues, schedules] = await Promise.all([
    api("/functions").catch(() => []),
    api("/queues").catch(() => []),
    api("/schedules?count=1").catch(() => []),
  ]);
  const fnNames = functions.map((f) => f.name ?? f.functionName).filter(Boolean);
  fillSelect($("invoke-function"), fnNames);
  const queueNames = queues.map((q) => q.name);
  const queueLabel = new Map(queues.map((q) => [q.name, `${q.name} (${q.visible} visible)`]));
  for (const id of ["send-queue", "purge-queue"])
    fillSelect($(id), queueNames, (n) => queueLabel.get(n) ?? n);
  // Dead-letter queues first: the ones a redrive is for.
  const dlqs = queueNames.filter((n) => /dlq|dead/i.test(n));
  fillSelect(
    $("redrive-queue"),
    [...dlqs, ...queueNames.filter((n) => !dlqs.includes(n))],
    (n) => queueLabel.get(n) ?? n,
  );
  fillSelect(
    $("schedule-name"),
    schedules.map((s) => s.name),
  );
  for (const f of fnNames) state.resources.add(`function:${f}`);
  for (const q of queueNames) state.resources.add(`queue:${q}`);
  for (const s of schedules) state.resources.add(`schedule:${s.name}`);
  renderResourceOptions();
}

/** The resource filter and the bus names, from every resource the graph, counters and lists named. */
function renderResourceOptions() {
  const buses = [...state.resources].filter((r) => r.startsWith("bus:")).map((r) => r.slice(4));
  $("bus-names").replaceChildren(...buses.map((b) => el("option", { value: b })));
  const resourceSelect = $("filter-resource");
  const chosen = resourceSelect.value;
  resourceSelect.replaceChildren(
    el("option", { value: "", text: "All resources" }),
    ...[...state.resources].sort().map((r) => el("option", { value: r, text: r })),
  );
  resourceSelect.value = chosen;
}

async function loadFailover() {
  try {
    // Ask /failover only where it answers (a multi-region dev), so a one-region page logs no 400.
    const health = await api("/health");
    if (!health?.drills) throw new ApiError("no drills here");
    const report = await api("/failover");
    // Failing a region means something only where another one takes over.
    if ((report.regions ?? []).length < 2) throw new ApiError("one region");
    fillSelect($("failover-region"), report.regions ?? []);
    $("failover-state").textContent = report.outages?.length
      ? `Outage now: ${report.outages.join(", ")}`
      : "Every region is up.";
    $("failover-form").hidden = false;
  } catch {
    $("failover-form").hidden = true;
  }
}

/** Runs an action: its result or error goes to the live region, then the views catch up. */
async function act(form, run) {
  const buttons = form.querySelectorAll("button");
  for (const b of buttons) b.disabled = true;
  try {
    announce(await run());
  } catch (error) {
    announce(error.message, true);
  } finally {
    for (const b of buttons) b.disabled = false;
    refreshCounters();
    loadLists().catch(() => {});
  }
}

function jsonText(text, what) {
  try {
    JSON.parse(text);
  } catch {
    throw new ApiError(`${what} is not valid JSON`);
  }
  return text;
}

function onSubmit(id, run) {
  $(id).addEventListener("submit", (event) => {
    event.preventDefault();
    act(event.currentTarget, () => run(event.currentTarget, event.submitter));
  });
}

function wireActions() {
  onSubmit("send-form", async () => {
    const queue = $("send-queue").value;
    const result = await api("/send", { queue, body: $("send-body").value });
    return `Sent message ${result?.messageId ?? ""} to ${queue}.`;
  });
  onSubmit("event-form", async () => {
    const body = {
      bus: $("event-bus").value,
      source: $("event-source").value,
      detailType: $("event-detail-type").value,
      detail: jsonText($("event-detail").value, "The detail"),
    };
    const result = await api("/put-event", body);
    return `Put event ${result?.eventId ?? ""} on ${body.bus}.`;
  });
  onSubmit("invoke-form", async () => {
    const fn = $("invoke-function").value;
    const result = await api("/invoke", {
      function: fn,
      payload: $("invoke-payload").value,
      async: $("invoke-async").checked,
    });
    if (result.async) return `Queued an asynchronous invocation of ${fn} (${result.requestId}).`;
    return `${fn} answered ${result.statusCode}${result.functionError ? ` with ${result.functionError}` : ""}: ${result.payload}`;
  });
  onSubmit("redrive-form", async () => {
    const queue = $("redrive-queue").value;
    const result = await api("/redrive", { queue });
    return `Redrove ${result.moved} message${result.moved === 1 ? "" : "s"} from ${queue}.`;
  });
  onSubmit("purge-form", async () => {
    const queue = $("purge-queue").value;
    if (!confirm(`Delete every message in ${queue}? This cannot be undone.`))
      return `Purge of ${queue} cancelled.`;
    const result = await api("/purge", { queue });
    return `Purged ${queue}${result?.purged !== undefined ? ` (${result.purged} messages)` : ""}.`;
  });
  onSubmit("advance-form", async () => {
    const ms = parseDuration($("advance-duration").value);
    if (ms === undefined || ms <= 0)
      throw new ApiError(
        `"${$("advance-duration").value}" is not a duration such as "30 seconds" or "5 minutes"`,
      );
    const result = await api("/time/advance", { ms });
    $("app-clock").textContent = `clock ${fmtTime(result.now)}`;
    return `Advanced the clock by ${fmtDuration(ms)} to ${fmtTime(result.now)}.`;
  });
  onSubmit("schedule-form", async () => {
    const schedule = $("schedule-name").value;
    const result = await api("/schedules/trigger", { schedule });
    return `Triggered ${schedule}${result?.traceId ? ` (trace ${result.traceId})` : ""}.`;
  });
  onSubmit("failover-form", async (_form, submitter) => {
    const op = submitter?.value === "heal" ? "heal" : "fail";
    const region = $("failover-region").value;
    await api(`/failover/${op}`, { kind: "region", region });
    await loadFailover();
    return op === "fail" ? `Failed region ${region}.` : `Healed region ${region}.`;
  });
  $("replay-hop").addEventListener("click", () => {
    const hop = state.selectedHop;
    if (!hop) return;
    act($("hop-detail"), async () => {
      const result = await api("/replay", { traceId: hop.traceId, hopId: hop.hopId });
      return `Replayed hop ${hop.hopId} as trace ${result.traceId}.`;
    });
  });
  $("edit-in-invoke").addEventListener(
    "click",
    () => state.selectedHop && prefillInvoke(state.selectedHop, true),
  );
}

// ---------------------------------------------------------------- wiring

function wireList() {
  const body = $("traces-body");
  const open = (row) => row && openTrace(row.getAttribute("data-trace"));
  body.addEventListener("click", (event) => open(event.target.closest("tr[data-trace]")));
  body.addEventListener("keydown", (event) => {
    const row = event.target.closest("tr[data-trace]");
    if (!row) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      open(row);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      (event.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling)?.focus();
    }
  });
  $("trace-filters").addEventListener("change", () => loadTraces());
  $("trace-filters").addEventListener("submit", (event) => {
    event.preventDefault();
    loadTraces();
  });
  $("load-more").addEventListener("click", () =>
    loadMore().catch((error) => announce(`loading more: ${error.message}`, true)),
  );
  $("timeline").addEventListener("click", (event) => {
    const button = event.target.closest("button.hop");
    const hop = button && state.timeline?.hops.find((h) => h.hopId === button.getAttribute("data-hop"));
    if (hop) selectHop(hop);
  });
}

async function start() {
  wireList();
  wireActions();
  // Everything at once: the list does not wait for the graph, nor the forms for the list.
  const drawn = Promise.all([loadGraph(), api("/counters").catch(() => [])]).then(([, counters]) =>
    renderCounters(counters),
  );
  await Promise.all([loadTraces(), loadLists(), loadFailover(), drawn, clockNow().catch(() => {})]);
  renderResourceOptions(); // the graph and the counters name resources too
  document.body.setAttribute("data-ready", "true");
  setInterval(() => {
    refreshCounters(false);
    clockNow().catch(() => {});
  }, 5000);
  followChanges();
}

start().catch((error) => announce(`starting the console: ${error.message}`, true));
