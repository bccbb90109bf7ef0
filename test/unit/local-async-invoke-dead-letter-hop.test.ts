/**
 * An async event that reaches its dead-letter queue is a failure of its trace, as SQS's and
 * EventBridge's dead-letter hops are (local/async-invoke/async-destinations.ts).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { AsyncDestinations } from "../../src/local/async-invoke/async-destinations.ts";
import type { HopInput } from "../../src/local/traces/index.ts";

test("the dead-letter hop of a discarded async event is recorded with outcome error, its on-failure record as a success", () => {
  const hops: HopInput[] = [];
  const sent: string[] = [];
  const destinations = new AsyncDestinations({
    functionNames: new Set(["task"]),
    invokeAsync: () => assert.fail("queue destinations invoke no function"),
    sqs: {
      sendMessage: (queue: string) => {
        sent.push(queue);
        return { messageId: "m", md5OfMessageBody: "" };
      },
    } as never,
    tracer: { record: (hop) => hops.push(hop) },
  });
  const where = destinations.sendFailure(
    { onFailure: "failures", deadLetterQueue: "dlq" } as never,
    {
      functionName: "task",
      requestId: "r-1",
      functionArn: "arn:aws:lambda:us-east-1:000000000000:function:events-task",
      condition: "RetriesExhausted",
      approximateInvokeCount: 3,
      requestPayload: "{}",
      response: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled", payload: "{}" },
      nowMs: 0,
    },
    "{}",
    { parentHeader: "Root=1-00000000-000000000000000000000000;Parent=0000000000000001;Sampled=0" },
  );
  assert.deepEqual(where, ["on-failure queue failures", "dead-letter queue dlq"]);
  assert.deepEqual(sent, ["failures", "dlq"]);
  assert.deepEqual(
    hops.map((h) => [h.kind, h.target, h.outcome]),
    [
      ["destination", "queue:failures", "success"],
      ["dead-letter", "queue:dlq", "error"],
    ],
  );
});
