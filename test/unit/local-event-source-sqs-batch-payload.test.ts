/**
 * The rule that keeps an SQS batch's event within Lambda's payload limit, shared by dev's mapping
 * and `sluice serve`'s consumers (local/event-source/sqs-batch-payload.ts).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { SqsBatchPayload } from "../../src/local/event-source/sqs-batch-payload.ts";
import { toSqsEvent } from "../../src/local/event-source/sqs-event.ts";
import type { ReceivedMessage } from "../../src/local/sqs/types.ts";
import { LIMITS } from "../../src/model/limits.ts";

const ARN = "arn:aws:sqs:eu-west-1:123456789012:jobs";
const REGION = "eu-west-1";

function message(n: number, bytes: number): ReceivedMessage {
  return {
    messageId: `m${n}`,
    receiptHandle: `h${n}`,
    body: `${n}`.padEnd(bytes, "x"),
    md5OfBody: "0".repeat(32),
    messageAttributes: {},
    attributes: { ApproximateReceiveCount: "1", SentTimestamp: "1" },
  };
}

const eventBytes = (batch: readonly ReceivedMessage[]) =>
  Buffer.byteLength(JSON.stringify(toSqsEvent(batch, ARN, REGION)));

test("ten messages of 1 MiB: the first that fit go, the rest come back in order, the batch is full", () => {
  const payload = new SqsBatchPayload(ARN, REGION);
  const batch: ReceivedMessage[] = [];
  const ten = Array.from({ length: 10 }, (_, i) => message(i, 1024 * 1024));
  const rest = payload.take(batch, ten);
  assert.deepEqual(
    batch.map((m) => m.messageId),
    ["m0", "m1", "m2", "m3", "m4"],
  );
  assert.deepEqual(
    rest.map((m) => m.messageId),
    ["m5", "m6", "m7", "m8", "m9"],
  );
  assert.ok(eventBytes(batch) <= LIMITS.lambda.syncPayload.max);
  assert.ok(eventBytes([...batch, ten[5] as ReceivedMessage]) > LIMITS.lambda.syncPayload.max);
  assert.equal(payload.full, true);
  // Once full, a later small message waits too: a FIFO group's order holds.
  assert.deepEqual(
    payload.take(batch, [message(10, 10)]).map((m) => m.messageId),
    ["m10"],
  );
});

test("counts the event as sent, to the byte: a batch exactly at the limit fits, one byte more does not", () => {
  const limit = eventBytes([message(0, 100), message(1, 100)]);
  const exact = new SqsBatchPayload(ARN, REGION, limit);
  const batch: ReceivedMessage[] = [];
  assert.deepEqual(exact.take(batch, [message(0, 100), message(1, 100)]), []);
  assert.equal(exact.full, false);
  const under = new SqsBatchPayload(ARN, REGION, limit - 1);
  assert.deepEqual(
    under.take([], [message(0, 100), message(1, 100)]).map((m) => m.messageId),
    ["m1"],
  );
});

test("a batch's first message is always taken, whatever its size", () => {
  const batch: ReceivedMessage[] = [];
  assert.deepEqual(new SqsBatchPayload(ARN, REGION, 10).take(batch, [message(0, 100)]), []);
  assert.equal(batch.length, 1);
});

test("a message received again while its batch gathers (its visibility timeout ran out) is in the batch once, with its newest receipt handle", () => {
  const payload = new SqsBatchPayload(ARN, REGION);
  const batch: ReceivedMessage[] = [];
  payload.take(batch, [message(1, 10), message(2, 10)]);
  const again = {
    ...message(1, 10),
    receiptHandle: "h1-again",
    attributes: { ApproximateReceiveCount: "2", SentTimestamp: "1" },
  };
  const rest = payload.take(batch, [again]);
  assert.deepEqual(rest, []);
  assert.deepEqual(
    batch.map((m) => [m.messageId, m.receiptHandle]),
    [
      ["m1", "h1-again"],
      ["m2", "h2"],
    ],
  );
});
