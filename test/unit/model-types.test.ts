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

test("the names a routing function returns in `to` are type-checked like string routes", () => {
  interface Page {
    site: string;
  }
  const apps = [
    defineApp({
      name: "a",
      queues: { renders: { fifo: true } },
      functions: {
        ingest: {
          handler: "src/ingest.handler",
          // The README's form: with the result typed, `map` keeps the names it returns checked.
          // @ts-expect-error "rendr" is neither a function nor a queue
          routes: (error, result: { pages: Page[] }) =>
            error ? [] : result.pages.map((p) => ({ to: "rendr", data: p, groupId: p.site })),
        },
        render: { handler: "src/render.handler", consumes: { queue: "renders" } },
      },
    }),
    defineApp({
      name: "a",
      queues: { jobs: {} },
      functions: {
        // @ts-expect-error "nowhere" is neither a function nor a queue
        work: { handler: "src/work.handler", routes: () => [{ to: "nowhere", data: 1 }] },
      },
    }),
    defineApp({
      name: "a",
      queues: { jobs: {} },
      functions: {
        work: {
          handler: "src/work.handler",
          routes: () => [{ to: "jobs", data: 1 }],
          // @ts-expect-error routesTo names must be functions, queues or buses of the app
          routesTo: ["jobs", "job"],
        },
      },
    }),
  ];
  assert.equal(apps.length, 3);
});

test("a route into a FIFO queue must give a groupId, and a name route cannot reach one", () => {
  const queues = { jobs: {}, ordered: { fifo: true } } as const;
  const apps = [
    defineApp({
      name: "a",
      queues,
      functions: {
        // @ts-expect-error SendMessage requires a MessageGroupId in a FIFO queue
        work: { handler: "src/work.handler", routes: () => [{ to: "ordered", data: 1 }] },
      },
    }),
    defineApp({
      name: "a",
      queues,
      functions: {
        // @ts-expect-error a name route cannot give the group a FIFO queue needs
        work: { handler: "src/work.handler", routes: "ordered" },
      },
    }),
    defineApp({
      name: "a",
      queues,
      functions: {
        work: {
          handler: "src/work.handler",
          routes: (_error, items: { site: string }[]) => [
            // Inside a spread, map's callback has no contextual type: `as const` keeps the name literal.
            ...items.map((item) => ({ to: "ordered" as const, data: item, groupId: item.site })),
            { to: "jobs", data: items.length },
          ],
        },
        list: { handler: "src/list.handler", routes: ["jobs", "work"] },
      },
    }),
  ];
  assert.equal(apps.length, 3);
});
