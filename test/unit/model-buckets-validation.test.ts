import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Case, issuesOf, type Obj, runCases, setPath } from "../support/model-validate.ts";

const B = "buckets.content";
const E = `${B}.events`;

/** A valid app with the issue's two buckets; each case changes it in one place. */
function withBuckets(d: Obj): void {
  d.queues = { jobs: {}, deletions: {}, ordered: { fifo: true } };
  (d.functions as Obj).render = { handler: "src/render.handler" };
  d.buckets = {
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
  };
}

/** A case on the buckets base: `set` paths are applied after it (undefined deletes). */
function bucketCase(rule: string, set: Record<string, unknown>, extra: Partial<Case> = {}): Case {
  const path = extra.path ?? Object.keys(set).at(-1) ?? "";
  return {
    rule,
    change: (d) => {
      withBuckets(d);
      for (const [at, value] of Object.entries(set)) setPath(d, at, value);
    },
    path,
    value: "value" in extra ? extra.value : set[path],
    ...(extra.mentions === undefined ? {} : { mentions: extra.mentions }),
    ...(extra.options === undefined ? {} : { options: extra.options }),
  };
}

const fn = (on: string[], filter: { prefix?: string; suffix?: string } = {}) => ({
  function: "render",
  on,
  ...filter,
});

describe("buckets: the issue's definition", () => {
  test("is valid", () => {
    const d: Obj = { name: "app", functions: { work: { handler: "src/w.handler" } } };
    withBuckets(d);
    assert.throws(() => issuesOf(d), /expected normaliseApp to reject/);
  });

  test("every problem is reported at once, each with its path", () => {
    const d: Obj = { name: "app", functions: { work: { handler: "src/w.handler" } } };
    withBuckets(d);
    setPath(d, `${B}.versioning`, "yes");
    setPath(d, `${B}.lifecycle`, [{ expiration: "36 hours" }]);
    setPath(d, "buckets.site.website.index", "docs/index.html");
    setPath(d, "buckets.site.cors", [{ allowedOrigins: ["*"], allowedMethods: ["PATCH"] }]);
    assert.deepEqual(
      issuesOf(d).map((i) => i.path),
      [
        `${B}.versioning`,
        `${B}.lifecycle[0].expiration`,
        "buckets.site.website.index",
        "buckets.site.cors[0].allowedMethods[0]",
      ],
    );
  });
});

describe("buckets: names and options", () => {
  runCases([
    bucketCase(
      "a bucket name with an underscore",
      { "buckets.my_files": {} },
      { value: "my_files", mentions: '"my-files"' },
    ),
    {
      rule: "a bucket name with a period",
      change: (d) => {
        withBuckets(d);
        (d.buckets as Obj)["my.files"] = {};
      },
      path: "buckets.my.files",
      value: "my.files",
      mentions: '"my-files"',
    },
    bucketCase(
      "two bucket names that differ only in case (one S3 bucket, one variable)",
      { buckets: { content: {}, Content: {} } },
      { path: "buckets.Content", value: "Content", mentions: "SLUICE_BUCKET_CONTENT_NAME" },
    ),
    bucketCase(
      "an app whose name makes a reserved bucket prefix",
      { name: "xn--app", buckets: { content: {} } },
      { path: "buckets.content", value: "content", mentions: "xn--" },
    ),
    bucketCase("an unknown bucket option", { [`${B}.versioned`]: true }, { mentions: '"versioning"' }),
    bucketCase("versioning that is not a boolean", { [`${B}.versioning`]: "yes" }),
    bucketCase("eventBridge that is not a boolean", { [`${B}.eventBridge`]: 1 }),
    bucketCase("a bucket that is not an object", { "buckets.site": true }),
  ]);
});

