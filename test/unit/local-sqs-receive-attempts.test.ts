import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ReceivedMessage } from "../../src/local/sqs/index.ts";
import { queueSpec } from "../support/specs.ts";
import { openHarness } from "../support/sqs-rig.ts";

// ReceiveMessage's ReceiveRequestAttemptId on FIFO queues: a receive retried with the same id within
// 5 minutes gets the same messages and receipt handles, locked again, while none was changed since.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
const fifo = queueSpec("orders", {
  fifo: true,
  contentBasedDeduplication: true,
  visibilityTimeoutSeconds: 30,
});
const standard = queueSpec("plain", { visibilityTimeoutSeconds: 30 });

const NOT_RETRYABLE = {
  code: "InvalidParameterValue",
  message:
    "Value try-1 for parameter ReceiveRequestAttemptId is invalid. Reason: The receiveRequestAttemptId is not valid anymore since the receive call is not retryable.",
};

const seen = (messages: readonly ReceivedMessage[]) =>
  messages.map((m) => [m.body, m.receiptHandle, m.attributes.ApproximateReceiveCount]);

type Sqs = ReturnType<typeof openHarness>["sqs"];

/** A receive of up to 10 messages that names the attempt "try-1". */
const attempt = (sqs: Sqs) =>
  sqs.receiveMessages("orders", { maxNumberOfMessages: 10, receiveRequestAttemptId: "try-1" });

function sendThree(sqs: Sqs): void {
  for (const body of ["a1", "a2", "b1"]) {
    sqs.sendMessage("orders", { body, messageGroupId: body.slice(0, 1) });
  }
}

