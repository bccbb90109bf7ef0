/**
 * A layered left-to-right layout, computed in Node so the page needs no script to draw: each
 * node sits one column after the furthest node that feeds it (cycles broken where a depth-first
 * walk finds them), and rows are ordered by the mean row of their neighbours to cut crossings.
 */
import type { GraphNode } from "./graph.ts";

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 52;
const COLUMN_GAP = 120;
const ROW_GAP = 28;
const MARGIN = 56;
const SWEEPS = 4;

export type PlacedNode<N extends { readonly id: string } = GraphNode> = N & {
  readonly x: number;
  readonly y: number;
  readonly column: number;
};

export interface Layout<N extends { readonly id: string } = GraphNode> {
  readonly nodes: readonly PlacedNode<N>[];
  readonly width: number;
  readonly height: number;
}

/** Any graph of nodes with ids and edges between them: the app's, or a state machine's states. */
export interface LayoutInput<N extends { readonly id: string }> {
  readonly nodes: readonly N[];
  readonly edges: readonly { readonly from: string; readonly to: string }[];
}

export function layoutGraph<N extends { readonly id: string } = GraphNode>(graph: LayoutInput<N>): Layout<N> {
  const ids = graph.nodes.map((n) => n.id);
  const known = new Set(ids);
  const edges = graph.edges.filter((e) => known.has(e.from) && known.has(e.to) && e.from !== e.to);
  const forward = acyclic(ids, edges);
  const column = new Map<string, number>(ids.map((id) => [id, 0]));
  // Longest path: relax |V| times at most (the forward edges form a DAG).
  for (let pass = 0; pass < ids.length; pass++) {
    let changed = false;
    for (const e of forward) {
      const next = (column.get(e.from) ?? 0) + 1;
      if (next > (column.get(e.to) ?? 0)) {
        column.set(e.to, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const columns: string[][] = [];
  for (const id of ids) {
    const c = column.get(id) ?? 0;
    columns[c] = [...(columns[c] ?? []), id];
  }
  const neighbours = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) {
    neighbours.get(e.from)?.push(e.to);
    neighbours.get(e.to)?.push(e.from);
  }
  const row = new Map<string, number>();
  for (const col of columns) for (const [i, id] of (col ?? []).entries()) row.set(id, i);
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    for (const col of columns) {
      if (!col) continue;
      const weight = (id: string) => {
        const rows = (neighbours.get(id) ?? []).map((n) => row.get(n) ?? 0);
        return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : (row.get(id) ?? 0);
      };
      const weights = new Map(col.map((id) => [id, weight(id)]));
      col.sort((a, b) => (weights.get(a) ?? 0) - (weights.get(b) ?? 0) || ids.indexOf(a) - ids.indexOf(b));
      for (const [i, id] of col.entries()) row.set(id, i);
    }
  }
  const tallest = Math.max(1, ...columns.map((c) => c?.length ?? 0));
  const height = MARGIN * 2 + tallest * NODE_HEIGHT + (tallest - 1) * ROW_GAP;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const placed: PlacedNode<N>[] = [];
  columns.forEach((col, c) => {
    if (!col) return;
    const span = col.length * NODE_HEIGHT + (col.length - 1) * ROW_GAP;
    const top = (height - span) / 2;
    col.forEach((id, r) => {
      const node = byId.get(id);
      if (!node) return;
      placed.push({
        ...node,
        column: c,
        x: MARGIN + c * (NODE_WIDTH + COLUMN_GAP),
        y: top + r * (NODE_HEIGHT + ROW_GAP),
      });
    });
  });
  const width = MARGIN * 2 + columns.length * NODE_WIDTH + Math.max(0, columns.length - 1) * COLUMN_GAP;
  return { nodes: placed, width, height };
}

/** The edges that remain after dropping those a depth-first walk finds closing a cycle. */
function acyclic<E extends { from: string; to: string }>(ids: readonly string[], edges: readonly E[]): E[] {
  const out = new Map<string, E[]>(ids.map((id) => [id, []]));
  for (const e of edges) out.get(e.from)?.push(e);
  const state = new Map<string, "open" | "done">();
  const kept: E[] = [];
  const visit = (id: string) => {
    state.set(id, "open");
    for (const e of out.get(id) ?? []) {
      const s = state.get(e.to);
      if (s === "open") continue;
      kept.push(e);
      if (s === undefined) visit(e.to);
    }
    state.set(id, "done");
  };
  for (const id of ids) if (!state.has(id)) visit(id);
  return kept;
}
