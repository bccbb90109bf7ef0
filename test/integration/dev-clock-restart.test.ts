/**
 * `sluice time advance` moves dev's clock, and timers are armed on that clock (SQS delays and
 * visibility, Step Functions Waits, schedules). A dev killed and started again must not start its
 * clock from the wall clock: time would go backwards and every durable timer would wait the
 * whole advance again.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT, sluice, startDev } from "../support/cli-process.ts";
import { copyApp } from "../support/temp.ts";

const RELOAD = join(ROOT, "test", "fixtures", "apps", "reload");
const DAY_MS = 86_400_000;

interface QueueStats {
  readonly name: string;
  readonly visible: number;
  readonly delayed: number;
}

async function clockOf(dir: string): Promise<number> {
  const result = await sluice(["time", "--json", "--dir", dir]);
  assert.equal(result.code, 0, result.stderr);
  return (JSON.parse(result.stdout) as { now: number }).now;
}

async function jobsOf(dir: string): Promise<QueueStats | undefined> {
  const result = await sluice(["queues", "--json", "--dir", dir]);
  assert.equal(result.code, 0, result.stderr);
  return (JSON.parse(result.stdout) as QueueStats[]).find((q) => q.name === "jobs");
}

test("dev's clock does not go back when dev is killed and started again", { timeout: 180_000 }, async (t) => {
  const app = copyApp(RELOAD);
  t.after(() => app.cleanup());
  const first = await startDev(app.dir);
  t.after(() => first.stop("SIGKILL"));

  const advanced = await sluice(["time", "advance", "1d", "--json", "--dir", app.dir]);
  assert.equal(advanced.code, 0, advanced.stderr);
  const advancedNow = (JSON.parse(advanced.stdout) as { now: number }).now;
  assert.ok(advancedNow >= Date.now() + DAY_MS - 60_000, "the advance moved the clock a day ahead");
  // A message delayed 15 minutes on the advanced clock: due a day ahead of the wall clock.
  const sent = await sluice(["send", "jobs", "later", "--delay", "900", "--dir", app.dir]);
  assert.equal(sent.code, 0, sent.stderr);
  assert.equal((await jobsOf(app.dir))?.delayed, 1);

  await first.stop("SIGKILL");
  const second = await startDev(app.dir);
  t.after(() => second.stop());

  const restartedNow = await clockOf(app.dir);
  assert.ok(
    restartedNow >= advancedNow,
    `the restarted clock (${new Date(restartedNow).toISOString()}) is not behind the advanced one (${new Date(advancedNow).toISOString()})`,
  );
  // Fifteen more minutes make the delayed message visible, not a day and fifteen minutes.
  const moved = await sluice(["time", "advance", "15m", "--dir", app.dir]);
  assert.equal(moved.code, 0, moved.stderr);
  assert.deepEqual(
    { visible: (await jobsOf(app.dir))?.visible, delayed: (await jobsOf(app.dir))?.delayed },
    { visible: 1, delayed: 0 },
  );
});
