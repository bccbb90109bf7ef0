import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { queueSpec } from "../support/specs.ts";
import { openHarness, thrown } from "../support/sqs-rig.ts";

const fifo = queueSpec("orders", { fifo: true, visibilityTimeoutSeconds: 30 });
const contentFifo = queueSpec("events", { fifo: true, contentBasedDeduplication: true });

describe("SQS FIFO queues", () => {
  test("delivers a group's messages in order, several per receive", async (t) => {
    const { sqs } = openHarness(t, [contentFifo]);
    for (const body of ["1", "2", "3", "4"]) sqs.sendMessage("events", { body, messageGroupId: "g" });
    const first = await sqs.receiveMessages("events", { maxNumberOfMessages: 3 });
    assert.deepEqual(
      first.map((m) => m.body),
      ["1", "2", "3"],
    );
    for (const m of first) sqs.deleteMessage("events", m.receiptHandle);
    assert.deepEqual(
      (await sqs.receiveMessages("events", { maxNumberOfMessages: 3 })).map((m) => m.body),
      ["4"],
    );
  });

  test("returns each message once per receive, also with a visibility timeout of 0", async (t) => {
    const { sqs } = openHarness(t, [contentFifo]);
    for (const body of ["a1", "a2"]) sqs.sendMessage("events", { body, messageGroupId: "a" });
    sqs.sendMessage("events", { body: "b1", messageGroupId: "b" });
    const got = await sqs.receiveMessages("events", { maxNumberOfMessages: 10, visibilityTimeoutSeconds: 0 });
    assert.deepEqual(
      got.map((m) => m.body),
      ["a1", "a2", "b1"],
    );
  });

  test("blocks a group while one of its messages is in flight, and unblocks it on delete", async (t) => {
    const { sqs } = openHarness(t, [contentFifo]);
    sqs.sendMessage("events", { body: "a1", messageGroupId: "a" });
    sqs.sendMessage("events", { body: "a2", messageGroupId: "a" });
    const [a1] = await sqs.receiveMessages("events");
    assert.equal(a1?.body, "a1");
    assert.deepEqual(await sqs.receiveMessages("events"), [], "a2 waits for a1");
    sqs.deleteMessage("events", a1?.receiptHandle ?? "");
    assert.equal((await sqs.receiveMessages("events"))[0]?.body, "a2");
  });

  test("keeps a group blocked while any of its messages is in flight, even when the first is visible again", async (t) => {
    const { sqs } = openHarness(t, [contentFifo]);
    sqs.sendMessage("events", { body: "a1", messageGroupId: "a" });
    sqs.sendMessage("events", { body: "a2", messageGroupId: "a" });
    const [a1, a2] = await sqs.receiveMessages("events", { maxNumberOfMessages: 2 });
    sqs.changeMessageVisibility("events", a1?.receiptHandle ?? "", 0);
    assert.deepEqual(await sqs.receiveMessages("events"), [], "a2 is still in flight");
    sqs.changeMessageVisibility("events", a2?.receiptHandle ?? "", 0);
    assert.deepEqual(
      (await sqs.receiveMessages("events", { maxNumberOfMessages: 2 })).map((m) => m.body),
      ["a1", "a2"],
    );
  });

  test("redelivers the same head after a visibility timeout, keeping group order", async (t) => {
    const { sqs, clock } = openHarness(t, [contentFifo]);
    sqs.sendMessage("events", { body: "a1", messageGroupId: "a" });
    sqs.sendMessage("events", { body: "a2", messageGroupId: "a" });
    await sqs.receiveMessages("events");
    await clock.advance(30_000);
    const again = await sqs.receiveMessages("events", { maxNumberOfMessages: 10 });
    assert.deepEqual(
      again.map((m) => [m.body, m.attributes.ApproximateReceiveCount]),
      [
        ["a1", "2"],
        ["a2", "1"],
      ],
    );
  });

  test("serves other groups in parallel while one is blocked", async (t) => {
    const { sqs } = openHarness(t, [contentFifo]);
    sqs.sendMessage("events", { body: "a1", messageGroupId: "a" });
    sqs.sendMessage("events", { body: "a2", messageGroupId: "a" });
    sqs.sendMessage("events", { body: "b1", messageGroupId: "b" });
    sqs.sendMessage("events", { body: "c1", messageGroupId: "c" });
    assert.equal((await sqs.receiveMessages("events"))[0]?.body, "a1");
    assert.deepEqual(
      (await sqs.receiveMessages("events", { maxNumberOfMessages: 10 })).map((m) => m.body),
      ["b1", "c1"],
    );
  });

  test("returns MessageGroupId, MessageDeduplicationId and increasing 20-digit SequenceNumbers", async (t) => {
    const { sqs } = openHarness(t, [fifo]);
    const one = sqs.sendMessage("orders", { body: "x", messageGroupId: "g", messageDeduplicationId: "d1" });
    const two = sqs.sendMessage("orders", { body: "y", messageGroupId: "g", messageDeduplicationId: "d2" });
    assert.match(one.sequenceNumber ?? "", /^\d{20}$/);
    assert.ok(BigInt(two.sequenceNumber ?? 0) > BigInt(one.sequenceNumber ?? 0));
    const [m] = await sqs.receiveMessages("orders");
    assert.equal(m?.attributes.MessageGroupId, "g");
    assert.equal(m?.attributes.MessageDeduplicationId, "d1");
    assert.equal(m?.attributes.SequenceNumber, one.sequenceNumber);
  });

  test("deduplicates by MessageDeduplicationId for 5 minutes, answering with the original id", async (t) => {
    const { sqs, clock } = openHarness(t, [fifo]);
    const original = sqs.sendMessage("orders", {
      body: "x",
      messageGroupId: "g",
      messageDeduplicationId: "d",
    });
    await clock.advance(299_999);
    const duplicate = sqs.sendMessage("orders", {
      body: "other body",
      messageGroupId: "g",
      messageDeduplicationId: "d",
    });
    assert.equal(duplicate.messageId, original.messageId);
    assert.equal(duplicate.sequenceNumber, original.sequenceNumber);
    assert.equal(sqs.stats("orders").visible, 1);
    await clock.advance(1);
    const later = sqs.sendMessage("orders", { body: "x", messageGroupId: "g", messageDeduplicationId: "d" });
    assert.notEqual(later.messageId, original.messageId);
    assert.equal(sqs.stats("orders").visible, 2);
  });

  // High-throughput FIFO: DeduplicationScope messageGroup makes an id a duplicate only within its group.
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/high-throughput-fifo.html
  test("with DeduplicationScope messageGroup, an id repeats only within its message group", async (t) => {
    const { sqs } = openHarness(t, [fifo]);
    sqs.createQueueWithAttributes("hot.fifo", {
      FifoQueue: "true",
      DeduplicationScope: "messageGroup",
      FifoThroughputLimit: "perMessageGroupId",
    });
    const send = (queue: string, group: string, body: string) =>
      sqs.sendMessage(queue, { body, messageGroupId: group, messageDeduplicationId: "d1" }).messageId;
    const a = send("hot.fifo", "a", "a1");
    const b = send("hot.fifo", "b", "b1");
    assert.notEqual(b, a, "another group: not a duplicate");
    assert.equal(send("hot.fifo", "a", "a2"), a, "the same group: a duplicate");
    const got = await sqs.receiveMessages("hot.fifo", { maxNumberOfMessages: 10 });
    assert.deepEqual(got.map((m) => m.body).sort(), ["a1", "b1"]);

    // The default scope is the queue: the same id in another group is a duplicate.
    const first = send("orders", "a", "x");
    assert.equal(send("orders", "b", "y"), first);
    // Switched by SetQueueAttributes, the scope applies to the next send.
    sqs.setQueueAttributes("orders", { DeduplicationScope: "messageGroup" });
    assert.notEqual(send("orders", "c", "z"), first);
  });

  test("deduplicates by a SHA-256 of the body with content-based deduplication, even after a delete", async (t) => {
    const { sqs, clock } = openHarness(t, [contentFifo]);
    const original = sqs.sendMessage("events", { body: "same", messageGroupId: "g" });
    const [m] = await sqs.receiveMessages("events");
    assert.equal(m?.attributes.MessageDeduplicationId?.length, 64);
    sqs.deleteMessage("events", m?.receiptHandle ?? "");
    assert.equal(
      sqs.sendMessage("events", { body: "same", messageGroupId: "other" }).messageId,
      original.messageId,
    );
    assert.notEqual(
      sqs.sendMessage("events", { body: "different", messageGroupId: "g" }).messageId,
      original.messageId,
    );
    await clock.advance(300_000);
    assert.notEqual(
      sqs.sendMessage("events", { body: "same", messageGroupId: "g" }).messageId,
      original.messageId,
    );
    assert.equal(sqs.stats("events").visible, 2);
  });

  test("deduplicates within one batch", (t) => {
    const { sqs } = openHarness(t, [contentFifo]);
    const result = sqs.sendMessageBatch("events", [
      { id: "a", body: "same", messageGroupId: "g" },
      { id: "b", body: "same", messageGroupId: "g" },
    ]);
    assert.equal(result.successful[0]?.messageId, result.successful[1]?.messageId);
    assert.equal(sqs.stats("events").visible, 1);
  });

  test("requires a MessageGroupId, and a deduplication id unless content-based", (t) => {
    const { sqs } = openHarness(t, [fifo]);
    const missing = thrown(() => sqs.sendMessage("orders", { body: "x", messageDeduplicationId: "d" }));
    assert.equal(missing.code, "MissingParameter");
    assert.match(missing.message, /MessageGroupId/);
    const noDedup = thrown(() => sqs.sendMessage("orders", { body: "x", messageGroupId: "g" }));
    assert.equal(noDedup.code, "InvalidParameterValue");
    assert.match(noDedup.message, /ContentBasedDeduplication/);
  });
});
