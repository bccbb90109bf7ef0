/**
 * EventBridge in the `sluice describe` graph: a node per bus (the default bus when a rule uses
 * it) and per rule, the bus serving its rules, each rule invoking its targets, and each target's
 * dead-letter queue. Its own shapes (a subset of graph.ts's) keep graph.ts the only importer.
 */
import type { AppSpec } from "../../model/app-spec.ts";
import { DEFAULT_BUS } from "../../model/events.ts";

interface EventNode {
  readonly id: string;
  readonly kind: "bus" | "rule";
  readonly label: string;
  readonly detail: string;
}

interface EventEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: "serves" | "invokes" | "dead-letter";
  readonly label?: string;
}

/** Nodes and edges of buses and rules, given the ids of the nodes drawn so far. */
export function eventsGraph(
  spec: AppSpec,
  drawn: readonly { readonly id: string }[],
): { nodes: EventNode[]; edges: EventEdge[] } {
  const nodes: EventNode[] = [];
  const edges: EventEdge[] = [];
  const events = spec.events;
  if (!events) return { nodes, edges };
  const queueNode = (name: string) =>
    drawn.some((n) => n.id === `dlq:${name}`) ? `dlq:${name}` : `queue:${name}`;
  const bus = (name: string) => {
    const id = `bus:${name}`;
    if (!nodes.some((n) => n.id === id)) {
      const detail =
        name === DEFAULT_BUS ? "default event bus" : (events.buses[name]?.description ?? "event bus");
      nodes.push({ id, kind: "bus", label: name, detail });
    }
    return id;
  };
  for (const name of Object.keys(events.buses)) bus(name);
  for (const rule of Object.values(events.rules)) {
    const id = `rule:${rule.name}`;
    const fields = Object.keys(rule.pattern).join(", ") || "every event";
    nodes.push({ id, kind: "rule", label: rule.name, detail: `matches ${fields}` });
    edges.push({ from: bus(rule.bus), to: id, kind: "serves", label: "pattern" });
    for (const target of rule.targets) {
      const to =
        target.kind === "queue"
          ? queueNode(target.name)
          : target.kind === "bus"
            ? bus(target.name)
            : `function:${target.name}`;
      edges.push({
        from: id,
        to,
        kind: "invokes",
        label: target.input ? `${target.input.kind} input` : "event",
      });
      if (target.deadLetterQueue !== undefined) {
        edges.push({
          from: id,
          to: queueNode(target.deadLetterQueue),
          kind: "dead-letter",
          label: `undelivered to ${target.name}`,
        });
      }
    }
  }
  return { nodes, edges };
}
