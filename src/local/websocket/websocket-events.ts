/**
 * Lambda events of a WebSocket API in API Gateway's shapes: CONNECT carries the handshake's
 * headers and query string, MESSAGE the body, DISCONNECT the close code and reason. Every
 * request context has the connection's id, times and identity, the stage and the domain.
 */
import { gatewayId, headersV1, queryV1, requestTime } from "../apigateway/index.ts";

export interface WebSocketApiContext {
  readonly apiId: string;
  readonly stage: string;
  /**
   * `127.0.0.1:<port>`: `https://${domainName}/${stage}` (as AWS's samples build it) and
   * `http://${domainName}/${stage}` are both the management API's URL, on the API's own port.
   */
  readonly domainName: string;
  readonly port: number;
}

export interface ConnectionFacts {
  readonly connectionId: string;
  readonly connectedAt: number;
  readonly sourceIp: string;
  readonly userAgent: string | undefined;
}

function requestContext(
  api: WebSocketApiContext,
  connection: ConnectionFacts,
  routeKey: string,
  eventType: "CONNECT" | "MESSAGE" | "DISCONNECT",
  nowMs: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const requestId = gatewayId();
  return {
    routeKey,
    ...(eventType === "MESSAGE" ? { messageId: gatewayId() } : {}),
    ...(eventType === "DISCONNECT" ? { disconnectStatusCode: extra.disconnectStatusCode } : {}),
    eventType,
    extendedRequestId: requestId,
    requestTime: requestTime(nowMs),
    messageDirection: "IN",
    ...(eventType === "DISCONNECT" ? { disconnectReason: extra.disconnectReason } : {}),
    stage: api.stage,
    connectedAt: connection.connectedAt,
    requestTimeEpoch: nowMs,
    identity: {
      ...(connection.userAgent === undefined ? {} : { userAgent: connection.userAgent }),
      sourceIp: connection.sourceIp,
    },
    requestId,
    domainName: api.domainName,
    connectionId: connection.connectionId,
    apiId: api.apiId,
  };
}

export function connectEvent(
  api: WebSocketApiContext,
  connection: ConnectionFacts,
  routeKey: string,
  handshake: { headers: [string, string][]; rawQueryString: string; traceId: string },
  nowMs: number,
): Record<string, unknown> {
  const { headers, multiValueHeaders } = headersV1(handshake.headers, {
    sourceIp: connection.sourceIp,
    port: api.port,
    traceId: handshake.traceId,
    contentLength: undefined,
  });
  const query = queryV1(handshake.rawQueryString);
  return {
    headers,
    multiValueHeaders,
    ...(query.queryStringParameters === null ? {} : query),
    requestContext: requestContext(api, connection, routeKey, "CONNECT", nowMs),
    isBase64Encoded: false,
  };
}

export function messageEvent(
  api: WebSocketApiContext,
  connection: ConnectionFacts,
  routeKey: string,
  body: string,
  isBase64Encoded: boolean,
  nowMs: number,
): Record<string, unknown> {
  return {
    requestContext: requestContext(api, connection, routeKey, "MESSAGE", nowMs),
    body,
    isBase64Encoded,
  };
}

export function disconnectEvent(
  api: WebSocketApiContext,
  connection: ConnectionFacts,
  routeKey: string,
  close: { code: number; reason: string },
  nowMs: number,
): Record<string, unknown> {
  // API Gateway sends these four headers on $disconnect, whatever the handshake carried.
  const headers: Record<string, string> = {
    Host: api.domainName,
    "x-api-key": "",
    "X-Forwarded-For": "",
    "x-restapi": "",
  };
  const multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
  return {
    headers,
    multiValueHeaders,
    requestContext: requestContext(api, connection, routeKey, "DISCONNECT", nowMs, {
      disconnectStatusCode: close.code,
      disconnectReason: close.reason,
    }),
    isBase64Encoded: false,
  };
}
