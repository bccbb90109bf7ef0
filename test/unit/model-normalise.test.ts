import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AppSpec } from "../../src/model/app-spec.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { issueExample } from "../support/model-issue-example.ts";

const standardQueueDefaults = {
  fifo: false,
  visibilityTimeoutSeconds: 30,
  delaySeconds: 0,
  retentionSeconds: 345600,
  maxMessageSize: 1048576,
  receiveWaitTimeSeconds: 0,
  contentBasedDeduplication: false,
  generated: false,
} as const;

describe("normaliseApp", () => {
  test("normalises the issue's example into the expected AppSpec", () => {
    const expected: AppSpec = {
      name: "pipeline",
      region: "us-east-1",
      accountId: "000000000000",
      functions: {
        ingest: {
          name: "ingest",
          functionName: "pipeline-ingest",
          handler: { module: "src/ingest", export: "handler" },
          runtime: "nodejs22.x",
          memorySize: 256,
          timeoutSeconds: 30,
          environment: {},
          routes: { kind: "function" },
        },
        render: {
          name: "render",
          functionName: "pipeline-render",
          handler: { module: "src/render", export: "handler" },
          runtime: "nodejs22.x",
          memorySize: 256,
          timeoutSeconds: 30,
          environment: {},
          consumes: {
            queue: "renders",
            batchSize: 1,
            maximumBatchingWindowSeconds: 0,
            maxConcurrency: 2,
            reportBatchItemFailures: true,
          },
          routes: { kind: "targets", targets: ["publish"] },
        },
        publish: {
          name: "publish",
          functionName: "pipeline-publish",
          handler: { module: "src/publish", export: "handler" },
          runtime: "nodejs22.x",
          memorySize: 256,
          timeoutSeconds: 30,
          environment: {},
          routes: { kind: "none" },
        },
      },
      queues: {
        pages: {
          ...standardQueueDefaults,
          name: "pages",
          queueName: "pipeline-pages",
          visibilityTimeoutSeconds: 60,
          deadLetter: { queue: "pages-dlq", maxReceiveCount: 3 },
        },
        "pages-dlq": {
          ...standardQueueDefaults,
          name: "pages-dlq",
          queueName: "pipeline-pages-dlq",
          retentionSeconds: 1209600,
          generated: true,
        },
        renders: {
          ...standardQueueDefaults,
          name: "renders",
          queueName: "pipeline-renders.fifo",
          fifo: true,
          contentBasedDeduplication: true,
        },
      },
    };
    assert.deepEqual(normaliseApp(issueExample()), expected);
  });

  test("applies Lambda's and SQS's defaults when the definition gives none", () => {
    const spec = normaliseApp({
      name: "app",
      queues: { jobs: {} },
      functions: { work: { handler: "src/work.handler", consumes: { queue: "jobs" } } },
    });
    const work = spec.functions.work;
    assert.equal(work?.runtime, "nodejs24.x");
    assert.equal(work?.memorySize, 128);
    assert.equal(work?.timeoutSeconds, 3);
    assert.deepEqual(work?.environment, {});
    assert.equal(work?.reservedConcurrency, undefined);
    assert.deepEqual(work?.consumes, {
      queue: "jobs",
      batchSize: 10,
      maximumBatchingWindowSeconds: 0,
      reportBatchItemFailures: false,
    });
    assert.deepEqual(spec.queues.jobs, { ...standardQueueDefaults, name: "jobs", queueName: "app-jobs" });
  });

  test("a function's own settings override defaults, and environments merge with its own values winning", () => {
    const spec = normaliseApp({
      name: "app",
      defaults: {
        runtime: "nodejs22.x",
        memorySize: 512,
        timeout: "1 minute",
        environment: { LOG_LEVEL: "info", STAGE: "dev" },
      },
      functions: {
        a: { handler: "src/a.handler" },
        b: {
          handler: "src/b.main",
          runtime: "nodejs24.x",
          memorySize: 1024,
          timeout: "15 minutes",
          environment: { LOG_LEVEL: "debug", EXTRA: "1" },
          reservedConcurrency: 5,
          description: "does b",
        },
      },
    });
    assert.deepEqual(
      { ...spec.functions.a, handler: undefined },
      {
        name: "a",
        functionName: "app-a",
        handler: undefined,
        runtime: "nodejs22.x",
        memorySize: 512,
        timeoutSeconds: 60,
        environment: { LOG_LEVEL: "info", STAGE: "dev" },
        routes: { kind: "none" },
      },
    );
    const b = spec.functions.b;
    assert.deepEqual(b?.handler, { module: "src/b", export: "main" });
    assert.equal(b?.runtime, "nodejs24.x");
    assert.equal(b?.memorySize, 1024);
    assert.equal(b?.timeoutSeconds, 900);
    assert.deepEqual(b?.environment, { LOG_LEVEL: "debug", STAGE: "dev", EXTRA: "1" });
    assert.equal(b?.reservedConcurrency, 5);
    assert.equal(b?.description, "does b");
  });

  test("converts every queue duration to seconds", () => {
    const spec = normaliseApp({
      name: "app",
      queues: {
        q: {
          visibilityTimeout: "2 minutes",
          delay: "15 minutes",
          retention: "14 days",
          receiveWaitTime: "20 seconds",
          maxMessageSize: 2048,
        },
      },
      functions: { f: { handler: "src/f.handler" } },
    });
    const q = spec.queues.q;
    assert.equal(q?.visibilityTimeoutSeconds, 120);
    assert.equal(q?.delaySeconds, 900);
    assert.equal(q?.retentionSeconds, 1209600);
    assert.equal(q?.receiveWaitTimeSeconds, 20);
    assert.equal(q?.maxMessageSize, 2048);
  });

  test("generates a FIFO dead-letter queue for a FIFO queue that names none", () => {
    const spec = normaliseApp({
      name: "app",
      queues: { orders: { fifo: true, deadLetter: { maxReceiveCount: 5 } } },
      functions: { f: { handler: "src/f.handler" } },
    });
    assert.deepEqual(spec.queues.orders?.deadLetter, { queue: "orders-dlq", maxReceiveCount: 5 });
    assert.deepEqual(spec.queues["orders-dlq"], {
      ...standardQueueDefaults,
      name: "orders-dlq",
      queueName: "app-orders-dlq.fifo",
      fifo: true,
      retentionSeconds: 1209600,
      generated: true,
    });
  });

  test("uses a named dead-letter queue instead of generating one", () => {
    const spec = normaliseApp({
      name: "app",
      queues: { jobs: { deadLetter: { maxReceiveCount: 2, queue: "failed" } }, failed: {} },
      functions: { f: { handler: "src/f.handler" } },
    });
    assert.deepEqual(spec.queues.jobs?.deadLetter, { queue: "failed", maxReceiveCount: 2 });
    assert.deepEqual(Object.keys(spec.queues).sort(), ["failed", "jobs"]);
    assert.equal(spec.queues.failed?.generated, false);
  });

  test("normalises each form of routes", () => {
    const spec = normaliseApp({
      name: "app",
      queues: { q: {} },
      functions: {
        none: { handler: "src/a.handler" },
        one: { handler: "src/a.handler", routes: "q" },
        many: { handler: "src/a.handler", routes: ["q", "none"] },
        empty: { handler: "src/a.handler", routes: [] },
        decide: { handler: "src/a.handler", routes: () => [] },
      },
    });
    assert.deepEqual(spec.functions.none?.routes, { kind: "none" });
    assert.deepEqual(spec.functions.one?.routes, { kind: "targets", targets: ["q"] });
    assert.deepEqual(spec.functions.many?.routes, { kind: "targets", targets: ["q", "none"] });
    assert.deepEqual(spec.functions.empty?.routes, { kind: "targets", targets: [] });
    assert.deepEqual(spec.functions.decide?.routes, { kind: "function" });
  });

  test("accepts a handler written with a leading ./ and nested folders", () => {
    const spec = normaliseApp({ name: "app", functions: { f: { handler: "./src/jobs/run-all.$run" } } });
    assert.deepEqual(spec.functions.f?.handler, { module: "src/jobs/run-all", export: "$run" });
  });

  test("takes the region from the definition, and options override region and account", () => {
    const definition = { name: "app", region: "eu-west-2", functions: { f: { handler: "src/f.handler" } } };
    assert.equal(normaliseApp(definition).region, "eu-west-2");
    const spec = normaliseApp(definition, { region: "ap-southeast-2", accountId: "123456789012" });
    assert.equal(spec.region, "ap-southeast-2");
    assert.equal(spec.accountId, "123456789012");
  });

  test("returns a deeply frozen spec and leaves the definition untouched", () => {
    const definition = issueExample();
    const before = JSON.stringify(definition);
    const spec = normaliseApp(definition);
    assert.equal(JSON.stringify(definition), before);
    assert.ok(Object.isFrozen(spec));
    assert.ok(Object.isFrozen(spec.functions));
    assert.ok(Object.isFrozen(spec.functions.render?.consumes));
    assert.ok(Object.isFrozen(spec.functions.render?.handler));
    assert.ok(Object.isFrozen(spec.functions.render?.environment));
    const routes = spec.functions.render?.routes;
    assert.ok(routes?.kind === "targets" && Object.isFrozen(routes.targets));
    assert.ok(Object.isFrozen(spec.queues["pages-dlq"]));
    assert.ok(Object.isFrozen(spec.queues.pages?.deadLetter));
    assert.throws(() => {
      (spec.queues as Record<string, unknown>).extra = {};
    }, TypeError);
    assert.ok(!Object.isFrozen(definition), "the user's definition is not frozen");
  });

  test("a queue consumed with a large batch and a batching window is valid", () => {
    const spec = normaliseApp({
      name: "app",
      queues: { q: { visibilityTimeout: "1 minute" } },
      functions: {
        f: {
          handler: "src/f.handler",
          timeout: "1 minute",
          reservedConcurrency: 1,
          consumes: {
            queue: "q",
            batchSize: 10000,
            maximumBatchingWindow: "5 minutes",
            maxConcurrency: 1000,
          },
        },
      },
    });
    assert.equal(spec.functions.f?.consumes?.batchSize, 10000);
    assert.equal(spec.functions.f?.consumes?.maximumBatchingWindowSeconds, 300);
    assert.equal(spec.functions.f?.consumes?.maxConcurrency, 1000);
  });
});
