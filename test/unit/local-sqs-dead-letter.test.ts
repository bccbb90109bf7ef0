import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { queueSpec } from "../support/specs.ts";
import { ACCOUNT, openHarness, REGION, thrown } from "../support/sqs-rig.ts";

const work = queueSpec("work", {
  visibilityTimeoutSeconds: 10,
  deadLetter: { queue: "work-dlq", maxReceiveCount: 3 },
});
const dlq = queueSpec("work-dlq", { generated: true });

describe("SQS dead-letter queues", () => {
  test("moves a message to the DLQ on the receive after maxReceiveCount, keeping id, body and attributes", async (t) => {
    const { sqs, clock } = openHarness(t, [work, dlq]);
    const sentAt = clock.now();
    const sent = sqs.sendMessage("work", {
      body: "poison",
      messageAttributes: { kind: { dataType: "String", stringValue: "order" } },
    });
    for (const count of ["1", "2", "3"]) {
      const [m] = await sqs.receiveMessages("work");
      assert.equal(m?.attributes.ApproximateReceiveCount, count);
      await clock.advance(10_000);
    }
    assert.deepEqual(await sqs.receiveMessages("work"), [], "the fourth receive moves it instead");
    assert.equal(sqs.stats("work").deadLetterDepth, 1);

    const [dead] = await sqs.receiveMessages("work-dlq");
    assert.equal(dead?.messageId, sent.messageId);
    assert.equal(dead?.body, "poison");
    assert.equal(dead?.md5OfMessageAttributes, sent.md5OfMessageAttributes);
    assert.equal(dead?.messageAttributes.kind?.stringValue, "order");
    assert.equal(dead?.attributes.SentTimestamp, String(sentAt));
    assert.equal(dead?.attributes.ApproximateReceiveCount, "4");
    assert.equal(dead?.attributes.DeadLetterQueueSourceArn, `arn:aws:sqs:${REGION}:${ACCOUNT}:app-work`);
  });

  test("returns the other messages of the same receive while dead-lettering one", async (t) => {
    const { sqs, clock } = openHarness(t, [
      queueSpec("work", { deadLetter: { queue: "work-dlq", maxReceiveCount: 1 } }),
      dlq,
    ]);
    sqs.sendMessage("work", { body: "old" });
    await sqs.receiveMessages("work", { visibilityTimeoutSeconds: 0 });
    sqs.sendMessage("work", { body: "new" });
    await clock.advance(1);
    const got = await sqs.receiveMessages("work", { maxNumberOfMessages: 10 });
    assert.deepEqual(
      got.map((m) => m.body),
      ["new"],
    );
    assert.equal(sqs.stats("work-dlq").visible, 1);
  });

  test("fills a receive after dead-lettering, also with a visibility timeout of 0", async (t) => {
    const { sqs } = openHarness(t, [
      queueSpec("work", { deadLetter: { queue: "work-dlq", maxReceiveCount: 1 } }),
      dlq,
    ]);
    sqs.sendMessage("work", { body: "poison" });
    await sqs.receiveMessages("work", { visibilityTimeoutSeconds: 0 });
    sqs.sendMessage("work", { body: "a" });
    sqs.sendMessage("work", { body: "b" });
    const got = await sqs.receiveMessages("work", { maxNumberOfMessages: 2, visibilityTimeoutSeconds: 0 });
    assert.deepEqual(
      got.map((m) => m.body),
      ["a", "b"],
    );
  });

  test("keeps a standard message's original enqueue time for retention in the DLQ", async (t) => {
    const short = queueSpec("short-dlq", { retentionSeconds: 120 });
    const source = queueSpec("src", {
      visibilityTimeoutSeconds: 10,
      deadLetter: { queue: "short-dlq", maxReceiveCount: 1 },
    });
    const { sqs, clock } = openHarness(t, [source, short]);
    sqs.sendMessage("src", { body: "x" });
    await sqs.receiveMessages("src");
    await clock.advance(100_000);
    await sqs.receiveMessages("src"); // moves it, 100 s after it was sent
    assert.equal(sqs.stats("short-dlq").visible, 1);
    assert.equal(sqs.stats("short-dlq").oldestAgeSeconds, 0, "age counts from the move");
    await clock.advance(20_000);
    assert.deepEqual(
      await sqs.receiveMessages("short-dlq"),
      [],
      "120 s after the original send it has expired",
    );
  });

  test("FIFO: a dead-lettered message lets the next message of its group through", async (t) => {
    const fifo = queueSpec("orders", {
      fifo: true,
      contentBasedDeduplication: true,
      visibilityTimeoutSeconds: 5,
      deadLetter: { queue: "orders-dlq", maxReceiveCount: 1 },
    });
    const fifoDlq = queueSpec("orders-dlq", { fifo: true });
    const { sqs, clock } = openHarness(t, [fifo, fifoDlq]);
    sqs.sendMessage("orders", { body: "first", messageGroupId: "g" });
    sqs.sendMessage("orders", { body: "second", messageGroupId: "g" });
    const [first] = await sqs.receiveMessages("orders");
    assert.equal(first?.body, "first");
    await clock.advance(5000);
    const [next] = await sqs.receiveMessages("orders");
    assert.equal(next?.body, "second");
    const [dead] = await sqs.receiveMessages("orders-dlq");
    assert.equal(dead?.body, "first");
    assert.equal(dead?.attributes.MessageGroupId, "g");
  });

  test("redrives messages back to their source queue with receive counts reset", async (t) => {
    const { sqs, clock } = openHarness(t, [
      queueSpec("a", {
        deadLetter: { queue: "shared-dlq", maxReceiveCount: 1 },
        visibilityTimeoutSeconds: 1,
      }),
      queueSpec("b", {
        deadLetter: { queue: "shared-dlq", maxReceiveCount: 1 },
        visibilityTimeoutSeconds: 1,
      }),
      queueSpec("shared-dlq"),
    ]);
    sqs.sendMessage("a", { body: "from-a" });
    sqs.sendMessage("b", { body: "from-b" });
    await sqs.receiveMessages("a");
    await sqs.receiveMessages("b");
    await clock.advance(1000);
    await sqs.receiveMessages("a");
    await sqs.receiveMessages("b");
    assert.equal(sqs.stats("shared-dlq").visible, 2);

    assert.equal(sqs.redrive("shared-dlq"), 2);
    assert.equal(sqs.stats("shared-dlq").visible, 0);
    const [a] = await sqs.receiveMessages("a");
    const [b] = await sqs.receiveMessages("b");
    assert.equal(a?.body, "from-a");
    assert.equal(b?.body, "from-b");
    assert.equal(a?.attributes.ApproximateReceiveCount, "1");
    assert.equal(a?.attributes.DeadLetterQueueSourceArn, undefined);
  });

  test("redrives to a named destination and leaves in-flight DLQ messages alone", async (t) => {
    const { sqs } = openHarness(t, [
      queueSpec("dlq"),
      queueSpec("retry"),
      queueSpec("fifo-q", { fifo: true }),
    ]);
    sqs.sendMessage("dlq", { body: "one" });
    sqs.sendMessage("dlq", { body: "two" });
    const [held] = await sqs.receiveMessages("dlq");
    assert.equal(sqs.redrive("dlq", "retry"), 1);
    assert.equal(sqs.stats("dlq").inFlight, 1);
    const moved = await sqs.receiveMessages("retry", { maxNumberOfMessages: 10 });
    assert.deepEqual(
      moved.map((m) => m.body),
      [held?.body === "one" ? "two" : "one"],
    );
    assert.equal(thrown(() => sqs.redrive("dlq", "fifo-q")).code, "InvalidParameterValue");
    assert.equal(sqs.redrive("dlq"), 0, "messages sent straight to the DLQ have no source to return to");
  });
});
