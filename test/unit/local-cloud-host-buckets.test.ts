import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { unreachableDestinations } from "../../src/local/cloud-host/notification-destinations.ts";
import { type DeployedResource, regionApp } from "../../src/local/cloud-host/region-app.ts";
import type { AppSpec, BucketSpec } from "../../src/model/app-spec.ts";
import { bucketProperties } from "../../src/model/bucket-configuration.ts";
import { functionArn, queueArn } from "../../src/model/naming.ts";

const WHERE = { region: "eu-west-1", accountId: "123456789012" };
const RENDER_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:press-render";
const DELETIONS_ARN = "arn:aws:sqs:eu-west-1:123456789012:press-deletions";

/** Issue 16's `content` bucket as the definition normalises it (definition names). */
const CONTENT: BucketSpec = {
  name: "content",
  bucketName: "press-content-123456789012-eu-west-1",
  notifications: [
    {
      id: "function-0",
      target: { kind: "function", name: "render" },
      events: ["s3:ObjectCreated:*"],
      prefix: "posts/",
      suffix: ".md",
    },
    { id: "queue-1", target: { kind: "queue", name: "deletions" }, events: ["s3:ObjectRemoved:*"] },
  ],
  eventBridge: true,
  versioning: true,
  lifecycle: [
    {
      id: "rule-0",
      prefix: "tmp/",
      expirationDays: 1,
      noncurrentExpirationDays: 7,
      abortIncompleteUploadDays: 2,
    },
  ],
  website: { index: "index.html", error: "404.html" },
  cors: [
    {
      allowedOrigins: ["*"],
      allowedMethods: ["GET", "PUT"],
      allowedHeaders: ["*"],
      exposeHeaders: ["ETag"],
      maxAgeSeconds: 60,
    },
  ],
};

/** What synth writes for it, with the ARNs CloudFormation resolved. */
const PROPERTIES = bucketProperties(CONTENT, {
  function: () => RENDER_ARN,
  queue: () => DELETIONS_ARN,
});

function record(
  logicalId: string,
  resourceType: string,
  physicalId: string,
  extra: Partial<DeployedResource> = {},
): DeployedResource {
  return {
    stackName: "press",
    stackId: "arn:aws:cloudformation:eu-west-1:123456789012:stack/press/1",
    logicalId,
    resourceType,
    physicalId,
    attributes: {},
    properties: {},
    ...extra,
  };
}

function deployed(properties: Record<string, unknown> = PROPERTIES): DeployedResource[] {
  return [
    record("ContentBucket", "AWS::S3::Bucket", CONTENT.bucketName, { properties }),
    record("RenderFunction", "AWS::Lambda::Function", "press-render", {
      properties: { FunctionName: "press-render", Handler: "index.handler", Runtime: "nodejs20.x", Code: {} },
    }),
    record("DeletionsQueue", "AWS::SQS::Queue", DELETIONS_ARN.replace(/.*:/, "http://q/"), {
      attributes: { QueueName: "press-deletions", Arn: DELETIONS_ARN },
      properties: { QueueName: "press-deletions" },
    }),
  ];
}

