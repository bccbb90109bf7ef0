// The trace list: filters, paging, and the live updates (the long poll of /changes).
import { api } from "./api.js";
import { $, announce, el, fmtDuration, fmtTime, PAGE, state } from "./dom.js";
import { refreshCounters } from "./graph.js";
import { openTrace, selectHop } from "./timeline.js";

export async function clockNow() {
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
export function renderTraces() {
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
  renderTraces();
  document.body.setAttribute("data-listed", "true");
}

export async function loadTraces() {
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
  // The trace last asked for, which may still be on its way: refreshing the one shown before it
  // would replace the user's choice.
  const wanted = state.wantedTraceId;
  if (wanted && changed.some((t) => t.traceId === wanted)) openTrace(wanted, false);
}

/**
 * The live cursor, taken before the list loads so nothing recorded meanwhile is missed. It comes
 * from /changes only (the primary region's hop numbers), never from a listed trace's `lastSeq`,
 * which in a multi-region dev may count another region's hops. A cursor beyond the newest hop is
 * answered at once with the store's newest seq.
 */
export async function takeCursor() {
  const answer = await api(`/changes?after=${Number.MAX_SAFE_INTEGER}`);
  if (typeof answer?.seq === "number") state.after = answer.seq;
}

export async function followChanges() {
  $("live-state").textContent = "live";
  for (;;) {
    const since = state.after;
    try {
      const answer = await api(`/changes?after=${since}`);
      const hops = Array.isArray(answer?.hops) ? answer.hops : [];
      // `seq` is the cursor the answer accounts for (the newest of its hops, at most 500 of them).
      let newest = typeof answer?.seq === "number" ? answer.seq : since;
      for (const hop of hops) if (hop.seq > newest) newest = hop.seq;
      // The server's cursor is taken as it is, even when lower: a store started over (its state
      // folder reset) answers a cursor beyond its newest hop with its own at once, and keeping
      // the higher one would ask again and again without waiting.
      state.after = newest;
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

export function wireList() {
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
