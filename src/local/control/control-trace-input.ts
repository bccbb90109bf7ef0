/**
 * The control API's trace and console-action inputs (issue 20), checked as control-input.ts checks
 * the others: every field typed and bounded, every bad field named in one 400, and only the known
 * fields copied out.
 */
import { AwsError } from "../../model/errors.ts";
import type { PutEventRequest, ReplayRequest } from "../operations.ts";
import { TRACE_LIST_MAX_LIMIT, type TraceQuery } from "../traces/index.ts";
import { Checker, optional } from "./control-input.ts";

/** An X-Ray trace id (the header's Root): `1-<8 hex>-<24 hex>`. */
export const TRACE_ID = {
  test: /^1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24}$/,
  looksLike: "a trace id, 1-<8 hex>-<24 hex>",
};
/** A segment id (the header's Parent): 16 hex digits. */
export const HOP_ID = { test: /^[0-9a-fA-F]{16}$/, looksLike: "a hop id, 16 hex digits" };

/** Names of queues, buses, schedules and resources: AWS's longest (an ARN) fits well within it. */
const MAX_NAME = 256;
/** EventBridge's Source and DetailType are at most 256 and 128 characters; the bus checks them. */
const MAX_EVENT_FIELD = 256;

/** A region's name (`ap-southeast-2`, `us-gov-west-1`): well under it. */
const MAX_REGION = 50;

const TRACE_QUERY_PARAMS = ["failed", "resource", "since", "until", "after", "limit"] as const;

/** `GET /traces?failed=1&resource=&since=&until=&after=&limit=`: times are the clock's epoch ms. */
export function tracesInput(query: URLSearchParams): TraceQuery {
  const problems: string[] = [];
  for (const key of new Set(query.keys())) {
    if (!(TRACE_QUERY_PARAMS as readonly string[]).includes(key))
      problems.push(
        `unknown parameter ${JSON.stringify(key.slice(0, 40))} (takes ${TRACE_QUERY_PARAMS.join(", ")})`,
      );
    else if (query.getAll(key).length > 1) problems.push(`${key} is given more than once`);
  }
  const failed = query.get("failed");
  if (failed !== null && !["1", "0", "true", "false"].includes(failed))
    problems.push(`failed takes 1, 0, true or false; got ${JSON.stringify(failed.slice(0, 40))}`);
  const resource = query.get("resource");
  if (resource !== null && (resource.length === 0 || resource.length > MAX_NAME))
    problems.push(`resource must be 1 to ${MAX_NAME} characters; got ${resource.length}`);
  const whole = (key: string, min: number, max: number): number | undefined => {
    const text = query.get(key);
    if (text === null) return undefined;
    const value = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(
        `${key} takes a whole number from ${min} to ${max}; got ${JSON.stringify(text.slice(0, 40))}`,
      );
      return undefined;
    }
    return value;
  };
  const request: TraceQuery = {
    ...(failed === "1" || failed === "true" ? { failed: true } : {}),
    ...(resource === null ? {} : { resource }),
    ...optional("sinceMs", whole("since", 0, Number.MAX_SAFE_INTEGER)),
    ...optional("untilMs", whole("until", 0, Number.MAX_SAFE_INTEGER)),
    ...optional("afterSeq", whole("after", 0, Number.MAX_SAFE_INTEGER)),
    ...optional("limit", whole("limit", 1, TRACE_LIST_MAX_LIMIT)),
  };
  if (problems.length > 0) throw new AwsError("InvalidParameterValue", `${problems.join("; ")}.`, 400);
  return request;
}

/** `GET /trace?id=`: one trace id. */
export function traceInput(query: URLSearchParams): string {
  const id = query.get("id");
  if (id === null || id === "")
    throw new AwsError("InvalidParameterValue", "id (a trace id, 1-<8 hex>-<24 hex>) is required.", 400);
  if (!TRACE_ID.test.test(id))
    throw new AwsError(
      "InvalidParameterValue",
      `id must be ${TRACE_ID.looksLike}; got ${JSON.stringify(id.slice(0, 40))}.`,
      400,
    );
  return id;
}

/** `POST /purge {queue}`. */
export function purgeInput(body: unknown): string {
  const check = new Checker(body);
  return check.done(check.bounded("queue", true, MAX_NAME) as string);
}

/** `POST /put-event {bus, source, detailType, detail}`: the detail is JSON text. */
export function putEventInput(body: unknown): PutEventRequest {
  const check = new Checker(body);
  const request: PutEventRequest = {
    bus: check.bounded("bus", true, MAX_NAME) as string,
    source: check.bounded("source", true, MAX_EVENT_FIELD) as string,
    detailType: check.bounded("detailType", true, MAX_EVENT_FIELD) as string,
    detail: check.string("detail", true) as string,
    ...optional("region", check.bounded("region", false, MAX_REGION)),
  };
  return check.done(request);
}

/** `POST /replay {traceId, hopId}`. */
export function replayInput(body: unknown): ReplayRequest {
  const check = new Checker(body);
  const request: ReplayRequest = {
    traceId: check.bounded("traceId", true, 35, TRACE_ID) as string,
    hopId: check.bounded("hopId", true, 16, HOP_ID) as string,
    ...optional("region", check.bounded("region", false, MAX_REGION)),
  };
  return check.done(request);
}

/** `POST /schedules/trigger {schedule}`. */
export function triggerInput(body: unknown): string {
  const check = new Checker(body);
  return check.done(check.bounded("schedule", true, MAX_NAME) as string);
}
