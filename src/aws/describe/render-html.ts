/**
 * One self-contained HTML page: the application drawn as SVG, a legend, and the template. No
 * scripts, fonts or styles from anywhere else, so it opens offline and from a file.
 */
import type { AppSpec } from "../../model/app-spec.ts";
import type { Template } from "../template/template.ts";
import { type AppGraph, appGraph, type EdgeKind, type NodeKind } from "./graph.ts";
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH, type PlacedNode } from "./layout.ts";
import { renderStateMachines } from "./render-state-machine.ts";
import { arrowMarkers, escapeHtml, nodeBox, svgDiagram } from "./svg-parts.ts";
import { traceRefOf } from "./trace-refs.ts";

const NODE_STYLE: Record<NodeKind, { fill: string; stroke: string; title: string }> = {
  api: { fill: "#ede9fe", stroke: "#6d28d9", title: "API" },
  route: { fill: "#f5f3ff", stroke: "#8b5cf6", title: "route" },
  bus: { fill: "#fce7f3", stroke: "#be185d", title: "event bus" },
  rule: { fill: "#fdf2f8", stroke: "#db2777", title: "rule" },
  schedule: { fill: "#ecfccb", stroke: "#4d7c0f", title: "schedule" },
  bucket: { fill: "#ffedd5", stroke: "#c2410c", title: "bucket" },
  table: { fill: "#ccfbf1", stroke: "#0f766e", title: "table" },
  queue: { fill: "#e0f2fe", stroke: "#0369a1", title: "queue" },
  dlq: { fill: "#fee2e2", stroke: "#b91c1c", title: "dead-letter queue" },
  function: { fill: "#fef3c7", stroke: "#b45309", title: "function" },
  stateMachine: { fill: "#f3e8ff", stroke: "#7e22ce", title: "state machine" },
  fleet: { fill: "#e2e8f0", stroke: "#334155", title: "server fleet" },
};

const EDGE_STYLE: Record<EdgeKind, { stroke: string; dash: string; title: string }> = {
  serves: { stroke: "#7c3aed", dash: "", title: "serves" },
  invokes: { stroke: "#7c3aed", dash: "", title: "invokes" },
  consumes: { stroke: "#0369a1", dash: "", title: "consumes (event source mapping)" },
  routes: { stroke: "#b45309", dash: "6 4", title: "routes its result to" },
  "may-route": { stroke: "#d97706", dash: "2 4", title: "may route to (routing function)" },
  "dead-letter": { stroke: "#b91c1c", dash: "1 3", title: "dead-letters to" },
  "on-success": { stroke: "#15803d", dash: "4 3", title: "sends async success records to" },
  "on-failure": {
    stroke: "#be123c",
    dash: "4 3",
    title: "sends async failure records, or discarded stream batches, to",
  },
  notifies: { stroke: "#c2410c", dash: "", title: "notifies of object events (S3)" },
  tasks: { stroke: "#7e22ce", dash: "5 3", title: "runs tasks on (Step Functions)" },
  runs: { stroke: "#334155", dash: "3 3", title: "also serves, beside Lambda (sluice serve)" },
};

export interface DescribeInput {
  readonly spec: AppSpec;
  readonly template: Template;
}

export function renderDescribeHtml(input: DescribeInput): string {
  const graph = appGraph(input.spec);
  const resources = Object.keys(input.template.Resources).length;
  const counts = countKinds(graph);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.spec.name)} · Sluice</title>
