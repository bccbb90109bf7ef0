/** Invoking a WebSocket route's function, bounded by the integration timeout on the clock. */
import type { WebSocketApiSpec, WebSocketRouteSpec } from "../../model/websocket-api.ts";
import { TIMED_OUT, withIntegrationTimeout, type ApiBackend } from "../apigateway/index.ts";
import { WEBSOCKET_LIMITS } from "./websocket-limits.ts";

export type Outcome =
  | { readonly kind: "ok"; readonly payload: string }
  | { readonly kind: "error" }
  | { readonly kind: "timeout" };

export function routeOf(api: WebSocketApiSpec, routeKey: string): WebSocketRouteSpec | undefined {
  return api.routes.find((route) => route.routeKey === routeKey);
}

export async function invokeRoute(
  backend: ApiBackend,
  functionName: string,
  event: object,
): Promise<Outcome> {
  // The payload is JSON.stringify output: Lambda need not parse it again to check it.
  const invocation = backend.invoke(functionName, JSON.stringify(event), { serialized: true });
  invocation.catch(() => undefined);
  try {
    const result = await withIntegrationTimeout(
      invocation,
      backend.clock,
      WEBSOCKET_LIMITS.integrationTimeoutMs,
    );
    if (result === TIMED_OUT) return { kind: "timeout" };
    return result.functionError === undefined ? { kind: "ok", payload: result.payload } : { kind: "error" };
  } catch {
    return { kind: "error" };
  }
}
