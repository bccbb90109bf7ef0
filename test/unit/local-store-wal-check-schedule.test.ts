import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { openStore } from "../../src/local/store/index.ts";
import {
  CHECK_EVERY_MS,
  checkpointInBackground,
  IDLE_CHECK_MS,
} from "../../src/local/store/wal-checkpoints.ts";
import { tempDir } from "../support/temp.ts";

// Each look at the row count wakes the process; at one look every 25 ms an idle `sluice dev` spent
// 14 ms of CPU a second on it (docs/benchmarks.md, session 20). While rows change the schedule
// looks every CHECK_EVERY_MS; while they do not, its waits double up to IDLE_CHECK_MS.
test("the checkpoint schedule looks often while rows change and backs off while they do not", (t) => {
  const temp = tempDir("sluice-store-schedule-");
  t.after(() => temp.cleanup());
  // Not exclusive, so openStore starts no schedule of its own: this test runs the only one.
  const db = openStore(join(temp.dir, "state.sqlite"));
  t.after(() => {
    if (db.open) db.close();
  });
  db.exec("CREATE TABLE rows (n INTEGER PRIMARY KEY)");
  const insert = db.prepare("INSERT INTO rows (n) VALUES (?)");
  const waits: number[] = [];
  let next: (() => void) | undefined;
  checkpointInBackground(db, (look, ms) => {
    waits.push(ms);
    next = look;
  });
  const lookOnce = () => {
    const look = next;
    next = undefined;
    assert.ok(look, "a look is scheduled");
    look();
  };

  assert.deepEqual(waits, [CHECK_EVERY_MS], "the first look comes soon");
  insert.run(1);
  lookOnce();
  assert.equal(waits.at(-1), CHECK_EVERY_MS, "a look that finds changes keeps the short wait");

  for (let i = 0; i < 6; i++) lookOnce();
  assert.deepEqual(
    waits.slice(-6),
    [2, 4, 8, 16, 32, 64].map((factor) => Math.min(IDLE_CHECK_MS, CHECK_EVERY_MS * factor)),
    "while nothing changes the waits double, up to IDLE_CHECK_MS",
  );
  assert.equal(waits.at(-1), IDLE_CHECK_MS);

  insert.run(2);
  lookOnce();
  assert.equal(
    waits.at(-1),
    CHECK_EVERY_MS,
    "the first look that finds a change goes back to the short wait",
  );

  db.close();
  const before = waits.length;
  lookOnce();
  assert.equal(waits.length, before, "once the store is closed the schedule ends");
  assert.equal(next, undefined);
});
