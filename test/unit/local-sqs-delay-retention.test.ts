import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { queueSpec } from "../support/specs.ts";
import { openHarness, thrown } from "../support/sqs-rig.ts";

describe("SQS delays and retention", () => {
  test("a delay queue hides new messages for its delay", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("later", { delaySeconds: 60 })]);
    sqs.sendMessage("later", { body: "x" });
    assert.equal(sqs.stats("later").delayed, 1);
    await clock.advance(59_999);
    assert.deepEqual(await sqs.receiveMessages("later"), []);
    await clock.advance(1);
    assert.equal(sqs.stats("later").visible, 1);
    assert.equal((await sqs.receiveMessages("later")).length, 1);
  });

  test("a message's DelaySeconds overrides the queue's delay on a standard queue", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("work", { delaySeconds: 60 })]);
    sqs.sendMessage("work", { body: "now", delaySeconds: 0 });
    sqs.sendMessage("work", { body: "soon", delaySeconds: 5 });
    assert.deepEqual(
      (await sqs.receiveMessages("work", { maxNumberOfMessages: 10 })).map((m) => m.body),
      ["now"],
    );
    await clock.advance(5000);
    assert.deepEqual(
      (await sqs.receiveMessages("work", { maxNumberOfMessages: 10 })).map((m) => m.body),
      ["soon"],
    );
  });

  test("rejects a per-message delay on a FIFO queue and a delay above 900 s", (t) => {
    const { sqs } = openHarness(t, [
      queueSpec("f", { fifo: true, contentBasedDeduplication: true }),
      queueSpec("s"),
    ]);
    const fifo = thrown(() => sqs.sendMessage("f", { body: "x", messageGroupId: "g", delaySeconds: 5 }));
    assert.equal(fifo.code, "InvalidParameterValue");
    assert.match(fifo.message, /not valid for this queue type/);
    assert.equal(
      thrown(() => sqs.sendMessage("s", { body: "x", delaySeconds: 901 })).code,
      "InvalidParameterValue",
    );
    assert.equal(
      thrown(() => sqs.sendMessage("s", { body: "x", delaySeconds: -1 })).code,
      "InvalidParameterValue",
    );
  });

  test("a FIFO queue's own delay applies to every message", async (t) => {
    const { sqs, clock } = openHarness(t, [
      queueSpec("f", { fifo: true, contentBasedDeduplication: true, delaySeconds: 10 }),
    ]);
    sqs.sendMessage("f", { body: "first", messageGroupId: "g" });
    await clock.advance(5000);
    sqs.sendMessage("f", { body: "second", messageGroupId: "g" });
    assert.deepEqual(await sqs.receiveMessages("f"), []);
    await clock.advance(5000);
    assert.deepEqual(
      (await sqs.receiveMessages("f", { maxNumberOfMessages: 10, visibilityTimeoutSeconds: 0 })).map(
        (m) => m.body,
      ),
      ["first"],
      "the group's second message is still delayed",
    );
    await clock.advance(5000);
    assert.equal((await sqs.receiveMessages("f", { maxNumberOfMessages: 10 })).length, 2);
  });

  test("drops messages older than the retention period, in flight or not", async (t) => {
    const { sqs, clock } = openHarness(t, [
      queueSpec("brief", { retentionSeconds: 60, visibilityTimeoutSeconds: 600 }),
    ]);
    sqs.sendMessage("brief", { body: "old" });
    await sqs.receiveMessages("brief");
    await clock.advance(30_000);
    sqs.sendMessage("brief", { body: "young" });
    await clock.advance(30_000);
    const stats = sqs.stats("brief");
    assert.equal(stats.inFlight, 0, "the in-flight message expired");
    assert.equal(stats.visible, 1);
    assert.equal(stats.oldestAgeSeconds, 30);
    assert.deepEqual(
      (await sqs.receiveMessages("brief")).map((m) => m.body),
      ["young"],
    );
  });
});
