import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MessageStore } from "../../src/local/sqs/message-store.ts";
import { queueSpec } from "../support/specs.ts";
import { openHarness } from "../support/sqs-rig.ts";

const work = queueSpec("work", {
  visibilityTimeoutSeconds: 10,
  retentionSeconds: 120,
  deadLetter: { queue: "work-dlq", maxReceiveCount: 1 },
});
const dlq = queueSpec("work-dlq", { retentionSeconds: 300 });

// Issue 14: every index a SendMessage touches is a page more in the WAL per commit. A fresh
// message's retention clock is its enqueue time, so the age index also finds what retention
// expires; only messages a standard queue moved to its DLQ (which keep their original enqueue
// time for retention) need an index of their own.
describe("SQS storage per sent message", () => {
  test("a sent message is written to the table and two full indexes, not three", (t) => {
    const { db } = openHarness(t, [work, dlq]);
    const indexes = db.prepare("PRAGMA index_list(sqs_messages)").all() as {
      name: string;
      partial: number;
    }[];
    const full = indexes
      .filter((i) => i.partial === 0)
      .map((i) => i.name)
      .sort();
    assert.deepEqual(full, ["sqs_messages_age", "sqs_messages_ready"]);
  });

  test("the retention sweep seeks the queue's expired rows, never scans the queue (EXPLAIN QUERY PLAN)", (t) => {
    const { db } = openHarness(t, [work, dlq]);
    const source = new MessageStore(db).sweepExpired.source;
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${source}`).all({ queue: 1, cutoff: 0 }) as {
      detail: string;
    }[];
    const details = plan.map((row) => row.detail);
    assert.ok(!details.some((d) => /^SCAN/.test(d)), JSON.stringify(details));
    assert.ok(
      details.some((d) => d.includes("sqs_messages_age (queue_id=? AND enqueued_at<?)")),
      JSON.stringify(details),
    );
    assert.ok(
      details.some((d) => d.includes("sqs_messages_moved_retention")),
      JSON.stringify(details),
    );
  });

  test("expires sent messages by enqueue time and moved ones by their original send, both ages intact", async (t) => {
    const { sqs, clock } = openHarness(t, [work, dlq]);
    sqs.sendMessage("work", { body: "moved" });
    await sqs.receiveMessages("work");
    await clock.advance(100_000);
    await sqs.receiveMessages("work"); // moves it to the DLQ, 100 s after it was sent
    sqs.sendMessage("work-dlq", { body: "sent" });
    assert.equal(sqs.stats("work-dlq").visible, 2);
    await clock.advance(150_000);
    assert.equal(sqs.stats("work-dlq").oldestAgeSeconds, 150, "age counts from the move");
    await clock.advance(60_000); // 310 s after the first send, 210 s after the move and the second send
    assert.equal(sqs.stats("work-dlq").visible, 1, "the moved message expired by its original send");
    assert.equal(sqs.stats("work-dlq").oldestAgeSeconds, 210);
    await clock.advance(90_000);
    assert.equal(sqs.stats("work-dlq").visible, 0, "the sent message expired 300 s after its send");
    assert.equal(sqs.stats("work-dlq").oldestAgeSeconds, 0);
  });
});
