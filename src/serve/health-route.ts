/**
 * `/healthz`, answered before any route: 200 `{"status":"ok"}` while the server serves, 503
 * `{"status":"stopping"}` once its shutdown began, so a load balancer's health check
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html:
 * 200 is its default success code) takes the target out while in-flight work finishes. The path
 * is the server's own: an app route at `/healthz` is not reachable through a server.
 */
import type { IncomingMessage } from "node:http";
import type { GatewayResponse } from "../local/http/index.ts";
import { FLEET_HEALTH_PATH as HEALTH_PATH } from "../model/fleet-health-check.ts";

const headers: [string, string][] = [["content-type", "application/json"]];
const OK: GatewayResponse = { status: 200, headers, body: Buffer.from('{"status":"ok"}') };
const STOPPING: GatewayResponse = { status: 503, headers, body: Buffer.from('{"status":"stopping"}') };

/** The HTTP server's `preRoute`: the health answer for `/healthz`, undefined for anything else. */
export function healthRoute(stopping: () => boolean): (req: IncomingMessage) => GatewayResponse | undefined {
  return (req) => {
    const url = req.url;
    if (url !== HEALTH_PATH && !url?.startsWith(`${HEALTH_PATH}?`)) return undefined;
    return stopping() ? STOPPING : OK;
  };
}

/** True for a request line (`GET /healthz`) of the health route, which the server logs at debug. */
export function isHealthRequest(path: string): boolean {
  return path === HEALTH_PATH;
}
