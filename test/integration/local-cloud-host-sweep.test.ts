import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { CloudHost } from "../../src/local/cloud-host/cloud-host.ts";

const DAY_MS = 86_400_000;
const REGION = "us-east-1";

test("the host applies S3 lifecycle expiration and log retention on its clock, hour by hour", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "sluice-sweep-"));
  // Midnight UTC, so the expiry instants are easy to state.
  const clock = new ManualClock(Date.UTC(2026, 10, 21));
  const host = await CloudHost.start({ stateDir: dir, port: 0, clock });
  t.after(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });
  host.s3.createBucket("sweep-bucket", REGION, host.accountId);
  host.s3.setBucketConfiguration("sweep-bucket", {
    LifecycleConfiguration: { Rules: [{ Status: "Enabled", ExpirationInDays: 1 }] },
  });
  host.s3.putObject("sweep-bucket", "old.zip", Buffer.from("zip"), {});
  host.logs.createLogGroup(REGION, "/aws/lambda/swept", 1);
  host.logs.append(REGION, "/aws/lambda/swept", "stream", [{ timestamp: clock.now(), message: "hello" }]);
  const objects = () => host.s3.listObjectsV2("sweep-bucket", {}).keyCount;
  const events = () => host.logs.filterLogEvents(REGION, { logGroupName: "/aws/lambda/swept" }).events.length;

  await clock.advance(DAY_MS - 60 * 60 * 1000);
  assert.deepEqual([objects(), events()], [1, 1], "nothing is due before a day has passed");
  await clock.advance(2 * 60 * 60 * 1000);
  assert.deepEqual([objects(), events()], [0, 0], "both are gone within the hour after they fall due");
});
