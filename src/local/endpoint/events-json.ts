/**
 * EventBridge over AWS JSON 1.1: `X-Amz-Target: AWSEvents.<Action>`, what
 * @aws-sdk/client-eventbridge v3 sends. PutEvents and TestEventPattern; PutEvents is checked
 * against the calling function's IAM policy per bus it writes to.
 */
import type { ServerResponse } from "node:http";
import { AwsError } from "../../model/errors.ts";
import { busByName, eventBusArn } from "../../model/events.ts";
import type { PutEventsEntry } from "../events/event-envelope.ts";
import type { AwsCall } from "./aws-call.ts";
import { describeError } from "./errors-wire.ts";
import { AccessDeniedError } from "./iam-guard.ts";
import { parseJsonObject, sendAwsJson } from "./aws-json.ts";

export const EVENTS_TARGET_PREFIX = "AWSEvents.";

type Json = Record<string, unknown>;

export async function handleEventsJson(
  target: string,
  body: Buffer,
  call: AwsCall,
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

function putEvents(input: Json, call: AwsCall): unknown {
  const entries = input.Entries;
  if (!Array.isArray(entries))
    throw new AwsError("ValidationException", "Entries is a required parameter.", 400);
  const buses = new Set(entries.map((e) => busByName(call.spec, (e as PutEventsEntry).EventBusName)));
  for (const bus of buses)
    if (bus !== undefined) call.authorize("events:PutEvents", eventBusArn(call.spec, bus));
  return call.cloud.events.putEvents(entries as PutEventsEntry[]);
}

function testPattern(input: Json, call: AwsCall): unknown {
  call.authorize("events:TestEventPattern", "*");
  const { EventPattern, Event } = input;
  if (typeof EventPattern !== "string" || typeof Event !== "string") {
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
