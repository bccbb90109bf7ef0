import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MessageStore } from "../../src/local/sqs/message-store.ts";
import type { QueueService } from "../../src/local/sqs/types.ts";
import type { Db } from "../../src/local/store/store.ts";
import { queueSpec } from "../support/specs.ts";
import { type Harness, openHarness } from "../support/sqs-rig.ts";

const work = queueSpec("work", {
  visibilityTimeoutSeconds: 30,
  deadLetter: { queue: "work-dlq", maxReceiveCount: 2 },
});
const dlq = queueSpec("work-dlq", { generated: true });
const fifo = queueSpec("orders", { fifo: true, contentBasedDeduplication: true });

interface Counts {
  visible: number;
  inFlight: number;
  delayed: number;
  oldest: number | null;
}

/** The oracle: every row of the queue counted, as GetQueueAttributes did before issue 11. */
function fullCount(db: Db, queueName: string, now: number): Counts {
  const row = db
    .prepare(
      `SELECT COALESCE(SUM(visible_at <= @now), 0) AS visible,
              COALESCE(SUM(visible_at > @now AND received_at IS NOT NULL), 0) AS inFlight,
              COALESCE(SUM(visible_at > @now AND received_at IS NULL), 0) AS delayed,
              MIN(enqueued_at) AS oldest
       FROM sqs_messages WHERE queue_id = (SELECT id FROM sqs_queues WHERE queue_name = @queueName)`,
    )
    .get({ now, queueName }) as Counts;
  return { ...row };
}

/** Asserts the attributes equal both the expected numbers and the full count of the rows. */
function expectCounts(h: Harness, queue: string, expected: Omit<Counts, "oldest">): void {
  const attributes = h.sqs.getQueueAttributes(queue, ["All"]);
  const got = {
    visible: Number(attributes.ApproximateNumberOfMessages),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(attributes.ApproximateNumberOfMessagesDelayed),
  };
  assert.deepEqual(got, expected, `${queue}: attributes`);
  const oracle = fullCount(h.db, h.sqs.getQueue(queue).queueName, h.clock.now());
  assert.deepEqual(got, { visible: oracle.visible, inFlight: oracle.inFlight, delayed: oracle.delayed });
  const oldestAge = oracle.oldest === null ? 0 : Math.floor((h.clock.now() - oracle.oldest) / 1000);
  assert.equal(h.sqs.stats(queue).oldestAgeSeconds, oldestAge, `${queue}: oldest age`);
}

async function receiveAll(sqs: QueueService, queue: string, visibilityTimeoutSeconds?: number) {
  return sqs.receiveMessages(queue, {
    maxNumberOfMessages: 10,
    ...(visibilityTimeoutSeconds === undefined ? {} : { visibilityTimeoutSeconds }),
  });
}

