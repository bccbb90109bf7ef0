/**
 * EventBridge over AWS JSON 1.1: `X-Amz-Target: AWSEvents.<Action>`, what
 * @aws-sdk/client-eventbridge v3 sends. PutEvents and TestEventPattern; PutEvents is checked
 * against the calling function's IAM policy per bus it writes to.
 */
import type { ServerResponse } from "node:http";
import { AwsError } from "../../../model/errors.ts";
import { busByName, eventBusArn } from "../../../model/events.ts";
import {
  AccessDeniedError,
  type AwsCall,
  describeError,
  jsonObjectList,
  jsonString,
  jsonStringList,
  parseJsonObject,
  sendAwsJson,
  serializationError,
} from "../../wire/index.ts";
import type { EventBusService } from "../event-bus-service.ts";
import type { PutEventsEntry } from "../event-envelope.ts";

/** A call as EventBridge's wire handlers see it: all they need of the local cloud is its buses. */
export type EventsCall = AwsCall<{ readonly events: EventBusService }>;

export const EVENTS_TARGET_PREFIX = "AWSEvents.";

type Json = Record<string, unknown>;

export async function handleEventsJson(
  target: string,
  body: Buffer,
  call: EventsCall,
  res: ServerResponse,
): Promise<void> {
  try {
    const action = target.slice(EVENTS_TARGET_PREFIX.length);
    const input = parseJsonObject(body);
    const output =
      action === "PutEvents"
        ? putEvents(input, call)
        : action === "TestEventPattern"
          ? testPattern(input, call)
          : unknown(action);
    sendAwsJson(res, "1.1", 200, call.requestId, JSON.stringify(output));
  } catch (error) {
    call.reportBug(error);
    const wire = describeError(error, false);
    const type = error instanceof AccessDeniedError ? "AccessDeniedException" : wire.jsonCode;
    sendAwsJson(
      res,
      "1.1",
      wire.status,
      call.requestId,
      JSON.stringify({ __type: type, message: wire.message }),
    );
  }
}

function putEvents(input: Json, call: EventsCall): unknown {
  const entries = jsonObjectList(input, "Entries")?.map(putEventsEntry);
  if (entries === undefined)
    throw new AwsError("ValidationException", "Entries is a required parameter.", 400);
  const buses = new Set(entries.map((e) => busByName(call.spec, e.EventBusName)));
  for (const bus of buses)
    if (bus !== undefined) call.authorize("events:PutEvents", eventBusArn(call.spec, bus));
  // An entry's TraceHeader overrides the request's X-Amzn-Trace-Id (eb-related-service-xray).
  return call.cloud.events.putEvents(entries, {
    ...(call.traceHeader === undefined ? {} : { traceHeader: call.traceHeader }),
    source: call.caller === undefined ? "client" : `function:${call.caller.name}`,
  });
}

/** The largest |epoch seconds| a Date holds (±8.64e15 ms); beyond it no event time can be written. */
const MAX_EPOCH_SECONDS = 8.64e12;

/**
 * One entry with each member checked against PutEventsRequestEntry's types (strings, a list of
 * strings, a timestamp), as AWS's JSON deserializer does before EventBridge sees it; unknown
 * members are dropped.
 */
function putEventsEntry(raw: Json): PutEventsEntry {
  const time = raw.Time;
  if (time !== undefined && time !== null) {
    if (typeof time !== "number" && typeof time !== "string") throw serializationError(time, "a Timestamp");
    const ms = typeof time === "number" ? time * 1000 : Date.parse(time);
    if (!Number.isFinite(ms) || Math.abs(ms) > MAX_EPOCH_SECONDS * 1000) {
      throw new AwsError(
        "SerializationException",
        `Time ${JSON.stringify(time)} is not a valid timestamp.`,
        400,
      );
    }
  }
  const entry: Record<string, unknown> = Object.create(null);
  for (const name of ["Source", "DetailType", "Detail", "EventBusName", "TraceHeader"] as const) {
    const value = jsonString(raw, name);
    if (value !== undefined) entry[name] = value;
  }
  const resources = jsonStringList(raw, "Resources");
  if (resources !== undefined) entry.Resources = resources;
  if (time !== undefined && time !== null) entry.Time = time;
  return entry as PutEventsEntry;
}

function testPattern(input: Json, call: EventsCall): unknown {
  call.authorize("events:TestEventPattern", "*");
  const EventPattern = jsonString(input, "EventPattern");
  const Event = jsonString(input, "Event");
  if (EventPattern === undefined || Event === undefined) {
    throw new AwsError("ValidationException", "EventPattern and Event are required strings.", 400);
  }
  return { Result: call.cloud.events.testEventPattern(EventPattern, Event) };
}

function unknown(action: string): never {
  throw new AwsError(
    "UnknownOperationException",
    `Sluice's EventBridge serves PutEvents and TestEventPattern; ${action} is not one of them.`,
    400,
  );
}
