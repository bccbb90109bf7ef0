/**
 * Each node of the drawing as the resource its traces name (local/traces' TraceRef:
 * `function:publish`, `queue:pages`, `rule:orders.audit`, `api:GET /pages`, …), written on the
 * node as `data-resource`, so the console can put each resource's counters on its box. A node no
 * trace names (an API as a whole, a server fleet) has none.
 */
import type { AppGraph } from "./graph.ts";

const SAME = new Set(["function", "bus", "schedule", "bucket", "table"]);

export function traceRefOf(nodeId: string, graph: AppGraph): string | undefined {
  const colon = nodeId.indexOf(":");
  const kind = nodeId.slice(0, colon);
  const name = nodeId.slice(colon + 1);
  if (colon < 0) return undefined;
  if (SAME.has(kind)) return nodeId;
  switch (kind) {
    case "queue":
    case "dlq":
      return `queue:${name}`;
    case "stateMachine":
      return `machine:${name}`;
    case "route": {
      // `route:http:GET /pages` → `api:GET /pages`; `route:websocket:$connect` → `websocket:$connect`.
      const api = name.slice(0, name.indexOf(":"));
      const routeKey = name.slice(name.indexOf(":") + 1);
      return api === "http" ? `api:${routeKey}` : api === "websocket" ? `websocket:${routeKey}` : undefined;
    }
    case "rule": {
      // A rule's traces name its bus too: the edge from its bus says which.
      const bus = graph.edges.find((edge) => edge.to === nodeId && edge.from.startsWith("bus:"));
      return bus ? `rule:${bus.from.slice("bus:".length)}.${name}` : undefined;
    }
    default:
      return undefined;
  }
}
