import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "../../src/model/config-error.ts";
import { defineApp } from "../../src/model/define-app.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { issueExample } from "../support/model-issue-example.ts";

test("defineApp returns the definition unchanged and keeps the issue example type-correct", () => {
  const app = issueExample();
  assert.equal(normaliseApp(app).functions.render?.consumes?.queue, "renders");
});

test("what the compiler rejects, normaliseApp rejects too, at the same place", () => {
  const bad = () => [
    defineApp({
      name: "a",
      queues: { jobs: {} },
      // @ts-expect-error "nowhere" is neither a function nor a queue
      functions: { work: { handler: "src/work.handler", routes: "nowhere" } },
    }),
    defineApp({
      name: "a",
      queues: { jobs: {} },
      // @ts-expect-error "job" is not a queue (did you mean "jobs"?)
      functions: { work: { handler: "src/work.handler", consumes: { queue: "job" } } },
    }),
    defineApp({
      name: "a",
      // @ts-expect-error the dead-letter queue "missing" is not defined
      queues: { jobs: { deadLetter: { maxReceiveCount: 3, queue: "missing" } } },
      functions: { work: { handler: "src/work.handler" } },
    }),
    defineApp({
      name: "a",
      // @ts-expect-error "30 secs" is not a Duration
      defaults: { timeout: "30 secs" },
      functions: { work: { handler: "src/work.handler" } },
    }),
  ];
  const paths = bad().map((definition) => {
    try {
      normaliseApp(definition);
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.issues.map((issue) => issue.path);
    }
    return [];
  });
  assert.deepEqual(paths, [
    ["functions.work.routes"],
    ["functions.work.consumes.queue"],
    ["queues.jobs.deadLetter.queue"],
    ["defaults.timeout"],
  ]);
});
