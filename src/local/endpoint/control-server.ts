import type { Operations } from "../operations.ts";
import { type EndpointOptions, type EndpointServer, startEndpoint } from "./endpoint-server.ts";

export { CONTROL_PREFIX } from "../control/index.ts";

export type { EndpointServer as ControlServer } from "./endpoint-server.ts";

/**
 * Serves `Operations` as JSON over HTTP on loopback, for the CLI to reach a running `dev`. The
 * endpoint server (endpoint-server.ts) serves this beside the AWS wire protocols; this starts one
 * with the control API alone, behind the same front door and token.
 */
export function startControlServer(
  ops: Operations,
  options: Omit<EndpointOptions, "ops" | "aws"> = {},
): Promise<EndpointServer> {
  return startEndpoint({ ops, ...options });
}
