/**
 * A region of `sluice cloud` rebuilds its cloud whenever a stack operation settles, and the host
 * may ask for two rebuilds of one region at once (a stack of that region settling while start()
 * rebuilds it, or a global table's replicas changing from another region's stack). Rebuilds of
 * one region run one after the other: two at once would each open the region's state file, and
 * the second would wait out SQLite's busy timeout and fail with "database is locked".
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { RegionRuntime } from "../../src/local/cloud-host/region-runtime.ts";
import { tempDir } from "../support/temp.ts";

describe("a region runtime", () => {
  test("runs concurrent rebuilds one at a time, and a close after them", async (t) => {
    const tmp = tempDir("sluice-region-runtime-");
    t.after(() => tmp.cleanup());
    const runtime = new RegionRuntime({
      region: "us-west-2",
      accountId: "000000000000",
      stateDir: tmp.dir,
      clock: new ManualClock(),
      host: "127.0.0.1",
      environment: () => ({}),
      onEvent: () => {},
    });
    const started = Date.now();
    const results = await Promise.allSettled([runtime.rebuild([]), runtime.rebuild([]), runtime.close()]);
    assert.deepEqual(
      results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok")),
      ["ok", "ok", "ok"],
    );
    // Asked after the close: opens nothing that would outlive the host.
    await runtime.rebuild([]);
    // Not after SQLite's busy timeout (5 s): no rebuild waited on another's open file.
    assert.ok(Date.now() - started < 4_000, `took ${Date.now() - started} ms`);
  });

  test("what is asked of its cloud during a rebuild runs on the reopened cloud, never the closed one", async (t) => {
    const tmp = tempDir("sluice-region-runtime-");
    t.after(() => tmp.cleanup());
    const runtime = new RegionRuntime({
      region: "us-west-2",
      accountId: "000000000000",
      stateDir: tmp.dir,
      clock: new ManualClock(),
      host: "127.0.0.1",
      environment: () => ({}),
      onEvent: () => {},
    });
    const before = runtime.cloud;
    const rebuilt = runtime.rebuild([]);
    // Asked while the rebuild closes the cloud (as a provider's "does this table exist?" may be,
    // when another region's stack settles and rebuilds this one): waits for the new cloud.
    const asked = Array.from({ length: 3 }, () =>
      runtime.withCloud((cloud) => {
        assert.notEqual(cloud, before, "not the cloud the rebuild closed");
        return cloud.dynamodb.tables().length + cloud.sqs.listQueues().length;
      }),
    );
    assert.deepEqual(await Promise.all(asked), [0, 0, 0]);
    await rebuilt;
    await runtime.close();
    await assert.rejects(
      runtime.withCloud(() => 1),
      /us-west-2 is closed/,
    );
  });
});
