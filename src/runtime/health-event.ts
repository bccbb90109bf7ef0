/**
 * Reads what the health check needs from an API Gateway event, in either payload format: which
 * route it came through and its query string parameters.
 */

interface GatewayEvent {
  version?: unknown;
  routeKey?: unknown;
  resource?: unknown;
  httpMethod?: unknown;
  queryStringParameters?: unknown;
}

/** True when the event came through the `GET <path>` route (2.0 route key, or 1.0 resource). */
export function isHealthPing(event: unknown, path: string): boolean {
  if (typeof event !== "object" || event === null) return false;
  const e = event as GatewayEvent;
  if (e.routeKey === `GET ${path}`) return true;
  return e.resource === path && e.httpMethod === "GET";
}

export function queryParameter(event: unknown, name: string): string | undefined {
  const query = (event as GatewayEvent).queryStringParameters;
  if (typeof query !== "object" || query === null) return undefined;
  const value = (query as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}
