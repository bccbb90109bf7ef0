import assert from "node:assert/strict";
import { test } from "node:test";
import { SqsPoller } from "../../src/local/event-source/sqs-poller.ts";
import type { LambdaService } from "../../src/local/lambda/types.ts";
import { functionSpec, queueSpec } from "../support/specs.ts";
import { openHarness } from "../support/sqs-rig.ts";

// filterCriteria is shared by the stream and SQS mappings (record-filter.ts); this pins the SQS side.
test("an SQS mapping with filterCriteria invokes with matching messages and deletes the others", async (t) => {
  const queue = queueSpec("jobs");
  const h = openHarness(t, [queue]);
  const bodies: string[][] = [];
  const lambda: LambdaService = {
    invoke: async (_name, input) => {
      bodies.push((JSON.parse(input.payload) as { Records: { body: string }[] }).Records.map((r) => r.body));
      return {
        requestId: "r",
        statusCode: 200,
        payload: "null",
        executedVersion: "$LATEST",
        deliveries: [],
        coldStart: false,
        traceHeader: "Root=1-00000000-000000000000000000000000;Parent=0000000000000000",
      };
    },
    hasCapacity: () => true,
    stats: () => [],
    reload: () => undefined,
    onLog: () => () => undefined,
    close: async () => undefined,
  };
  for (const body of ['{"kind":"order","n":1}', '{"kind":"noise"}', "plain text", '{"kind":"order","n":2}'])
    h.sqs.sendMessage(queue.name, { body });
  const poller = new SqsPoller({
    fn: functionSpec("worker", {
      consumes: {
        queue: "jobs",
        batchSize: 10,
        maximumBatchingWindowSeconds: 0,
        reportBatchItemFailures: false,
        filters: [JSON.stringify({ body: { kind: ["order"] } })],
      },
    }),
    queue,
    queueArn: "arn:aws:sqs:eu-west-1:123456789012:app-jobs",
    region: "eu-west-1",
    sqs: h.sqs,
    lambda,
    clock: h.clock,
    onResult: () => undefined,
  });
  poller.start();
  for (let i = 0; i < 30 && bodies.flat().length < 2; i++) await h.clock.advance(0);
  await poller.stop();
  assert.deepEqual(bodies.flat().sort(), ['{"kind":"order","n":1}', '{"kind":"order","n":2}']);
  // Filtered-out messages are gone too, not waiting for their visibility timeout.
  await h.clock.advance(3600_000);
  assert.equal(
    h.sqs.getQueueAttributes(queue.name, ["ApproximateNumberOfMessages"]).ApproximateNumberOfMessages,
    "0",
  );
  assert.equal(
    h.sqs.getQueueAttributes(queue.name, ["ApproximateNumberOfMessagesNotVisible"])
      .ApproximateNumberOfMessagesNotVisible,
    "0",
  );
});
