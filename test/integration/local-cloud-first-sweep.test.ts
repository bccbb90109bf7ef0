import assert from "node:assert/strict";
import { test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { LocalCloud, TABLE_SWEEP_INTERVAL_MS } from "../../src/local/local-cloud.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { tempDir } from "../support/temp.ts";

// The first TTL/stream-retention sweep runs inside start(); like the later ones (clock timers),
// a throw is reported by the clock's caller and the sweep runs again, and start() completes.
test("a first table sweep that throws does not abort start(); it is reported and sweeps go on", async (t) => {
  const temp = tempDir("sluice-first-sweep-");
  t.after(() => temp.cleanup());
  const clock = new ManualClock();
  const cloud = new LocalCloud({
    spec: normaliseApp({ name: "sweep", queues: { jobs: {} }, functions: {} }),
    stateDir: temp.dir,
    clock,
    code: () => {
      throw new Error("no functions");
    },
  });
  t.after(() => cloud.close());
  // A store the sweep cannot read: every sweep throws.
  cloud.db.exec("ALTER TABLE dynamodb_stream_records RENAME TO broken_records");
  assert.doesNotThrow(() => cloud.start());
  await assert.rejects(clock.advance(0), /dynamodb_stream_records/);
  cloud.db.exec("ALTER TABLE broken_records RENAME TO dynamodb_stream_records");
  await clock.advance(TABLE_SWEEP_INTERVAL_MS);
});
