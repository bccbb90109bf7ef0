import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "../../src/model/config-error.ts";
import { defineApp } from "../../src/model/define-app.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { resourcesOf } from "../../src/runtime/resources.ts";

const functions = { render: { handler: "src/render.handler" } } as const;

test("the issue's definition type-checks and normalises", () => {
  const app = defineApp({
    name: "blog",
    queues: { deletions: {} },
    buckets: {
      content: {
        events: [
          { function: "render", on: ["s3:ObjectCreated:*"], prefix: "posts/", suffix: ".md" },
          { queue: "deletions", on: ["s3:ObjectRemoved:*"] },
        ],
        eventBridge: true,
        versioning: true,
        lifecycle: [{ prefix: "tmp/", expiration: "1 day" }],
      },
      site: {
        website: { index: "index.html", error: "404.html" },
        cors: [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }],
      },
    },
    functions: {
      render: {
        handler: "src/render.handler",
        permissions: [
          { actions: ["s3:GetObject"], resources: ["bucket:content"] },
          { actions: ["s3:PutObject", "s3:DeleteObject"], resources: ["bucket:site/posts/*"] },
        ],
      },
    },
  });
  const spec = normaliseApp(app);
  assert.deepEqual(Object.keys(spec.buckets ?? {}), ["content", "site"]);
  assert.equal(spec.buckets?.content?.notifications[0]?.id, "function-0");
});

test("what the compiler rejects about buckets, normaliseApp rejects too, at the same place", () => {
  const bad = () => [
    defineApp({
      name: "a",
      functions,
      // @ts-expect-error "rendr" is not a function
      buckets: { content: { events: [{ function: "rendr", on: ["s3:ObjectCreated:*"] }] } },
    }),
    defineApp({
      name: "a",
      queues: { jobs: {} },
      functions,
      // @ts-expect-error "jbos" is not a queue
      buckets: { content: { events: [{ queue: "jbos", on: ["s3:ObjectCreated:*"] }] } },
    }),
    defineApp({
      name: "a",
      queues: { ordered: { fifo: true } },
      functions,
      // @ts-expect-error S3 cannot notify a FIFO queue
      buckets: { content: { events: [{ queue: "ordered", on: ["s3:ObjectCreated:*"] }] } },
    }),
    defineApp({
      name: "a",
      functions,
      // @ts-expect-error "s3:ObjectCreated:Pt" is not an S3 event type
      buckets: { content: { events: [{ function: "render", on: ["s3:ObjectCreated:Pt"] }] } },
    }),
    defineApp({
      name: "a",
      queues: { jobs: {} },
      functions,
      // @ts-expect-error a notification has one destination
      buckets: { content: { events: [{ function: "render", queue: "jobs", on: ["s3:ObjectCreated:*"] }] } },
    }),
    defineApp({
      name: "a",
      buckets: { content: {} },
      functions: {
        work: {
          handler: "src/w.handler",
          // @ts-expect-error "bucket:contnt" names no bucket
          permissions: [{ actions: ["s3:GetObject"], resources: ["bucket:contnt"] }],
        },
      },
    }),
    defineApp({
      name: "a",
      buckets: { content: {} },
      functions: {
        work: {
          handler: "src/w.handler",
          // @ts-expect-error "bucket:contnt/posts/*" names no bucket
          permissions: [{ actions: ["s3:GetObject"], resources: ["bucket:contnt/posts/*"] }],
        },
      },
    }),
    defineApp({
      name: "a",
      functions,
      // @ts-expect-error "PATCH" is not a method S3's CORS rules allow
      buckets: { site: { cors: [{ allowedOrigins: ["*"], allowedMethods: ["PATCH"] }] } },
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
    ["buckets.content.events[0].function"],
    ["buckets.content.events[0].queue"],
    ["buckets.content.events[0].queue"],
    ["buckets.content.events[0].on[0]"],
    ["buckets.content.events[0]"],
    ["functions.work.permissions[0].resources[0]"],
    ["functions.work.permissions[0].resources[0]"],
    ["buckets.site.cors[0].allowedMethods[0]"],
  ]);
});

test("resources.bucketName takes only the app's bucket names when narrowed", () => {
  const resources = resourcesOf<never, never, never, never, "content">({
    SLUICE_BUCKET_CONTENT_NAME: "blog-content-000000000000-us-east-1",
  });
  assert.equal(resources.bucketName("content"), "blog-content-000000000000-us-east-1");
  // @ts-expect-error "contnt" is not one of the app's buckets
  assert.throws(() => resources.bucketName("contnt"), /not linked to the bucket "contnt".*bucket:contnt/);
});
