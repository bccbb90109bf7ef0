import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ScheduleInfo } from "../../src/local/scheduler/local-scheduler.ts";
import { app, run } from "../support/cli-in-process.ts";

describe("sluice schedules", { timeout: 60_000 }, () => {
  test("lists each schedule with its next fire times, in order", async (t) => {
    const dir = app(t, "schedules-golden");
    const result = await run(["schedules", "--json", "--count", "2", "--dir", dir]);
    assert.equal(result.code, 0, result.err);
    const schedules = JSON.parse(result.out) as ScheduleInfo[];
    const byName = Object.fromEntries(schedules.map((s) => [s.name, s]));
    const nightly = byName["nightly-report"];
    assert.equal(nightly?.target, "function:nightly");
    assert.equal(nightly?.next.length, 2);
    for (const ms of nightly?.next ?? []) assert.equal(new Date(ms).toISOString().slice(11), "02:00:00.000Z");
    assert.equal((nightly?.next[1] ?? 0) - (nightly?.next[0] ?? 0), 86_400_000);
    assert.equal((byName["queue-tick"]?.next[1] ?? 0) - (byName["queue-tick"]?.next[0] ?? 0), 300_000);
    assert.deepEqual(byName["new-year"]?.next, []);
    assert.equal(byName["new-year"]?.enabled, false);
  });

  test("prints a table, and refuses a count out of range", async (t) => {
    const dir = app(t, "schedules-golden");
    const result = await run(["schedules", "--dir", dir]);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /^SCHEDULE\s+EXPRESSION\s+ZONE\s+TARGET\s+NEXT/);
    assert.match(
      result.out,
      /new-year\s+at\(2027-01-01T00:00:00\)\s+Europe\/London\s+function:worker\s+\(disabled\)/,
    );
    const bad = await run(["schedules", "--count", "0", "--dir", dir]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--count takes a whole number from 1 to 100; got "0"/);
  });
});
