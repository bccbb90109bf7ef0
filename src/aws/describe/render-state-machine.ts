/**
 * One state machine drawn for `sluice describe`: its states as SVG (laid out as the app graph is,
 * left to right) and the same graph as an indented text outline beside it.
 */
import type { StateMachineSpec } from "../../model/state-machines.ts";
import {
  type StateEdgeKind,
  type StateMachineGraph,
  type StateNode,
  type StateNodeKind,
  stateMachineGraph,
  stateMachineOutline,
} from "./graph-state-machines.ts";
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH, type PlacedNode } from "./layout.ts";
import { arrowMarkers, clip, escapeHtml, nodeBox, svgDiagram } from "./svg-parts.ts";

const STATE_STYLE: Record<StateNodeKind, { fill: string; stroke: string }> = {
  start: { fill: "#f1f5f9", stroke: "#334155" },
  end: { fill: "#f1f5f9", stroke: "#334155" },
  Pass: { fill: "#f8fafc", stroke: "#64748b" },
  Task: { fill: "#fef3c7", stroke: "#b45309" },
  Choice: { fill: "#e0f2fe", stroke: "#0369a1" },
  Wait: { fill: "#ecfccb", stroke: "#4d7c0f" },
  Succeed: { fill: "#dcfce7", stroke: "#15803d" },
  Fail: { fill: "#fee2e2", stroke: "#b91c1c" },
  Parallel: { fill: "#ede9fe", stroke: "#6d28d9" },
  Map: { fill: "#fce7f3", stroke: "#be185d" },
};

const TRANSITION_STYLE: Record<StateEdgeKind, { stroke: string; dash: string }> = {
  next: { stroke: "#334155", dash: "" },
  choice: { stroke: "#0369a1", dash: "" },
  default: { stroke: "#0369a1", dash: "6 4" },
  catch: { stroke: "#b91c1c", dash: "4 3" },
  branch: { stroke: "#6d28d9", dash: "" },
  iterate: { stroke: "#be185d", dash: "" },
  join: { stroke: "#64748b", dash: "2 4" },
};

/** A `<section>` per machine: heading, diagram and outline. */
export function renderStateMachines(machines: readonly StateMachineSpec[]): string {
  return machines
    .map((machine) => {
      const graph = stateMachineGraph(machine);
      return `<section class="state-machine" data-state-machine="${escapeHtml(machine.name)}">
<h2>State machine ${escapeHtml(machine.name)} <span class="summary">${escapeHtml(machine.type)} · ${escapeHtml(machine.queryLanguage)}${machine.definitionFile ? ` · ${escapeHtml(machine.definitionFile)}` : ""}</span></h2>
<div class="diagram">${renderStatesSvg(graph)}</div>
<pre class="outline">${escapeHtml(stateMachineOutline(graph))}</pre>
</section>`;
    })
    .join("\n");
}

function renderStatesSvg(graph: StateMachineGraph): string {
  const layout = layoutGraph<StateNode>(graph);
  const at = new Map(layout.nodes.map((n) => [n.id, n]));
  const edges = graph.edges
    .map((edge) => {
      const from = at.get(edge.from);
      const to = at.get(edge.to);
      if (!from || !to) return "";
      const style = TRANSITION_STYLE[edge.kind];
      const { d, mid } = curve(from, to);
      const label = edge.label
        ? `<text class="edge-label" x="${mid[0].toFixed(1)}" y="${(mid[1] - 6).toFixed(1)}">${escapeHtml(clip(edge.label, 32))}</text>`
        : "";
      return `<g class="transition transition-${edge.kind}" data-edge-from="${escapeHtml(edge.from)}" data-edge-to="${escapeHtml(edge.to)}" data-kind="${edge.kind}"><title>${escapeHtml(`${edge.kind}${edge.label ? ` ${edge.label}` : ""}`)}</title><path d="${d}" fill="none" stroke="${style.stroke}" stroke-width="1.5" stroke-dasharray="${style.dash}" marker-end="url(#sfn-arrow-${edge.kind})"/>${label}</g>`;
    })
    .join("\n");
  const nodes = layout.nodes.map(renderState).join("\n");
  return svgDiagram(
    `state machine ${escapeHtml(graph.name)}`,
    layout,
    arrowMarkers("sfn-arrow", TRANSITION_STYLE),
    edges,
    nodes,
  );
}

function renderState(node: PlacedNode<StateNode>): string {
  const style = STATE_STYLE[node.kind];
  const rx = node.kind === "start" || node.kind === "end" ? 26 : node.kind === "Choice" ? 16 : 6;
  const kind = node.kind === "start" || node.kind === "end" ? "" : node.kind.toUpperCase();
  return `<g class="state state-${node.kind}" data-state-id="${escapeHtml(node.id)}" data-kind="${node.kind}" transform="translate(${node.x.toFixed(1)},${node.y.toFixed(1)})"><title>${escapeHtml(node.id)}</title>${nodeBox(rx, style, kind, node.label, node.detail)}</g>`;
}

/** Forward edges curve right to left sides; back edges (loops, retries) dip below. */
function curve(from: PlacedNode<StateNode>, to: PlacedNode<StateNode>): { d: string; mid: [number, number] } {
  const y1 = from.y + NODE_HEIGHT / 2;
  const y2 = to.y + NODE_HEIGHT / 2;
  if (to.column > from.column) {
    const x1 = from.x + NODE_WIDTH;
    const x2 = to.x;
    const bend = (x2 - x1) / 2;
    return {
      d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`,
      mid: [(x1 + x2) / 2, (y1 + y2) / 2],
    };
  }
  const x1 = from.x + NODE_WIDTH / 2;
  const x2 = to.x + NODE_WIDTH / 2;
  const dip = Math.max(from.y, to.y) + NODE_HEIGHT + 30;
  return {
    d: `M${x1},${from.y + NODE_HEIGHT} C${x1},${dip} ${x2},${dip} ${x2},${to.y + NODE_HEIGHT}`,
    mid: [(x1 + x2) / 2, dip - 4],
  };
}
