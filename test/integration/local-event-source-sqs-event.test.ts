import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { SqsSchema } from "@aws-lambda-powertools/parser/schemas";
import type { ConsumesSpec } from "../../src/model/app-spec.ts";
import {
  ACCOUNT,
  body,
  bundleHandlers,
  type HandlerBundle,
  REGION,
  Rig,
  recordsOf,
} from "../support/event-source-rig.ts";
import { handlerSpec, queueSpec } from "../support/specs.ts";

let bundle: HandlerBundle;
before(async () => {
  bundle = await bundleHandlers();
});
after(() => bundle.cleanup());

const consumes = (queue: string): ConsumesSpec => ({
  queue,
  batchSize: 10,
  maximumBatchingWindowSeconds: 0,
  reportBatchItemFailures: false,
});

/** Record keys in the order Lambda writes them (docs.aws.amazon.com/lambda/latest/dg/with-sqs.html). */
const RECORD_KEYS = [
  "messageId",
  "receiptHandle",
  "body",
  "attributes",
  "messageAttributes",
  "md5OfBody",
  "eventSource",
  "eventSourceARN",
  "awsRegion",
];
const RECORD_KEYS_WITH_ATTRIBUTES = [
  ...RECORD_KEYS.slice(0, 5),
  "md5OfMessageAttributes",
  ...RECORD_KEYS.slice(5),
];
const STANDARD_ATTRIBUTES = [
  "ApproximateReceiveCount",
  "SentTimestamp",
  "SenderId",
  "ApproximateFirstReceiveTimestamp",
];
const FIFO_ATTRIBUTES = [
  "ApproximateReceiveCount",
  "SentTimestamp",
  "SequenceNumber",
  "MessageGroupId",
  "SenderId",
  "MessageDeduplicationId",
  "ApproximateFirstReceiveTimestamp",
];

const md5 = (text: string) => createHash("md5").update(text, "utf8").digest("hex");

/** Powertools' schema (an oracle we did not write) accepts the event, and strips nothing from it. */
function assertValidSqsEvent(event: unknown): void {
  const parsed = SqsSchema.safeParse(event);
  assert.ok(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues, null, 2));
  assert.deepEqual(parsed.data, event, "the schema knows every key of the event");
}

