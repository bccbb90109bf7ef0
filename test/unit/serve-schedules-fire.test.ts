import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after as afterAll, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { LocalScheduler, type ScheduledDelivery } from "../../src/local/scheduler/local-scheduler.ts";
import { openStore } from "../../src/local/store/store.ts";
import type { AppSpec } from "../../src/model/app-spec.ts";
import type { ScheduleSpec } from "../../src/model/schedule/spec.ts";
import { serveSchedules } from "../../src/serve/schedules/serve-schedules.ts";
import type { ServeContext, ServeInvokeResult, ServeLogEntry } from "../../src/serve/serve-contract.ts";
import { functionSpec } from "../support/specs.ts";

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1);
const REGION = "eu-west-1";
const ACCOUNT = "123456789012";

function schedule(name: string, expression: string, extra: Partial<ScheduleSpec> = {}): ScheduleSpec {
  return {
    name,
    scheduleName: `app-${name}`,
    expression,
    timezone: "UTC",
    target: {
      kind: "function",
      name: "worker",
      input: '{"name":"<aws.scheduler.schedule-arn>","at":"<aws.scheduler.scheduled-time>"}',
    },
    enabled: true,
    ...extra,
  };
}

const SCHEDULES: readonly ScheduleSpec[] = [
  schedule("every", "rate(5 minutes)"),
  // 02:00 in Paris is 01:00 UTC in January.
  schedule("nightly", "cron(0 2 * * ? *)", { timezone: "Europe/Paris" }),
  schedule("once", "at(2026-01-01T00:12:00)"),
  schedule("elsewhere", "rate(1 minute)", { target: { kind: "function", name: "other" } }),
  schedule("to-queue", "rate(1 minute)", { target: { kind: "queue", name: "jobs" } }),
  schedule("off", "rate(1 minute)", { enabled: false }),
];

function appSpec(): AppSpec {
  return {
    name: "app",
    region: REGION,
    accountId: ACCOUNT,
    functions: { worker: functionSpec("worker"), other: functionSpec("other") },
    queues: {},
    schedules: Object.fromEntries(SCHEDULES.map((s) => [s.name, s])),
  };
}

interface Call {
  readonly fn: string;
  readonly payload: string;
  readonly at: number;
}

/** A ServeContext whose invoke records the call and answers when the test says so. */
function fakeContext(clock: ManualClock, answer: (call: Call) => Promise<ServeInvokeResult>) {
  const calls: Call[] = [];
  const logs: Omit<ServeLogEntry, "time">[] = [];
  const context: ServeContext = {
    spec: appSpec(),
    clock,
    invoke(fn, payload) {
      const call = { fn, payload, at: clock.now() };
      calls.push(call);
      return answer(call);
    },
    log: (entry) => logs.push(entry),
  };
  return { context, calls, logs };
}

const ok = async (): Promise<ServeInvokeResult> => ({ payload: "null" });
const scheduledTimes = (calls: readonly Call[]) =>
  calls.map(
    (c) =>
      `${(JSON.parse(c.payload) as { name: string }).name.split("/").pop()}@${(JSON.parse(c.payload) as { at: string }).at}`,
  );