describe("buckets: events", () => {
  runCases([
    bucketCase("events that are not a list", { [E]: { function: "render" } }),
    bucketCase(
      "a notification with no destination",
      { [E]: [{ on: ["s3:ObjectCreated:*"] }] },
      { path: `${E}[0]`, value: { on: ["s3:ObjectCreated:*"] } },
    ),
    bucketCase(
      "a notification with two destinations",
      { [E]: [{ function: "render", queue: "jobs", on: ["s3:ObjectCreated:*"] }] },
      { path: `${E}[0]`, value: { function: "render", queue: "jobs", on: ["s3:ObjectCreated:*"] } },
    ),
    bucketCase(
      "a function that is not defined",
      { [E]: [{ function: "rendr", on: ["s3:ObjectCreated:*"] }] },
      {
        path: `${E}[0].function`,
        value: "rendr",
        mentions: 'function: "render"',
      },
    ),
    bucketCase(
      "a queue that is not defined",
      { [E]: [{ queue: "nowhere", on: ["s3:ObjectCreated:*"] }] },
      {
        path: `${E}[0].queue`,
        value: "nowhere",
      },
    ),
    bucketCase(
      "a FIFO queue (S3 sends to standard queues only)",
      { [E]: [{ queue: "ordered", on: ["s3:ObjectCreated:*"] }] },
      {
        path: `${E}[0].queue`,
        value: "ordered",
        mentions: "standard",
      },
    ),
    bucketCase("an empty on", { [E]: [fn([])] }, { path: `${E}[0].on`, value: [] }),
    bucketCase("a missing on", { [E]: [{ function: "render" }] }, { path: `${E}[0].on`, value: undefined }),
    bucketCase(
      "a misspelt event type",
      { [E]: [fn(["s3:ObjectCreated:Pt"])] },
      {
        path: `${E}[0].on[0]`,
        value: "s3:ObjectCreated:Pt",
        mentions: '"s3:ObjectCreated:Put"',
      },
    ),
    bucketCase(
      "an event type twice",
      { [E]: [fn(["s3:ObjectCreated:Put", "s3:ObjectCreated:Put"])] },
      {
        path: `${E}[0].on[1]`,
        value: "s3:ObjectCreated:Put",
      },
    ),
    bucketCase(
      "a family and one of its events in one notification",
      { [E]: [fn(["s3:ObjectCreated:*", "s3:ObjectCreated:Put"])] },
      {
        path: `${E}[0].on[1]`,
        value: "s3:ObjectCreated:Put",
      },
    ),
    bucketCase(
      "an empty prefix",
      { [E]: [fn(["s3:ObjectCreated:*"], { prefix: "" })] },
      { path: `${E}[0].prefix`, value: "" },
    ),
    bucketCase(
      "a suffix over 1,024 characters",
      { [E]: [fn(["s3:ObjectCreated:*"], { suffix: "x".repeat(1025) })] },
      {
        path: `${E}[0].suffix`,
        value: "x".repeat(1025),
        mentions: "1024",
      },
    ),
    bucketCase(
      "an unknown notification option",
      { [E]: [{ ...fn(["s3:ObjectCreated:*"]), filter: "x" }] },
      {
        path: `${E}[0].filter`,
        value: "x",
      },
    ),
  ]);
});

/** Two notifications on the same bucket; the issue is reported at the second. */
function overlap(rule: string, a: Obj, b: Obj): Case {
  return bucketCase(
    rule,
    { [E]: [a, b] },
    { path: `${E}[1]`, mentions: "Configurations overlap", value: undefined },
  );
}

