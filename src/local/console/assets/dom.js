// Small helpers of the page: DOM nodes built from script (the CSP forbids inline script and
// style; wire data only ever goes in as text), the formats of times and durations, and the
// results list. Also the page's shared state.

export const SVG_NS = "http://www.w3.org/2000/svg";
/** The server's page size for the list; "Load more" fetches the next page. */
export const PAGE = 200;

export const $ = (id) => document.getElementById(id);

export const state = {
  traces: [], // newest first, as loaded (TraceSummary[])
  byId: new Map(),
  exhausted: false,
  after: 0, // the newest hop seq seen: the cursor for /changes
  filterToken: 0, // bumps on every filter change so a stale answer is dropped
  openTraceId: undefined,
  wantedTraceId: undefined, // the trace last asked for (openTrace), shown once its answer comes
  traceRequest: 0, // bumps on every openTrace so an older answer is dropped
  focusWanted: false, // the wanted trace's heading takes the focus when it opens
  tracesOpening: 0, // openTrace answers still on their way (the body's data-opening)
  timeline: undefined,
  selectedHop: undefined,
  resources: new Set(),
};

export function el(tag, attrs = {}, ...children) {
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

export function fmtTime(ms) {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString().replace("T", " ").slice(0, 23);
}

export function fmtDuration(ms) {
  if (ms === undefined || ms === null) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function prettyJson(text) {
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
export function announce(text, isError = false) {
  const list = $("results-list");
  const item = el("li", { class: isError ? "error" : "ok", text: `${isError ? "Error: " : ""}${text}` });
  list.prepend(item);
  while (list.children.length > 20) list.lastElementChild.remove();
}
