import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createQueueService } from "../../src/local/sqs/queue-service.ts";
import { openStore } from "../../src/local/store/store.ts";
import { queueSpec } from "../support/specs.ts";
import { ACCOUNT, openHarness, REGION } from "../support/sqs-rig.ts";

describe("SQS durability", () => {
  test("a sent message is committed before sendMessage returns", (t) => {
    const { sqs, clock, db } = openHarness(t, [queueSpec("work")]);
    sqs.sendMessage("work", { body: "committed" });
    // A second connection sees it while the first is still open, as after a kill -9.
    const other = openStore(db.name);
    t.after(() => other.close());
    const reader = createQueueService({ db: other, clock, region: REGION, accountId: ACCOUNT });
    assert.equal(reader.stats("work").visible, 1);
  });

  test("messages, in-flight state and receive counts survive a restart on the same file", async (t) => {
    const first = openHarness(t, [queueSpec("work", { visibilityTimeoutSeconds: 60 })]);
    first.sqs.sendMessage("work", { body: "waiting" });
    first.sqs.sendMessage("work", { body: "delayed", delaySeconds: 30 });
    const [held] = await first.sqs.receiveMessages("work");
    assert.equal(held?.body, "waiting");
    first.sqs.sendMessage("work", { body: "visible" });

    const { sqs, clock } = first.reopen();
    assert.deepEqual(
      {
        visible: sqs.stats("work").visible,
        inFlight: sqs.stats("work").inFlight,
        delayed: sqs.stats("work").delayed,
      },
      { visible: 1, inFlight: 1, delayed: 1 },
    );
    const visible = await sqs.receiveMessages("work", { maxNumberOfMessages: 10 });
    assert.deepEqual(
      visible.map((m) => m.body),
      ["visible"],
    );
    sqs.deleteMessage("work", visible[0]?.receiptHandle ?? "");
    await clock.advance(60_000);
    const after = await sqs.receiveMessages("work", { maxNumberOfMessages: 10 });
    assert.deepEqual(after.map((m) => m.body).sort(), ["delayed", "waiting"]);
    assert.equal(after.find((m) => m.body === "waiting")?.attributes.ApproximateReceiveCount, "2");
  });

  test("a receipt handle issued before a restart still deletes after it", async (t) => {
    const first = openHarness(t, [queueSpec("work")]);
    first.sqs.sendMessage("work", { body: "x" });
    const [m] = await first.sqs.receiveMessages("work");
    const { sqs, clock } = first.reopen();
    sqs.deleteMessage("work", m?.receiptHandle ?? "");
    await clock.advance(30_000);
    assert.deepEqual(await sqs.receiveMessages("work"), []);
  });

  test("queues created through the API, and FIFO deduplication, survive a restart", async (t) => {
    const first = openHarness(t, []);
    first.sqs.createQueue(queueSpec("api.fifo", { queueName: "api.fifo", fifo: true }));
    const sent = first.sqs.sendMessage("api.fifo", {
      body: "x",
      messageGroupId: "g",
      messageDeduplicationId: "d",
    });
    const { sqs } = first.reopen();
    assert.equal(sqs.getQueue("api.fifo").fifo, true);
    assert.equal(
      sqs.sendMessage("api.fifo", { body: "x", messageGroupId: "g", messageDeduplicationId: "d" }).messageId,
      sent.messageId,
    );
  });
});
