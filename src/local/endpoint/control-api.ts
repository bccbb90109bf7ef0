import type { IncomingMessage, ServerResponse } from "node:http";
import { AwsError, SluiceError } from "../../model/errors.ts";
import type { Operations } from "../operations.ts";
import { readBody } from "./http-body.ts";

/** Sluice's own API lives under this path of the endpoint; everything else is AWS's. */
export const CONTROL_PREFIX = "/_sluice";

/** Answers one request under CONTROL_PREFIX. */
export async function handleControl(
  ops: Operations,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    await route(ops, req, res);
  } catch (error) {
    sendError(res, error);
  }
}

async function route(ops: Operations, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? "/", "http://local").pathname;
  const key = `${req.method} ${path}`;
  switch (key) {
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
    case `GET ${CONTROL_PREFIX}/schedules`: {
      const count = Number(new URL(req.url ?? "/", "http://local").searchParams.get("count") ?? "3");
      return sendJson(
        res,
        200,
        await ops.schedules(Number.isInteger(count) && count > 0 ? Math.min(count, 100) : 3),
      );
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
      return sendJson(res, 404, { code: "NotFound", message: `no such control operation: ${key}` });
  }
}

async function readJson<T>(req: IncomingMessage): Promise<T> {
  const body = await readBody(req);
  try {
    return JSON.parse(body.toString("utf8")) as T;
  } catch {
    throw new AwsError("InvalidRequestContentException", "request body is not valid JSON", 400);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown): void {
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
