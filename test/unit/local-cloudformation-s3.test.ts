import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { createProviders } from "../../src/local/cloudformation/providers/create-providers.ts";
import { type ResourceContext, ResourceFailure } from "../../src/local/cloudformation/resource-provider.ts";
import { S3Store } from "../../src/local/s3/s3-store.ts";
import { openStore } from "../../src/local/store/store.ts";
import type { BucketSpec } from "../../src/model/app-spec.ts";
import { bucketProperties } from "../../src/model/bucket-configuration.ts";
import { tempDir } from "../support/temp.ts";

const tmp = tempDir("sluice-cfn-s3-");
after(() => tmp.cleanup());
const clock = new ManualClock();
const db = openStore(join(tmp.dir, "account.sqlite"));
after(() => db.close());
const s3 = new S3Store(db, clock);
const providers = createProviders({
  s3,
  queues: { exists: () => false, delete: () => {} },
  codeDir: join(tmp.dir, "code"),
  allocatePort: async () => 45_678,
  versions: { next: () => 1 },
});

function context(logicalId = "ContentBucket"): ResourceContext {
  return {
    region: "eu-west-1",
    accountId: "123456789012",
    partition: "aws",
    stackName: "press",
    stackId: "arn:aws:cloudformation:eu-west-1:123456789012:stack/press/1",
    logicalId,
    resourceType: "AWS::S3::Bucket",
    endpointUrl: "http://127.0.0.1:4599",
    clock,
  };
}

const bucketProvider = () => {
  const provider = providers("AWS::S3::Bucket");
  assert.ok(provider);
  return provider;
};

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ResourceFailure, String(error));
    return error.message;
  }
  assert.fail("expected the resource to fail");
}

/** The properties synth writes for issue 16's `content` bucket, its ARNs as CloudFormation resolves them. */
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
  lifecycle: [{ id: "rule-0", prefix: "tmp/", expirationDays: 1 }],
  website: { index: "index.html", error: "404.html" },
  cors: [{ allowedOrigins: ["*"], allowedMethods: ["GET"], allowedHeaders: [], exposeHeaders: [] }],
};

function properties(bucket: BucketSpec = CONTENT): Record<string, unknown> {
  return bucketProperties(bucket, {
    function: (name) => `arn:aws:lambda:eu-west-1:123456789012:function:press-${name}`,
    queue: (name) => `arn:aws:sqs:eu-west-1:123456789012:press-${name}`,
  });
}

