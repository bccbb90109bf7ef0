/**
 * CloudWatch Logs over AWS JSON 1.1 (`X-Amz-Target: Logs_20140328.<Action>`), what
 * @aws-sdk/client-cloudwatch-logs sends. Errors are 400s with `__type` and `message`.
 */
import type { ServerResponse } from "node:http";
import { AwsError } from "../../../model/errors.ts";
import {
  jsonNumber,
  jsonObjectList,
  jsonString,
  jsonStringList,
  parseJsonObject,
  sendAwsJson,
  serializationError,
} from "../../wire/index.ts";
import { invalidParameter, LogsError, logStreamNotFound } from "../errors.ts";
import type { LogStore } from "../log-store.ts";

const LOGS_TARGET_PREFIX = "Logs_20140328.";

export interface LogsContext {
  readonly region: string;
  readonly requestId: string;
}

type Json = Record<string, unknown>;
type Action = (store: LogStore, input: Json, region: string) => unknown;

const ACTIONS: Record<string, Action> = {
  CreateLogGroup: (store, input, region) => {
    store.createLogGroup(region, str(input, "logGroupName"));
    return {};
  },
  DeleteLogGroup: (store, input, region) => {
    store.deleteLogGroup(region, str(input, "logGroupName"));
    return {};
  },
  PutRetentionPolicy: (store, input, region) => {
    store.putRetention(region, str(input, "logGroupName"), num(input, "retentionInDays") ?? Number.NaN);
    return {};
  },
  DeleteRetentionPolicy: (store, input, region) => {
    store.putRetention(region, str(input, "logGroupName"), undefined);
    return {};
  },
  CreateLogStream: (store, input, region) => {
    store.createLogStream(region, str(input, "logGroupName"), str(input, "logStreamName"));
    return {};
  },
  PutLogEvents: (store, input, region) => {
    const group = str(input, "logGroupName");
    const stream = str(input, "logStreamName");
    const { logStreams } = store.describeLogStreams(region, {
      logGroupName: group,
      logStreamNamePrefix: stream,
    });
    if (!logStreams.some((s) => s.logStreamName === stream)) throw logStreamNotFound(group, stream);
    const events = (jsonObjectList(input, "logEvents") ?? []).map((event) => ({
      timestamp: requiredMember(long(event, "timestamp"), "logEvents.member.timestamp"),
      message: requiredMember(jsonString(event, "message"), "logEvents.member.message"),
    }));
    if (events.length === 0) throw invalidParameter("logEvents must hold at least one event.");
    store.append(region, group, stream, events);
    return {};
  },
  DescribeLogGroups: (store, input, region) =>
    store.describeLogGroups(region, {
      ...opt("logGroupNamePrefix", optStr(input, "logGroupNamePrefix")),
      ...opt("limit", num(input, "limit")),
      ...opt("nextToken", optStr(input, "nextToken")),
    }),
  DescribeLogStreams: (store, input, region) =>
    store.describeLogStreams(region, {
      logGroupName: str(input, "logGroupName"),
      ...opt("logStreamNamePrefix", optStr(input, "logStreamNamePrefix")),
      ...opt("orderBy", optStr(input, "orderBy") as "LogStreamName" | "LastEventTime" | undefined),
      ...opt("descending", bool(input, "descending")),
      ...opt("limit", num(input, "limit")),
      ...opt("nextToken", optStr(input, "nextToken")),
    }),
  GetLogEvents: (store, input, region) =>
    store.getLogEvents(region, {
      logGroupName: str(input, "logGroupName"),
      logStreamName: str(input, "logStreamName"),
      ...opt("startTime", num(input, "startTime")),
      ...opt("endTime", num(input, "endTime")),
      ...opt("limit", num(input, "limit")),
      ...opt("nextToken", optStr(input, "nextToken")),
      ...opt("startFromHead", bool(input, "startFromHead")),
    }),
  FilterLogEvents: (store, input, region) => ({
    ...store.filterLogEvents(region, {
      logGroupName: str(input, "logGroupName"),
      ...opt("logStreamNames", jsonStringList(input, "logStreamNames")),
      ...opt("logStreamNamePrefix", optStr(input, "logStreamNamePrefix")),
      ...opt("startTime", num(input, "startTime")),
      ...opt("endTime", num(input, "endTime")),
      ...opt("filterPattern", optStr(input, "filterPattern")),
      ...opt("limit", num(input, "limit")),
      ...opt("nextToken", optStr(input, "nextToken")),
    }),
    // Deprecated by AWS and always empty there now.
    searchedLogStreams: [],
  }),
};

export async function handleLogsJson(
  store: LogStore,
  target: string,
  body: Buffer,
  context: LogsContext,
  res: ServerResponse,
): Promise<void> {
  try {
    const action = target.startsWith(LOGS_TARGET_PREFIX) ? target.slice(LOGS_TARGET_PREFIX.length) : target;
    const run = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (!run) {
      throw new LogsError(
        "UnknownOperationException",
        `Sluice's CloudWatch Logs serves ${Object.keys(ACTIONS).join(", ")}; ${action} is not one of them.`,
      );
    }
    sendAwsJson(
      res,
      "1.1",
      200,
      context.requestId,
      JSON.stringify(run(store, parseJsonObject(body), context.region)),
    );
  } catch (error) {
    const status = error instanceof AwsError ? error.statusCode : 500;
    const type = error instanceof AwsError ? error.code : "ServiceUnavailableException";
    // A bug's message and stack stay in the process; the client gets the service's own sentence.
    const message = error instanceof AwsError ? error.message : "The service cannot complete the request.";
    sendAwsJson(res, "1.1", status, context.requestId, JSON.stringify({ __type: type, message }));
  }
}

/**
 * Members by their model types: a wrong JSON type is AWS's SerializationException (400), an
 * absent required member Logs' InvalidParameterException.
 */
function str(input: Json, name: string): string {
  return requiredMember(jsonString(input, name), name);
}

function requiredMember<T>(value: T | undefined, name: string): T {
  if (value === undefined) {
    throw invalidParameter(
      `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function optStr(input: Json, name: string): string | undefined {
  return jsonString(input, name);
}

function num(input: Json, name: string): number | undefined {
  return jsonNumber(input, name);
}

/** A `Long` member (milliseconds): a fraction or a number beyond 2^53 is not one. */
function long(input: Json, name: string): number | undefined {
  const value = jsonNumber(input, name);
  if (value !== undefined && !Number.isSafeInteger(value)) throw serializationError(String(value), "a Long");
  return value;
}

function bool(input: Json, name: string): boolean | undefined {
  const value = Object.hasOwn(input, name) ? input[name] : undefined;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw serializationError(value, "a Boolean");
  return value;
}

/** `{ [name]: value }`, or nothing for an absent value (exactOptionalPropertyTypes-friendly). */
function opt<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}