<style>${STYLES}</style>
</head>
<body>
<header>
<h1>${escapeHtml(input.spec.name)}</h1>
<p class="summary">${escapeHtml(counts)} · region ${escapeHtml(input.spec.region)} · ${resources} CloudFormation resources</p>
</header>
<main>
<section class="diagram">${renderSvg(graph)}</section>
${renderLegend()}
${renderStateMachines(Object.values(input.spec.stateMachines ?? {}))}
<details id="template">
<summary>CloudFormation template (${resources} resources)</summary>
<pre><code>${escapeHtml(JSON.stringify(input.template, null, 2))}</code></pre>
</details>
</main>
</body>
</html>
`;
}

/** The application's drawing alone, as SVG: the console's graph (`sluice dev`). */
export function renderAppSvg(spec: AppSpec): string {
  return renderSvg(appGraph(spec));
}

function renderSvg(graph: AppGraph): string {
  const layout = layoutGraph(graph);
  const at = new Map(layout.nodes.map((n) => [n.id, n]));
  const edges = graph.edges
    .map((edge) => {
      const from = at.get(edge.from);
      const to = at.get(edge.to);
      if (!from || !to) return "";
      const style = EDGE_STYLE[edge.kind];
      const path = edgePath(from, to);
      const label = edge.label
        ? `<text class="edge-label" x="${(path.mid[0]).toFixed(1)}" y="${(path.mid[1] - 6).toFixed(1)}">${escapeHtml(edge.label)}</text>`
        : "";
      return `<g class="edge edge-${edge.kind}" data-edge-from="${escapeHtml(edge.from)}" data-edge-to="${escapeHtml(edge.to)}" data-kind="${edge.kind}"><title>${escapeHtml(`${edge.from} ${style.title} ${edge.to}`)}</title><path d="${path.d}" fill="none" stroke="${style.stroke}" stroke-width="1.6" stroke-dasharray="${style.dash}" marker-end="url(#arrow-${edge.kind})"/>${label}</g>`;
    })
    .join("\n");
  const nodes = layout.nodes.map((node) => renderNode(node, traceRefOf(node.id, graph))).join("\n");
  return svgDiagram("application diagram", layout, arrowMarkers("arrow", EDGE_STYLE), edges, nodes);
}

function renderNode(node: PlacedNode, resource: string | undefined): string {
  const style = NODE_STYLE[node.kind];
  const rx = node.kind === "function" ? 10 : node.kind === "route" ? 24 : 3;
  const traced = resource === undefined ? "" : ` data-resource="${escapeHtml(resource)}"`;
  return `<g class="node node-${node.kind}" data-node-id="${escapeHtml(node.id)}"${traced} data-kind="${node.kind}" transform="translate(${node.x.toFixed(1)},${node.y.toFixed(1)})"><title>${escapeHtml(`${style.title} ${node.label}`)}</title>${nodeBox(rx, style, style.title.toUpperCase(), node.label, node.detail)}</g>`;
}

/** A curve from the right side of `from` to the left side of `to`, or around below for back edges. */
function edgePath(from: PlacedNode, to: PlacedNode): { d: string; mid: [number, number] } {
  const y1 = from.y + NODE_HEIGHT / 2;
  const y2 = to.y + NODE_HEIGHT / 2;
  if (to.column === from.column + 1) {
    const x1 = from.x + NODE_WIDTH;
    const x2 = to.x;
    const bend = (x2 - x1) / 2;
    return {
      d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`,
      mid: [(x1 + x2) / 2, (y1 + y2) / 2],
    };
  }
  if (to.column > from.column) {
    // Skipping columns: arc over the nodes between, from top edge to top edge.
    const x1 = from.x + NODE_WIDTH * 0.75;
    const x2 = to.x + NODE_WIDTH * 0.25;
    const top = Math.min(from.y, to.y) - 22 - 6 * (to.column - from.column);
    return {
      d: `M${x1},${from.y} C${x1 + 40},${top} ${x2 - 40},${top} ${x2},${to.y}`,
      mid: [(x1 + x2) / 2, top + 10],
    };
  }
  const x1 = from.x + NODE_WIDTH / 2;
  const x2 = to.x + NODE_WIDTH / 2;
  const y = Math.max(from.y, to.y) + NODE_HEIGHT;
  const dip = y + 18;
  return {
    d: `M${x1},${from.y + NODE_HEIGHT} C${x1},${dip + 20} ${x2},${dip + 20} ${x2},${to.y + NODE_HEIGHT}`,
    mid: [(x1 + x2) / 2, dip + 14],
  };
}

function renderLegend(): string {
  const nodes = Object.entries(NODE_STYLE)
    .map(
      ([kind, s]) =>
        `<li><svg width="18" height="12"><rect width="18" height="12" rx="2" fill="${s.fill}" stroke="${s.stroke}"/></svg> ${escapeHtml(s.title)}${kind === "bus" || kind === "rule" || kind === "schedule" || kind === "bucket" || kind === "table" || kind === "stateMachine" || kind === "fleet" ? " (when the app has them)" : ""}</li>`,
    )
    .join("");
  const edges = Object.values(EDGE_STYLE)
    .map(
      (s) =>
        `<li><svg width="30" height="12"><line x1="0" y1="6" x2="30" y2="6" stroke="${s.stroke}" stroke-width="2" stroke-dasharray="${s.dash}"/></svg> ${escapeHtml(s.title)}</li>`,
    )
    .join("");
  return `<section class="legend"><ul>${nodes}</ul><ul>${edges}</ul></section>`;
}

function countKinds(graph: AppGraph): string {
  const count = (kind: NodeKind) => graph.nodes.filter((n) => n.kind === kind).length;
  const parts = [
    [count("function"), "function"],
    [count("bucket"), "bucket"],
    [count("table"), "table"],
    [count("stateMachine"), "state machine"],
    [count("fleet"), "server fleet"],
    [count("queue"), "queue"],
    [count("dlq"), "dead-letter queue"],
    [count("api"), "API"],
    [count("route"), "route"],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, word]) => `${n} ${word}${n === 1 ? "" : "s"}`)
    .join(" · ");
}

const STYLES = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
body { margin: 0; background: #f8fafc; color: #0f172a; }
header { padding: 20px 28px 8px; }
h1 { margin: 0; font-size: 22px; }
.summary { margin: 4px 0 0; color: #475569; font-size: 14px; }
main { padding: 8px 28px 28px; }
.diagram { overflow: auto; background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; }
.diagram svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
svg text { font-size: 12px; }
.node .kind { font-size: 9px; letter-spacing: .06em; font-weight: 600; }
.node .label { font-size: 14px; font-weight: 600; fill: #0f172a; }
.node .detail { font-size: 10px; fill: #475569; }
.edge-label { font-size: 10px; fill: #64748b; text-anchor: middle; }
.legend { font-size: 12px; color: #334155; margin-top: 10px; }
.legend ul { list-style: none; padding: 0; margin: 4px 0; display: flex; gap: 14px; flex-wrap: wrap; }
.legend li { display: flex; align-items: center; gap: 6px; }
details { margin-top: 8px; background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; padding: 10px 14px; }
summary { cursor: pointer; font-weight: 600; }
.state-machine h2 { font-size: 16px; margin: 18px 0 6px; }
.state-machine .outline { max-height: none; background: #fff; color: #0f172a; border: 1px solid #e2e8f0; }
pre { max-height: 70vh; overflow: auto; font-size: 12px; background: #0f172a; color: #e2e8f0; padding: 12px; border-radius: 6px; }
`;
