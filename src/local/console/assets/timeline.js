// One trace as a timeline: a lane per resource, a bar per hop, and the selected hop's details.
import { api } from "./api.js";
import { $, announce, el, fmtDuration, fmtTime, prettyJson, state } from "./dom.js";
import { renderTraces } from "./list.js";

const FAILED = new Set(["error", "timeout", "throttled", "dropped"]);

function laneOf(hop) {
  return hop.kind === "request" || hop.kind === "match" || hop.kind === "schedule" ? hop.source : hop.target;
}

/**
 * Opens `traceId` (a click, Enter, or a live refresh of the open trace). Answers can arrive out
 * of order, so only the newest request's answer is shown; a trace the user asked for stays the
 * one wanted (a live refresh asks for it again, not for the trace open before), and the focus it
 * asked for goes with whichever of its requests answers last.
 */
export async function openTrace(traceId, focus = true) {
  if (traceId !== state.wantedTraceId) state.focusWanted = false;
  state.wantedTraceId = traceId;
  state.focusWanted ||= focus;
  const mine = ++state.traceRequest;
  // How many answers are still on their way, for whoever waits for the page to settle (tests).
  document.body.setAttribute("data-opening", String(++state.tracesOpening));
  try {
    const timeline = await api(`/trace?id=${encodeURIComponent(traceId)}`);
    if (mine !== state.traceRequest) return;
    state.openTraceId = traceId;
    state.timeline = timeline;
    renderTimeline(timeline);
    renderTraces();
    if (state.focusWanted) $("trace-heading").focus();
    state.focusWanted = false;
  } catch (error) {
    if (mine === state.traceRequest) announce(`opening trace ${traceId}: ${error.message}`, true);
  } finally {
    document.body.setAttribute("data-opening", String(--state.tracesOpening));
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

export function selectHop(hop, announceIt = true) {
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
export function prefillInvoke(hop, focus) {
  $("invoke-payload").value = prettyJson(hop.payload ?? "");
  const fn = /^function:(.+)$/.exec(hop.target)?.[1];
  if (fn && [...$("invoke-function").options].some((o) => o.value === fn)) $("invoke-function").value = fn;
  if (focus) $("invoke-payload").focus();
}
