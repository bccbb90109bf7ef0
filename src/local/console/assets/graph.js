// The app graph (the server's SVG drawing of the definition) and its counters overlay.
import { api } from "./api.js";
import { $, el, fmtDuration, SVG_NS, state } from "./dom.js";

export async function loadGraph() {
  const box = $("graph");
  try {
    const res = await fetch("graph.svg", { cache: "no-store" });
    if (!res.ok) throw new Error(`${res.status}`);
    const doc = new DOMParser().parseFromString(await res.text(), "image/svg+xml");
    const svg = doc.documentElement;
    if (svg.nodeName !== "svg") throw new Error("not an SVG drawing");
    // Only the drawing: nothing that could run, load or link anything. The SVG is describe's,
    // which escapes every name from the definition; this is the second line, with the CSP.
    const active = "script, foreignObject, style, a, use, image, iframe, animate, set, animateMotion";
    for (const bad of svg.querySelectorAll(active)) bad.remove();
    for (const node of svg.querySelectorAll("*"))
      for (const attr of [...node.attributes])
        if (/^on/i.test(attr.name) || /(^|:)href$/i.test(attr.name)) node.removeAttribute(attr.name);
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

export function renderCounters(counters) {
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

export function refreshCounters(soon = true) {
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
