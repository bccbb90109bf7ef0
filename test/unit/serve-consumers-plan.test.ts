import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Message } from "@aws-sdk/client-sqs";
import { toSqsEvent } from "../../src/local/event-source/sqs-event.ts";
import type { ReceivedMessage } from "../../src/local/sqs/types.ts";
import type { AppSpec, ConsumesSpec } from "../../src/model/app-spec.ts";
import { consumerPlans } from "../../src/serve/consumers/consumer-plan.ts";
import { fromSdkMessage } from "../../src/serve/consumers/sdk-message.ts";
import { functionSpec, queueSpec } from "../support/specs.ts";

const consumes = (queue: string, extra: Partial<ConsumesSpec> = {}): ConsumesSpec => ({
  queue,
  batchSize: 10,
  maximumBatchingWindowSeconds: 0,
  reportBatchItemFailures: false,
  ...extra,
});

describe("fromSdkMessage", () => {
  test("gives the SQS event the local mapping builds from the same message", () => {
    const local: ReceivedMessage = {
      messageId: "m-1",
      receiptHandle: "r-1",
      body: '{"hello":"world"}',
      md5OfBody: "49dfdd54b01cbcd2d2ab5e9e5ee6b9b9",
      md5OfMessageAttributes: "d25a6aea97eb8f585bfa92d314504a92",
      // fromEntries: a literal `__proto__:` key would set the prototype, not name an attribute.
      messageAttributes: Object.fromEntries([
        ["kind", { dataType: "String", stringValue: "order" }],
        ["blob", { dataType: "Binary", binaryValue: new Uint8Array([1, 2, 3]) }],
        ["__proto__", { dataType: "Number", stringValue: "7" }],
      ]),
      attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: "1767225600000",
        SenderId: "AIDAEXAMPLE",
        ApproximateFirstReceiveTimestamp: "1767225600001",
      },
    };
    // What the SDK's deserializer gives for it (attributes in wire order, which is not Lambda's).
    const sdk: Message = {
      MessageId: "m-1",
      ReceiptHandle: "r-1",
      MD5OfBody: "49dfdd54b01cbcd2d2ab5e9e5ee6b9b9",
      Body: '{"hello":"world"}',
      Attributes: {
        SenderId: "AIDAEXAMPLE",
        ApproximateFirstReceiveTimestamp: "1767225600001",
        ApproximateReceiveCount: "1",
        SentTimestamp: "1767225600000",
      },
      MD5OfMessageAttributes: "d25a6aea97eb8f585bfa92d314504a92",
      MessageAttributes: Object.fromEntries([
        ["kind", { DataType: "String", StringValue: "order", StringListValues: [], BinaryListValues: [] }],
        ["blob", { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) }],
        ["__proto__", { DataType: "Number", StringValue: "7" }],
      ]),
    };
    const arn = "arn:aws:sqs:eu-west-1:123456789012:app-jobs";
    const fromSdk = toSqsEvent([fromSdkMessage(sdk)], arn, "eu-west-1");
    const fromLocal = toSqsEvent([local], arn, "eu-west-1");
    assert.equal(JSON.stringify(fromSdk), JSON.stringify(fromLocal), "same keys, values and key order");
    const record = fromSdk.Records[0];
    assert.equal(Object.getPrototypeOf(record?.messageAttributes), Object.prototype);
    assert.deepEqual(Object.keys(record?.messageAttributes ?? {}), ["kind", "blob", "__proto__"]);
    assert.equal(record?.messageAttributes.blob?.binaryValue, "AQID");
  });

  test("a message without attributes has empty maps and no md5OfMessageAttributes", () => {
    const message = fromSdkMessage({
      MessageId: "m",
      ReceiptHandle: "r",
      Body: "x",
      MD5OfBody: "9dd4e461268c8034f5c8564e155c67a6",
    });
    const record = toSqsEvent([message], "arn", "us-east-1").Records[0];
    assert.deepEqual(record?.attributes, {});
    assert.deepEqual(record?.messageAttributes, {});
    assert.equal("md5OfMessageAttributes" in (record ?? {}), false);
  });
});

describe("consumerPlans", () => {
  const spec: AppSpec = {
    name: "app",
    region: "eu-west-1",
    accountId: "123456789012",
    queues: {
      jobs: queueSpec("jobs"),
      ordered: queueSpec("ordered", { fifo: true }),
    },
    functions: {
      api: functionSpec("api"),
      worker: functionSpec("worker", {
        consumes: consumes("jobs", { batchSize: 50, maximumBatchingWindowSeconds: 2 }),
      }),
      capped: functionSpec("capped", {
        consumes: consumes("jobs", { maxConcurrency: 8 }),
        reservedConcurrency: 3,
      }),
      wide: functionSpec("wide", { consumes: consumes("jobs", { maxConcurrency: 20 }) }),
      sequencer: functionSpec("sequencer", { consumes: consumes("ordered") }),
    },
  };

  test("plans a mapping for each served function that consumes a queue, in the order named", () => {
    const plans = consumerPlans(spec, ["sequencer", "api", "worker"]);
    assert.deepEqual(
      plans.map((p) => [p.fn.name, p.queue.name, p.batchSize, p.windowMs, p.queueArn]),
      [
        ["sequencer", "ordered", 10, 0, "arn:aws:sqs:eu-west-1:123456789012:app-ordered.fifo"],
        ["worker", "jobs", 50, 2000, "arn:aws:sqs:eu-west-1:123456789012:app-jobs"],
      ],
    );
  });

  test("batches in flight: five to start with, the maximum concurrency, never above reserved concurrency", () => {
    const concurrency = (name: string) => consumerPlans(spec, [name])[0]?.concurrency;
    assert.equal(concurrency("worker"), 5);
    assert.equal(concurrency("wide"), 20);
    assert.equal(concurrency("capped"), 3);
  });
});
