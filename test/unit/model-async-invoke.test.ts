import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { asyncInvokeSettings } from "../../src/model/async-invoke.ts";
import { ConfigError } from "../../src/model/config-error.ts";
import { defineApp } from "../../src/model/define-app.ts";
import { LIMITS } from "../../src/model/limits.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { base, type Case, type Obj, runCases } from "../support/model-validate.ts";

const A = "functions.work.async";
const withQueues = (queues: Obj) => (d: Obj) => {
  d.queues = { ...(d.queues as Obj), ...queues };
};

const cases: readonly Case[] = [
  { rule: "async that is not an object", set: { [A]: "fast" } },
  { rule: "an unknown async option", set: { [`${A}.retries`]: 1 }, mentions: "maximumRetryAttempts" },
  { rule: "maximumRetryAttempts above Lambda's 2", set: { [`${A}.maximumRetryAttempts`]: 3 }, mentions: "2" },
  { rule: "a negative maximumRetryAttempts", set: { [`${A}.maximumRetryAttempts`]: -1 } },
  { rule: "a fractional maximumRetryAttempts", set: { [`${A}.maximumRetryAttempts`]: 1.5 } },
  {
    rule: "a maximumEventAge below Lambda's 60 seconds",
    set: { [`${A}.maximumEventAge`]: "59 seconds" },
    mentions: '"1 minute"',
  },
  {
    rule: "a maximumEventAge above Lambda's 6 hours",
    set: { [`${A}.maximumEventAge`]: "7 hours" },
    mentions: '"6 hours"',
  },
  { rule: "a maximumEventAge given as a number", set: { [`${A}.maximumEventAge`]: 3600 } },
  {
    rule: "an onSuccess that names nothing defined",
    set: { [`${A}.onSuccess`]: "job" },
    mentions: 'Did you mean "jobs"?',
  },
  {
    rule: "an onFailure that is not a string",
    set: { [`${A}.onFailure`]: ["jobs"] },
  },
  {
    rule: "an onFailure FIFO queue, which Lambda does not deliver records to",
    change: withQueues({ ordered: { fifo: true } }),
    set: { [`${A}.onFailure`]: "ordered" },
    mentions: "standard",
  },
  {
    rule: "a dead-letter queue that is a function",
    set: { [`${A}.deadLetter`]: "work" },
    mentions: 'onFailure: "work"',
  },
  { rule: "a dead-letter queue that is not defined", set: { [`${A}.deadLetter`]: "missing" } },
  {
    rule: "a dead-letter queue that is an event bus",
    change: (d: Obj) => {
      d.buses = { results: {} };
    },
    set: { [`${A}.deadLetter`]: "results" },
    mentions: 'onFailure: "results"',
  },
  {
    rule: "the default bus as a dead-letter queue",
    set: { [`${A}.deadLetter`]: "default" },
    mentions: "event bus",
  },
  {
    rule: "an onSuccess that names a bus the app does not declare",
    change: (d: Obj) => {
      d.buses = { results: {} };
    },
    set: { [`${A}.onSuccess`]: "result" },
    mentions: 'Did you mean "results"?',
  },
  {
    rule: "a FIFO dead-letter queue",
    change: withQueues({ ordered: { fifo: true } }),
    set: { [`${A}.deadLetter`]: "ordered" },
    mentions: "standard queue",
  },
];

describe("async settings: what validation rejects", () => {
  runCases(cases);

  test("reports every problem of the async settings at once", () => {
    const definition = base();
    (definition.functions as Obj).work = {
      handler: "src/work.handler",
      async: { maximumRetryAttempts: 5, maximumEventAge: "1 day", onSuccess: "nowhere", deadLetter: "work" },
    };
    try {
      normaliseApp(definition);
      assert.fail("expected a ConfigError");
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(
        error.issues.map((i) => i.path),
        [`${A}.maximumRetryAttempts`, `${A}.maximumEventAge`, `${A}.onSuccess`, `${A}.deadLetter`],
      );
    }
  });
});

