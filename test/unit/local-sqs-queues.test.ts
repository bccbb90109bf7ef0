import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { queueSpec } from "../support/specs.ts";
import { openHarness, thrown } from "../support/sqs-rig.ts";

describe("SQS queues, purge and stats", () => {
  test("stats count visible, in-flight and delayed messages, the DLQ depth and the oldest age", async (t) => {
    const { sqs, clock } = openHarness(t, [
      queueSpec("work", { deadLetter: { queue: "work-dlq", maxReceiveCount: 5 } }),
      queueSpec("work-dlq"),
    ]);
    assert.deepEqual(sqs.stats("work"), {
      name: "work",
      queueName: "app-work",
      fifo: false,
      visible: 0,
      inFlight: 0,
      delayed: 0,
      oldestAgeSeconds: 0,
      deadLetterDepth: 0,
    });
    sqs.sendMessage("work", { body: "a" });
    await clock.advance(90_500);
    sqs.sendMessage("work", { body: "b" });
    sqs.sendMessage("work", { body: "c", delaySeconds: 100 });
    sqs.sendMessage("work-dlq", { body: "dead" });
    await sqs.receiveMessages("work");
    assert.deepEqual(sqs.stats("work"), {
      name: "work",
      queueName: "app-work",
      fifo: false,
      visible: 1,
      inFlight: 1,
      delayed: 1,
      oldestAgeSeconds: 90,
      deadLetterDepth: 1,
    });
  });

  test("purge deletes every message, in flight or delayed, and allows one purge per 60 s", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("work")]);
    sqs.sendMessage("work", { body: "a" });
    sqs.sendMessage("work", { body: "b", delaySeconds: 30 });
    const [held] = await sqs.receiveMessages("work");
    sqs.purgeQueue("work");
    const stats = sqs.stats("work");
    assert.deepEqual([stats.visible, stats.inFlight, stats.delayed], [0, 0, 0]);
    sqs.deleteMessage("work", held?.receiptHandle ?? ""); // a purged message's handle deletes quietly

    await clock.advance(59_999);
    const error = thrown(() => sqs.purgeQueue("work"));
    assert.equal(error.code, "PurgeQueueInProgress");
    assert.equal(error.queryCode, "AWS.SimpleQueueService.PurgeQueueInProgress");
    assert.equal(error.statusCode, 403);
    await clock.advance(1);
    sqs.purgeQueue("work");
  });

  test("the purge interval survives a restart", async (t) => {
    const first = openHarness(t, [queueSpec("work")]);
    first.sqs.purgeQueue("work");
    const { sqs } = first.reopen();
    assert.equal(thrown(() => sqs.purgeQueue("work")).code, "PurgeQueueInProgress");
  });

  test("ensureQueues updates attributes and keeps messages", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("work", { visibilityTimeoutSeconds: 30 })]);
    sqs.sendMessage("work", { body: "kept" });
    sqs.ensureQueues([queueSpec("work", { visibilityTimeoutSeconds: 5 })]);
    assert.equal(sqs.getQueue("work").visibilityTimeoutSeconds, 5);
    assert.equal((await sqs.receiveMessages("work"))[0]?.body, "kept");
    await clock.advance(5000);
    assert.equal((await sqs.receiveMessages("work"))[0]?.body, "kept", "hidden for the new 5 s, not 30 s");
  });

  test("ensureQueues replaces a queue whose physical name changed, as a redeploy would", (t) => {
    const { sqs } = openHarness(t, [queueSpec("work")]);
    sqs.sendMessage("work", { body: "standard" });
    sqs.ensureQueues([queueSpec("work", { fifo: true, contentBasedDeduplication: true })]);
    assert.equal(sqs.getQueue("work").queueName, "app-work.fifo");
    assert.equal(sqs.stats("work").visible, 0);
    assert.equal(thrown(() => sqs.getQueue("app-work")).code, "QueueDoesNotExist");
  });

  test("ensureQueues reports every invalid attribute together", (t) => {
    const { sqs } = openHarness(t, []);
    const error = thrown(() =>
      sqs.ensureQueues([
        queueSpec("a", { visibilityTimeoutSeconds: 43_201, delaySeconds: 901 }),
        queueSpec("b", { deadLetter: { queue: "missing", maxReceiveCount: 3 } }),
        queueSpec("c", { deadLetter: { queue: "c-dlq", maxReceiveCount: 3 } }),
        queueSpec("c-dlq", { fifo: true }),
      ]),
    );
    assert.equal(error.code, "InvalidAttributeValue");
    assert.match(error.message, /visibilityTimeoutSeconds/);
    assert.match(error.message, /delaySeconds/);
    assert.match(error.message, /"missing" does not exist/);
    assert.match(error.message, /must be a standard queue/);
    assert.deepEqual(sqs.listQueues(), []);
  });

  test("createQueue is idempotent for the same attributes and fails for different ones", (t) => {
    const { sqs } = openHarness(t, [queueSpec("work")]);
    const spec = queueSpec("made", { queueName: "made" });
    assert.deepEqual(sqs.createQueue(spec), spec);
    assert.deepEqual(sqs.createQueue({ ...spec }), spec);
    const error = thrown(() => sqs.createQueue({ ...spec, delaySeconds: 5 }));
    assert.equal(error.code, "QueueNameExists");
    assert.equal(error.queryCode, "QueueAlreadyExists");
    assert.deepEqual(
      sqs.listQueues().map((q) => q.queueName),
      ["app-work", "made"],
    );
  });

  test("deleteQueue drops the queue and its messages; its name is reusable after 60 s", async (t) => {
    const { sqs, clock } = openHarness(t, []);
    const spec = queueSpec("temp", { queueName: "temp" });
    sqs.createQueue(spec);
    sqs.sendMessage("temp", { body: "x" });
    sqs.deleteQueue("temp");
    assert.equal(thrown(() => sqs.stats("temp")).code, "QueueDoesNotExist");
    assert.equal(thrown(() => sqs.deleteQueue("temp")).code, "QueueDoesNotExist");
    assert.equal(thrown(() => sqs.createQueue(spec)).code, "QueueDeletedRecently");
    await clock.advance(60_000);
    sqs.createQueue(spec);
    assert.equal(sqs.stats("temp").visible, 0);
  });
});
