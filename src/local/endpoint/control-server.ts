import type { Operations } from "../operations.ts";
import { type EndpointServer, startEndpoint } from "./endpoint-server.ts";

export { CONTROL_PREFIX } from "./control-api.ts";

export type { EndpointServer as ControlServer } from "./endpoint-server.ts";

/**
 * Serves `Operations` as JSON over HTTP on loopback, for the CLI to reach a running `dev`. The
 * endpoint server (endpoint-server.ts) serves this beside the AWS wire protocols; this starts one
 * with the control API alone.
 */
export function startControlServer(
  ops: Operations,
  options: { host?: string; port?: number } = {},
): Promise<EndpointServer> {
  return startEndpoint({ ops, ...options });
}
