import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after as afterAll, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { LocalScheduler, type ScheduledDelivery } from "../../src/local/scheduler/local-scheduler.ts";
import { openStore } from "../../src/local/store/store.ts";
import type { ScheduleSpec } from "../../src/model/schedule/spec.ts";

// "If you do not provide a StartDate for a rate-based schedule, your schedule starts invoking the
// target immediately." https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1, 0, 0, 20);
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

function open(file: string, clock: ManualClock, expression: string) {
  const db = openStore(file);
  const spec: ScheduleSpec = {
    name: "tick",
    scheduleName: "app-tick",
    expression,
    timezone: "UTC",
    target: { kind: "function", name: "f" },
    enabled: true,
  };
  const fired: ScheduledDelivery[] = [];
  const scheduler = new LocalScheduler({
    db,
    clock,
    region: "us-east-1",
    accountId: "000000000000",
    schedules: [spec],
    deliver: (d) => fired.push(d),
  });
  scheduler.start();
  const stop = () => {
    scheduler.close();
    db.close();
  };
  return { scheduler, fired, stop };
}

function dbFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-scheduler-first-"));
  dirs.push(dir);
  return path.join(dir, "state.sqlite");
}

describe("a rate() schedule without a start date", () => {
  test("first fires when it is created, then once every period", async () => {
    const clock = new ManualClock(T0);
    const run = open(dbFile(), clock, "rate(10 minutes)");
    await clock.advance(0);
    assert.deepEqual(
      run.fired.map((d) => hhmm(d.scheduledTimeMs)),
      ["00:00"],
      "fires at once",
    );
    await clock.advance(25 * MIN);
    assert.deepEqual(
      run.fired.map((d) => hhmm(d.scheduledTimeMs)),
      ["00:00", "00:10", "00:20"],
    );
    run.stop();
  });

  test("lists its creation minute as its first due time before it has fired", () => {
    const clock = new ManualClock(T0);
    const db = openStore(dbFile());
    const scheduler = new LocalScheduler({
      db,
      clock,
      region: "us-east-1",
      accountId: "000000000000",
      schedules: [
        {
          name: "tick",
          scheduleName: "app-tick",
          expression: "rate(1 hour)",
          timezone: "UTC",
          target: { kind: "function", name: "f" },
          enabled: true,
        },
      ],
      deliver: () => {},
    });
    assert.deepEqual(scheduler.list(2)[0]?.next.map(hhmm), ["00:00", "01:00"]);
    db.close();
  });

  test("a restart does not fire it again at once", async () => {
    const file = dbFile();
    const clock = new ManualClock(T0);
    open(file, clock, "rate(10 minutes)").stop();
    await clock.advance(3 * MIN);
    const run = open(file, clock, "rate(10 minutes)");
    await clock.advance(0);
    assert.equal(run.fired.length, 0);
    await clock.advance(7 * MIN);
    assert.deepEqual(
      run.fired.map((d) => hhmm(d.scheduledTimeMs)),
      ["00:10"],
    );
    run.stop();
  });

  test("a cron() schedule does not fire at creation", async () => {
    const clock = new ManualClock(T0);
    const run = open(dbFile(), clock, "cron(0/10 * * * ? *)");
    await clock.advance(0);
    assert.deepEqual(run.fired, []);
    run.stop();
  });
});
