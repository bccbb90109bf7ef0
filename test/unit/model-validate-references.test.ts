import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError } from "../../src/model/config-error.ts";
import { SluiceError } from "../../src/model/errors.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { base, type Case, type Obj, runCases, setPath } from "../support/model-validate.ts";

const W = "functions.work";
const Q = "queues.jobs";
const C = "functions.work.consumes";
const addFunction = (name: string, fn: Obj) => (d: Obj) => {
  (d.functions as Obj)[name] = fn;
};
const addQueue = (name: string, queue: Obj) => (d: Obj) => {
  (d.queues as Obj)[name] = queue;
};

const handlers: readonly Case[] = [
  { rule: "a missing handler", set: { [`${W}.handler`]: undefined } },
  {
    rule: "a handler without an export",
    set: { [`${W}.handler`]: "src/work" },
    mentions: "src/work.handler",
  },
  {
    rule: "a handler with a file extension",
    set: { [`${W}.handler`]: "src/work.ts.handler" },
    mentions: '"src/work.handler"',
  },
  { rule: "a handler with an absolute path", set: { [`${W}.handler`]: "/src/work.handler" } },
  { rule: "a handler leaving the app folder", set: { [`${W}.handler`]: "../work.handler" } },
  { rule: "a handler whose export is not an identifier", set: { [`${W}.handler`]: "src/work.1st" } },
  { rule: "a handler that is not a string", set: { [`${W}.handler`]: 42 } },
];

const names: readonly Case[] = [
  { rule: "a missing app name", set: { name: undefined } },
  { rule: "an app name with a space", set: { name: "my app" }, mentions: '"my-app"' },
  { rule: "an app name starting with a digit", set: { name: "1app" } },
  {
    rule: "a function name with a dot",
    change: addFunction("send.mail", { handler: "src/m.handler" }),
    path: "functions.send.mail",
    value: "send.mail",
  },
  {
    rule: "a queue name ending in .fifo",
    change: addQueue("orders.fifo", { fifo: true }),
    path: "queues.orders.fifo",
    value: "orders.fifo",
    mentions: "fifo: true",
  },
  {
    rule: "a function's physical name over 64 characters",
    change: addFunction("f".repeat(61), { handler: "src/f.handler" }),
    path: `functions.${"f".repeat(61)}`,
    value: "f".repeat(61),
    mentions: "64",
  },
  {
    rule: "a FIFO queue whose .fifo suffix pushes it over 80 characters",
    change: addQueue("q".repeat(73), { fifo: true }),
    path: `queues.${"q".repeat(73)}`,
    value: "q".repeat(73),
    mentions: "80",
  },
  {
    rule: "a generated dead-letter queue over 80 characters",
    change: addQueue("q".repeat(73), { deadLetter: { maxReceiveCount: 1 } }),
    path: `queues.${"q".repeat(73)}.deadLetter`,
    value: "q".repeat(73),
  },
  {
    rule: "a name used by both a queue and a function",
    set: { "functions.jobs.handler": "src/j.handler" },
    path: "functions.jobs",
    value: "jobs",
    mentions: "ambiguous",
  },
];

