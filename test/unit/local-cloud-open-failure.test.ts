/**
 * A LocalCloud that cannot open (its CA folder unusable, a definition the engine refuses) must
 * let go of its state file: it holds SQLite's exclusive lock, and `sluice cloud`'s region
 * runtime reopens the previous app on the same file at once (RegionRuntime.rebuild), which
 * would otherwise fail with "database is locked" and leave the region down until a restart.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { LocalCloud } from "../../src/local/local-cloud.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { tempDir } from "../support/temp.ts";

const temp = tempDir("sluice-cloud-open-");
after(() => temp.cleanup());

describe("a LocalCloud whose opening throws", () => {
  test("closes its state file, so the next open of the same folder succeeds", async () => {
    const spec = normaliseApp({
      name: "shop",
      queues: { jobs: {} },
      functions: { work: { handler: "src/work.handler" } },
    });
    const stateDir = join(temp.dir, "state");
    const notAFolder = join(temp.dir, "file");
    writeFileSync(notAFolder, "");
    const options = {
      spec,
      stateDir,
      clock: new ManualClock(),
      code: () => {
        throw new Error("no code in this test");
      },
      background: false,
    };
    assert.throws(() => new LocalCloud({ ...options, trustLocalCa: true, caDir: notAFolder }));
    const started = Date.now();
    const cloud = new LocalCloud(options);
    try {
      assert.equal(cloud.sqs.listQueues().length, 1);
      // Not after SQLite's busy timeout (5 s) either: nothing else holds the file.
      assert.ok(Date.now() - started < 4_000, `opened after ${Date.now() - started} ms`);
    } finally {
      await cloud.close();
    }
  });
});
