/**
 * `sluice dev`'s local cloud applies its own S3's lifecycle rules on its clock, as the cloud host
 * does for deployed buckets: S3 expires objects in the background once they fall due (their
 * creation plus the rule's days, rounded up to the next midnight UTC).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { LocalCloud, TABLE_SWEEP_INTERVAL_MS } from "../../src/local/local-cloud.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { tempDir } from "../support/temp.ts";

const DAY_MS = 86_400_000;

test("the local cloud expires its buckets' objects on its clock", async (t) => {
  const temp = tempDir("sluice-dev-lifecycle-");
  t.after(() => temp.cleanup());
  const clock = new ManualClock(Date.UTC(2026, 10, 21));
  const cloud = new LocalCloud({
    spec: normaliseApp({ name: "lifecycle", functions: {} }),
    stateDir: temp.dir,
    clock,
    code: () => {
      throw new Error("no functions");
    },
  });
  t.after(() => cloud.close());
  cloud.s3.createBucket("tmp-bucket", "us-east-1", "000000000000");
  cloud.s3.setBucketConfiguration("tmp-bucket", {
    LifecycleConfiguration: { Rules: [{ Status: "Enabled", Prefix: "tmp/", ExpirationInDays: 1 }] },
  });
  cloud.s3.putObject("tmp-bucket", "tmp/a", Buffer.from("a"));
  cloud.s3.putObject("tmp-bucket", "keep/b", Buffer.from("b"));
  cloud.start();
  const keys = () => cloud.s3.listObjectsV2("tmp-bucket", {}).contents.map((o) => o.key);
  await clock.advance(DAY_MS - TABLE_SWEEP_INTERVAL_MS);
  assert.deepEqual(keys(), ["keep/b", "tmp/a"], "nothing is due before the day has passed");
  await clock.advance(2 * TABLE_SWEEP_INTERVAL_MS);
  assert.deepEqual(keys(), ["keep/b"], "gone within a sweep of falling due");
});