const references: readonly Case[] = [
  { rule: "a route to an unknown name", set: { [`${W}.routes`]: "wrok" }, mentions: '"work", "jobs"' },
  {
    rule: "a route list with an unknown name",
    set: { [`${W}.routes`]: ["jobs", "nowhere"] },
    path: `${W}.routes[1]`,
    value: "nowhere",
  },
  {
    rule: "a route list naming a target twice",
    set: { [`${W}.routes`]: ["jobs", "jobs"] },
    path: `${W}.routes[1]`,
    value: "jobs",
    mentions: "twice",
  },
  { rule: "consuming an unknown queue", set: { [`${C}.queue`]: "job" }, mentions: 'Did you mean "jobs"?' },
  {
    rule: "consuming a function",
    set: { "functions.other": { handler: "src/o.handler", consumes: { queue: "work" } } },
    path: "functions.other.consumes.queue",
    value: "work",
    mentions: "is a function",
  },
  {
    rule: "consuming a generated dead-letter queue",
    set: {
      [`${Q}.deadLetter.maxReceiveCount`]: 2,
      "functions.other": { handler: "src/o.handler", consumes: { queue: "jobs-dlq" } },
    },
    path: "functions.other.consumes.queue",
    value: "jobs-dlq",
    mentions: 'deadLetter.queue: "jobs-dlq"',
  },
  { rule: "consumes without a queue", set: { [C]: { batchSize: 5 } }, path: `${C}.queue`, value: undefined },
  {
    rule: "a queue consumed by two functions",
    set: { "functions.second": { handler: "src/s.handler", consumes: { queue: "jobs" } } },
    path: "functions.second.consumes.queue",
    value: "jobs",
    mentions: 'already consumed by function "work"',
  },
  {
    rule: "an unknown dead-letter queue",
    set: { [`${Q}.deadLetter`]: { maxReceiveCount: 2, queue: "failed" } },
    path: `${Q}.deadLetter.queue`,
    value: "failed",
  },
  {
    rule: "a queue that is its own dead-letter queue",
    set: { [`${Q}.deadLetter`]: { maxReceiveCount: 2, queue: "jobs" } },
    path: `${Q}.deadLetter.queue`,
    value: "jobs",
    mentions: "its own",
  },
  {
    rule: "a FIFO queue with a standard dead-letter queue",
    set: { "queues.orders": { fifo: true, deadLetter: { maxReceiveCount: 2, queue: "jobs" } } },
    path: "queues.orders.deadLetter.queue",
    value: "jobs",
    mentions: "must also be FIFO",
  },
  {
    rule: "a standard queue with a FIFO dead-letter queue",
    set: { "queues.failed.fifo": true, [`${Q}.deadLetter`]: { maxReceiveCount: 2, queue: "failed" } },
    path: `${Q}.deadLetter.queue`,
    value: "failed",
    mentions: "must also be standard",
  },
  {
    rule: "a generated dead-letter queue whose name is taken",
    change: addQueue("jobs-dlq", {}),
    set: { [`${Q}.deadLetter.maxReceiveCount`]: 2 },
    path: `${Q}.deadLetter`,
    value: "jobs-dlq",
    mentions: 'queue: "jobs-dlq"',
  },
];

const consumerRules: readonly Case[] = [
  {
    rule: "content-based deduplication on a standard queue",
    set: { [`${Q}.contentBasedDeduplication`]: true },
    mentions: "fifo: true",
  },
  { rule: "a batchSize above 10 on a FIFO queue", set: { [`${Q}.fifo`]: true, [`${C}.batchSize`]: 11 } },
  {
    rule: "a batching window on a FIFO queue",
    set: { [`${Q}.fifo`]: true, [`${C}.maximumBatchingWindow`]: "1 second" },
  },
  {
    rule: "a batchSize above 10 without a batching window",
    set: { [`${C}.batchSize`]: 100 },
    path: `${C}.maximumBatchingWindow`,
    value: undefined,
    mentions: '"1 second"',
  },
  {
    rule: "a visibility timeout shorter than the consumer's timeout",
    set: { [`${W}.timeout`]: "31 seconds" },
    path: `${Q}.visibilityTimeout`,
    value: undefined,
    mentions: '"186 seconds"',
  },
  {
    rule: "a visibility timeout shorter than the defaults' timeout",
    set: { "defaults.timeout": "2 minutes", [`${Q}.visibilityTimeout`]: "1 minute" },
    mentions: '"12 minutes"',
  },
];

const environment: readonly Case[] = [
  {
    rule: "an environment variable name Lambda rejects",
    set: { [`${W}.environment`]: { "LOG-LEVEL": "x" } },
    path: `${W}.environment.LOG-LEVEL`,
    value: "LOG-LEVEL",
    mentions: "LOG_LEVEL",
  },
  {
    rule: "a reserved environment variable",
    set: { "defaults.environment": { AWS_REGION: "eu-west-1" } },
    path: "defaults.environment.AWS_REGION",
    value: "AWS_REGION",
    mentions: "reserved",
  },
  {
    rule: "a non-string environment value",
    set: { [`${W}.environment`]: { PORT: 8080 } },
    path: `${W}.environment.PORT`,
    value: 8080,
    mentions: '"8080"',
  },
  {
    rule: "environment variables above 4 KB once defaults are merged",
    set: { "defaults.environment": { A1: "x".repeat(3000) }, [`${W}.environment`]: { B1: "y".repeat(1200) } },
    value: "4204 bytes",
  },
];