describe("SQS ReceiveRequestAttemptId", () => {
  test("a retry gets the same messages and receipt handles, counts no new receive, and locks them again", async (t) => {
    const { sqs, clock } = openHarness(t, [fifo]);
    sendThree(sqs);
    const first = await attempt(sqs);
    assert.equal(first.length, 3);
    await clock.advance(20_000);
    const retried = await attempt(sqs);
    assert.deepEqual(seen(retried), seen(first));
    assert.deepEqual(
      first.map((m) => m.attributes.ApproximateReceiveCount),
      ["1", "1", "1"],
    );
    // Locked for 30 s from the retry (20 s), not from the first receive.
    await clock.advance(29_000);
    assert.deepEqual(await sqs.receiveMessages("orders", { maxNumberOfMessages: 10 }), []);
    await clock.advance(1_000);
    const after = await sqs.receiveMessages("orders", { maxNumberOfMessages: 10 });
    assert.deepEqual(
      after.map((m) => [m.body, m.attributes.ApproximateReceiveCount]),
      [
        ["a1", "2"],
        ["a2", "2"],
        ["b1", "2"],
      ],
    );
  });

  test("another id is another receive", async (t) => {
    const { sqs } = openHarness(t, [fifo]);
    sendThree(sqs);
    await sqs.receiveMessages("orders", { maxNumberOfMessages: 1, receiveRequestAttemptId: "try-1" });
    const other = await sqs.receiveMessages("orders", {
      maxNumberOfMessages: 10,
      receiveRequestAttemptId: "try-2",
    });
    assert.deepEqual(
      other.map((m) => m.body),
      ["b1"],
      "group a is locked by the first receive; its retry would have returned a1",
    );
  });

  const changes: [string, (sqs: Sqs, handle: string) => void][] = [
    ["a message was deleted", (sqs, handle) => sqs.deleteMessage("orders", handle)],
    [
      "a message's visibility was changed",
      (sqs, handle) => sqs.changeMessageVisibility("orders", handle, 60),
    ],
  ];
  for (const [change, act] of changes) {
    test(`a retry is refused once ${change}`, async (t) => {
      const { sqs } = openHarness(t, [fifo]);
      sendThree(sqs);
      const first = await attempt(sqs);
      act(sqs, first[1]?.receiptHandle ?? "");
      await assert.rejects(attempt(sqs), NOT_RETRYABLE);
    });
  }

  test("a retry is refused once another receive took a message whose visibility ran out", async (t) => {
    const { sqs, clock } = openHarness(t, [fifo]);
    sendThree(sqs);
    await attempt(sqs);
    await clock.advance(30_000);
    assert.equal((await sqs.receiveMessages("orders")).length, 1);
    await assert.rejects(attempt(sqs), NOT_RETRYABLE);
  });

  test("after a visibility timeout nobody used, a retry within 5 minutes still gets the same receive", async (t) => {
    const { sqs, clock } = openHarness(t, [fifo]);
    sendThree(sqs);
    const first = await attempt(sqs);
    await clock.advance(31_000);
    const retried = await attempt(sqs);
    assert.deepEqual(seen(retried), seen(first));
    assert.deepEqual(await sqs.receiveMessages("orders", { maxNumberOfMessages: 10 }), [], "locked again");
  });

  test("5 minutes after the receive, the id starts a new receive", async (t) => {
    const { sqs, clock } = openHarness(t, [fifo]);
    sendThree(sqs);
    const first = await attempt(sqs);
    await clock.advance(299_000);
    // Still retryable at 299 s; the retry does not extend the 5 minutes.
    assert.equal((await attempt(sqs)).length, 3);
    await clock.advance(31_000);
    const fresh = await attempt(sqs);
    assert.deepEqual(
      fresh.map((m) => [m.body, m.attributes.ApproximateReceiveCount]),
      [
        ["a1", "2"],
        ["a2", "2"],
        ["b1", "2"],
      ],
    );
    assert.ok(
      fresh.every((m, i) => m.receiptHandle !== first[i]?.receiptHandle),
      "new receipt handles",
    );
  });

  test("a receive that got nothing is not kept: its retry receives what has arrived since", async (t) => {
    const { sqs } = openHarness(t, [fifo]);
    assert.deepEqual(await sqs.receiveMessages("orders", { receiveRequestAttemptId: "try-1" }), []);
    sendThree(sqs);
    assert.equal((await sqs.receiveMessages("orders", { receiveRequestAttemptId: "try-1" }))[0]?.body, "a1");
  });

  test("a kept receive survives a restart", async (t) => {
    const harness = openHarness(t, [fifo]);
    sendThree(harness.sqs);
    const first = await attempt(harness.sqs);
    const { sqs, clock } = harness.reopen();
    const retried = await attempt(sqs);
    assert.deepEqual(seen(retried), seen(first));
    // The handles are the live ones: deleting by them empties the queue.
    for (const m of retried) sqs.deleteMessage("orders", m.receiptHandle);
    await clock.advance(31_000);
    assert.deepEqual(await sqs.receiveMessages("orders", { maxNumberOfMessages: 10 }), []);
  });

  test("an id outside 1–128 letters, digits and punctuation is refused on a FIFO queue; a standard queue ignores the id", async (t) => {
    const { sqs } = openHarness(t, [fifo, standard]);
    for (const id of ["", "has space", "x".repeat(129), "é"]) {
      await assert.rejects(sqs.receiveMessages("orders", { receiveRequestAttemptId: id }), {
        code: "InvalidParameterValue",
        message: `Value ${id} for parameter ReceiveRequestAttemptId is invalid. Reason: Use 1–128 alphanumeric or punctuation characters.`,
      });
    }
    assert.equal(
      (await sqs.receiveMessages("orders", { receiveRequestAttemptId: `${"x".repeat(127)}!` })).length,
      0,
      "128 characters with punctuation are a valid id",
    );
    sqs.sendMessage("plain", { body: "p1" });
    sqs.sendMessage("plain", { body: "p2" });
    const one = await sqs.receiveMessages("plain", { receiveRequestAttemptId: "has space" });
    const two = await sqs.receiveMessages("plain", { receiveRequestAttemptId: "has space" });
    assert.deepEqual(
      [...one, ...two].map((m) => m.body).sort(),
      ["p1", "p2"],
      "on a standard queue a retried id is a new receive",
    );
  });
});
