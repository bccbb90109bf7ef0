import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { createQueueService } from "../../src/local/sqs/queue-service.ts";
import { SEND_INTENT_SUFFIX } from "../../src/local/sqs/send-intent.ts";
import type { IntentSlot } from "../../src/local/store/intent-slot.ts";
import { openStore } from "../../src/local/store/store.ts";
import { onIntentSlot } from "../support/intent-slot.ts";
import { queueSpec } from "../support/specs.ts";
import { ACCOUNT, type Harness, openHarness, REGION } from "../support/sqs-rig.ts";

const work = queueSpec("work", { visibilityTimeoutSeconds: 30 });
const orders = queueSpec("orders", { fifo: true, contentBasedDeduplication: true });

function stored(h: Harness): { message_id: string; body: string }[] {
  return h.db.prepare("SELECT message_id, body FROM sqs_messages ORDER BY seq").all() as {
    message_id: string;
    body: string;
  }[];
}

/** Runs `fn` on the harness's slot file. */
function onSlot<T>(h: Harness, fn: (slot: IntentSlot) => T): T {
  return onIntentSlot(`${h.file}${SEND_INTENT_SUFFIX}`, fn);
}

/** The rows the slot holds, parsed; undefined when it is empty. */
function held(h: Harness): unknown[][] | undefined {
  const text = onSlot(h, (slot) => slot.pending());
  return text === undefined ? undefined : (JSON.parse(text) as unknown[][]);
}