describe("buckets: overlapping notifications (S3's key name filtering rules)", () => {
  for (const item of [
    overlap("the same event type without filters", fn(["s3:ObjectCreated:Put"]), {
      queue: "jobs",
      on: ["s3:ObjectCreated:Put"],
    }),
    overlap("a family and one of its events", fn(["s3:ObjectCreated:*"]), {
      queue: "jobs",
      on: ["s3:ObjectCreated:Put"],
    }),
    overlap(
      "a root prefix and any prefix",
      fn(["s3:ObjectCreated:*"]),
      fn(["s3:ObjectCreated:*"], { prefix: "images" }),
    ),
    overlap(
      "prefixes where one begins the other",
      fn(["s3:ObjectCreated:*"], { prefix: "images/" }),
      fn(["s3:ObjectCreated:*"], { prefix: "images/2024/" }),
    ),
    overlap(
      "suffixes where one ends the other (jpg, pg)",
      fn(["s3:ObjectCreated:*"], { suffix: "jpg" }),
      fn(["s3:ObjectCreated:Put"], { suffix: "pg" }),
    ),
    overlap(
      "a prefix+suffix and the same suffix",
      fn(["s3:ObjectCreated:*"], { prefix: "images", suffix: "jpg" }),
      fn(["s3:ObjectCreated:Put"], { suffix: "jpg" }),
    ),
  ]) {
    test(`refuses ${item.rule}`, () => {
      const d: Obj = { name: "app", functions: { work: { handler: "src/w.handler" } } };
      item.change?.(d);
      const issues = issuesOf(d);
      assert.equal(issues.length, 1, issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
      assert.equal(issues[0]?.path, item.path);
      assert.ok(issues[0]?.message.includes("Configurations overlap"), issues[0]?.message);
      assert.ok(issues[0]?.allowed && issues[0]?.fix);
    });
  }

  const valid: [string, Obj, Obj][] = [
    [
      "different prefixes (images/, logs/)",
      fn(["s3:ObjectCreated:Put"], { prefix: "images/" }),
      fn(["s3:ObjectCreated:Put"], { prefix: "logs/" }),
    ],
    [
      "suffixes that cannot end one key (.jpg, .png)",
      fn(["s3:ObjectCreated:Put"], { suffix: ".jpg" }),
      fn(["s3:ObjectCreated:Put"], { suffix: ".png" }),
    ],
    [
      "a shared prefix with different suffixes",
      fn(["s3:ObjectCreated:Put"], { prefix: "images", suffix: ".jpg" }),
      fn(["s3:ObjectCreated:Put"], { prefix: "images", suffix: ".png" }),
    ],
    [
      "the same filter for different event types",
      fn(["s3:ObjectCreated:Put"], { prefix: "image/" }),
      { queue: "jobs", on: ["s3:ObjectRemoved:*"], prefix: "image/" },
    ],
    [
      "two events of one family",
      fn(["s3:ObjectCreated:Put"]),
      { queue: "jobs", on: ["s3:ObjectCreated:Copy"] },
    ],
    [
      "removals and lifecycle expirations",
      fn(["s3:ObjectRemoved:*"]),
      { queue: "jobs", on: ["s3:LifecycleExpiration:*"] },
    ],
  ];
  for (const [rule, a, b] of valid) {
    test(`accepts ${rule}`, () => {
      const d: Obj = { name: "app", functions: { work: { handler: "src/w.handler" } } };
      withBuckets(d);
      setPath(d, E, [a, b]);
      assert.throws(() => issuesOf(d), /expected normaliseApp to reject/);
    });
  }

  test("refuses more configurations than S3 allows on one bucket", () => {
    const d: Obj = { name: "app", functions: { work: { handler: "src/w.handler" } } };
    withBuckets(d);
    const events = Array.from({ length: 101 }, (_, i) =>
      fn(["s3:ObjectCreated:Put"], { prefix: `p${String(i).padStart(3, "0")}/` }),
    );
    setPath(d, E, events);
    const issues = issuesOf(d);
    assert.deepEqual(
      issues.map((i) => [i.path, i.value]),
      [[E, 101]],
    );
    assert.match(issues[0]?.message ?? "", /100/);
  });
});

describe("buckets: lifecycle, website and CORS", () => {
  const L = `${B}.lifecycle`;
  const C = "buckets.site.cors";
  runCases([
    bucketCase(
      "a lifecycle age that is not whole days",
      { [L]: [{ expiration: "36 hours" }] },
      {
        path: `${L}[0].expiration`,
        value: "36 hours",
        mentions: 'write "2 days"',
      },
    ),
    bucketCase(
      "a lifecycle age under a day",
      { [L]: [{ expiration: "12 hours" }] },
      {
        path: `${L}[0].expiration`,
        value: "12 hours",
        mentions: 'write "1 day"',
      },
    ),
    bucketCase(
      "a lifecycle age as a number",
      { [L]: [{ expiration: 1 }] },
      { path: `${L}[0].expiration`, value: 1 },
    ),
    bucketCase(
      "a lifecycle rule with no action",
      { [L]: [{ prefix: "tmp/" }] },
      { path: `${L}[0]`, value: { prefix: "tmp/" } },
    ),
    bucketCase(
      "a misspelt noncurrent expiration",
      { [L]: [{ noncurrentExpiry: "3 days" }] },
      {
        path: `${L}[0].noncurrentExpiry`,
        value: "3 days",
        mentions: "noncurrentExpiration",
      },
    ),
    bucketCase(
      "more than 1,000 lifecycle rules",
      { [L]: Array.from({ length: 1001 }, () => ({ expiration: "1 day" })) },
      {
        path: L,
        value: 1001,
      },
    ),
    bucketCase(
      "a website index with a slash",
      { "buckets.site.website.index": "docs/index.html" },
      { mentions: 'index: "index.html"' },
    ),
    bucketCase("an empty website index", { "buckets.site.website.index": "" }),
    bucketCase("a website without an index", { "buckets.site.website.index": undefined }),
    bucketCase(
      "a CORS method S3 does not allow",
      { [C]: [{ allowedOrigins: ["*"], allowedMethods: ["PATCH"] }] },
      {
        path: `${C}[0].allowedMethods[0]`,
        value: "PATCH",
      },
    ),
    bucketCase(
      "a CORS method in lower case",
      { [C]: [{ allowedOrigins: ["*"], allowedMethods: ["get"] }] },
      {
        path: `${C}[0].allowedMethods[0]`,
        value: "get",
        mentions: 'write "GET"',
      },
    ),
    bucketCase(
      "an origin with two wildcards",
      { [C]: [{ allowedOrigins: ["https://*.*.example.com"], allowedMethods: ["GET"] }] },
      {
        path: `${C}[0].allowedOrigins[0]`,
        value: "https://*.*.example.com",
      },
    ),
    bucketCase(
      "a CORS rule without origins",
      { [C]: [{ allowedMethods: ["GET"] }] },
      { path: `${C}[0].allowedOrigins`, value: undefined },
    ),
    bucketCase(
      "a negative maxAge",
      { [C]: [{ allowedOrigins: ["*"], allowedMethods: ["GET"], maxAge: "-1 seconds" }] },
      {
        path: `${C}[0].maxAge`,
        value: "-1 seconds",
      },
    ),
    bucketCase(
      "more than 100 CORS rules",
      { [C]: Array.from({ length: 101 }, () => ({ allowedOrigins: ["*"], allowedMethods: ["GET"] })) },
      {
        path: C,
        value: 101,
      },
    ),
  ]);
});
