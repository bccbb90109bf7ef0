/**
 * HTTP APIs (API Gateway v2): the server that turns requests into events for functions.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */

export type { GatewayResponse } from "./gateway-responses.ts";
export type { HttpApiServerOptions } from "./http-api-server.ts";
export { startHttpApi } from "./http-api-server.ts";
