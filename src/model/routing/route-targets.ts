/**
 * Where each name a function may route to is delivered, decided once from the normalised app so
 * the local router, the deployed wrapper and the IAM role agree: a function that consumes a queue
 * gets its input through that queue, any other function is invoked asynchronously, a queue
 * name sends to that queue and a bus name puts an event on that bus. What each delivery sends
 * (body, FIFO group, deduplication id, event) is route-delivery.ts's to decide.
 */
import type { AppSpec, FunctionSpec, QueueSpec } from "../app-spec.ts";
import { discoveryVariable } from "../naming.ts";
import { routeSourcePrefix } from "./bus-event.ts";

export interface QueueRouteTarget {
  readonly kind: "queue";
  /** Definition name of the queue the message goes to. */
  readonly queue: string;
  readonly fifo: boolean;
  readonly contentBasedDeduplication: boolean;
  /** The environment variable holding the queue's URL. */
  readonly urlVariable: string;
}

export interface FunctionRouteTarget {
  readonly kind: "function";
  /** Definition name of the function invoked asynchronously. */
  readonly function: string;
  /** The environment variable holding the function's physical name. */
  readonly nameVariable: string;
}

export interface BusRouteTarget {
  readonly kind: "bus";
  /** Definition name of the bus the result is put on (see bus-event.ts for the event). */
  readonly bus: string;
  /** The environment variable holding the bus's physical name. */
  readonly nameVariable: string;
  /** `sluice.<app>.`: the event's Source is this and the routing function's name. */
  readonly sourcePrefix: string;
}

export interface StateMachineRouteTarget {
  readonly kind: "stateMachine";
  /** Definition name of the state machine a route starts an execution of. */
  readonly stateMachine: string;
  /** The environment variable holding the state machine's ARN. */
  readonly arnVariable: string;
}

export type RouteTarget = QueueRouteTarget | FunctionRouteTarget | BusRouteTarget | StateMachineRouteTarget;

/** Keyed by the name a route may give in `to`. */
export type RouteTargets = Readonly<Record<string, RouteTarget>>;

/**
 * The names `fn` may route to: what names and lists name, a routing function's `routesTo`, or,
 * without it, every function, declared queue and bus (Sluice cannot read the targets out of code).
 */
export function possibleRouteNames(spec: AppSpec, fn: FunctionSpec): readonly string[] {
  const routes = fn.routes;
  if (routes.kind === "none") return [];
  if (routes.kind === "targets") return [...new Set(routes.targets)];
  if (routes.routesTo !== undefined) return [...new Set(routes.routesTo)];
  const queues = Object.values(spec.queues)
    .filter((queue) => !queue.generated)
    .map((queue) => queue.name);
  return [
    ...Object.keys(spec.functions),
    ...queues,
    ...Object.keys(spec.events?.buses ?? {}),
    ...Object.keys(spec.stateMachines ?? {}),
  ];
}

/**
 * Why `from` may not route to `to`: its routing function declared `routesTo` without `to` (the
 * role deployed for it could not reach `to` either). Undefined when the route is allowed here.
 */
export function outsideRoutesTo(spec: AppSpec, from: string, to: string): string | undefined {
  const routes = spec.functions[from]?.routes;
  if (routes?.kind !== "function" || routes.routesTo === undefined || routes.routesTo.includes(to)) {
    return undefined;
  }
  return (
    `${from} routed to "${to}", which its routesTo does not list (it may route to ${routes.routesTo.map((n) => `"${n}"`).join(", ")}); ` +
    `add "${to}" to functions.${from}.routesTo, or route to one of those names`
  );
}

/** How each name in `names` is delivered. Names that are no target are skipped. */
export function routeTargets(spec: AppSpec, names: readonly string[]): RouteTargets {
  const targets: Record<string, RouteTarget> = {};
  for (const name of names) {
    const target = routeTarget(spec, name);
    if (target) targets[name] = target;
  }
  return targets;
}

/**
 * Where a route to `name` goes: a bus, a state machine (StartExecution), else a function's queue,
 * else the function, else a queue.
 */
export function routeTarget(spec: AppSpec, name: string): RouteTarget | undefined {
  if (spec.stateMachines?.[name]) {
    return {
      kind: "stateMachine",
      stateMachine: name,
      arnVariable: discoveryVariable("STATE_MACHINE_ARN", name),
    };
  }
  if (spec.events?.buses[name]) {
    return {
      kind: "bus",
      bus: name,
      nameVariable: discoveryVariable("BUS_NAME", name),
      sourcePrefix: routeSourcePrefix(spec.name),
    };
  }
  const queueName = routedQueueName(spec, name);
  if (queueName === undefined) {
    return { kind: "function", function: name, nameVariable: discoveryVariable("FUNCTION_NAME", name) };
  }
  const queue = spec.queues[queueName];
  return queue && queueRouteTarget(queue);
}

/**
 * The queue a route to `name` goes through: the queue a function consumes, or `name` itself when it
 * is no function; undefined for a function invoked asynchronously.
 */
export function routedQueueName(spec: AppSpec, name: string): string | undefined {
  const fn = spec.functions[name];
  return fn ? fn.consumes?.queue : name;
}

/** A queue as a route target; the local cloud also routes to queues created at run time. */
export function queueRouteTarget(queue: QueueSpec): QueueRouteTarget {
  return {
    kind: "queue",
    queue: queue.name,
    fifo: queue.fifo,
    contentBasedDeduplication: queue.contentBasedDeduplication,
    urlVariable: discoveryVariable("QUEUE_URL", queue.name),
  };
}
