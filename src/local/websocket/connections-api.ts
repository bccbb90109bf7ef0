/**
 * The `@connections` management API (ApiGatewayManagementApi), served on the WebSocket API's own
 * server under its stage: POST sends to a connection, GET describes it, DELETE closes it. A
 * connection that is unknown or closed answers 410 GoneException, as AWS does.
 */
import type { IncomingMessage } from "node:http";
import { readBody } from "../apigateway/index.ts";
import type { Connection, ConnectionRegistry } from "./connection.ts";
import { WEBSOCKET_LIMITS } from "./websocket-limits.ts";

export interface ManagementResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface ManagementDependencies {
  readonly stage: string;
  readonly registry: ConnectionRegistry;
  send(connection: Connection, data: Buffer): void;
  disconnect(connection: Connection): void;
}

const PREFIX = "/@connections/";

/** The answer to a management request, or undefined when the path is not the management API's. */
export async function manage(
  req: IncomingMessage,
  deps: ManagementDependencies,
): Promise<ManagementResponse | undefined> {
  const url = req.url ?? "/";
  const path = url.split("?")[0] ?? "/";
  const stagePrefix = `/${deps.stage}${PREFIX}`;
  if (!path.startsWith(stagePrefix)) return undefined;
  let connectionId: string;
  try {
    connectionId = decodeURIComponent(path.slice(stagePrefix.length));
  } catch {
    return undefined;
  }
  const connection = deps.registry.get(connectionId);
  switch (req.method) {
    case "POST": {
      const read = await readBody(req, WEBSOCKET_LIMITS.messageBytes);
      if ("tooLarge" in read) {
        return error(
          413,
          "PayloadTooLargeException",
          `Message too long; the limit is ${WEBSOCKET_LIMITS.messageBytes} bytes`,
        );
      }
      if (!connection) return gone(connectionId);
      deps.send(connection, read.body ?? Buffer.alloc(0));
      return { status: 200, headers: {}, body: "" };
    }
    case "GET":
      if (!connection) return gone(connectionId);
      return {
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          connectedAt: new Date(connection.connectedAt).toISOString(),
          identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent ?? "" },
          lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
        }),
      };
    case "DELETE":
      if (!connection) return gone(connectionId);
      deps.disconnect(connection);
      return { status: 204, headers: {}, body: "" };
    default:
      return error(403, "ForbiddenException", `${req.method} is not an operation of the management API`);
  }
}

function gone(connectionId: string): ManagementResponse {
  return error(410, "GoneException", `connection ${connectionId} is gone (closed, or never existed)`);
}

function error(status: number, type: string, message: string): ManagementResponse {
  return {
    status,
    headers: { "content-type": "application/json", "x-amzn-errortype": type },
    body: JSON.stringify({ message }),
  };
}
