import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { AwsError, SluiceError } from "../../model/errors.ts";
import type { Operations } from "../operations.ts";

export const CONTROL_PREFIX = "/_sluice";
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface ControlServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `Operations` as JSON over HTTP on loopback, for the CLI to reach a running `dev`.
 * The AWS wire protocols will share this server; they live under other paths.
 */
export async function startControlServer(
  ops: Operations,
  options: { host?: string; port?: number } = {},
): Promise<ControlServer> {
  const server: Server = createServer((req, res) => {
    handle(ops, req, res).catch((error: unknown) => sendError(res, error));
  });
  server.keepAliveTimeout = 5000;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(ops: Operations, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? "/", "http://local").pathname;
  const route = `${req.method} ${path}`;
  switch (route) {
    case `GET ${CONTROL_PREFIX}/health`:
      return sendJson(res, 200, { ok: true, pid: process.pid });
    case `GET ${CONTROL_PREFIX}/queues`:
      return sendJson(res, 200, await ops.queues());
    case `GET ${CONTROL_PREFIX}/functions`:
      return sendJson(res, 200, await ops.functions());
    case `POST ${CONTROL_PREFIX}/invoke`:
      return sendJson(res, 200, await ops.invoke(await readJson(req)));
    case `POST ${CONTROL_PREFIX}/send`:
      return sendJson(res, 200, await ops.send(await readJson(req)));
    case `POST ${CONTROL_PREFIX}/redrive`: {
      const body = await readJson<{ queue: string; to?: string }>(req);
      return sendJson(res, 200, await ops.redrive(body.queue, body.to));
    }
    case `GET ${CONTROL_PREFIX}/time`:
      return sendJson(res, 200, await ops.time());
    case `POST ${CONTROL_PREFIX}/time/advance`: {
      const body = await readJson<{ ms: number }>(req);
      if (typeof body.ms !== "number" || !(body.ms >= 0)) {
        return sendJson(res, 400, {
          code: "InvalidParameterValue",
          message: "ms must be a number of milliseconds, 0 or more",
        });
      }
      return sendJson(res, 200, await ops.advanceTime(body.ms));
    }
    default:
      return sendJson(res, 404, { code: "NotFound", message: `no such control operation: ${route}` });
  }
}

async function readJson<T>(req: IncomingMessage): Promise<T> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new AwsError("RequestTooLargeException", "request body too large", 413);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as T;
  } catch {
    throw new AwsError("InvalidRequestContentException", "request body is not valid JSON", 400);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof AwsError)
    sendJson(res, error.statusCode, { code: error.code, message: error.message });
  else if (error instanceof SluiceError) sendJson(res, 400, { code: error.code, message: error.message });
  else
    sendJson(res, 500, {
      code: "InternalError",
      message: (error as Error).message,
      stack: (error as Error).stack,
    });
}
