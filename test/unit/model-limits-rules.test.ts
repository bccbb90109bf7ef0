/**
 * The rules that apply a row of the limits table (src/model/limit-rules.ts), at their edges, once:
 * the local SQS, the CloudFormation SQS provider and definition validation all ask these, so the
 * edges tested here are theirs. Also the one partition rule every ARN and AWS host goes through.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { applyQueueAttributes } from "../../src/local/sqs/queue-attributes.ts";
import { checkQueueSpec } from "../../src/local/sqs/queue-spec-check.ts";
import {
  isQueueName,
  matchesLimit,
  QUEUE_ATTRIBUTE_LIMITS,
  withinLimit,
} from "../../src/model/limit-rules.ts";
import { LIMITS, type LimitRow } from "../../src/model/limits.ts";
import { arn, partition, urlSuffix } from "../../src/model/naming.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

const SQS = LIMITS.sqs;

describe("withinLimit", () => {
  test("accepts every row's bounds and refuses one past them, and fractions", () => {
    const rows = Object.values(LIMITS).flatMap((table) => Object.values(table as Record<string, LimitRow>));
    for (const row of rows) {
      if (row.min !== undefined) {
        assert.ok(withinLimit(row, row.min), `${row.docs}: ${row.min}`);
        assert.ok(!withinLimit(row, row.min - 1), `${row.docs}: ${row.min - 1}`);
      }
      if (row.max !== undefined) {
        assert.ok(withinLimit(row, row.max), `${row.docs}: ${row.max}`);
        assert.ok(!withinLimit(row, row.max + 1), `${row.docs}: ${row.max + 1}`);
      }
    }
    assert.ok(!withinLimit(SQS.delaySeconds, 1.5));
    assert.ok(!withinLimit(SQS.delaySeconds, Number.NaN));
  });

  test("the SQS queue attributes are SQS's published ranges", () => {
    const ranges = Object.fromEntries(
      Object.entries(QUEUE_ATTRIBUTE_LIMITS).map(([name, { limit }]) => [name, [limit.min, limit.max]]),
    );
    assert.deepEqual(ranges, {
      VisibilityTimeout: [0, 43200],
      DelaySeconds: [0, 900],
      MessageRetentionPeriod: [60, 1209600],
      MaximumMessageSize: [1024, 1048576],
      ReceiveMessageWaitTimeSeconds: [0, 20],
    });
  });

  test("CreateQueue's attributes and a definition's queue refuse the same edges", () => {
    const queue = normaliseApp({
      name: "app",
      queues: { jobs: {} },
      functions: { work: { handler: "src/work.handler" } },
    }).queues.jobs;
    assert.ok(queue);
    for (const [name, { field, limit }] of Object.entries(QUEUE_ATTRIBUTE_LIMITS)) {
      const max = String(limit.max);
      assert.equal(applyQueueAttributes(queue, { [name]: max }, "set", String).spec[field], limit.max);
      assert.throws(() => applyQueueAttributes(queue, { [name]: String(limit.max + 1) }, "set", String), {
        code: "InvalidAttributeValue",
      });
      const problems = checkQueueSpec({ ...queue, [field]: limit.max + 1 }, () => undefined);
      assert.deepEqual(problems, [
        `queue "jobs": ${field} must be an integer from ${limit.min} to ${limit.max} (got ${limit.max + 1})`,
      ]);
    }
  });
});

describe("matchesLimit and isQueueName", () => {
  test("a queue name is 1–80 of A-Z a-z 0-9 - _, the .fifo suffix counted", () => {
    assert.ok(isQueueName("a"));
    assert.ok(isQueueName("x".repeat(80)));
    assert.ok(!isQueueName("x".repeat(81)));
    assert.ok(isQueueName(`${"x".repeat(75)}.fifo`));
    assert.ok(!isQueueName(`${"x".repeat(76)}.fifo`));
    assert.ok(!isQueueName(""));
    assert.ok(!isQueueName(".fifo"));
    assert.ok(!isQueueName("has space"));
    assert.ok(!isQueueName("a.b"));
  });

  test("group and deduplication ids are 1–128 letters, digits and punctuation", () => {
    for (const row of [SQS.messageGroupId, SQS.messageDeduplicationId]) {
      assert.ok(matchesLimit(row, "g"));
      assert.ok(matchesLimit(row, `${"!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".padEnd(128, "a")}`));
      assert.ok(!matchesLimit(row, "x".repeat(129)));
      assert.ok(!matchesLimit(row, ""));
      assert.ok(!matchesLimit(row, "no space"));
    }
  });

  test("batch entry ids are 1–80 of A-Z a-z 0-9 - _; attribute names 1–256 with periods", () => {
    assert.ok(matchesLimit(SQS.batchEntryId, "x".repeat(80)));
    assert.ok(!matchesLimit(SQS.batchEntryId, "x".repeat(81)));
    assert.ok(!matchesLimit(SQS.batchEntryId, "a.b"));
    assert.ok(matchesLimit(SQS.messageAttributeName, `a.${"b".repeat(254)}`));
    assert.ok(!matchesLimit(SQS.messageAttributeName, "b".repeat(257)));
  });
});

describe("the partition rule", () => {
  test("names the partition AWS lists a region in, else the one its prefix names", () => {
    assert.equal(partition("us-east-1"), "aws");
    assert.equal(partition("cn-north-1"), "aws-cn");
    assert.equal(partition("us-gov-west-1"), "aws-us-gov");
    assert.equal(partition("us-iso-east-1"), "aws-iso");
    assert.equal(partition("cn-south-9"), "aws-cn");
    assert.equal(partition("xx-new-1"), "aws");
  });

  test("builds ARNs and endpoint domains in the region's partition", () => {
    assert.equal(
      arn("lambda", "cn-north-1", "123", "function:f"),
      "arn:aws-cn:lambda:cn-north-1:123:function:f",
    );
    assert.equal(arn("sqs", "eu-west-1", "123", "q"), "arn:aws:sqs:eu-west-1:123:q");
    assert.equal(urlSuffix("cn-northwest-1"), "amazonaws.com.cn");
    assert.equal(urlSuffix("eu-west-1"), "amazonaws.com");
  });
});
