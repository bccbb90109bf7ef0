import assert from "node:assert/strict";
import { test } from "node:test";
import { bucketProperties } from "../../src/model/bucket-configuration.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

const definition = {
  name: "blog",
  queues: { deletions: {} },
  functions: { render: { handler: "src/render.handler" } },
  buckets: {
    content: {
      events: [
        { function: "render", on: ["s3:ObjectCreated:*"], prefix: "posts/", suffix: ".md" },
        { queue: "deletions", on: ["s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated"] },
      ],
      eventBridge: true,
      versioning: true,
      lifecycle: [
        { prefix: "tmp/", expiration: "1 day" },
        { noncurrentExpiration: "30 days", abortIncompleteUploads: "7 days" },
      ],
    },
    site: {
      website: { index: "index.html", error: "404.html" },
      cors: [
        {
          allowedOrigins: ["https://*.example.com"],
          allowedMethods: ["GET", "HEAD"],
          allowedHeaders: ["*"],
          maxAge: "1 hour",
        },
      ],
    },
  },
};

test("the issue's buckets normalise with S3's defaults, ids and days", () => {
  const spec = normaliseApp(definition);
  assert.deepEqual(spec.buckets, {
    content: {
      name: "content",
      notifications: [
        {
          id: "function-0",
          target: { kind: "function", name: "render" },
          events: ["s3:ObjectCreated:*"],
          prefix: "posts/",
          suffix: ".md",
        },
        {
          id: "queue-1",
          target: { kind: "queue", name: "deletions" },
          events: ["s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated"],
        },
      ],
      eventBridge: true,
      versioning: true,
      lifecycle: [
        { id: "rule-0", prefix: "tmp/", expirationDays: 1 },
        { id: "rule-1", prefix: "", noncurrentExpirationDays: 30, abortIncompleteUploadDays: 7 },
      ],
      cors: [],
      bucketName: "blog-content-000000000000-us-east-1",
    },
    site: {
      name: "site",
      notifications: [],
      eventBridge: false,
      versioning: false,
      lifecycle: [],
      website: { index: "index.html", error: "404.html" },
      cors: [
        {
          allowedOrigins: ["https://*.example.com"],
          allowedMethods: ["GET", "HEAD"],
          allowedHeaders: ["*"],
          exposeHeaders: [],
          maxAgeSeconds: 3600,
        },
      ],
      bucketName: "blog-site-000000000000-us-east-1",
    },
  });
  assert.ok(Object.isFrozen(spec.buckets?.content?.notifications[0]?.target));
});

test("an app without buckets has no buckets key", () => {
  const spec = normaliseApp({ name: "blog", functions: { render: { handler: "src/render.handler" } } });
  assert.equal("buckets" in spec, false);
});

test("the normalised bucket becomes AWS::S3::Bucket's properties, one configuration per event type", () => {
  const spec = normaliseApp(definition);
  const content = spec.buckets?.content;
  assert.ok(content);
  const properties = bucketProperties(content, { function: (n) => `fn:${n}`, queue: (n) => `q:${n}` });
  assert.deepEqual(properties.NotificationConfiguration, {
    EventBridgeConfiguration: { EventBridgeEnabled: true },
    LambdaConfigurations: [
      {
        Event: "s3:ObjectCreated:*",
        Function: "fn:render",
        Filter: {
          S3Key: {
            Rules: [
              { Name: "prefix", Value: "posts/" },
              { Name: "suffix", Value: ".md" },
            ],
          },
        },
      },
    ],
    QueueConfigurations: [
      { Event: "s3:ObjectRemoved:Delete", Queue: "q:deletions" },
      { Event: "s3:ObjectRemoved:DeleteMarkerCreated", Queue: "q:deletions" },
    ],
  });
  assert.equal(properties.BucketName, "blog-content-000000000000-us-east-1");
});
