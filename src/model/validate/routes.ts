/**
 * Reads `routes` and `routesTo`, and checks where they lead: every name is a function, queue or
 * bus of the app, listed once, and a name or list route never leads into a FIFO queue (it cannot
 * give the MessageGroupId SendMessage requires there; a routing function returns `groupId`).
 */
import type { RoutesSpec } from "../app-spec.ts";
import type { FunctionDraft, QueueDraft } from "./draft.ts";
import { closest, didYouMean } from "./suggest.ts";
import { type Issues, join, keyOf, quoteList } from "./values.ts";

/** The shape of `routes` and `routesTo` at `path` (the function); whether names exist is checkRoutes's. */
export function readRoutes(
  issues: Issues,
  path: string,
  value: unknown,
  routesTo: unknown,
): RoutesSpec | undefined {
  const at = join(path, "routes");
  const routes = readRouteShape(issues, at, value);
  if (routesTo === undefined) return routes;
  const toPath = join(path, "routesTo");
  if (routes?.kind !== "function") {
    if (routes !== undefined) {
      issues.add(
        toPath,
        routesTo,
        routes.kind === "none"
          ? "routesTo declares where a routing function may send, but this function has no routes"
          : "routesTo declares where a routing function may send, but routes already names every target",
        "routesTo only beside routes: (error, result) => [...]",
        routes.kind === "none" ? "add a routing function, or remove routesTo" : "remove routesTo",
      );
    }
    return routes;
  }
  if (!Array.isArray(routesTo) || routesTo.length === 0 || !routesTo.every((n) => typeof n === "string")) {
    issues.add(
      toPath,
      routesTo,
      "routesTo must list the names the routing function may send to",
      "a non-empty list of function, queue and bus names",
      `write e.g. routesTo: ["publish", "failures"], or remove routesTo to allow every name`,
    );
    return routes;
  }
  return { kind: "function", routesTo: [...routesTo] };
}

function readRouteShape(issues: Issues, path: string, value: unknown): RoutesSpec | undefined {
  if (value === undefined) return { kind: "none" };
  if (typeof value === "function") return { kind: "function" };
  if (typeof value === "string") return { kind: "targets", targets: [value] };
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) {
    return { kind: "targets", targets: [...value] };
  }
  issues.add(
    path,
    value,
    `${keyOf(path)} must name where results go`,
    "a function or queue name, a list of names, or a routing function (error, result) => Route[]",
    `write e.g. routes: "publish" or routes: ["publish", "audit"]`,
  );
  return undefined;
}

export function checkRoutes(
  issues: Issues,
  queues: ReadonlyMap<string, QueueDraft>,
  functions: ReadonlyMap<string, FunctionDraft>,
  /** Names of the app's EventBridge buses, which routes may name too. */
  buses: readonly string[] = [],
  /** Names of the app's state machines: a route to one starts an execution. */
  stateMachines: readonly string[] = [],
): void {
  const known = [...functions.keys(), ...queues.keys(), ...buses, ...stateMachines];
  const exists = (name: string) =>
    functions.has(name) || queues.has(name) || buses.includes(name) || stateMachines.includes(name);
  for (const fn of functions.values()) {
    const routes = fn.routes;
    if (routes?.kind === "none" || routes === undefined) continue;
    const names = routes.kind === "targets" ? routes.targets : (routes.routesTo ?? []);
    const path = join(fn.path, routes.kind === "targets" ? "routes" : "routesTo");
    const single = routes.kind === "targets" && names.length === 1;
    const seen = new Set<string>();
    names.forEach((target, index) => {
      const at = single ? path : join(path, index);
      if (seen.has(target)) {
        issues.add(
          at,
          target,
          routes.kind === "targets"
            ? `"${target}" is listed twice, so each result would be delivered to it twice`
            : `"${target}" is listed twice`,
          "each name once",
          `remove the second "${target}"`,
        );
      } else if (!exists(target)) {
        const suggestion = closest(target, known);
        issues.add(
          at,
          target,
          `${routes.kind === "targets" ? "routes" : "may route"} to "${target}", which is no function, queue, bus or state machine of the app.${didYouMean(target, known)}`,
          `one of: ${quoteList(known)}`,
          suggestion === undefined
            ? `define "${target}", or route to one of the known names`
            : `route to "${suggestion}"`,
        );
      } else if (routes.kind === "targets") {
        checkNotFifo(issues, at, target, queues, functions);
      }
      seen.add(target);
    });
  }
}

/** A name or list route into a FIFO queue (directly, or through the queue a function consumes). */
function checkNotFifo(
  issues: Issues,
  at: string,
  target: string,
  queues: ReadonlyMap<string, QueueDraft>,
  functions: ReadonlyMap<string, FunctionDraft>,
): void {
  const consumer = functions.get(target);
  const queueName = consumer ? consumer.consumes?.queue : target;
  const queue = queueName === undefined ? undefined : queues.get(queueName);
  if (queue?.fifo !== true) return;
  const through = consumer ? `, which consumes the FIFO queue "${queue.name}"` : `, a FIFO queue`;
  issues.add(
    at,
    target,
    `routes to "${target}"${through}; SendMessage requires a MessageGroupId there and a name route cannot give one`,
    "a routing function that returns a groupId for FIFO targets",
    `write routes: (error, result) => error ? [] : [{ to: "${target}", data: result, groupId: "<what must stay in order, e.g. a customer id>" }]`,
  );
}
