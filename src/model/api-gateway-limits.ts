/**
 * API Gateway's limits for HTTP and WebSocket APIs, in the same shape as the LIMITS table, each
 * row citing the AWS page that states it.
 */
import type { LimitRow } from "./limits.ts";

const HTTP_QUOTAS = "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html";
const WEBSOCKET_QUOTAS =
  "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html";
const CORS =
  "https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid.html#apis-apiid-model-cors";
const STAGES = "https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages.html";

export const API_GATEWAY_LIMITS = {
  http: {
    /** Request body (and so the event's body). */
    payload: { max: 10 * 1024 * 1024, unit: "bytes", docs: HTTP_QUOTAS },
    /** Request line plus header values. */
    requestLineAndHeaders: { max: 10240, unit: "bytes", docs: HTTP_QUOTAS },
    integrationTimeout: { max: 30, default: 30, unit: "seconds", docs: HTTP_QUOTAS },
    routes: { max: 300, unit: "routes per API", docs: HTTP_QUOTAS },
    corsMaxAge: { min: 0, max: 86400, unit: "seconds", docs: CORS },
  },
  websocket: {
    frame: { max: 32 * 1024, unit: "bytes", docs: WEBSOCKET_QUOTAS },
    message: { max: 128 * 1024, unit: "bytes", docs: WEBSOCKET_QUOTAS },
    idleTimeout: { max: 600, unit: "seconds", docs: WEBSOCKET_QUOTAS },
    connectionDuration: { max: 7200, unit: "seconds", docs: WEBSOCKET_QUOTAS },
    integrationTimeout: { min: 0.05, max: 29, default: 29, unit: "seconds", docs: WEBSOCKET_QUOTAS },
    routes: { max: 300, unit: "routes per API", docs: WEBSOCKET_QUOTAS },
  },
  stageName: {
    min: 1,
    max: 128,
    unit: "characters",
    pattern: /^[A-Za-z0-9_-]+$/,
    charset: "letters, digits, hyphens and underscores",
    docs: STAGES,
  },
} as const satisfies Record<string, Record<string, LimitRow> | LimitRow>;
