import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after as afterAll, describe, test } from "node:test";
import { type Clock, ManualClock, SystemClock } from "../../src/local/clock/clock.ts";
import {
  LocalScheduler,
  MISSED_LIMIT,
  type ScheduledDelivery,
} from "../../src/local/scheduler/local-scheduler.ts";
import { openStore } from "../../src/local/store/store.ts";
import type { ScheduleSpec } from "../../src/model/schedule/spec.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function dbFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-scheduler-"));
  dirs.push(dir);
  return path.join(dir, "state.sqlite");
}

function schedule(name: string, expression: string, extra: Partial<ScheduleSpec> = {}): ScheduleSpec {
  return {
    name,
    scheduleName: `app-${name}`,
    expression,
    timezone: "UTC",
    target: { kind: "function", name: "f" },
    enabled: true,
    ...extra,
  };
}

function start(file: string, clock: Clock, schedules: ScheduleSpec[]) {
  const db = openStore(file);
  const fired: ScheduledDelivery[] = [];
  const events: unknown[] = [];
  const scheduler = new LocalScheduler({
    db,
    clock,
    schedules,
    region: "us-east-1",
    accountId: "000000000000",
    deliver: (d) => fired.push(d),
    onEvent: (e) => events.push(e),
  });
  scheduler.start();
  const stop = () => {
    scheduler.close();
    db.close();
  };
  return { scheduler, fired, events, stop };
}

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().slice(11, 16);

describe("local scheduler", () => {
  test("fires every occurrence that falls due during a 90-minute advance, in time order", async () => {
    const clock = new ManualClock(T0);
    const run = start(dbFile(), clock, [
      schedule("every-20m", "rate(20 minutes)"),
      schedule("half-past", "cron(30 * * * ? *)"),
      schedule("at-once", "at(2026-01-01T00:45:00)"),
    ]);
    await clock.advance(90 * MIN);
    const order = run.fired.map((d) => `${iso(d.scheduledTimeMs)} ${d.schedule.name}`);
    assert.deepEqual(order, [
      "00:00 every-20m",
      "00:20 every-20m",
      "00:30 half-past",
      "00:40 every-20m",
      "00:45 at-once",
      "01:00 every-20m",
      "01:20 every-20m",
      "01:30 half-past",
    ]);
    run.stop();
  });

  test("a jump of dev's system clock (`sluice time advance 90m`) fires every occurrence in order", () => {
    const clock = new SystemClock();
    const run = start(dbFile(), clock, [
      schedule("a", "rate(20 minutes)"),
      schedule("b", "rate(30 minutes)"),
    ]);
    clock.advance(90 * MIN);
    // rate() fires at the start of the minute the schedule was first seen, and counts from it.
    const anchor = run.fired[0]?.scheduledTimeMs ?? 0;
    assert.equal(anchor % MIN, 0);
    const offsets = run.fired.map((d) => `${(d.scheduledTimeMs - anchor) / MIN} ${d.schedule.name}`);
    assert.deepEqual(offsets, ["0 a", "0 b", "20 a", "30 b", "40 a", "60 a", "60 b", "80 a", "90 b"]);
    run.stop();
  });

  test("delivers the target's input as-is, and {} when the schedule gives none", async () => {
    const clock = new ManualClock(T0);
    const run = start(dbFile(), clock, [
      schedule("plain", "rate(1 minute)"),
      schedule("templated", "rate(1 minute)", {
        target: { kind: "queue", name: "q", input: '{"kind":"daily"}' },
      }),
    ]);
    await clock.advance(0);
    assert.deepEqual(
      run.fired.map((d) => d.payload),
      ["{}", '{"kind":"daily"}'],
    );
    run.stop();
  });

  test("a disabled schedule never fires", async () => {
    const clock = new ManualClock(T0);
    const run = start(dbFile(), clock, [schedule("off", "rate(1 minute)", { enabled: false })]);
    await clock.advance(10 * MIN);
    assert.equal(run.fired.length, 0);
    assert.deepEqual(run.scheduler.upcoming("off", 3), []);
    run.stop();
  });

  test("a restart neither repeats fires nor loses those due while stopped", async () => {
    const file = dbFile();
    const clock = new ManualClock(T0);
    const first = start(file, clock, [schedule("tick", "rate(10 minutes)")]);
    await clock.advance(25 * MIN);
    assert.deepEqual(
      first.fired.map((d) => iso(d.scheduledTimeMs)),
      ["00:00", "00:10", "00:20"],
    );
    first.stop();

    await clock.advance(20 * MIN); // stopped from 00:25 to 00:45: 00:30 and 00:40 were due
    const second = start(file, clock, [schedule("tick", "rate(10 minutes)")]);
    await clock.advance(0);
    assert.deepEqual(
      second.fired.map((d) => iso(d.scheduledTimeMs)),
      ["00:30", "00:40"],
    );
    await clock.advance(5 * MIN);
    assert.deepEqual(
      second.fired.map((d) => iso(d.scheduledTimeMs)),
      ["00:30", "00:40", "00:50"],
    );
    second.stop();
  });

  test(`delivers at most ${MISSED_LIMIT} occurrences missed while stopped, and reports the rest`, async () => {
    const file = dbFile();
    const clock = new ManualClock(T0);
    start(file, clock, [schedule("tick", "rate(1 minute)")]).stop();
    await clock.advance(MISSED_LIMIT * MIN + 30 * MIN);
    const run = start(file, clock, [schedule("tick", "rate(1 minute)")]);
    await clock.advance(0);
    assert.equal(run.fired.length, MISSED_LIMIT);
    assert.equal(iso(run.fired.at(-1)?.scheduledTimeMs ?? 0), iso(T0 + (MISSED_LIMIT + 30) * MIN));
    assert.deepEqual(run.events[0], { type: "schedule-missed", schedule: "tick", skipped: 30 });
    run.stop();
  });

  test("a changed expression starts afresh from the restart", async () => {
    const file = dbFile();
    const clock = new ManualClock(T0);
    start(file, clock, [schedule("tick", "rate(10 minutes)")]).stop();
    await clock.advance(60 * MIN);
    const run = start(file, clock, [schedule("tick", "rate(15 minutes)")]);
    await clock.advance(15 * MIN);
    assert.deepEqual(
      run.fired.map((d) => iso(d.scheduledTimeMs)),
      ["01:00", "01:15"],
    );
    run.stop();
  });

  test("cron schedules follow their time zone", async () => {
    const clock = new ManualClock(Date.UTC(2026, 6, 1));
    const run = start(dbFile(), clock, [
      schedule("nine", "cron(0 9 * * ? *)", { timezone: "Europe/London" }),
    ]);
    await clock.advance(24 * 60 * MIN);
    assert.deepEqual(
      run.fired.map((d) => new Date(d.scheduledTimeMs).toISOString()),
      ["2026-07-01T08:00:00.000Z"],
    );
    run.stop();
  });
});