describe("async settings: what normalisation gives", () => {
  test("fills in Lambda's defaults and names destinations by their definition names", () => {
    const spec = normaliseApp({
      name: "app",
      queues: { failures: {}, dlq: {} },
      functions: {
        work: {
          handler: "src/work.handler",
          async: { maximumEventAge: "1 hour", onSuccess: "audit", onFailure: "failures", deadLetter: "dlq" },
        },
        audit: { handler: "src/audit.handler", async: {} },
        plain: { handler: "src/plain.handler" },
      },
    });
    assert.deepEqual(spec.functions.work?.async, {
      maximumRetryAttempts: 2,
      maximumEventAgeSeconds: 3600,
      onSuccess: "audit",
      onFailure: "failures",
      deadLetterQueue: "dlq",
    });
    assert.deepEqual(spec.functions.audit?.async, { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21600 });
    assert.equal(spec.functions.plain?.async, undefined, "no async settings: nothing in the spec");
    assert.deepEqual(asyncInvokeSettings(spec.functions.plain ?? assert.fail()), {
      maximumRetryAttempts: 2,
      maximumEventAgeSeconds: 21600,
    });
  });

  test("accepts a declared bus and the default bus as on-success and on-failure destinations", () => {
    const spec = normaliseApp({
      name: "app",
      buses: { results: {} },
      functions: {
        work: { handler: "src/work.handler", async: { onSuccess: "results", onFailure: "default" } },
      },
    });
    assert.equal(spec.functions.work?.async?.onSuccess, "results");
    assert.equal(spec.functions.work?.async?.onFailure, "default");
  });

  test("accepts the limits at both ends of Lambda's ranges", () => {
    const spec = normaliseApp({
      name: "app",
      functions: {
        low: {
          handler: "src/low.handler",
          async: { maximumRetryAttempts: 0, maximumEventAge: "60 seconds" },
        },
        high: { handler: "src/high.handler", async: { maximumRetryAttempts: 2, maximumEventAge: "6 hours" } },
      },
    });
    assert.deepEqual(spec.functions.low?.async, { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 });
    assert.deepEqual(spec.functions.high?.async, { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21600 });
  });

  test("the limits table holds Lambda's documented ranges", () => {
    const { asyncRetryAttempts, asyncEventAge, asyncErrorMessage } = LIMITS.lambda;
    assert.deepEqual([asyncRetryAttempts.min, asyncRetryAttempts.max, asyncRetryAttempts.default], [0, 2, 2]);
    assert.deepEqual([asyncEventAge.min, asyncEventAge.max, asyncEventAge.default], [60, 21600, 21600]);
    assert.equal(asyncErrorMessage.max, 1024);
  });
});

describe("async settings: what the compiler rejects", () => {
  test("destinations and the dead-letter queue are checked against the app's names", () => {
    const bad = () => [
      defineApp({
        name: "a",
        queues: { jobs: {} },
        // @ts-expect-error "nowhere" is neither a function nor a queue
        functions: { work: { handler: "src/work.handler", async: { onFailure: "nowhere" } } },
      }),
      defineApp({
        name: "a",
        queues: { jobs: {} },
        // @ts-expect-error a dead-letter queue must be a queue, and "work" is a function
        functions: { work: { handler: "src/work.handler", async: { deadLetter: "work" } } },
      }),
      defineApp({
        name: "a",
        buses: { results: {} },
        // @ts-expect-error "result" is no bus, function or queue of the app
        functions: { work: { handler: "src/work.handler", async: { onSuccess: "result" } } },
      }),
      defineApp({
        name: "a",
        buses: { results: {} },
        // @ts-expect-error a dead-letter queue must be a queue, and "results" is a bus
        functions: { work: { handler: "src/work.handler", async: { deadLetter: "results" } } },
      }),
      defineApp({
        name: "a",
        // @ts-expect-error Lambda retries at most twice
        functions: { work: { handler: "src/work.handler", async: { maximumRetryAttempts: 3 } } },
      }),
      defineApp({
        name: "a",
        // @ts-expect-error "1 hr" is not a Duration
        functions: { work: { handler: "src/work.handler", async: { maximumEventAge: "1 hr" } } },
      }),
    ];
    for (const definition of bad()) assert.throws(() => normaliseApp(definition), ConfigError);
    const good = defineApp({
      name: "a",
      queues: { jobs: {} },
      functions: {
        work: {
          handler: "src/work.handler",
          async: { onSuccess: "audit", onFailure: "jobs", deadLetter: "jobs" },
        },
        audit: { handler: "src/audit.handler" },
      },
    });
    assert.equal(normaliseApp(good).functions.work?.async?.onSuccess, "audit");
    const toBuses = defineApp({
      name: "a",
      buses: { results: {} },
      functions: {
        work: { handler: "src/work.handler", async: { onSuccess: "results", onFailure: "default" } },
      },
    });
    assert.equal(normaliseApp(toBuses).functions.work?.async?.onSuccess, "results");
  });
});
