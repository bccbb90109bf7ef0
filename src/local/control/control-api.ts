import type { IncomingMessage, ServerResponse } from "node:http";
import { AwsError, SluiceError } from "../../model/errors.ts";
import { changesRequest, type HopSource } from "../console/index.ts";
import type { DrillOperations } from "../drill-operations.ts";
import { checkAdvance, type Operations } from "../operations.ts";
import { readBody } from "../wire/index.ts";
import {
  advanceInput,
  drillInput,
  executionInput,
  executionsInput,
  healInput,
  invokeInput,
  redriveInput,
  sendInput,
} from "./control-input.ts";
import {
  purgeInput,
  putEventInput,
  replayInput,
  traceInput,
  tracesInput,
  triggerInput,
} from "./control-trace-input.ts";

/** Sluice's own API lives under this path of the endpoint; everything else is AWS's. */
export const CONTROL_PREFIX = "/_sluice";

/** Receives an unexpected error's detail (the process's own output); the wire gets none of it. */
export type ControlErrorSink = (operation: string, error: unknown) => void;

/** Answers one request under CONTROL_PREFIX. */
export async function handleControl(
  ops: Operations,
  req: IncomingMessage,
  res: ServerResponse,
  onError?: ControlErrorSink,
  changes?: () => HopSource | undefined,
): Promise<void> {
  try {
    await route(ops, req, res, changes);
  } catch (error) {
    sendError(res, error, req, onError);
  }
}

async function route(
  ops: Operations,
  req: IncomingMessage,
  res: ServerResponse,
  changes?: () => HopSource | undefined,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://local");
  const key = `${req.method} ${url.pathname}`;
  switch (key) {
    case `GET ${CONTROL_PREFIX}/health`:
      // `drills`: whether `/failover` answers here (the console shows its region form only then).
      return sendJson(res, 200, { ok: true, pid: process.pid, drills: ops.drills !== undefined });
    case `GET ${CONTROL_PREFIX}/queues`:
      return sendJson(res, 200, await ops.queues());
    case `GET ${CONTROL_PREFIX}/tables`:
      return sendJson(res, 200, await ops.tables(url.searchParams.get("region") ?? undefined));
    case `GET ${CONTROL_PREFIX}/buckets`:
      return sendJson(res, 200, await ops.buckets());
    case `GET ${CONTROL_PREFIX}/functions`:
      return sendJson(res, 200, await ops.functions());
    case `POST ${CONTROL_PREFIX}/invoke`:
      return sendJson(res, 200, await ops.invoke(invokeInput(await readJson(req))));
    case `POST ${CONTROL_PREFIX}/send`:
      return sendJson(res, 200, await ops.send(sendInput(await readJson(req))));
    case `POST ${CONTROL_PREFIX}/redrive`: {
      const body = redriveInput(await readJson(req));
      return sendJson(res, 200, await ops.redrive(body.queue, body.to));
    }
    case `GET ${CONTROL_PREFIX}/schedules`: {
      const count = Number(url.searchParams.get("count") ?? "3");
      return sendJson(
        res,
        200,
        await ops.schedules(Number.isInteger(count) && count > 0 ? Math.min(count, 100) : 3),
      );
    }
    case `GET ${CONTROL_PREFIX}/executions`:
      return sendJson(res, 200, await ops.executions(executionsInput(url.searchParams)));
    case `GET ${CONTROL_PREFIX}/execution`:
      return sendJson(res, 200, await ops.execution(executionInput(url.searchParams)));
    case `GET ${CONTROL_PREFIX}/changes`:
      // The console's live updates: a long poll on the trace store (console/changes.ts).
      return sendJson(res, 200, await changesRequest(changes, url.searchParams, res));
    case `GET ${CONTROL_PREFIX}/time`:
      return sendJson(res, 200, await ops.time());
    case `POST ${CONTROL_PREFIX}/time/advance`:
      return sendJson(res, 200, await ops.advanceTime(checkAdvance(advanceInput(await readJson(req)))));
    case `GET ${CONTROL_PREFIX}/traces`:
      return sendJson(res, 200, await ops.traces(tracesInput(url.searchParams)));
    case `GET ${CONTROL_PREFIX}/trace`:
      return sendJson(res, 200, await ops.trace(traceInput(url.searchParams)));
    case `GET ${CONTROL_PREFIX}/counters`:
      return sendJson(res, 200, await ops.counters());
    case `POST ${CONTROL_PREFIX}/purge`:
      return sendJson(res, 200, await ops.purge(purgeInput(await readJson(req))));
    case `POST ${CONTROL_PREFIX}/put-event`:
      return sendJson(res, 200, await ops.putEvent(putEventInput(await readJson(req))));
    case `POST ${CONTROL_PREFIX}/replay`:
      return sendJson(res, 200, await ops.replay(replayInput(await readJson(req))));
    case `POST ${CONTROL_PREFIX}/schedules/trigger`:
      return sendJson(res, 200, await ops.triggerSchedule(triggerInput(await readJson(req))));
    case `GET ${CONTROL_PREFIX}/failover`:
      return sendJson(res, 200, await drills(ops).report());
    case `POST ${CONTROL_PREFIX}/failover/fail`:
      return sendJson(res, 200, await drills(ops).fail(drillInput(await readJson(req))));
    case `POST ${CONTROL_PREFIX}/failover/heal`:
      return sendJson(res, 200, await drills(ops).heal(healInput(await readJson(req))));
    default:
      return sendJson(res, 404, {
        code: "NotFound",
        message: `no such control operation: ${key.slice(0, 200)}`,
      });
  }
}

/** Drills exist only in a running `dev`; a cloud without them says so. */
function drills(ops: Operations): DrillOperations {
  if (ops.drills === undefined)
    throw new SluiceError("SLUICE_NO_DRILLS", "failover drills run only in `sluice dev`; start it first");
  return ops.drills;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req);
  try {
    return JSON.parse(body.toString("utf8")) as unknown;
  } catch {
    throw new AwsError("InvalidRequestContentException", "request body is not valid JSON", 400);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The caller's mistakes keep their code and message; anything else is a bug: its detail goes to
 * `onError` (the process's own output) and the caller gets a generic InternalError, never a stack.
 */
export function sendError(
  res: ServerResponse,
  error: unknown,
  req?: IncomingMessage,
  onError?: ControlErrorSink,
): void {
  const known = error instanceof SluiceError;
  if (!known) onError?.(`${req?.method ?? ""} ${(req?.url ?? "").slice(0, 200)}`, error);
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
      message:
        "The request failed because of an internal error; its detail is in the output of the sluice process.",
    });
}
