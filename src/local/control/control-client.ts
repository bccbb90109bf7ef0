import { SluiceError } from "../../model/errors.ts";
import type { Operations } from "../operations.ts";
import { CONTROL_PREFIX } from "./control-api.ts";
import { controlAuthorization } from "./control-token.ts";

/** Error raised on the running `dev`, carried back with its code so the CLI reports it the same way. */
class RemoteError extends SluiceError {}

/** `Operations` of a running `dev`, reached over its control endpoint with the session's token. */
export function remoteOperations(url: string, token: string): Operations {
  const call = async <T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${CONTROL_PREFIX}${path}`, {
      method,
      headers: {
        ...controlAuthorization(token),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const data = (await response.json()) as T & { code?: string; message?: string };
    if (!response.ok)
      throw new RemoteError(data.code ?? "RemoteError", data.message ?? `HTTP ${response.status}`);
    return data;
  };
  return {
    invoke: (request) => call("POST", "/invoke", request),
    send: (request) => call("POST", "/send", request),
    queues: () => call("GET", "/queues"),
    tables: (region) =>
      call("GET", region === undefined ? "/tables" : `/tables?region=${encodeURIComponent(region)}`),
    buckets: () => call("GET", "/buckets"),
    functions: () => call("GET", "/functions"),
    redrive: (queue, to) => call("POST", "/redrive", { queue, ...(to ? { to } : {}) }),
    schedules: (count) => call("GET", `/schedules?count=${count}`),
    executions: (request) => {
      const query = new URLSearchParams();
      if (request.machine !== undefined) query.set("machine", request.machine);
      if (request.status !== undefined) query.set("status", request.status);
      const text = query.toString();
      return call("GET", `/executions${text === "" ? "" : `?${text}`}`);
    },
    execution: (execution) => call("GET", `/execution?arn=${encodeURIComponent(execution)}`),
    time: () => call("GET", "/time"),
    advanceTime: (ms) => call("POST", "/time/advance", { ms }),
    traces: (query) => {
      const params = new URLSearchParams();
      if (query.failed) params.set("failed", "1");
      if (query.resource !== undefined) params.set("resource", query.resource);
      if (query.sinceMs !== undefined) params.set("since", String(query.sinceMs));
      if (query.untilMs !== undefined) params.set("until", String(query.untilMs));
      if (query.afterSeq !== undefined) params.set("after", String(query.afterSeq));
      if (query.limit !== undefined) params.set("limit", String(query.limit));
      const text = params.toString();
      return call("GET", `/traces${text === "" ? "" : `?${text}`}`);
    },
    trace: (traceId) => call("GET", `/trace?id=${encodeURIComponent(traceId)}`),
    counters: () => call("GET", "/counters"),
    purge: (queue) => call("POST", "/purge", { queue }),
    putEvent: (request) => call("POST", "/put-event", request),
    replay: (request) => call("POST", "/replay", request),
    triggerSchedule: (schedule) => call("POST", "/schedules/trigger", { schedule }),
    drills: {
      fail: (request) => call("POST", "/failover/fail", request),
      heal: (request) => call("POST", "/failover/heal", request),
      report: () => call("GET", "/failover"),
    },
  };
}

/** True when a `dev` answers at `url` and takes the token. */
export async function isAlive(url: string, token: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}${CONTROL_PREFIX}/health`, {
      headers: controlAuthorization(token),
      signal: AbortSignal.timeout(1000),
    });
    return response.ok;
  } catch {
    return false;
  }
}
