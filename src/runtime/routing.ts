import type { Route, Routes } from "../model/app-definition.ts";
import type { RouteDelivery } from "../model/app-spec.ts";
import type { RouteTargets } from "../model/routing/route-targets.ts";
import { awsTransport } from "./aws-transport.ts";
import { RuntimeError } from "./errors.ts";
import { installedTransport, installTransport, type RouteContext, type RouteTransport } from "./transport.ts";

/** What a function's routes ask for after one invocation. */
type Decide = (error: Error | null, result: unknown) => readonly RouteDelivery[];

/** A function's routes, run on its result (the host side that delivers them is local/routing/router.ts). */
export interface ResultRouter {
  /** Delivers the success routes, then yields the result unchanged. */
  success(result: unknown, requestId?: string): Promise<unknown>;
  /** Delivers the error routes (routing functions only), then fails with the original error. */
  failure(error: unknown, requestId?: string): Promise<never>;
}

/**
 * Turns a definition's `routes` into a router: a name or a list of names route the result on
 * success only; a routing function decides on success and on error. No routes, no router.
 */
export function createRouter(
  routes: Routes | undefined,
  functionName: string,
  targets?: RouteTargets,
): ResultRouter | undefined {
  if (routes === undefined || routes === null) return undefined;
  const decide = decider(routes, functionName);
  const onError = typeof routes === "function";
  const context = (requestId: string | undefined): RouteContext => ({
    from: functionName,
    requestId: requestId ?? "",
  });
  return {
    success: async (result, requestId) => {
      await deliver(decide(null, result), context(requestId), targets);
      return result;
    },
    failure: async (error, requestId) => {
      if (onError) await deliver(decide(asError(error), undefined), context(requestId), targets);
      throw error;
    },
  };
}

function decider(routes: Routes, functionName: string): Decide {
  if (typeof routes === "string") return (_error, result) => [{ to: routes, data: result }];
  if (Array.isArray(routes)) {
    const targets = routes as readonly string[];
    return (_error, result) => targets.map((to) => ({ to, data: result }));
  }
  if (typeof routes === "function") {
    return (error, result) => checked(routes(error, result), functionName);
  }
  throw new RuntimeError(
    "Sluice.InvalidRoutes",
    `routes of function "${functionName}" is ${describe(routes)}; use a component name, a list of names, ` +
      "or a function (error, result) => [{ to, data }]",
  );
}

function checked(routes: unknown, functionName: string): readonly RouteDelivery[] {
  if (routes === undefined || routes === null) return [];
  if (!Array.isArray(routes)) {
    throw new RuntimeError(
      "Sluice.InvalidRoutes",
      `the routing function of "${functionName}" returned ${describe(routes)}; it must return an array of { to, data } (or [] to route nothing)`,
    );
  }
  routes.forEach((route: Partial<Route> | null, index) => {
    if (typeof route !== "object" || route === null || typeof route.to !== "string" || route.to === "") {
      throw new RuntimeError(
        "Sluice.InvalidRoutes",
        `the routing function of "${functionName}" returned ${describe(route)} at index ${index}; each route needs a target name in "to"`,
      );
    }
  });
  return routes as RouteDelivery[];
}

async function deliver(
  deliveries: readonly RouteDelivery[],
  context: RouteContext,
  targets: RouteTargets | undefined,
): Promise<void> {
  if (deliveries.length === 0) return;
  const functionName = context.from;
  const transport = installedTransport() ?? onAws(targets);
  if (!transport) {
    throw new RuntimeError(
      "Sluice.NoRouteTransport",
      `function "${functionName}" routed ${deliveries.length} result(s) (to ${deliveries.map((d) => d.to).join(", ")}) ` +
        'but no route transport is installed at globalThis[Symbol.for("sluice.transport")]; ' +
        "run the function with `sluice dev` or a Sluice deployment, which install one",
    );
  }
  await transport.deliver(deliveries, context);
}

/**
 * Inside Lambda with no local transport (the local execution environment installs one before
 * the bundle loads), routes go out through the AWS SDK.
 */
function onAws(targets: RouteTargets | undefined): RouteTransport | undefined {
  if (targets === undefined || process.env.AWS_LAMBDA_FUNCTION_NAME === undefined) return undefined;
  const transport = awsTransport({ targets });
  installTransport(transport);
  return transport;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value);
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
