/**
 * The application as a graph for `sluice describe`: components as nodes, wiring as edges. One
 * function per kind of component; buses, rules and schedules join here as the definition grows.
 */
import type { AppSpec, FunctionSpec } from "../../model/app-spec.ts";
import { asyncDestinationKind } from "../../model/async-invoke.ts";
import { possibleRouteNames, routeTargets } from "../../model/routing/route-targets.ts";
import { bucketGraph } from "./graph-buckets.ts";
import { eventsGraph } from "./graph-events.ts";
import { scheduleGraph } from "./graph-schedules.ts";
import { fleetGraph } from "./graph-servers.ts";
import { stateMachinesGraph } from "./graph-state-machines.ts";
import { tableGraph } from "./graph-tables.ts";

const NODE_KINDS = [
  "api",
  "route",
  "bus",
  "rule",
  "schedule",
  "bucket",
  "table",
  "queue",
  "dlq",
  "function",
  "stateMachine",
  "fleet",
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

const EDGE_KINDS = [
  "serves",
  "invokes",
  "consumes",
  "routes",
  "may-route",
  "dead-letter",
  "on-success",
  "on-failure",
  "notifies",
  "tasks",
  "runs",
] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

export interface GraphNode {
  /** `kind:name`, unique. */
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  /** A second line: FIFO, batch size, runtime and memory, ... */
  readonly detail: string;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label?: string;
}

export interface AppGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

export function appGraph(spec: AppSpec): AppGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const deadLetters = new Set([
    ...Object.values(spec.queues).flatMap((q) => (q.deadLetter ? [q.deadLetter.queue] : [])),
    ...Object.values(spec.functions).flatMap((f) =>
      f.async?.deadLetterQueue !== undefined ? [f.async.deadLetterQueue] : [],
    ),
  ]);
  for (const queue of Object.values(spec.queues)) {
    const kind = deadLetters.has(queue.name) ? "dlq" : "queue";
    const detail = [queue.fifo ? "FIFO" : "standard", `visibility ${queue.visibilityTimeoutSeconds}s`].join(
      " · ",
    );
    nodes.push({ id: `${kind}:${queue.name}`, kind, label: queue.name, detail });
  }
  const queueId = (name: string) => `${deadLetters.has(name) ? "dlq" : "queue"}:${name}`;
  for (const queue of Object.values(spec.queues)) {
    if (queue.deadLetter) {
      edges.push({
        from: queueId(queue.name),
        to: queueId(queue.deadLetter.queue),
        kind: "dead-letter",
        label: `after ${queue.deadLetter.maxReceiveCount} receives`,
      });
    }
  }
  for (const fn of Object.values(spec.functions)) {
    const detail = `${fn.runtime} · ${fn.memorySize} MB · ${fn.timeoutSeconds}s`;
    nodes.push({ id: `function:${fn.name}`, kind: "function", label: fn.name, detail });
    if (fn.consumes) {
      edges.push({
        from: queueId(fn.consumes.queue),
        to: `function:${fn.name}`,
        kind: "consumes",
        label: `batch ${fn.consumes.batchSize}`,
      });
    }
    // A route to a function that consumes a queue travels through that queue: draw it so.
    const kind = fn.routes.kind === "targets" ? "routes" : "may-route";
    const targets = Object.values(routeTargets(spec, possibleRouteNames(spec, fn)));
    const ends = new Set(
      targets.map((t) =>
        t.kind === "queue"
          ? queueId(t.queue)
          : t.kind === "bus"
            ? `bus:${t.bus}`
            : t.kind === "stateMachine"
              ? `stateMachine:${t.stateMachine}`
              : `function:${t.function}`,
      ),
    );
    for (const to of ends) edges.push({ from: `function:${fn.name}`, to, kind });
    addAsyncDestinations(spec, fn, queueId, edges);
  }
  addApis(spec, nodes, edges);
  const tables = tableGraph(spec, queueId);
  nodes.push(...tables.nodes);
  edges.push(...tables.edges);
  const buckets = bucketGraph(spec, queueId);
  nodes.push(...buckets.nodes);
  edges.push(...buckets.edges);
  const events = eventsGraph(spec, nodes);
  nodes.push(...events.nodes);
  edges.push(...events.edges);
  const machines = stateMachinesGraph(spec, (kind, name) =>
    kind === "queue" ? queueId(name) : `${kind}:${name}`,
  );
  nodes.push(...machines.nodes);
  edges.push(...machines.edges);
  const fleets = fleetGraph(spec);
  nodes.push(...fleets.nodes);
  edges.push(...fleets.edges);
  const schedules = scheduleGraph(spec, nodes);
  nodes.push(...schedules.nodes);
  edges.push(...schedules.edges);
  // A destination bus no rule or schedule drew yet (the default bus) gets a node of its own.
  for (const edge of edges) {
    if (edge.to.startsWith("bus:") && !nodes.some((n) => n.id === edge.to)) {
      const label = edge.to.slice(4);
      nodes.push({ id: edge.to, kind: "bus", label, detail: "event bus" });
    }
  }
  return { nodes, edges };
}

/** Where Lambda sends a function's asynchronous invocation records and discarded events. */
function addAsyncDestinations(
  spec: AppSpec,
  fn: FunctionSpec,
  queueId: (name: string) => string,
  edges: GraphEdge[],
): void {
  const settings = fn.async;
  if (!settings) return;
  const node = (name: string) => {
    const kind = asyncDestinationKind(spec, name);
    return kind === "queue" ? queueId(name) : `${kind}:${name}`;
  };
  const from = `function:${fn.name}`;
  if (settings.onSuccess !== undefined) {
    edges.push({ from, to: node(settings.onSuccess), kind: "on-success", label: "async success" });
  }
  if (settings.onFailure !== undefined) {
    edges.push({ from, to: node(settings.onFailure), kind: "on-failure", label: "async failure" });
  }
  if (settings.deadLetterQueue !== undefined) {
    edges.push({
      from,
      to: queueId(settings.deadLetterQueue),
      kind: "dead-letter",
      label: "discarded events",
    });
  }
}

function addApis(spec: AppSpec, nodes: GraphNode[], edges: GraphEdge[]): void {
  const apis = [
    ["http", "HTTP API", spec.http?.routes ?? [], spec.http?.stage] as const,
    ["websocket", "WebSocket API", spec.websocket?.routes ?? [], spec.websocket?.stage] as const,
  ];
  for (const [key, label, routes, stage] of apis) {
    if (routes.length === 0) continue;
    const api = `api:${key}`;
    nodes.push({ id: api, kind: "api", label, detail: `stage ${stage ?? "$default"}` });
    for (const route of routes) {
      const id = `route:${key}:${route.routeKey}`;
      nodes.push({
        id,
        kind: "route",
        label: route.routeKey,
        detail: key === "http" ? "HTTP route" : "WebSocket route",
      });
      edges.push({ from: api, to: id, kind: "serves" });
      edges.push({ from: id, to: `function:${route.function}`, kind: "invokes" });
    }
  }
}