describe("SendMessage answered before its row is committed (issue 14)", () => {
  test("holds the row in the intent slot until `store` commits it, then empties the slot", async (t) => {
    const h = openHarness(t, [work]);
    const sent = h.sqs.sendMessageAnsweredFirst("work", { body: "first" });
    assert.deepEqual(stored(h), []);
    const rows = held(h);
    assert.equal(rows?.length, 1);
    assert.equal(rows?.[0]?.[1], sent.result.messageId);
    assert.equal(rows?.[0]?.[2], "first");

    sent.store();
    assert.deepEqual(stored(h), [{ message_id: sent.result.messageId, body: "first" }]);
    assert.equal(
      onSlot(h, (slot) => slot.pending()),
      undefined,
    );
    const [received] = await h.sqs.receiveMessages("work");
    assert.equal(received?.messageId, sent.result.messageId);
    assert.equal(received?.md5OfBody, sent.result.md5OfMessageBody);
  });

  test("the slot keeps any body exactly: multi-byte text, astral characters, bodies past its first buffer", (t) => {
    let h = openHarness(t, [work]);
    for (const body of ['é\u2028"quoted"\\', "🦆".repeat(20_000), `${"ü".repeat(40_000)}\n\t`]) {
      const sent = h.sqs.sendMessageAnsweredFirst("work", { body });
      assert.equal(held(h)?.[0]?.[2], body);
      h = h.crash();
      assert.equal(stored(h).at(-1)?.body, body);
      assert.equal(stored(h).at(-1)?.message_id, sent.result.messageId);
    }
  });

  test("a crash after the answer loses nothing: the next open commits the row, once", async (t) => {
    const h = openHarness(t, [work]);
    h.sqs.sendMessage("work", { body: "before" });
    const sent = h.sqs.sendMessageAnsweredFirst("work", { body: "answered" });
    const after = h.crash();
    assert.deepEqual(
      stored(after).map((row) => row.body),
      ["before", "answered"],
    );
    assert.equal(stored(after)[1]?.message_id, sent.result.messageId);
    assert.equal(
      onSlot(after, (slot) => slot.pending()),
      undefined,
    );
    const again = after.crash();
    assert.equal(stored(again).length, 2);
    assert.equal(Number(again.sqs.getQueueAttributes("work", ["All"]).ApproximateNumberOfMessages), 2);
  });

  test("a crash between the commit and the slot's emptying does not store the row twice", (t) => {
    const h = openHarness(t, [work]);
    const sent = h.sqs.sendMessageAnsweredFirst("work", { body: "once" });
    const rows = held(h);
    sent.store();
    // As a process killed right after its commit leaves the slot.
    onSlot(h, (slot) => slot.write(rows ?? []));
    const after = h.crash();
    assert.deepEqual(stored(after), [{ message_id: sent.result.messageId, body: "once" }]);
    assert.equal(
      onSlot(after, (slot) => slot.pending()),
      undefined,
    );
  });

  test("a slot torn while it was written (its send never answered) is ignored", (t) => {
    const h = openHarness(t, [work]);
    h.sqs.sendMessageAnsweredFirst("work", { body: "whole" }).store();
    const torn = Buffer.alloc(40, 0x7b);
    torn.writeUInt32LE(32, 0);
    torn.writeUInt32LE(12345, 4);
    writeFileSync(`${h.file}${SEND_INTENT_SUFFIX}`, torn);
    assert.equal(
      onSlot(h, (slot) => slot.pending()),
      undefined,
    );
    const after = h.crash();
    assert.deepEqual(
      stored(after).map((row) => row.body),
      ["whole"],
    );
  });

  test("a slot naming a queue the file no longer has stores nothing", (t) => {
    const h = openHarness(t, [work]);
    h.sqs.sendMessageAnsweredFirst("work", { body: "orphan" });
    h.db.prepare("DELETE FROM sqs_queues").run();
    const after = h.crash();
    assert.deepEqual(
      stored(after).map((row) => row.body),
      [],
    );
  });

  test("a commit that fails after its answer is retried first; while it fails, nothing more is answered", (t) => {
    const h = openHarness(t, [work]);
    h.db.exec(`CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.sqs_messages
      BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;`);
    const first = h.sqs.sendMessageAnsweredFirst("work", { body: "answered" });
    assert.throws(() => first.store(), /disk I\/O error/);
    assert.equal(held(h)?.[0]?.[1], first.result.messageId);
    assert.throws(() => h.sqs.sendMessageAnsweredFirst("work", { body: "refused" }), /disk I\/O error/);
    assert.equal(held(h)?.[0]?.[1], first.result.messageId);

    h.db.exec("DROP TRIGGER temp.refuse");
    const second = h.sqs.sendMessageAnsweredFirst("work", { body: "second" });
    second.store();
    assert.deepEqual(
      stored(h).map((row) => row.body),
      ["answered", "second"],
    );
  });

  test("a FIFO queue's send commits before it returns (deduplication reads before it writes)", (t) => {
    const h = openHarness(t, [orders]);
    const sent = h.sqs.sendMessageAnsweredFirst("orders", { body: "o1", messageGroupId: "g" });
    assert.deepEqual(stored(h), [{ message_id: sent.result.messageId, body: "o1" }]);
    assert.equal(
      onSlot(h, (slot) => slot.pending()),
      undefined,
    );
    sent.store();
    assert.equal(stored(h).length, 1);
    assert.match(sent.result.sequenceNumber ?? "", /^\d+$/);
  });

  test("a store in memory has no slot: every send commits before it returns", () => {
    const db = openStore(":memory:");
    const sqs = createQueueService({ db, clock: new ManualClock(), region: REGION, accountId: ACCOUNT });
    try {
      sqs.ensureQueues([work]);
      sqs.sendMessageAnsweredFirst("work", { body: "in memory" });
      const rows = db.prepare("SELECT body FROM sqs_messages").pluck().all();
      assert.deepEqual(rows, ["in memory"]);
    } finally {
      sqs.close();
      db.close();
    }
  });

  test("closing the service commits a send whose answer went out", (t) => {
    const h = openHarness(t, [work]);
    h.sqs.sendMessageAnsweredFirst("work", { body: "at close" });
    h.sqs.close();
    assert.deepEqual(
      stored(h).map((row) => row.body),
      ["at close"],
    );
    assert.equal(
      onSlot(h, (slot) => slot.pending()),
      undefined,
    );
  });
});
