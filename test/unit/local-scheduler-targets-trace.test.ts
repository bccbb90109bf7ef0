/**
 * A schedule's firing is a trace locally, but AWS traces no scheduled event
 * (eb-related-service-xray): the message it sends links to the firing without an AWSTraceHeader.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { deliverScheduled } from "../../src/local/scheduler/schedule-targets.ts";
import type { QueueService, SendMessageInput } from "../../src/local/sqs/index.ts";
import type { ScheduleSpec } from "../../src/model/schedule/spec.ts";

const FIRING = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=0";

test("a scheduled message continues the firing's trace locally without a header receivers would see", () => {
  const sent: SendMessageInput[] = [];
  const sqs = {
    getQueue: () => ({ fifo: false }),
    sendMessage: (_queue: string, input: SendMessageInput) => {
      sent.push(input);
      return { messageId: "m", md5OfMessageBody: "" };
    },
  } as unknown as QueueService;
  const schedule: ScheduleSpec = {
    name: "nightly",
    scheduleName: "app-nightly",
    expression: "rate(1 day)",
    timezone: "UTC",
    target: { kind: "queue", name: "jobs" },
    enabled: true,
  };
  deliverScheduled(
    { invokeAsync: () => assert.fail("a queue target"), sqs, physicalBusName: (b) => b },
    { schedule, scheduledTimeMs: 0, payload: "{}", traceHeader: FIRING },
  );
  assert.equal(sent.length, 1);
  assert.equal(sent[0]?.traceHeader, undefined, "no AWSTraceHeader on AWS");
  assert.equal(sent[0]?.linkedTraceHeader, FIRING);
  assert.equal(sent[0]?.source, "schedule:nightly");
});
