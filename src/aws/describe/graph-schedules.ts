/**
 * Schedules in the `sluice describe` graph: one node each, an edge to what it invokes. Its own
 * shapes (a subset of graph.ts's) keep graph.ts the only importer, with no cycle.
 */
import type { AppSpec } from "../../model/app-spec.ts";

interface ScheduleNode {
  readonly id: string;
  readonly kind: "schedule" | "bus";
  readonly label: string;
  readonly detail: string;
}

interface ScheduleEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: "invokes";
  readonly label: string;
}

/** Nodes and edges of the schedules, given the ids of the nodes drawn so far. */
export function scheduleGraph(
  spec: AppSpec,
  drawn: readonly { readonly id: string }[],
): { nodes: ScheduleNode[]; edges: ScheduleEdge[] } {
  const nodes: ScheduleNode[] = [];
  const edges: ScheduleEdge[] = [];
  const has = (id: string) => drawn.some((n) => n.id === id) || nodes.some((n) => n.id === id);
  for (const schedule of Object.values(spec.schedules ?? {})) {
    const id = `schedule:${schedule.name}`;
    const zone = schedule.timezone === "UTC" ? "" : ` ${schedule.timezone}`;
    const detail = `${schedule.expression}${zone}${schedule.enabled ? "" : " · disabled"}`;
    nodes.push({ id, kind: "schedule", label: schedule.name, detail });
    const { kind, name } = schedule.target;
    const to = kind === "queue" && has(`dlq:${name}`) ? `dlq:${name}` : `${kind}:${name}`;
    // A bus the graph does not draw yet (the default bus) gets a node of its own.
    if (kind === "bus" && !has(to)) nodes.push({ id: to, kind: "bus", label: name, detail: "event bus" });
    edges.push({ from: id, to, kind: "invokes", label: "on schedule" });
  }
  return { nodes, edges };
}
