import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import { openStore } from "../../src/local/store/index.ts";
import {
  CHECK_EVERY_MS,
  checkpointInBackground,
  IDLE_CHECK_MS,
} from "../../src/local/store/wal-checkpoints.ts";
import { tempDir } from "../support/temp.ts";

/** A store of 1 KB rows whose checkpoint schedule the test runs look by look. */
function scheduledStore(t: TestContext) {
  const temp = tempDir("sluice-store-schedule-");
  t.after(() => temp.cleanup());
  const file = join(temp.dir, "state.sqlite");
  // Not exclusive, so openStore starts no schedule of its own: the test runs the only one.
  const db = openStore(file);
  t.after(() => {
    if (db.open) db.close();
  });
  db.exec("CREATE TABLE rows (n INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  const insert = db.prepare("INSERT INTO rows (n, body) VALUES (?, ?)");
  let n = 0;
  const write = (rows: number) => {
    db.transaction(() => {
      for (let i = 0; i < rows; i++) insert.run(n++, "k".repeat(1024));
    })();
  };
  const waits: number[] = [];
  let next: (() => void) | undefined;
  checkpointInBackground(db, (look, ms) => {
    waits.push(ms);
    next = look;
  });
  return {
    db,
    waits,
    write,
    /** Runs the look scheduled last; false when none is. */
    lookOnce: (): boolean => {
      const look = next;
      next = undefined;
      look?.();
      return look !== undefined;
    },
    dbBytes: () => statSync(file).size,
  };
}

// Each look at the row count wakes the process; at one look every 25 ms an idle `sluice dev` spent
// 14 ms of CPU a second on it (docs/benchmarks.md, session 20). While rows change the schedule
// looks every CHECK_EVERY_MS; while they do not, its waits double up to IDLE_CHECK_MS.
test("the checkpoint schedule looks often while rows change and backs off while they do not", (t) => {
  const store = scheduledStore(t);
  const { waits } = store;
  assert.deepEqual(waits, [CHECK_EVERY_MS], "the first look comes soon");
  store.write(1);
  assert.ok(store.lookOnce());
  assert.equal(waits.at(-1), CHECK_EVERY_MS, "a look that finds changes keeps the short wait");

  for (let i = 0; i < 6; i++) assert.ok(store.lookOnce());
  assert.deepEqual(
    waits.slice(-6),
    [2, 4, 8, 16, 32, 64].map((factor) => Math.min(IDLE_CHECK_MS, CHECK_EVERY_MS * factor)),
    "while nothing changes the waits double, up to IDLE_CHECK_MS",
  );
  assert.equal(waits.at(-1), IDLE_CHECK_MS);

  store.write(1);
  assert.ok(store.lookOnce());
  assert.equal(
    waits.at(-1),
    CHECK_EVERY_MS,
    "the first look that finds a change goes back to the short wait",
  );

  store.db.close();
  const before = waits.length;
  assert.ok(store.lookOnce());
  assert.equal(waits.length, before, "once the store is closed the schedule ends");
  assert.equal(store.lookOnce(), false, "no look is left scheduled");
});

// More rows than twice the first checkpoint's 800 changes: a look at the regular cadence that
// finds them checkpoints at once, on the main thread (the disk is slower than the requests).
const BURST = 2_000;

test("a burst seen at the regular cadence is checkpointed at once; one that began during a back-off flushes first", async (t) => {
  const steady = scheduledStore(t);
  steady.write(BURST);
  const steadyBefore = steady.dbBytes();
  steady.lookOnce();
  assert.ok(
    steady.dbBytes() > steadyBefore + 1_000_000,
    `at the regular cadence the look copied the rows into the database file (${steadyBefore} → ${steady.dbBytes()} bytes)`,
  );

  const idle = scheduledStore(t);
  for (let i = 0; i < 20 && idle.waits.at(-1) !== IDLE_CHECK_MS; i++) idle.lookOnce();
  assert.equal(idle.waits.at(-1), IDLE_CHECK_MS, "the schedule backed off");
  idle.write(BURST);
  const idleBefore = idle.dbBytes();
  idle.lookOnce();
  assert.equal(
    idle.dbBytes(),
    idleBefore,
    "after a back-off the look leaves the checkpoint until the WAL is flushed",
  );
  // The flush runs on libuv's thread pool; the checkpoint follows it on the main thread.
  for (let turn = 0; turn < 100_000 && idle.dbBytes() <= idleBefore + 1_000_000; turn++) await nextTurn();
  assert.ok(
    idle.dbBytes() > idleBefore + 1_000_000,
    `the flushed checkpoint copied the rows (${idleBefore} → ${idle.dbBytes()} bytes)`,
  );
});
