import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { LocalCloud, STATE_FILE } from "../../src/local/local-cloud.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { tempDir } from "../support/temp.ts";

// A running local cloud owns its state file (issue 14: no lock calls per commit, no -shm file);
// the CLI reaches a running dev through its control API, never through the file (cli/connect.ts).
test("a local cloud holds its state file for itself until it closes", async (t) => {
  const temp = tempDir("sluice-exclusive-cloud-");
  t.after(() => temp.cleanup());
  const file = join(temp.dir, STATE_FILE);
  const cloud = new LocalCloud({
    spec: normaliseApp({ name: "owner", queues: { jobs: {} }, functions: {} }),
    stateDir: temp.dir,
    clock: new ManualClock(),
    background: false,
    code: () => {
      throw new Error("no functions");
    },
  });
  await cloud.sqs.sendMessage("jobs", { body: "kept" });
  assert.equal(existsSync(`${file}-shm`), false, "WAL's index is in the cloud's memory");
  const other = new Database(file, { timeout: 0 });
  t.after(() => other.close());
  assert.throws(() => other.prepare("SELECT COUNT(*) FROM sqs_messages").pluck().get(), /locked|busy/i);
  await cloud.close();
  assert.equal(other.prepare("SELECT COUNT(*) FROM sqs_messages").pluck().get(), 1);
});
