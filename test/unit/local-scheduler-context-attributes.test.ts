import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after as afterAll, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { LocalScheduler, type ScheduledDelivery } from "../../src/local/scheduler/local-scheduler.ts";
import { openStore } from "../../src/local/store/store.ts";
import type { ScheduleSpec } from "../../src/model/schedule/spec.ts";

// https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 22, 18, 59);

function run(input: string, expression = "cron(* * * * ? *)") {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-scheduler-ctx-"));
  dirs.push(dir);
  const db = openStore(path.join(dir, "state.sqlite"));
  const clock = new ManualClock(T0);
  const spec: ScheduleSpec = {
    name: "report",
    scheduleName: "shop-report",
    expression,
    timezone: "UTC",
    target: { kind: "queue", name: "q", input },
    enabled: true,
  };
  const fired: ScheduledDelivery[] = [];
  const scheduler = new LocalScheduler({
    db,
    clock,
    region: "eu-west-1",
    accountId: "123456789012",
    schedules: [spec],
    deliver: (d) => fired.push(d),
  });
  scheduler.start();
  const stop = () => {
    scheduler.close();
    db.close();
  };
  return { clock, fired, stop };
}

describe("EventBridge Scheduler context attributes", () => {
  test("fills in the scheduled time (ISO 8601, to the second, UTC) and the schedule's ARN", async () => {
    const r = run(
      JSON.stringify({ at: "<aws.scheduler.scheduled-time>", arn: "<aws.scheduler.schedule-arn>" }),
    );
    await r.clock.advance(MIN);
    assert.deepEqual(JSON.parse(r.fired[0]?.payload ?? "null"), {
      at: "2026-03-22T19:00:00Z",
      arn: "arn:aws:scheduler:eu-west-1:123456789012:schedule/default/shop-report",
    });
    r.stop();
  });

  test("the attempt number is 1 and each invocation has its own execution id", async () => {
    const r = run('{"id":"<aws.scheduler.execution-id>","n":<aws.scheduler.attempt-number>}');
    await r.clock.advance(2 * MIN);
    const payloads = r.fired.map((d) => JSON.parse(d.payload) as { id: string; n: number });
    assert.equal(payloads.length, 2);
    for (const p of payloads) {
      assert.equal(p.n, 1);
      assert.match(p.id, /^[0-9a-z]{16}$/);
    }
    assert.notEqual(payloads[0]?.id, payloads[1]?.id);
    r.stop();
  });

  test("every occurrence of a keyword is replaced; other text, and unknown keywords, stay as written", async () => {
    const r = run(
      "<aws.scheduler.scheduled-time> <aws.scheduler.scheduled-time> <aws.scheduler.other> <aws.events.event>",
    );
    await r.clock.advance(MIN);
    assert.equal(
      r.fired[0]?.payload,
      "2026-03-22T19:00:00Z 2026-03-22T19:00:00Z <aws.scheduler.other> <aws.events.event>",
    );
    r.stop();
  });
});
