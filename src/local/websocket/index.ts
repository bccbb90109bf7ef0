/**
 * WebSocket APIs (API Gateway v2): the server, routes, and @connections.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */

export type { WebSocketApiServer } from "./websocket-api-server.ts";
export { startWebSocketApi } from "./websocket-api-server.ts";
