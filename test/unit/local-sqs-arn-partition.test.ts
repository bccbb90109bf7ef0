import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { createQueueService } from "../../src/local/sqs/queue-service.ts";
import { openStore } from "../../src/local/store/store.ts";
import { queueArn as modelQueueArn } from "../../src/model/naming.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { queueSpec } from "../support/specs.ts";

for (const [region, partition] of [
  ["us-east-1", "aws"],
  ["cn-north-1", "aws-cn"],
  ["us-gov-west-1", "aws-us-gov"],
] as const) {
  test(`queue ARNs in ${region} use the ${partition} partition, as the model's naming does`, (t) => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-arn-"));
    const db = openStore(join(dir, "state.sqlite"));
    const sqs = createQueueService({ db, clock: new ManualClock(), region, accountId: "000000000000" });
    t.after(() => {
      sqs.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    });
    sqs.ensureQueues([queueSpec("jobs")]);
    const arn = sqs.queueArn("jobs");
    assert.equal(arn, `arn:${partition}:sqs:${region}:000000000000:app-jobs`);
    const spec = normaliseApp({
      name: "app",
      region,
      queues: { jobs: {} },
      functions: { f: { handler: "src/f.handler" } },
    });
    assert.equal(arn, modelQueueArn(spec, "jobs"));
  });
}