describe("the SQS event an event source mapping sends", { timeout: 60_000 }, () => {
  test("a standard queue's records validate against Powertools' SqsSchema and carry exactly AWS's keys", async () => {
    const rig = new Rig({
      bundle,
      queues: [queueSpec("pages")],
      functions: [handlerSpec("reader", "consume", { consumes: consumes("pages") })],
    });
    try {
      const sentAt = rig.clock.now();
      const withAttributes = rig.sqs.sendMessage("pages", {
        body: body("a"),
        messageAttributes: {
          kind: { dataType: "String", stringValue: "page" },
          size: { dataType: "Number", stringValue: "42" },
          blob: { dataType: "Binary", binaryValue: new Uint8Array([0, 1, 2, 250]) },
          meta: { dataType: "String.json", stringValue: "{}" },
        },
      });
      const plain = rig.sqs.sendMessage("pages", { body: body("b") });
      const traced = rig.sqs.sendMessage("pages", {
        body: body("c"),
        messageSystemAttributes: {
          AWSTraceHeader: { dataType: "String", stringValue: "Root=1-5759e988-bd862e3fe1be46a994272793" },
        },
      });
      rig.poll("reader");
      const [invocation] = await rig.invocations("reader", 1);
      assert.ok(invocation);
      const event = JSON.parse(invocation.result.payload).event;
      assertValidSqsEvent(event);
      const [a, b, c] = recordsOf(invocation);
      assert.ok(a && b && c);

      assert.deepEqual(Object.keys(a), RECORD_KEYS_WITH_ATTRIBUTES);
      assert.deepEqual(Object.keys(b), RECORD_KEYS);
      assert.deepEqual(Object.keys(a.attributes as object), STANDARD_ATTRIBUTES);
      assert.deepEqual(Object.keys(b.attributes as object), STANDARD_ATTRIBUTES);
      assert.deepEqual(
        Object.keys(c.attributes as object).sort(),
        [...STANDARD_ATTRIBUTES, "AWSTraceHeader"].sort(),
      );

      assert.equal(a.messageId, withAttributes.messageId);
      assert.equal(b.messageId, plain.messageId);
      assert.equal(c.messageId, traced.messageId);
      assert.equal(a.body, body("a"));
      assert.equal(a.md5OfBody, md5(body("a")));
      assert.equal(a.md5OfBody, withAttributes.md5OfMessageBody);
      assert.equal(a.md5OfMessageAttributes, withAttributes.md5OfMessageAttributes);
      assert.equal(a.eventSource, "aws:sqs");
      assert.equal(a.eventSourceARN, `arn:aws:sqs:${REGION}:${ACCOUNT}:app-pages`);
      assert.equal(a.awsRegion, REGION);
      assert.equal(typeof a.receiptHandle, "string");
      assert.deepEqual(a.attributes, {
        ApproximateReceiveCount: "1",
        SentTimestamp: String(sentAt),
        SenderId: ACCOUNT,
        ApproximateFirstReceiveTimestamp: String(sentAt),
      });
      assert.equal(
        (c.attributes as Record<string, string>).AWSTraceHeader,
        "Root=1-5759e988-bd862e3fe1be46a994272793",
      );
      assert.deepEqual(a.messageAttributes, {
        kind: { stringValue: "page", stringListValues: [], binaryListValues: [], dataType: "String" },
        size: { stringValue: "42", stringListValues: [], binaryListValues: [], dataType: "Number" },
        blob: {
          binaryValue: Buffer.from([0, 1, 2, 250]).toString("base64"),
          stringListValues: [],
          binaryListValues: [],
          dataType: "Binary",
        },
        meta: { stringValue: "{}", stringListValues: [], binaryListValues: [], dataType: "String.json" },
      });
      assert.deepEqual(b.messageAttributes, {});
    } finally {
      await rig.close();
    }
  });

  test("a FIFO queue's records add SequenceNumber, MessageGroupId and MessageDeduplicationId in AWS's order", async () => {
    const rig = new Rig({
      bundle,
      queues: [queueSpec("orders", { fifo: true })],
      functions: [handlerSpec("reader", "consume", { consumes: consumes("orders") })],
    });
    try {
      const sent = rig.sqs.sendMessage("orders", {
        body: body("o1"),
        messageGroupId: "customer-7",
        messageDeduplicationId: "order-1",
        messageAttributes: { blob: { dataType: "Binary", binaryValue: new Uint8Array([255]) } },
      });
      rig.poll("reader");
      const [invocation] = await rig.invocations("reader", 1);
      assert.ok(invocation);
      assertValidSqsEvent(JSON.parse(invocation.result.payload).event);
      const [record] = recordsOf(invocation);
      assert.ok(record);
      assert.deepEqual(Object.keys(record), RECORD_KEYS_WITH_ATTRIBUTES);
      assert.deepEqual(Object.keys(record.attributes as object), FIFO_ATTRIBUTES);
      const attributes = record.attributes as Record<string, string>;
      assert.equal(attributes.MessageGroupId, "customer-7");
      assert.equal(attributes.MessageDeduplicationId, "order-1");
      assert.equal(attributes.SequenceNumber, sent.sequenceNumber);
      assert.equal(record.eventSourceARN, `arn:aws:sqs:${REGION}:${ACCOUNT}:app-orders.fifo`);
      assert.deepEqual(record.messageAttributes, {
        blob: { binaryValue: "/w==", stringListValues: [], binaryListValues: [], dataType: "Binary" },
      });
    } finally {
      await rig.close();
    }
  });

  test("a record from a dead-letter queue names its source queue in DeadLetterQueueSourceArn", async () => {
    const rig = new Rig({
      bundle,
      queues: [
        queueSpec("jobs", { deadLetter: { queue: "jobs-dlq", maxReceiveCount: 1 } }),
        queueSpec("jobs-dlq"),
      ],
      functions: [handlerSpec("inspector", "consume", { consumes: consumes("jobs-dlq") })],
    });
    try {
      rig.sqs.sendMessage("jobs", { body: body("poison") });
      assert.equal((await rig.sqs.receiveMessages("jobs", { visibilityTimeoutSeconds: 0 })).length, 1);
      // The receive after maxReceiveCount moves the message instead of returning it.
      assert.equal((await rig.sqs.receiveMessages("jobs")).length, 0);
      rig.poll("inspector");
      const [invocation] = await rig.invocations("inspector", 1);
      assert.ok(invocation);
      assertValidSqsEvent(JSON.parse(invocation.result.payload).event);
      const [record] = recordsOf(invocation);
      assert.ok(record);
      assert.deepEqual(Object.keys(record.attributes as object), [
        ...STANDARD_ATTRIBUTES,
        "DeadLetterQueueSourceArn",
      ]);
      assert.equal(
        (record.attributes as Record<string, string>).DeadLetterQueueSourceArn,
        `arn:aws:sqs:${REGION}:${ACCOUNT}:app-jobs`,
      );
      assert.equal(record.eventSourceARN, `arn:aws:sqs:${REGION}:${ACCOUNT}:app-jobs-dlq`);
    } finally {
      await rig.close();
    }
  });
});