describe("a deployed bucket as the app the region runs", () => {
  test("is keyed by its physical name, its notifications reaching the region's function and queue", () => {
    const { spec } = regionApp(deployed(), WHERE);
    const bucket = spec.buckets?.[CONTENT.bucketName];
    assert.ok(bucket, "the bucket is in the region's app");
    assert.equal(bucket.bucketName, CONTENT.bucketName);
    assert.deepEqual(bucket.notifications, [
      {
        id: "function-0",
        target: { kind: "function", name: "press-render" },
        events: ["s3:ObjectCreated:*"],
        prefix: "posts/",
        suffix: ".md",
      },
      { id: "queue-1", target: { kind: "queue", name: "press-deletions" }, events: ["s3:ObjectRemoved:*"] },
    ]);
    assert.equal(bucket.eventBridge, true);
    assert.equal(bucket.versioning, true);
    assert.deepEqual(bucket.lifecycle, CONTENT.lifecycle);
    assert.deepEqual(bucket.website, CONTENT.website);
    assert.deepEqual(bucket.cors, CONTENT.cors);
  });

  test("bucketProperties of the translation writes the deployed configuration again", () => {
    const { spec } = regionApp(deployed(), WHERE);
    const bucket = spec.buckets?.[CONTENT.bucketName] as BucketSpec;
    const again = bucketProperties(bucket, {
      function: (name) => functionArn(spec as AppSpec, name),
      queue: (name) => queueArn(spec as AppSpec, name),
    });
    assert.deepEqual(again, PROPERTIES);
  });

  test("a destination the region did not deploy is left out, with a note", () => {
    const elsewhere = structuredClone(PROPERTIES) as {
      NotificationConfiguration: { QueueConfigurations: { Queue: string }[] };
    };
    const [first] = elsewhere.NotificationConfiguration.QueueConfigurations;
    assert.ok(first);
    first.Queue = "arn:aws:sqs:eu-west-1:123456789012:other";
    const app = regionApp(deployed(elsewhere), WHERE);
    assert.deepEqual(
      app.spec.buckets?.[CONTENT.bucketName]?.notifications.map((n) => n.target.kind),
      ["function"],
    );
    assert.ok(app.notes.some((n) => n.includes("arn:aws:sqs:eu-west-1:123456789012:other")));
  });

  test("a region without buckets has none in its app", () => {
    const { spec } = regionApp(deployed().slice(1), WHERE);
    assert.equal(spec.buckets, undefined);
  });
});

describe("what S3 checks when a bucket's notifications are set", () => {
  const BUCKET_ARN = `arn:aws:s3:::${CONTENT.bucketName}`;
  const QUEUE_URL = "http://127.0.0.1:4599/123456789012/press-deletions";
  const destinations = [
    { kind: "function", arn: RENDER_ARN },
    { kind: "queue", arn: DELETIONS_ARN },
  ] as const;
  const targets = (): DeployedResource[] => [
    record("RenderFunction", "AWS::Lambda::Function", "press-render"),
    record("DeletionsQueue", "AWS::SQS::Queue", QUEUE_URL, { attributes: { QueueName: "press-deletions" } }),
  ];
  const permission = (sourceArn = BUCKET_ARN) =>
    record("ContentRenderBucketPermission", "AWS::Lambda::Permission", "press-render|p", {
      properties: {
        FunctionName: RENDER_ARN,
        Principal: "s3.amazonaws.com",
        Action: "lambda:InvokeFunction",
        SourceArn: sourceArn,
      },
    });
  const queuePolicy = (sourceArn = BUCKET_ARN) =>
    record("DeletionsEventsQueuePolicy", "AWS::SQS::QueuePolicy", "press-policy", {
      properties: {
        Queues: [QUEUE_URL],
        PolicyDocument: {
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "s3.amazonaws.com" },
              Action: "sqs:SendMessage",
              Resource: DELETIONS_ARN,
              Condition: {
                ArnEquals: { "aws:SourceArn": [sourceArn] },
                StringEquals: { "aws:SourceAccount": "123456789012" },
              },
            },
          ],
        },
      },
    });

  test("a function with S3's permission and a queue whose policy lets S3 send are reachable", () => {
    assert.deepEqual(
      unreachableDestinations([...targets(), permission(), queuePolicy()], BUCKET_ARN, destinations),
      [],
    );
  });

  test("without the permission or the policy (a bucket created before them), they are not", () => {
    assert.deepEqual(unreachableDestinations(targets(), BUCKET_ARN, destinations), destinations);
  });

  test("a permission or policy for another bucket does not count, nor a destination that does not exist", () => {
    const other = "arn:aws:s3:::someone-else";
    assert.deepEqual(
      unreachableDestinations(
        [...targets(), permission(other), queuePolicy(other)],
        BUCKET_ARN,
        destinations,
      ),
      destinations,
    );
    assert.deepEqual(
      unreachableDestinations([permission(), queuePolicy()], BUCKET_ARN, destinations),
      destinations,
    );
  });
});
