/** API Gateway's WebSocket limits, in the units the server uses. */
import { API_GATEWAY_LIMITS } from "../../model/api-gateway-limits.ts";

const W = API_GATEWAY_LIMITS.websocket;

export const WEBSOCKET_LIMITS = {
  frameBytes: W.frame.max,
  messageBytes: W.message.max,
  idleMs: W.idleTimeout.max * 1000,
  connectionMs: W.connectionDuration.max * 1000,
  integrationTimeoutMs: W.integrationTimeout.max * 1000,
} as const;

/** Close codes API Gateway uses when it ends a connection itself. */
export const CLOSE = {
  /** Idle timeout or the 2-hour limit. */
  goingAway: 1001,
  /** A frame or message over the limits. */
  tooBig: 1009,
  /** DeleteConnection. */
  normal: 1000,
} as const;
