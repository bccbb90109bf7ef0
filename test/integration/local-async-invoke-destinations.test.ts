import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { EventBridgeSchema, SqsSchema } from "@aws-lambda-powertools/parser/schemas";
import { AsyncDestinations, type DestinationEvent } from "../../src/local/async-invoke/async-destinations.ts";
import {
  type Bundle,
  bundleAsyncHandlers,
  dropped,
  InvocationRecordSchema,
  nextJson,
  nextMessage,
  openRig,
  retries,
} from "../support/async-invoke-rig.ts";
import { HoldGate } from "../support/hold-gate.ts";

let bundle: Bundle;
let gate: HoldGate;
before(async () => {
  bundle = await bundleAsyncHandlers();
  gate = await HoldGate.open();
});
after(async () => {
  bundle.cleanup();
  await gate.close();
});

const ARN = "arn:aws:lambda:us-east-1:000000000000:function:events-task:$LATEST";

/** A record as received, checked against the documented shape first. */
function record(value: unknown): Record<string, unknown> {
  return InvocationRecordSchema.parse(value) as Record<string, unknown>;
}

describe("asynchronous invocation destinations", { timeout: 60_000 }, () => {
  test("sends Lambda's invocation record of a success to the on-success queue", async () => {
    const rig = openRig(bundle, {
      queues: { audit: {} },
      functions: { task: { handler: "handlers.task", async: { onSuccess: "audit" } } },
    });
    try {
      const start = rig.clock.now();
      const { requestId } = rig.cloud.invokeAsync("task", JSON.stringify({ id: "ok" }));
      assert.deepEqual(record(await nextJson(rig, "audit")), {
        version: "1.0",
        timestamp: new Date(start).toISOString(),
        requestContext: { requestId, functionArn: ARN, condition: "Success", approximateInvokeCount: 1 },
        requestPayload: { id: "ok" },
        responseContext: { statusCode: 200, executedVersion: "$LATEST" },
        responsePayload: { done: "ok" },
      });
      assert.deepEqual(rig.events.items, [], "a success is not reported as an event");
    } finally {
      await rig.close();
    }
  });

  test("after its retries, sends the record with RetriesExhausted to the on-failure queue and the event to the dead-letter queue", async () => {
    const rig = openRig(bundle, {
      queues: { failures: {}, dlq: {} },
      functions: {
        task: {
          handler: "handlers.task",
          async: { maximumRetryAttempts: 1, onFailure: "failures", deadLetter: "dlq" },
        },
      },
    });
    try {
      const start = rig.clock.now();
      const event = JSON.stringify({ id: "x", fail: true });
      const { requestId } = rig.cloud.invokeAsync("task", event);
      await rig.events.until((e) => retries(e).length === 1, "the retry to be scheduled");
      assert.equal(retries(rig.events.items)[0]?.atMs, start + 60_000);
      await rig.clock.advance(60_000);
      await rig.events.until((e) => dropped(e).length === 1, "the event to be discarded");
      const [discarded] = dropped(rig.events.items);
      assert.equal(discarded?.at, start + 60_000);
      assert.equal(discarded?.condition, "RetriesExhausted");
      assert.deepEqual(discarded?.sentTo, ["on-failure queue failures", "dead-letter queue dlq"]);

      const failure = record(await nextJson(rig, "failures"));
      const { responsePayload, ...rest } = failure;
      assert.deepEqual(rest, {
        version: "1.0",
        timestamp: new Date(start + 60_000).toISOString(),
        requestContext: {
          requestId,
          functionArn: ARN,
          condition: "RetriesExhausted",
          approximateInvokeCount: 2,
        },
        requestPayload: { id: "x", fail: true },
        responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
      });
      const error = responsePayload as { errorType: string; errorMessage: string; trace: string[] };
      assert.equal(error.errorType, "Error");
      assert.equal(error.errorMessage, "task x failed");
      assert.ok(Array.isArray(error.trace));

      const letter = await nextMessage(rig, "dlq");
      assert.equal(letter.body, event, "the dead-letter queue gets the event unchanged");
      assert.deepEqual(letter.messageAttributes, {
        RequestID: { dataType: "String", stringValue: requestId },
        ErrorCode: { dataType: "Number", stringValue: "200" },
        ErrorMessage: { dataType: "String", stringValue: "task x failed" },
      });
    } finally {
      await rig.close();
    }
  });

  test("a consumer of the dead-letter queue gets an SQS event that matches Powertools' schema", async () => {
    const rig = openRig(bundle, {
      queues: { dlq: {}, captured: {} },
      functions: {
        task: { handler: "handlers.task", async: { maximumRetryAttempts: 0, deadLetter: "dlq" } },
        consume: { handler: "handlers.consume", consumes: { queue: "dlq" } },
      },
    });
    try {
      const { requestId } = rig.cloud.invokeAsync("task", JSON.stringify({ id: "y", fail: true }));
      const { event } = (await nextJson(rig, "captured")) as { event: unknown };
      const parsed = SqsSchema.parse(event);
      const [item] = parsed.Records;
      assert.deepEqual(JSON.parse(item?.body ?? ""), { id: "y", fail: true });
      assert.deepEqual(item?.messageAttributes.RequestID?.stringValue, requestId);
      assert.equal(item?.messageAttributes.ErrorCode?.dataType, "Number");
      assert.equal(item?.messageAttributes.ErrorCode?.stringValue, "200");
      assert.equal(item?.messageAttributes.ErrorMessage?.stringValue, "task y failed");
      assert.equal(retries(rig.events.items).length, 0, "maximumRetryAttempts 0: no retry");
    } finally {
      await rig.close();
    }
  });

  test("invokes an on-failure function asynchronously with the record as its event", async () => {
    const rig = openRig(bundle, {
      queues: { seen: {} },
      functions: {
        task: { handler: "handlers.task", async: { maximumRetryAttempts: 0, onFailure: "record" } },
        record: { handler: "handlers.record" },
      },
    });
    try {
      const { requestId } = rig.cloud.invokeAsync("task", JSON.stringify({ id: "z", fail: true }));
      const seen = record(await nextJson(rig, "seen"));
      assert.deepEqual(seen.requestContext, {
        requestId,
        functionArn: ARN,
        condition: "RetriesExhausted",
        approximateInvokeCount: 1,
      });
      assert.deepEqual(dropped(rig.events.items)[0]?.sentTo, ["on-failure function record"]);
    } finally {
      await rig.close();
    }
  });

  test("discards an event whose next retry would come after its maximum age, when it expires, with EventAgeExceeded", async () => {
    const rig = openRig(bundle, {
      queues: { failures: {} },
      functions: {
        task: { handler: "handlers.task", async: { maximumEventAge: "1 minute", onFailure: "failures" } },
      },
    });
    try {
      const start = rig.clock.now();
      const { requestId } = rig.cloud.invokeAsync("task", JSON.stringify({ id: "old", fail: true }));
      await rig.events.until((e) => retries(e).length === 1, "the first retry to be scheduled");
      // At exactly its maximum age the event may still run: the first retry happens.
      await rig.clock.advance(60_000);
      // The second retry would be 2 minutes later; the event expires 1 ms after its maximum age.
      await rig.clock.advance(1);
      await rig.events.until((e) => dropped(e).length === 1, "the event to expire");
      const [expired] = dropped(rig.events.items);
      assert.equal(expired?.at, start + 60_001);
      assert.equal(expired?.condition, "EventAgeExceeded");
      assert.match(
        expired?.reason ?? "",
        /^event older than its maximum age of 60 seconds: Error: task old failed$/,
      );
      assert.equal(retries(rig.events.items).length, 1);
      const failure = record(await nextJson(rig, "failures"));
      assert.equal(failure.timestamp, new Date(start + 60_001).toISOString());
      assert.deepEqual(failure.requestContext, {
        requestId,
        functionArn: ARN,
        condition: "EventAgeExceeded",
        approximateInvokeCount: 2,
      });
      assert.deepEqual(failure.responseContext, {
        statusCode: 200,
        executedVersion: "$LATEST",
        functionError: "Unhandled",
      });
    } finally {
      await rig.close();
    }
  });

  test("discards an event that waited for concurrency past its maximum age, never invoked", async () => {
    const rig = openRig(
      bundle,
      {
        queues: { failures: {} },
        functions: {
          task: {
            handler: "handlers.task",
            reservedConcurrency: 1,
            // Longer than the clock moves here: the held invocation keeps the only environment.
            timeout: "15 minutes",
            async: { maximumEventAge: "1 minute", onFailure: "failures" },
          },
        },
      },
      { gate },
    );
    const arrived = gate.arrivals.items.length;
    const held = rig.cloud.lambda.invoke("task", { payload: JSON.stringify({ id: "busy", hold: true }) });
    try {
      await gate.arrived(arrived + 1);
      const start = rig.clock.now();
      const { requestId } = rig.cloud.invokeAsync("task", JSON.stringify({ id: "waiting" }));
      await rig.clock.advance(60_000);
      assert.deepEqual(rig.events.items, [], "still within its maximum age");
      await rig.clock.advance(1);
      await rig.events.until((e) => dropped(e).length === 1, "the event to expire");
      assert.equal(dropped(rig.events.items)[0]?.at, start + 60_001);
      assert.match(dropped(rig.events.items)[0]?.reason ?? "", /\(never invoked\)$/);
      assert.deepEqual(record(await nextJson(rig, "failures")), {
        version: "1.0",
        timestamp: new Date(start + 60_001).toISOString(),
        requestContext: {
          requestId,
          functionArn: ARN,
          condition: "EventAgeExceeded",
          approximateInvokeCount: 0,
        },
        requestPayload: { id: "waiting" },
        responseContext: { statusCode: 429, executedVersion: "$LATEST" },
        responsePayload: { errorMessage: "Rate Exceeded.", errorType: "TooManyRequestsException" },
      });
    } finally {
      gate.release("busy");
      await held;
      await rig.close();
    }
  });

  test("with reserved concurrency 0, sends events straight to the dead-letter queue without invoking", async () => {
    const rig = openRig(bundle, {
      queues: { dlq: {} },
      functions: { task: { handler: "handlers.task", reservedConcurrency: 0, async: { deadLetter: "dlq" } } },
    });
    try {
      const { requestId } = rig.cloud.invokeAsync("task", JSON.stringify({ id: "stopped" }));
      const letter = await nextMessage(rig, "dlq");
      assert.deepEqual(letter.messageAttributes, {
        RequestID: { dataType: "String", stringValue: requestId },
        ErrorCode: { dataType: "Number", stringValue: "429" },
        ErrorMessage: { dataType: "String", stringValue: "Rate Exceeded." },
      });
      assert.equal(dropped(rig.events.items)[0]?.condition, "RetriesExhausted");
      assert.equal(rig.cloud.lambda.stats()[0]?.warm, 0, "the function never ran");
    } finally {
      await rig.close();
    }
  });

  test("cuts the dead-letter ErrorMessage to its first 1 KB without splitting a character", async () => {
    const rig = openRig(bundle, {
      queues: { dlq: {} },
      functions: {
        task: { handler: "handlers.task", async: { maximumRetryAttempts: 0, deadLetter: "dlq" } },
      },
    });
    try {
      rig.cloud.invokeAsync("task", JSON.stringify({ id: "long", fail: true, message: "é".repeat(2000) }));
      const letter = await nextMessage(rig, "dlq");
      assert.equal(letter.messageAttributes.ErrorMessage?.stringValue, "é".repeat(512));
    } finally {
      await rig.close();
    }
  });

  test("reports a record it cannot deliver and carries on", async () => {
    const rig = openRig(bundle, {
      queues: { audit: {} },
      functions: { task: { handler: "handlers.task", async: { onSuccess: "audit" } } },
    });
    try {
      rig.cloud.sqs.deleteQueue("audit");
      const { requestId } = rig.cloud.invokeAsync("task", JSON.stringify({ id: "lost" }));
      await rig.events.until((e) => e.some((x) => x.type === "destination-failed"), "the failed delivery");
      const [failed] = rig.events.items;
      assert.equal(failed?.type, "destination-failed");
      assert.equal(failed?.type === "destination-failed" && failed.destination, "on-success queue audit");
      assert.equal(failed?.requestId, requestId);
      assert.deepEqual(rig.cloud.asyncInvoke.depths(), {}, "the event itself succeeded and is done");
    } finally {
      await rig.close();
    }
  });

  test("puts the record on the on-success bus as a lambda event, which a rule delivers to a queue", async () => {
    const rig = openRig(bundle, {
      queues: { audit: {} },
      functions: { task: { handler: "handlers.task", async: { onSuccess: "results" } } },
      buses: { results: {} },
      rules: {
        done: {
          bus: "results",
          pattern: { source: ["lambda"], "detail-type": ["Lambda Function Invocation Result - Success"] },
          targets: [{ queue: "audit" }],
        },
      },
    });
    try {
      const start = rig.clock.now();
      const { requestId } = rig.cloud.invokeAsync("task", JSON.stringify({ id: "ok" }));
      const event = EventBridgeSchema.parse(await nextJson(rig, "audit"));
      assert.equal(event.source, "lambda");
      assert.equal(event["detail-type"], "Lambda Function Invocation Result - Success");
      // Lambda's guide (invocation-async-retain-records): the destination bus, then the function.
      assert.deepEqual(event.resources, [
        "arn:aws:events:us-east-1:000000000000:event-bus/events-results",
        ARN,
      ]);
      assert.deepEqual(record(event.detail), {
        version: "1.0",
        timestamp: new Date(start).toISOString(),
        requestContext: { requestId, functionArn: ARN, condition: "Success", approximateInvokeCount: 1 },
        requestPayload: { id: "ok" },
        responseContext: { statusCode: 200, executedVersion: "$LATEST" },
        responsePayload: { done: "ok" },
      });
      assert.deepEqual(rig.events.items, [], "a delivered record is not reported as an event");
    } finally {
      await rig.close();
    }
  });

  test("puts the record of a discarded event on the default bus with the failure detail type", async () => {
    const rig = openRig(bundle, {
      queues: { failures: {} },
      functions: {
        task: { handler: "handlers.task", async: { maximumRetryAttempts: 0, onFailure: "default" } },
      },
      rules: {
        failed: {
          pattern: { "detail-type": ["Lambda Function Invocation Result - Failure"] },
          targets: [{ queue: "failures" }],
        },
      },
    });
    try {
      const { requestId } = rig.cloud.invokeAsync("task", JSON.stringify({ id: "x", fail: true }));
      await rig.events.until((e) => dropped(e).length === 1, "the event to be discarded");
      assert.deepEqual(dropped(rig.events.items)[0]?.sentTo, ["on-failure bus default"]);
      const event = EventBridgeSchema.parse(await nextJson(rig, "failures"));
      assert.equal(event.source, "lambda");
      const detail = record(event.detail);
      assert.equal((detail.requestContext as { requestId: string }).requestId, requestId);
      assert.equal((detail.requestContext as { condition: string }).condition, "RetriesExhausted");
    } finally {
      await rig.close();
    }
  });

  test("reports a record the bus refuses (a failed entry) as a failed delivery", () => {
    const reported: DestinationEvent[] = [];
    const destinations = new AsyncDestinations({
      functionNames: new Set(["task"]),
      invokeAsync: () => assert.fail("a bus destination invokes no function"),
      busNames: new Set(["results"]),
      physicalBusName: (bus) => `events-${bus}`,
      putEvents: (entries) => {
        assert.equal(entries[0]?.EventBusName, "events-results");
        return {
          FailedEntryCount: 1,
          Entries: [{ ErrorCode: "InternalFailure", ErrorMessage: "bus unavailable" }],
        };
      },
      onEvent: (event) => reported.push(event),
    });
    const where = destinations.sendRecord("results", {
      functionName: "task",
      requestId: "r-1",
      functionArn: "arn:aws:lambda:us-east-1:000000000000:function:events-task",
      condition: "Success",
      approximateInvokeCount: 1,
      requestPayload: "{}",
      response: { statusCode: 200, executedVersion: "$LATEST", payload: "null" },
      nowMs: 0,
    });
    assert.equal(where, undefined);
    assert.equal(reported.length, 1);
    assert.equal(reported[0]?.destination, "on-success bus results");
    assert.match(reported[0]?.reason ?? "", /InternalFailure: bus unavailable/);
  });
});
