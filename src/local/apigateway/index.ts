/**
 * API Gateway's plumbing that HTTP APIs and WebSocket APIs share: ids, request headers, query
 * strings, bodies, request times and the integration timeout.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */
export { apiId, gatewayId, requestHopHeader, traceId } from "./gateway-ids.ts";
export { TIMED_OUT, withIntegrationTimeout } from "./integration-timeout.ts";
export { decode, queryV1, queryV2 } from "./query-string.ts";
export type { BodyResult } from "./request-body.ts";
export { readBody } from "./request-body.ts";
export { clientHeaders, headersV1, headersV2, headerValue } from "./request-headers.ts";
export { requestTime } from "./request-time.ts";
export type { ApiAccess, ApiBackend, ApiServer, ApiServerOptions } from "./types.ts";