const account: readonly Case[] = [
  { rule: "a region that is not a Region code", set: { region: "moon-1" } },
  { rule: "a bad region option", path: "options.region", value: "Europe", options: { region: "Europe" } },
  { rule: "a bad account ID option", path: "options.accountId", value: "123", options: { accountId: "123" } },
  {
    rule: "reservations above what the account can reserve",
    set: {
      [`${W}.reservedConcurrency`]: 500,
      "functions.b": { handler: "src/b.handler", reservedConcurrency: 401 },
    },
    path: "functions",
    value: 901,
  },
];

describe("normaliseApp rejects bad handlers", () => runCases(handlers));
describe("normaliseApp rejects bad names", () => runCases(names));
describe("normaliseApp rejects references to what is not defined", () => runCases(references));
describe("normaliseApp enforces the rules between a queue and its consumer", () => runCases(consumerRules));
describe("normaliseApp rejects environments Lambda rejects", () => runCases(environment));
describe("normaliseApp rejects bad regions, accounts and reservations", () => runCases(account));

describe("normaliseApp validation as a whole", () => {
  test("the valid base definition used by the cases normalises", () => {
    assert.equal(normaliseApp(base()).name, "app");
  });

  test("reports every problem in one error, one line per issue with path, value, allowed and fix", () => {
    const definition = base();
    setPath(definition, "name", "my app");
    setPath(definition, `${W}.memorySize`, 20000);
    setPath(definition, `${W}.routes`, "nowhere");
    setPath(definition, `${Q}.fifo`, true);
    setPath(definition, `${Q}.retention`, "1 year");
    setPath(definition, `${C}.batchSize`, 50);
    let caught: unknown;
    try {
      normaliseApp(definition);
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof ConfigError);
    assert.ok(caught instanceof SluiceError);
    assert.equal(caught.code, "SLUICE_INVALID_CONFIG");
    assert.deepEqual(caught.issues.map((issue) => issue.path).sort(), [
      `${C}.batchSize`,
      `${W}.memorySize`,
      `${W}.routes`,
      "name",
      `${Q}.retention`,
    ]);
    const lines = caught.message.split("\n");
    assert.match(lines[0] ?? "", /5 problems/);
    assert.equal(lines.length, 6);
    const memory = lines.find((line) => line.includes(`${W}.memorySize`));
    assert.ok(memory?.includes("got 20000"), memory);
    assert.ok(memory?.includes("allowed: an integer from 128 to 10240 MB"), memory);
    assert.ok(memory?.includes("fix: lower memorySize to 10240 or less"), memory);
    assert.ok(lines.some((line) => line.includes(`${Q}.retention`) && line.includes('got "1 year"')));
  });

  test("does not report a maxConcurrency above reservedConcurrency, which AWS accepts", () => {
    const definition = base();
    setPath(definition, `${W}.reservedConcurrency`, 2);
    setPath(definition, `${C}.maxConcurrency`, 50);
    assert.equal(normaliseApp(definition).functions.work?.consumes?.maxConcurrency, 50);
  });

  test("accepts a visibility timeout equal to the consumer's timeout", () => {
    const definition = base();
    setPath(definition, `${W}.timeout`, "30 seconds");
    assert.equal(normaliseApp(definition).queues.jobs?.visibilityTimeoutSeconds, 30);
  });

  test("allows larger reservations when the account's concurrency quota is raised", () => {
    const definition = base();
    setPath(definition, `${W}.reservedConcurrency`, 1500);
    const spec = normaliseApp(definition, { accountConcurrency: 2000 });
    assert.equal(spec.functions.work?.reservedConcurrency, 1500);
  });

  test("accepts physical names exactly at AWS's length limits", () => {
    const spec = normaliseApp({
      name: "app",
      queues: { ["s".repeat(72)]: { deadLetter: { maxReceiveCount: 1 } }, ["f".repeat(71)]: { fifo: true } },
      functions: { ["w".repeat(60)]: { handler: "src/w.handler" } },
    });
    assert.equal(spec.functions["w".repeat(60)]?.functionName.length, 64);
    assert.equal(spec.queues[`${"s".repeat(72)}-dlq`]?.queueName.length, 80);
    assert.equal(spec.queues["f".repeat(71)]?.queueName.length, 80);
  });
});