describe("SQS queue depth without counting the queue", () => {
  test("stays exact through send, receive, delete, visibility expiry, dead-lettering, redrive and purge", async (t) => {
    const h = openHarness(t, [work, dlq]);
    const { sqs, clock } = h;
    expectCounts(h, "work", { visible: 0, inFlight: 0, delayed: 0 });
    for (let i = 0; i < 5; i++) sqs.sendMessage("work", { body: `m${i}` });
    sqs.sendMessageBatch("work", [
      { id: "a", body: "late-a", delaySeconds: 60 },
      { id: "b", body: "late-b", delaySeconds: 60 },
    ]);
    await clock.advance(2_000);
    expectCounts(h, "work", { visible: 5, inFlight: 0, delayed: 2 });

    const first = await sqs.receiveMessages("work", { maxNumberOfMessages: 3 });
    expectCounts(h, "work", { visible: 2, inFlight: 3, delayed: 2 });
    sqs.deleteMessage("work", first[0]?.receiptHandle ?? "");
    expectCounts(h, "work", { visible: 2, inFlight: 2, delayed: 2 });
    sqs.changeMessageVisibility("work", first[1]?.receiptHandle ?? "", 0);
    expectCounts(h, "work", { visible: 3, inFlight: 1, delayed: 2 });

    await clock.advance(30_000);
    expectCounts(h, "work", { visible: 4, inFlight: 0, delayed: 2 });
    await clock.advance(30_000);
    expectCounts(h, "work", { visible: 6, inFlight: 0, delayed: 0 });

    // Two messages were received once already: they move on the second round, the others on the third.
    assert.equal((await receiveAll(sqs, "work", 10)).length, 6);
    expectCounts(h, "work", { visible: 0, inFlight: 6, delayed: 0 });
    await clock.advance(10_000);
    assert.equal((await receiveAll(sqs, "work", 10)).length, 4);
    expectCounts(h, "work", { visible: 0, inFlight: 4, delayed: 0 });
    expectCounts(h, "work-dlq", { visible: 2, inFlight: 0, delayed: 0 });
    await clock.advance(10_000);
    assert.deepEqual(await receiveAll(sqs, "work"), []);
    expectCounts(h, "work", { visible: 0, inFlight: 0, delayed: 0 });
    expectCounts(h, "work-dlq", { visible: 6, inFlight: 0, delayed: 0 });
    assert.equal(sqs.stats("work").deadLetterDepth, 6);

    assert.equal((await receiveAll(sqs, "work-dlq", 5)).length, 6);
    expectCounts(h, "work-dlq", { visible: 0, inFlight: 6, delayed: 0 });
    await clock.advance(5_000);
    assert.equal(sqs.redrive("work-dlq"), 6);
    expectCounts(h, "work-dlq", { visible: 0, inFlight: 0, delayed: 0 });
    expectCounts(h, "work", { visible: 6, inFlight: 0, delayed: 0 });

    await receiveAll(sqs, "work", 100);
    sqs.sendMessage("work", { body: "later", delaySeconds: 900 });
    sqs.purgeQueue("work");
    expectCounts(h, "work", { visible: 0, inFlight: 0, delayed: 0 });
    sqs.sendMessage("work", { body: "after purge" });
    expectCounts(h, "work", { visible: 1, inFlight: 0, delayed: 0 });

    const reopened = h.reopen();
    expectCounts(reopened, "work", { visible: 1, inFlight: 0, delayed: 0 });
  });

  test("stays exact for FIFO queues, retention sweeps and a queue deleted and created again", async (t) => {
    const retained = queueSpec("short", { retentionSeconds: 60 });
    const h = openHarness(t, [fifo, retained]);
    const { sqs, clock } = h;
    for (let i = 0; i < 4; i++) sqs.sendMessage("orders", { body: `o${i}`, messageGroupId: `g${i % 2}` });
    assert.equal((await receiveAll(sqs, "orders")).length, 4);
    expectCounts(h, "orders", { visible: 0, inFlight: 4, delayed: 0 });

    for (let i = 0; i < 3; i++) sqs.sendMessage("short", { body: `s${i}` });
    await clock.advance(30_000);
    sqs.sendMessage("short", { body: "younger" });
    await clock.advance(31_000);
    expectCounts(h, "short", { visible: 1, inFlight: 0, delayed: 0 });

    sqs.deleteQueue("short");
    await clock.advance(60_000);
    sqs.createQueue(retained);
    expectCounts(h, "short", { visible: 0, inFlight: 0, delayed: 0 });
    sqs.sendMessage("short", { body: "new" });
    expectCounts(h, "short", { visible: 1, inFlight: 0, delayed: 0 });
  });

  test("counts the messages of a file written before the depth table existed", async (t) => {
    const h = openHarness(t, [work, dlq]);
    for (let i = 0; i < 7; i++) h.sqs.sendMessage("work", { body: `m${i}` });
    await h.sqs.receiveMessages("work", { maxNumberOfMessages: 2 });
    // Back to the schema of version 2, as a file from before issue 11 has it.
    h.db.exec(`DROP TRIGGER sqs_messages_depth_insert; DROP TRIGGER sqs_messages_depth_delete;
      DROP TRIGGER sqs_messages_depth_move; DROP TRIGGER sqs_queues_depth_drop;
      DROP TABLE sqs_queue_depth; DROP INDEX sqs_messages_age; ALTER TABLE sqs_messages DROP COLUMN sender_id;
      ALTER TABLE sqs_messages DROP COLUMN trace_header; DROP TABLE sqs_receive_attempts;
      DROP INDEX sqs_messages_moved_retention; CREATE INDEX sqs_messages_retention ON sqs_messages (queue_id, retention_base);
      UPDATE schema_versions SET version = 2 WHERE surface = 'sqs'`);
    const reopened = h.reopen();
    expectCounts(reopened, "work", { visible: 5, inFlight: 2, delayed: 0 });
  });

  test("reads the depth without scanning the queue's rows (EXPLAIN QUERY PLAN)", (t) => {
    const { db } = openHarness(t, [work, dlq]);
    const source = new MessageStore(db).counts.source;
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${source}`).all({ queue: 1, now: 0 }) as { detail: string }[];
    const onMessages = plan.map((row) => row.detail).filter((detail) => detail.includes("sqs_messages"));
    assert.ok(onMessages.length >= 2, JSON.stringify(plan));
    for (const detail of onMessages)
      assert.match(detail, /^SEARCH sqs_messages USING COVERING INDEX/, detail);
    // In flight and delayed: only the rows still ahead of now, read from the index alone.
    assert.ok(
      onMessages.some((detail) => detail.includes("sqs_messages_ready (queue_id=? AND visible_at>?)")),
      JSON.stringify(onMessages),
    );
    assert.ok(!plan.some((row) => /SCAN sqs_/.test(row.detail)), JSON.stringify(plan));
  });
});
