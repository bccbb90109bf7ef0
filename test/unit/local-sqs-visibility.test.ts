import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { queueSpec } from "../support/specs.ts";
import { openHarness, thrown } from "../support/sqs-rig.ts";

describe("SQS visibility timeout", () => {
  test("redelivers a message after its visibility timeout expires, with a new receipt handle", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("work", { visibilityTimeoutSeconds: 30 })]);
    const sentAt = clock.now();
    const { messageId } = sqs.sendMessage("work", { body: "job" });
    await clock.advance(1000);
    const [first] = await sqs.receiveMessages("work");
    assert.equal(first?.messageId, messageId);
    assert.equal(first?.attributes.ApproximateReceiveCount, "1");
    assert.equal(first?.attributes.SentTimestamp, String(sentAt));
    assert.equal(first?.attributes.ApproximateFirstReceiveTimestamp, String(sentAt + 1000));

    await clock.advance(29_999);
    assert.deepEqual(await sqs.receiveMessages("work"), [], "still hidden 1 ms before the deadline");
    await clock.advance(1);
    const [second] = await sqs.receiveMessages("work");
    assert.equal(second?.messageId, messageId);
    assert.equal(second?.attributes.ApproximateReceiveCount, "2");
    assert.equal(second?.attributes.ApproximateFirstReceiveTimestamp, String(sentAt + 1000));
    assert.notEqual(second?.receiptHandle, first?.receiptHandle);
  });

  test("uses a receive's visibility timeout instead of the queue's", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("work", { visibilityTimeoutSeconds: 30 })]);
    sqs.sendMessage("work", { body: "job" });
    await sqs.receiveMessages("work", { visibilityTimeoutSeconds: 5 });
    await clock.advance(5000);
    assert.equal((await sqs.receiveMessages("work")).length, 1);
  });

  test("a deleted message is not delivered again", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("work")]);
    sqs.sendMessage("work", { body: "job" });
    const [m] = await sqs.receiveMessages("work");
    sqs.deleteMessage("work", m?.receiptHandle ?? "");
    await clock.advance(60_000);
    assert.deepEqual(await sqs.receiveMessages("work"), []);
    assert.equal(sqs.stats("work").inFlight, 0);
  });

  test("ChangeMessageVisibility extends the deadline from the time of the call", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("work", { visibilityTimeoutSeconds: 30 })]);
    sqs.sendMessage("work", { body: "job" });
    const [m] = await sqs.receiveMessages("work");
    await clock.advance(20_000);
    sqs.changeMessageVisibility("work", m?.receiptHandle ?? "", 60);
    await clock.advance(59_999);
    assert.deepEqual(await sqs.receiveMessages("work"), []);
    await clock.advance(1);
    assert.equal((await sqs.receiveMessages("work")).length, 1);
  });

  test("ChangeMessageVisibility to 0 makes the message visible at once", async (t) => {
    const { sqs } = openHarness(t, [queueSpec("work")]);
    sqs.sendMessage("work", { body: "job" });
    const [m] = await sqs.receiveMessages("work");
    sqs.changeMessageVisibility("work", m?.receiptHandle ?? "", 0);
    const [again] = await sqs.receiveMessages("work");
    assert.equal(again?.messageId, m?.messageId);
    assert.equal(again?.attributes.ApproximateReceiveCount, "2");
  });

  test("rejects extending the visibility beyond 12 hours from the receive", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("work")]);
    sqs.sendMessage("work", { body: "job" });
    const [m] = await sqs.receiveMessages("work");
    const handle = m?.receiptHandle ?? "";
    await clock.advance(10_000);
    sqs.changeMessageVisibility("work", handle, 43_190);
    const error = thrown(() => sqs.changeMessageVisibility("work", handle, 43_191));
    assert.equal(error.code, "InvalidParameterValue");
    assert.match(error.message, /43200/);
    assert.equal(
      thrown(() => sqs.changeMessageVisibility("work", handle, 43_201)).code,
      "InvalidParameterValue",
    );
  });

  test("standard queue: an expired handle changes nothing, and an old handle still deletes", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("work", { visibilityTimeoutSeconds: 30 })]);
    sqs.sendMessage("work", { body: "job" });
    const [first] = await sqs.receiveMessages("work");
    await clock.advance(30_000);
    sqs.changeMessageVisibility("work", first?.receiptHandle ?? "", 600);
    const [second] = await sqs.receiveMessages("work");
    assert.equal(second?.attributes.ApproximateReceiveCount, "2", "the expired handle did not hide it");
    sqs.deleteMessage("work", first?.receiptHandle ?? "");
    await clock.advance(30_000);
    assert.deepEqual(await sqs.receiveMessages("work"), []);
    assert.deepEqual(
      { ...sqs.stats("work"), oldestAgeSeconds: 0 },
      {
        name: "work",
        queueName: "app-work",
        fifo: false,
        visible: 0,
        inFlight: 0,
        delayed: 0,
        oldestAgeSeconds: 0,
      },
    );
  });

  test("ChangeMessageVisibility on a deleted message fails with InvalidParameterValue", async (t) => {
    const { sqs } = openHarness(t, [queueSpec("work")]);
    sqs.sendMessage("work", { body: "job" });
    const [m] = await sqs.receiveMessages("work");
    sqs.deleteMessage("work", m?.receiptHandle ?? "");
    sqs.deleteMessage("work", m?.receiptHandle ?? ""); // deleting twice succeeds, as in SQS
    const error = thrown(() => sqs.changeMessageVisibility("work", m?.receiptHandle ?? "", 10));
    assert.equal(error.code, "InvalidParameterValue");
    assert.match(error.message, /does not exist or is not available/);
  });

  test("FIFO queue: a handle is rejected as expired once its visibility timeout passed", async (t) => {
    const { sqs, clock } = openHarness(t, [
      queueSpec("jobs", { fifo: true, contentBasedDeduplication: true }),
    ]);
    sqs.sendMessage("jobs", { body: "job", messageGroupId: "g" });
    const [m] = await sqs.receiveMessages("jobs");
    await clock.advance(30_000);
    assert.match(
      thrown(() => sqs.deleteMessage("jobs", m?.receiptHandle ?? "")).message,
      /receipt handle has expired/,
    );
    assert.equal(
      thrown(() => sqs.changeMessageVisibility("jobs", m?.receiptHandle ?? "", 5)).code,
      "InvalidParameterValue",
    );
    const [again] = await sqs.receiveMessages("jobs");
    sqs.deleteMessage("jobs", again?.receiptHandle ?? "");
    assert.equal(sqs.stats("jobs").visible + sqs.stats("jobs").inFlight, 0);
  });

  test("batch visibility changes and deletes report each entry", async (t) => {
    const { sqs } = openHarness(t, [queueSpec("work")]);
    sqs.sendMessageBatch("work", [
      { id: "a", body: "1" },
      { id: "b", body: "2" },
    ]);
    const got = await sqs.receiveMessages("work", { maxNumberOfMessages: 10 });
    assert.equal(got.length, 2);
    const changed = sqs.changeMessageVisibilityBatch("work", [
      { id: "a", receiptHandle: got[0]?.receiptHandle ?? "", visibilityTimeoutSeconds: 0 },
      { id: "bad", receiptHandle: "not-a-handle", visibilityTimeoutSeconds: 0 },
    ]);
    assert.deepEqual(changed.successful, [{ id: "a" }]);
    assert.equal(changed.failed[0]?.id, "bad");
    assert.equal(changed.failed[0]?.code, "ReceiptHandleIsInvalid");
    assert.equal(changed.failed[0]?.senderFault, true);
    const deleted = sqs.deleteMessageBatch("work", [{ id: "b", receiptHandle: got[1]?.receiptHandle ?? "" }]);
    assert.deepEqual(deleted, { successful: [{ id: "b" }], failed: [] });
    assert.deepEqual(
      (await sqs.receiveMessages("work", { maxNumberOfMessages: 10 })).map((m) => m.body),
      [got[0]?.body],
    );
  });
});