describe("the local AWS::S3::Bucket provider", () => {
  test("stores notifications, versioning, lifecycle, website and CORS in the template's property names", async () => {
    const given = properties();
    const made = await bucketProvider().create(given, context());
    assert.equal(made.physicalId, "press-content-123456789012-eu-west-1");
    const { BucketName: _, ...stored } = given;
    assert.deepEqual(s3.bucket(made.physicalId)?.configuration, stored);
  });

  test("an update replaces the stored configuration: a notification taken out stops", async () => {
    const made = await bucketProvider().create(
      properties({ ...CONTENT, bucketName: "press-two" }),
      context(),
    );
    const fewer = properties({ ...CONTENT, bucketName: "press-two", notifications: [], eventBridge: false });
    await bucketProvider().update({ ...made, properties: properties() }, fewer, context());
    const stored = s3.bucket("press-two")?.configuration ?? {};
    assert.equal(stored.NotificationConfiguration, undefined);
    assert.deepEqual(stored.WebsiteConfiguration, { IndexDocument: "index.html", ErrorDocument: "404.html" });
  });

  test("a notification for an event S3 does not have fails as S3 refuses it", async () => {
    const bad = {
      BucketName: "press-bad",
      NotificationConfiguration: {
        LambdaConfigurations: [{ Event: "s3:ObjectCreated:Upload", Function: "arn:aws:lambda:x" }],
      },
    };
    assert.match(
      await failure(bucketProvider().create(bad, context())),
      /^The event is not supported for notifications .*InvalidArgument.*s3:ObjectCreated:Upload/,
    );
    assert.equal(s3.bucket("press-bad"), undefined, "nothing is left behind");
  });

  test("event types S3 has but the definition does not offer are taken from a hand-written template", async () => {
    const queue = "arn:aws:sqs:eu-west-1:123456789012:press-restores";
    const restores = {
      BucketName: "press-restores",
      NotificationConfiguration: {
        QueueConfigurations: [
          "s3:ObjectRestore:Completed",
          "s3:Replication:OperationFailedReplication",
          "s3:ObjectAcl:Put",
        ].map((Event) => ({ Event, Queue: queue })),
      },
    };
    await bucketProvider().create(restores, context());
    assert.ok(s3.bucket("press-restores"));
  });

  test("a filter rule other than prefix or suffix fails", async () => {
    const bad = {
      BucketName: "press-bad-filter",
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Event: "s3:ObjectRemoved:*",
            Queue: "arn:aws:sqs:eu-west-1:123456789012:q",
            Filter: { S3Key: { Rules: [{ Name: "contains", Value: "x" }] } },
          },
        ],
      },
    };
    assert.match(await failure(bucketProvider().create(bad, context())), /must be either prefix or suffix/);
    const twice = {
      BucketName: "press-two-prefixes",
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Event: "s3:ObjectRemoved:*",
            Queue: "arn:aws:sqs:eu-west-1:123456789012:q",
            Filter: {
              S3Key: {
                Rules: [
                  { Name: "prefix", Value: "a/" },
                  { Name: "Prefix", Value: "b/" },
                ],
              },
            },
          },
        ],
      },
    };
    assert.match(
      await failure(bucketProvider().create(twice, context())),
      /same type of filter rule cannot be used more than once.*InvalidArgument/,
    );
  });

  test("a destination S3 cannot send to fails the bucket with S3's answer, and leaves nothing behind", async () => {
    const asked: string[] = [];
    const strict = createProviders({
      s3,
      queues: { exists: () => false, delete: () => {} },
      codeDir: join(tmp.dir, "code"),
      allocatePort: async () => 45_678,
      versions: { next: () => 1 },
      notificationDestinations: {
        unreachable: (region, bucketArn, destinations) => {
          asked.push(`${region} ${bucketArn} ${destinations.map((d) => d.kind).join(",")}`);
          return destinations.filter((d) => d.kind === "queue");
        },
      },
    })("AWS::S3::Bucket");
    assert.ok(strict);
    const given = properties({ ...CONTENT, bucketName: "press-early" });
    assert.match(
      await failure(strict.create(given, context())),
      /^Unable to validate the following destination configurations .*InvalidArgument.*arn:aws:sqs:eu-west-1:123456789012:press-deletions\)$/,
    );
    assert.deepEqual(asked, ["eu-west-1 arn:aws:s3:::press-early function,queue"]);
    assert.equal(s3.bucket("press-early"), undefined);
  });

  test("two configurations whose event types and key filters overlap fail as S3 refuses them", async () => {
    const fn = "arn:aws:lambda:eu-west-1:123456789012:function:press-render";
    const queue = "arn:aws:sqs:eu-west-1:123456789012:press-deletions";
    const md = { Filter: { S3Key: { Rules: [{ Name: "prefix", Value: "posts/" }] } } };
    const overlapping = {
      BucketName: "press-overlap",
      NotificationConfiguration: {
        LambdaConfigurations: [{ Event: "s3:ObjectCreated:*", Function: fn, ...md }],
        // ObjectCreated:Put is one of ObjectCreated:*, and every key under posts/ ends with "".
        QueueConfigurations: [
          {
            Event: "s3:ObjectCreated:Put",
            Queue: queue,
            Filter: { S3Key: { Rules: [{ Name: "Prefix", Value: "posts/2024/" }] } },
          },
        ],
      },
    };
    assert.match(
      await failure(bucketProvider().create(overlapping, context())),
      /^Configuration is ambiguously defined\. .*InvalidArgument/,
    );
    assert.equal(s3.bucket("press-overlap"), undefined, "nothing is left behind");
    // Disjoint prefixes, or different families, are what S3 takes.
    const apart = {
      BucketName: "press-apart",
      NotificationConfiguration: {
        LambdaConfigurations: [{ Event: "s3:ObjectCreated:*", Function: fn, ...md }],
        QueueConfigurations: [
          {
            Event: "s3:ObjectCreated:Put",
            Queue: queue,
            Filter: { S3Key: { Rules: [{ Name: "prefix", Value: "drafts/" }] } },
          },
          { Event: "s3:ObjectRemoved:*", Queue: queue, ...md },
        ],
      },
    };
    await bucketProvider().create(apart, context());
    assert.ok(s3.bucket("press-apart"));
  });

  test("CORS without a list of rules fails", async () => {
    const bad = { BucketName: "press-bad-cors", CorsConfiguration: { CorsRules: "GET" } };
    assert.match(
      await failure(bucketProvider().create(bad, context())),
      /CorsConfiguration needs a list of CorsRules/,
    );
  });
});

describe("the local AWS::S3::BucketPolicy provider", () => {
  const policyProvider = () => {
    const provider = providers("AWS::S3::BucketPolicy");
    assert.ok(provider);
    return provider;
  };
  const DOCUMENT = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::press-policy/*" }],
  };

  test("sets the bucket's policy, which a later update of the bucket keeps and deleting the policy removes", async () => {
    const made = await bucketProvider().create({ BucketName: "press-policy" }, context());
    const policy = await policyProvider().create(
      { Bucket: "press-policy", PolicyDocument: DOCUMENT },
      context("ContentBucketPolicy"),
    );
    assert.deepEqual(s3.bucket("press-policy")?.configuration.PolicyDocument, DOCUMENT);
    const versioned = { BucketName: "press-policy", VersioningConfiguration: { Status: "Enabled" } };
    await bucketProvider().update(
      { ...made, properties: { BucketName: "press-policy" } },
      versioned,
      context(),
    );
    assert.deepEqual(s3.bucket("press-policy")?.configuration, {
      VersioningConfiguration: { Status: "Enabled" },
      PolicyDocument: DOCUMENT,
    });
    await policyProvider().delete(
      { ...policy, properties: { Bucket: "press-policy", PolicyDocument: DOCUMENT } },
      context("ContentBucketPolicy"),
    );
    assert.deepEqual(s3.bucket("press-policy")?.configuration, {
      VersioningConfiguration: { Status: "Enabled" },
    });
  });

  test("a policy for a bucket that does not exist fails with S3's NoSuchBucket", async () => {
    assert.match(
      await failure(policyProvider().create({ Bucket: "nowhere", PolicyDocument: DOCUMENT }, context("P"))),
      /^The specified bucket does not exist .*NoSuchBucket/,
    );
  });
});
