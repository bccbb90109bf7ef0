import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { queueSpec } from "../support/specs.ts";
import { openHarness } from "../support/sqs-rig.ts";

/** Tracks whether a promise has settled, so a test can assert it is still pending. */
function track<T>(promise: Promise<T>): { readonly settled: boolean; readonly promise: Promise<T> } {
  const state = { settled: false, promise };
  promise.then(
    () => {
      state.settled = true;
    },
    () => {
      state.settled = true;
    },
  );
  return state;
}

describe("SQS long polling", () => {
  test("a long poll returns as soon as a message is sent", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("work")]);
    const poll = track(sqs.receiveMessages("work", { waitTimeSeconds: 20 }));
    await clock.advance(5000);
    assert.equal(poll.settled, false);
    sqs.sendMessage("work", { body: "hello" });
    const got = await poll.promise;
    assert.deepEqual(
      got.map((m) => m.body),
      ["hello"],
    );
    assert.equal(clock.pendingTimers, 0, "the wait's timers were cancelled");
  });

  test("a long poll returns nothing when its wait time passes", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("work")]);
    const poll = track(sqs.receiveMessages("work", { waitTimeSeconds: 20 }));
    await clock.advance(19_999);
    assert.equal(poll.settled, false);
    await clock.advance(1);
    assert.equal(poll.settled, true);
    assert.deepEqual(await poll.promise, []);
  });

  test("uses the queue's ReceiveMessageWaitTimeSeconds when the receive names none", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("work", { receiveWaitTimeSeconds: 10 })]);
    const poll = track(sqs.receiveMessages("work"));
    await clock.advance(9_999);
    assert.equal(poll.settled, false);
    await clock.advance(1);
    assert.deepEqual(await poll.promise, []);
  });

  test("a long poll wakes when a delay ends or a visibility timeout expires", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("work", { visibilityTimeoutSeconds: 8 })]);
    sqs.sendMessage("work", { body: "delayed", delaySeconds: 5 });
    const delayed = track(sqs.receiveMessages("work", { waitTimeSeconds: 20 }));
    await clock.advance(4_999);
    assert.equal(delayed.settled, false);
    await clock.advance(1);
    const [m] = await delayed.promise;
    assert.equal(m?.body, "delayed");

    const redelivered = track(sqs.receiveMessages("work", { waitTimeSeconds: 20 }));
    await clock.advance(7_999);
    assert.equal(redelivered.settled, false);
    await clock.advance(1);
    assert.equal((await redelivered.promise)[0]?.attributes.ApproximateReceiveCount, "2");
  });

  test("an aborted long poll returns nothing", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("work")]);
    const abort = new AbortController();
    const poll = track(sqs.receiveMessages("work", { waitTimeSeconds: 20, signal: abort.signal }));
    await clock.advance(1000);
    abort.abort();
    assert.deepEqual(await poll.promise, []);
    sqs.sendMessage("work", { body: "for someone else" });
    assert.equal(sqs.stats("work").visible, 1);
  });

  test("closing the service ends pending long polls", async (t) => {
    const { sqs } = openHarness(t, [queueSpec("work")]);
    const poll = sqs.receiveMessages("work", { waitTimeSeconds: 20 });
    sqs.close();
    assert.deepEqual(await poll, []);
  });

  test("waitForMessages resolves at once when a message is visible, else on a send", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("work")]);
    const waiting = track(sqs.waitForMessages("work"));
    await clock.advance(60_000);
    assert.equal(waiting.settled, false);
    sqs.sendMessage("work", { body: "x" });
    await waiting.promise;
    await sqs.waitForMessages("work"); // visible now: returns without waiting
  });

  test("waitForMessages wakes when an in-flight message's visibility timeout expires", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("work", { visibilityTimeoutSeconds: 30 })]);
    sqs.sendMessage("work", { body: "x" });
    await sqs.receiveMessages("work");
    const waiting = track(sqs.waitForMessages("work"));
    await clock.advance(29_999);
    assert.equal(waiting.settled, false);
    await clock.advance(1);
    assert.equal(waiting.settled, true);
  });

  test("waitForMessages wakes when a shorter visibility is set after it started waiting", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("work", { visibilityTimeoutSeconds: 300 })]);
    sqs.sendMessage("work", { body: "x" });
    const [m] = await sqs.receiveMessages("work");
    const waiting = track(sqs.waitForMessages("work"));
    sqs.changeMessageVisibility("work", m?.receiptHandle ?? "", 10);
    await clock.advance(10_000);
    assert.equal(waiting.settled, true);
  });

  test("FIFO: waitForMessages ignores a blocked group and wakes when its in-flight message is deleted", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("f", { fifo: true, contentBasedDeduplication: true })]);
    sqs.sendMessage("f", { body: "1", messageGroupId: "g" });
    sqs.sendMessage("f", { body: "2", messageGroupId: "g" });
    const [first] = await sqs.receiveMessages("f");
    const waiting = track(sqs.waitForMessages("f"));
    await clock.advance(1000);
    assert.equal(waiting.settled, false, "message 2 is visible but its group is blocked");
    sqs.deleteMessage("f", first?.receiptHandle ?? "");
    await waiting.promise;
    assert.equal((await sqs.receiveMessages("f"))[0]?.body, "2");
  });

  test("FIFO: waitForMessages waits while a group's first message is still delayed", async (t) => {
    const slow = queueSpec("f", { fifo: true, contentBasedDeduplication: true, delaySeconds: 60 });
    const { sqs, clock } = openHarness(t, [slow]);
    sqs.sendMessage("f", { body: "1", messageGroupId: "g" });
    sqs.ensureQueues([{ ...slow, delaySeconds: 0 }]);
    sqs.sendMessage("f", { body: "2", messageGroupId: "g" });
    const waiting = track(sqs.waitForMessages("f"));
    await clock.advance(59_999);
    assert.equal(waiting.settled, false, "message 2 is visible but must follow message 1");
    assert.deepEqual(await sqs.receiveMessages("f"), []);
    await clock.advance(1);
    await waiting.promise;
    assert.deepEqual(
      (await sqs.receiveMessages("f", { maxNumberOfMessages: 10 })).map((m) => m.body),
      ["1", "2"],
    );
  });

  test("waitForMessages can be aborted", async (t) => {
    const { sqs } = openHarness(t, [queueSpec("work")]);
    const abort = new AbortController();
    const waiting = sqs.waitForMessages("work", abort.signal);
    abort.abort();
    await waiting;
  });
});
