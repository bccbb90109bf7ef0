import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import Database from "better-sqlite3";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { createQueueService } from "../../src/local/sqs/queue-service.ts";
import { migrateSqs } from "../../src/local/sqs/schema.ts";
import type { QueueService } from "../../src/local/sqs/types.ts";
import { spaceReclaimed } from "../../src/local/store/free-pages.ts";
import { type Db, openStore } from "../../src/local/store/store.ts";
import type { QueueSpec } from "../../src/model/app-spec.ts";
import { queueSpec } from "../support/specs.ts";

const BODY = "x".repeat(1024);
const big = queueSpec("big");
const keep = queueSpec("keep");

interface Store {
  readonly file: string;
  readonly db: Db;
  readonly sqs: QueueService;
  readonly clock: ManualClock;
}

function open(t: TestContext, queues: readonly QueueSpec[], prepare?: (file: string) => void): Store {
  const dir = mkdtempSync(join(tmpdir(), "sluice-sqs-storage-"));
  const file = join(dir, "state.sqlite");
  prepare?.(file);
  const db = openStore(file);
  const clock = new ManualClock();
  const sqs = createQueueService({ db, clock, region: "eu-west-1", accountId: "123456789012" });
  sqs.ensureQueues(queues);
  t.after(() => {
    sqs.close();
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { file, db, sqs, clock };
}

/** The bytes the store holds on disk: the database file and its write-ahead log. */
function bytesOnDisk(file: string): number {
  const wal = `${file}-wal`;
  return statSync(file).size + (existsSync(wal) ? statSync(wal).size : 0);
}

function checkpointedSize({ db, file }: Store): number {
  db.pragma("wal_checkpoint(TRUNCATE)");
  return bytesOnDisk(file);
}

function fill(store: Store, queue: string, count: number): void {
  // One transaction for the setup: the test is about what a delete leaves, not about commits.
  store.db.transaction(() => {
    for (let i = 0; i < count / 10; i++)
      store.sqs.sendMessageBatch(
        queue,
        Array.from({ length: 10 }, (_, j) => ({ id: `m${j}`, body: BODY })),
      );
  })();
}

async function keptBodies(sqs: QueueService): Promise<string[]> {
  const got = await sqs.receiveMessages("keep", { maxNumberOfMessages: 10, visibilityTimeoutSeconds: 0 });
  return got.map((m) => m.body).sort();
}

describe("SQS storage gives space back", () => {
  test("a purged queue's pages leave the file, and the other queue's messages stay", async (t) => {
    const store = open(t, [big, keep]);
    for (const body of ["a", "b", "c"]) store.sqs.sendMessage("keep", { body });
    fill(store, "big", 20_000);
    const full = checkpointedSize(store);
    assert.ok(full > 20_000 * 1024, `the filled store holds the messages (${full} bytes)`);

    store.sqs.purgeQueue("big");
    await spaceReclaimed(store.db);
    // As it happens without a test: a passive checkpoint, then the next write cuts the log back.
    store.db.pragma("wal_checkpoint(PASSIVE)");
    store.sqs.sendMessage("keep", { body: "d" });
    const passive = bytesOnDisk(store.file);
    assert.ok(passive < full / 4, `after purge and a passive checkpoint: ${passive} of ${full} bytes`);
    const after = checkpointedSize(store);
    assert.ok(after < full / 10, `after purge: ${after} of ${full} bytes`);

    assert.deepEqual(await keptBodies(store.sqs), ["a", "b", "c", "d"]);
    assert.equal(store.sqs.stats("big").visible, 0);
  });

  test("a deleted queue's pages leave the file", async (t) => {
    const store = open(t, [big, keep]);
    store.sqs.sendMessage("keep", { body: "kept" });
    fill(store, "big", 10_000);
    const full = checkpointedSize(store);
    store.sqs.deleteQueue("big");
    await spaceReclaimed(store.db);
    const after = checkpointedSize(store);
    assert.ok(after < full / 8, `after DeleteQueue: ${after} of ${full} bytes`);
    assert.deepEqual(await keptBodies(store.sqs), ["kept"]);
  });

  test("messages past their retention period leave the file when the queue is next looked at", async (t) => {
    const store = open(t, [queueSpec("big", { retentionSeconds: 60 }), keep]);
    store.sqs.sendMessage("keep", { body: "kept" });
    fill(store, "big", 10_000);
    const full = checkpointedSize(store);
    await store.clock.advance(61_000);
    assert.equal(
      store.sqs.getQueueAttributes("big", ["ApproximateNumberOfMessages"]).ApproximateNumberOfMessages,
      "0",
    );
    await spaceReclaimed(store.db);
    const after = checkpointedSize(store);
    assert.ok(after < full / 8, `after the retention sweep: ${after} of ${full} bytes`);
    assert.deepEqual(await keptBodies(store.sqs), ["kept"]);
  });

  test("a file made before incremental vacuum is converted once at open, keeping its messages", async (t) => {
    const store = open(t, [big, keep], (file) => {
      // A state file as earlier versions wrote it: WAL, auto_vacuum NONE, messages in it.
      const old = new Database(file);
      old.pragma("journal_mode = WAL");
      migrateSqs(old);
      const sqs = createQueueService({
        db: old,
        clock: new ManualClock(),
        region: "eu-west-1",
        accountId: "123456789012",
      });
      sqs.ensureQueues([big, keep]);
      sqs.sendMessage("keep", { body: "from before" });
      assert.equal(old.pragma("auto_vacuum", { simple: true }), 0);
      sqs.close();
      old.close();
    });
    assert.equal(store.db.pragma("auto_vacuum", { simple: true }), 2, "INCREMENTAL");
    assert.deepEqual(await keptBodies(store.sqs), ["from before"]);
    fill(store, "big", 10_000);
    const full = checkpointedSize(store);
    store.sqs.purgeQueue("big");
    await spaceReclaimed(store.db);
    assert.ok(checkpointedSize(store) < full / 8);
  });
});
