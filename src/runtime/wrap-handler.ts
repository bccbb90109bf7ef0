import type { Routes } from "../model/app-definition.ts";
import type { HealthSpec } from "../model/http-api.ts";
import type { RouteTargets } from "../model/routing/route-targets.ts";
import { callbackHandlerDeprecated } from "./errors.ts";
import { type Invoker, legacyInvoker, promiseInvoker } from "./handler-styles.ts";
import { withHealthCheck } from "./health-check.ts";
import { resolveHandler } from "./resolve-handler.ts";
import { createRouter } from "./routing.ts";

export interface WrapOptions {
  /** The function's name in the definition; error messages name it. */
  functionName: string;
  /**
   * The definition's `routes` for this function.
   * @default no routing
   * @example routes: definition.functions.ingest.routes
   */
  routes?: Routes;
  /**
   * The handler setting, as Lambda's messages quote it.
   * @default exportName
   * @example handler: "src/ingest.handler"
   */
  handler?: string;
  /**
   * Where each name this function may route to is delivered, for the AWS transport.
   * @default none: only a locally installed transport can deliver
   */
  targets?: RouteTargets;
  /**
   * The function's built-in health check route, answered before the handler runs.
   * @default no health check
   */
  health?: HealthSpec;
}

/** What Lambda calls: the wrapped handler, always promise-returning and two-argument. */
export type LambdaHandler = (event: unknown, context: object) => Promise<unknown>;

/**
 * Wraps a user's handler so the same bundle behaves as Lambda's Node.js runtime would run the
 * handler directly, and routes its result. Called when the bundle is imported (Lambda's init
 * phase), so a missing export or a callback handler on Node.js 24 fails init, as on AWS.
 */
export function wrapHandler(
  userModule: Record<string, unknown>,
  exportName: string,
  options: WrapOptions,
): LambdaHandler {
  const wrapped = wrapRouted(userModule, exportName, options);
  return options.health ? withHealthCheck(wrapped, userModule, options.health) : wrapped;
}

function wrapRouted(
  userModule: Record<string, unknown>,
  exportName: string,
  options: WrapOptions,
): LambdaHandler {
  const handler = resolveHandler(userModule, exportName, options.handler ?? exportName);
  const modern = usesPromiseOnlyRuntime(process.env.AWS_EXECUTION_ENV);
  // Lambda decides by the declared parameter count, so a third parameter is a callback handler.
  if (modern && handler.length >= 3) throw callbackHandlerDeprecated();
  const invoke: Invoker = modern ? promiseInvoker(handler) : legacyInvoker(handler);
  const router = createRouter(options.routes, options.functionName, options.targets);
  if (!router) return invoke;
  return (event, context) => {
    const requestId = (context as { awsRequestId?: string }).awsRequestId;
    return invoke(event, context).then(
      (result) => router.success(result, requestId),
      (error: unknown) => router.failure(error, requestId),
    );
  };
}

/** True for `AWS_Lambda_nodejs24.x` and later; unknown runtimes get the permissive behaviour. */
function usesPromiseOnlyRuntime(executionEnv: string | undefined): boolean {
  const major = /nodejs(\d+)/.exec(executionEnv ?? "")?.[1];
  return major !== undefined && Number(major) >= 24;
}
