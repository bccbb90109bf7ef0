import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { defineApp } from "../../src/model/define-app.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { base, issuesOf, type Obj } from "../support/model-validate.ts";

function withSchedules(schedules: unknown, extra: Obj = {}): Obj {
  return { ...base(), schedules, ...extra };
}

describe("schedules in the definition", () => {
  test("normalises a schedule with its defaults and its input as JSON text", () => {
    const spec = normaliseApp(
      withSchedules({
        nightly: { expression: "cron(0 2 * * ? *)", target: { function: "work", input: { a: 1 } } },
      }),
    );
    assert.deepEqual(spec.schedules?.nightly, {
      name: "nightly",
      scheduleName: "app-nightly",
      expression: "cron(0 2 * * ? *)",
      timezone: "UTC",
      target: { kind: "function", name: "work", input: '{"a":1}' },
      enabled: true,
    });
  });

  test("names what is wrong with an expression: both day fields set", () => {
    const [issue] = issuesOf(
      withSchedules({ s: { expression: "cron(0 2 1 * MON *)", target: { queue: "jobs" } } }),
    );
    assert.equal(issue?.path, "schedules.s.expression");
    assert.match(issue?.message ?? "", /day/);
  });

  test("rejects an unknown time zone at its own path", () => {
    const issues = issuesOf(
      withSchedules({
        s: { expression: "cron(0 2 * * ? *)", timezone: "Mars/Olympus", target: { queue: "jobs" } },
      }),
    );
    assert.deepEqual(
      issues.map((i) => i.path),
      ["schedules.s.timezone"],
    );
  });

  test("rejects a target that is not defined, and a schedule with two targets", () => {
    const issues = issuesOf(
      withSchedules({
        a: { expression: "rate(5 minutes)", target: { function: "nope" } },
        b: { expression: "rate(5 minutes)", target: { function: "work", queue: "jobs" } },
        c: { expression: "rate(5 minutes)", target: { bus: "orders" } },
      }),
    );
    assert.deepEqual(
      issues.map((i) => i.path),
      ["schedules.a.target.function", "schedules.b.target", "schedules.c.target.bus"],
    );
  });

  test("accepts the default bus and buses the definition declares", () => {
    const spec = normaliseApp(
      withSchedules(
        {
          a: { expression: "rate(5 minutes)", target: { bus: "default" } },
          b: { expression: "rate(5 minutes)", target: { bus: "orders" } },
        },
        { buses: { orders: {} } },
      ),
    );
    assert.equal(spec.schedules?.b?.target.kind, "bus");
  });
});

describe("schedule inputs", () => {
  const target = (t: Obj) => withSchedules({ s: { expression: "rate(5 minutes)", target: t } });

  test("sends a string as-is and other data as JSON", () => {
    assert.equal(normaliseApp(target({ queue: "jobs", input: "tick" })).schedules?.s?.target.input, "tick");
    assert.equal(
      normaliseApp(target({ function: "work", input: [1, 2] })).schedules?.s?.target.input,
      "[1,2]",
    );
  });

  test("refuses input that is not JSON for a function, and a bus detail that is not an object", () => {
    assert.equal(issuesOf(target({ function: "work", input: "tick" }))[0]?.path, "schedules.s.target.input");
    const [issue] = issuesOf(target({ bus: "default", input: [1] }));
    assert.equal(issue?.path, "schedules.s.target.input");
    assert.match(issue?.message ?? "", /JSON object/);
  });
});

describe("provisioned concurrency in the definition", () => {
  const fn = (extra: Obj): Obj => ({
    ...base(),
    functions: { work: { handler: "src/work.handler", ...extra } },
  });

  test("normalises a fixed number and a schedule of scaling actions", () => {
    assert.deepEqual(normaliseApp(fn({ provisionedConcurrency: 5 })).functions.work?.provisionedConcurrency, {
      kind: "fixed",
      capacity: 5,
    });
    const scheduled = normaliseApp(
      fn({
        provisionedConcurrency: {
          schedule: [
            { expression: "cron(45 11 * * ? *)", capacity: 250 },
            { expression: "cron(15 13 * * ? *)", capacity: 0 },
          ],
        },
      }),
    ).functions.work?.provisionedConcurrency;
    assert.equal(scheduled?.kind, "scheduled");
  });

  test("refuses more provisioned than reserved (or unreserved less 100) concurrency, and a fixed 0", () => {
    const issues = issuesOf(fn({ reservedConcurrency: 10, provisionedConcurrency: 20 }));
    assert.deepEqual(
      issues.map((i) => i.path),
      ["functions.work.provisionedConcurrency"],
    );
    assert.equal(
      issuesOf(fn({ provisionedConcurrency: 0 }))[0]?.path,
      "functions.work.provisionedConcurrency",
    );
    const [overAccount] = issuesOf(fn({ provisionedConcurrency: 901 }));
    assert.match(overAccount?.allowed ?? "", /from 1 to 900/);
  });

  test("names a bad scaling action by its index", () => {
    const issues = issuesOf(
      fn({
        reservedConcurrency: 100,
        provisionedConcurrency: { schedule: [{ expression: "cron(61 * * * ? *)", capacity: 250 }] },
      }),
    );
    assert.deepEqual(issues.map((i) => i.path).sort(), [
      "functions.work.provisionedConcurrency.schedule[0].capacity",
      "functions.work.provisionedConcurrency.schedule[0].expression",
    ]);
  });
});

test("schedule targets and provisioned concurrency are type-checked against the definition's names", () => {
  const app = defineApp({
    name: "typed",
    queues: { jobs: {} },
    buses: { orders: {} },
    functions: { work: { handler: "src/work.handler", provisionedConcurrency: 2 } },
    schedules: {
      a: { expression: "rate(5 minutes)", target: { function: "work" } },
      b: { expression: "rate(5 minutes)", target: { queue: "jobs", input: "tick" } },
      c: { expression: "rate(5 minutes)", target: { bus: "orders" } },
      d: { expression: "rate(5 minutes)", target: { bus: "default" } },
      // @ts-expect-error "wrok" is not a function
      e: { expression: "rate(5 minutes)", target: { function: "wrok" } },
      // @ts-expect-error "job" is not a queue
      f: { expression: "rate(5 minutes)", target: { queue: "job" } },
    },
  });
  assert.equal(app.name, "typed");
});
