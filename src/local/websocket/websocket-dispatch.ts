/** Invoking a WebSocket route's function, bounded by the integration timeout on the clock. */
import type { WebSocketApiSpec, WebSocketRouteSpec } from "../../model/websocket-api.ts";
import { type ApiBackend, requestHopHeader, TIMED_OUT, withIntegrationTimeout } from "../apigateway/index.ts";
import { newTraceHeader, type Tracer } from "../traces/index.ts";
import { WEBSOCKET_LIMITS } from "./websocket-limits.ts";

export type Outcome =
  | { readonly kind: "ok"; readonly payload: string }
  | { readonly kind: "error" }
  | { readonly kind: "timeout" };

export function routeOf(api: WebSocketApiSpec, routeKey: string): WebSocketRouteSpec | undefined {
  return api.routes.find((route) => route.routeKey === routeKey);
}

/** The trace a route's invocation belongs to (issue 20). */
export interface RouteTrace {
  readonly routeKey: string;
  /**
   * The trace the request came with: `$connect`'s X-Amzn-Trace-Id (the client's, else the one the
   * gateway adds). @default a new trace (messages and `$disconnect` carry no header)
   */
  readonly traceId?: string;
  readonly requestId: string;
  readonly tracer: Tracer | undefined;
}

/**
 * Invokes the route's function under a `request` hop of its own (source `client`, target
 * `websocket:<route key>`), recorded when the server has a tracer.
 */
export async function invokeRoute(
  backend: ApiBackend,
  functionName: string,
  event: object,
  trace: RouteTrace,
): Promise<Outcome> {
  const startMs = backend.clock.now();
  const header =
    trace.traceId === undefined ? newTraceHeader(startMs) : requestHopHeader(trace.traceId, startMs);
  // The payload is JSON.stringify output: Lambda need not parse it again to check it.
  const payload = JSON.stringify(event);
  const outcome = await invokeTimed(backend, functionName, payload, header, `websocket:${trace.routeKey}`);
  trace.tracer?.record({
    header,
    ...(trace.traceId?.includes("Parent=") ? { parentHeader: trace.traceId } : {}),
    kind: "request",
    source: "client",
    target: `websocket:${trace.routeKey}`,
    startMs,
    durationMs: backend.clock.now() - startMs,
    outcome: outcome.kind === "ok" ? "success" : outcome.kind,
    payload,
    requestId: trace.requestId,
  });
  return outcome;
}

async function invokeTimed(
  backend: ApiBackend,
  functionName: string,
  payload: string,
  traceHeader: string,
  source: string,
): Promise<Outcome> {
  const invocation = backend.invoke(functionName, payload, { serialized: true, traceHeader, source });
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
