/**
 * CORS as HTTP APIs do it: with CORS configured, the gateway answers preflight requests itself
 * (204, whatever the routes), adds the configured headers to responses for allowed origins, and
 * drops any CORS headers the function returned.
 */
import type { CorsSpec } from "../../model/http-api.ts";
import { headerValue } from "../apigateway/index.ts";
import type { GatewayResponse } from "./gateway-responses.ts";

/** The preflight answer, or undefined when the request is not a preflight. */
export function preflight(
  cors: CorsSpec,
  method: string,
  headers: readonly [string, string][],
): GatewayResponse | undefined {
  if (method !== "OPTIONS") return undefined;
  const origin = headerValue(headers, "origin");
  if (origin === undefined || headerValue(headers, "access-control-request-method") === undefined)
    return undefined;
  const allowed = allowedOrigin(cors, origin);
  const out: [string, string][] = [];
  if (allowed !== undefined) {
    out.push(["access-control-allow-origin", allowed]);
    if (cors.allowCredentials) out.push(["access-control-allow-credentials", "true"]);
    if (cors.allowMethods.length > 0) out.push(["access-control-allow-methods", cors.allowMethods.join(",")]);
    if (cors.allowHeaders.length > 0) out.push(["access-control-allow-headers", cors.allowHeaders.join(",")]);
    if (cors.maxAgeSeconds !== undefined) out.push(["access-control-max-age", String(cors.maxAgeSeconds)]);
  }
  return { status: 204, headers: out, body: Buffer.alloc(0) };
}

export function withCors(
  cors: CorsSpec,
  requestHeaders: readonly [string, string][],
  response: GatewayResponse,
): GatewayResponse {
  const headers = response.headers.filter(([name]) => !name.toLowerCase().startsWith("access-control-"));
  const origin = headerValue(requestHeaders, "origin");
  const allowed = origin === undefined ? undefined : allowedOrigin(cors, origin);
  if (allowed !== undefined) {
    headers.push(["access-control-allow-origin", allowed]);
    if (cors.allowCredentials) headers.push(["access-control-allow-credentials", "true"]);
    if (cors.exposeHeaders.length > 0)
      headers.push(["access-control-expose-headers", cors.exposeHeaders.join(",")]);
  }
  return { ...response, headers };
}

function allowedOrigin(cors: CorsSpec, origin: string): string | undefined {
  if (cors.allowOrigins.includes("*")) return cors.allowCredentials ? origin : "*";
  const lower = origin.toLowerCase();
  return cors.allowOrigins.some((allowed) => allowed.toLowerCase() === lower) ? origin : undefined;
}