describe("serveSchedules", () => {
  test("fires the served functions' schedules in time order on the clock, ties by name", async () => {
    const clock = new ManualClock(T0);
    const { context, calls } = fakeContext(clock, ok);
    const work = serveSchedules(context, ["worker"]);
    work.start();
    await clock.advance(15 * MIN);
    assert.deepEqual(scheduledTimes(calls), [
      "app-every@2026-01-01T00:00:00Z",
      "app-every@2026-01-01T00:05:00Z",
      "app-every@2026-01-01T00:10:00Z",
      "app-once@2026-01-01T00:12:00Z",
      "app-every@2026-01-01T00:15:00Z",
    ]);
    // Each invocation happens at its due time, on the serve clock.
    assert.deepEqual(
      calls.map((c) => (c.at - T0) / MIN),
      [0, 5, 10, 12, 15],
    );
    await clock.advance(45 * MIN);
    assert.deepEqual(scheduledTimes(calls).slice(-2), [
      "app-every@2026-01-01T01:00:00Z",
      "app-nightly@2026-01-01T01:00:00Z",
    ]);
    assert.ok(
      calls.every((c) => c.fn === "worker"),
      "a schedule of an unserved function or a queue never fires here",
    );
    await work.stop(clock.now());
  });

  test("delivers the payload the local scheduler delivers for the same schedule and time", async () => {
    const clock = new ManualClock(T0);
    const { context, calls } = fakeContext(clock, ok);
    const work = serveSchedules(context, ["worker"]);
    work.start();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-serve-schedules-"));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    const db = openStore(path.join(dir, "state.sqlite"));
    const local: ScheduledDelivery[] = [];
    const withId = (s: ScheduleSpec): ScheduleSpec => ({
      ...s,
      target: {
        ...s.target,
        input:
          '{"id":"<aws.scheduler.execution-id>","n":<aws.scheduler.attempt-number>,"arn":"<aws.scheduler.schedule-arn>","at":"<aws.scheduler.scheduled-time>"}',
      },
    });
    const scheduler = new LocalScheduler({
      db,
      clock,
      schedules: [withId(SCHEDULES[0] as ScheduleSpec)],
      region: REGION,
      accountId: ACCOUNT,
      deliver: (d) => local.push(d),
    });
    scheduler.start();
    await clock.advance(5 * MIN);
    scheduler.close();
    db.close();
    await work.stop(clock.now());
    // Same template filled the same way (ids are unique per invocation, on AWS too).
    const served = calls.map((c) => JSON.parse(c.payload) as Record<string, unknown>);
    const expected = local.map((d) => JSON.parse(d.payload) as Record<string, unknown>);
    assert.equal(served.length, 2);
    assert.deepEqual(
      served.map((p) => ({ arn: p.name, at: p.at })),
      expected.map((p) => ({ arn: p.arn, at: p.at })),
    );
    assert.equal(served[0]?.name, `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/default/app-every`);
  });

  test("stop cancels the timers and waits for in-flight invocations until the deadline", async () => {
    const clock = new ManualClock(T0);
    let release: (() => void) | undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { context, calls } = fakeContext(clock, async () => {
      await held;
      return { payload: "null" };
    });
    const work = serveSchedules(context, ["worker"]);
    work.start();
    await clock.advance(0);
    assert.equal(calls.length, 1, "the rate schedule fires when the server starts");
    let report: Awaited<ReturnType<typeof work.stop>> | undefined;
    const stopping = work.stop(clock.now() + 10_000).then((r) => {
      report = r;
    });
    await clock.advance(5_000);
    assert.equal(report, undefined, "still waiting for the invocation in flight");
    release?.();
    await stopping;
    assert.deepEqual(report, { finished: 1, released: 0, abandoned: 0 });
    await clock.advance(60 * MIN);
    assert.equal(calls.length, 1, "no schedule fires after stop");
  });

  test("an invocation still running at the deadline is abandoned", async () => {
    const clock = new ManualClock(T0);
    const { context } = fakeContext(clock, () => new Promise<ServeInvokeResult>(() => undefined));
    const work = serveSchedules(context, ["worker"]);
    work.start();
    await clock.advance(0);
    const stopping = work.stop(clock.now() + 10_000);
    await clock.advance(10_000);
    assert.deepEqual(await stopping, { finished: 0, released: 0, abandoned: 1 });
  });

  test("a function error is logged and the schedule carries on", async () => {
    const clock = new ManualClock(T0);
    const { context, calls, logs } = fakeContext(clock, async () => ({
      payload: '{"errorMessage":"boom"}',
      functionError: "Unhandled",
    }));
    const work = serveSchedules(context, ["worker"]);
    work.start();
    await clock.advance(5 * MIN);
    assert.equal(calls.length, 2);
    assert.equal(logs.filter((l) => l.event === "schedule-failed").length, 2);
    assert.equal(logs.filter((l) => l.event === "schedule").length, 2);
    await work.stop(clock.now());
  });
});
