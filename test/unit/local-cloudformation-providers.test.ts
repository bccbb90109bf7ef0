import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { zipSync } from "fflate";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { createProviders } from "../../src/local/cloudformation/providers/create-providers.ts";
import { TYPE_FACTS } from "../../src/local/cloudformation/providers/schema-facts.ts";
import { type ResourceContext, ResourceFailure } from "../../src/local/cloudformation/resource-provider.ts";
import { LogStore } from "../../src/local/logs/log-store.ts";
import { S3Store } from "../../src/local/s3/s3-store.ts";
import { openStore } from "../../src/local/store/store.ts";
import { LIMITS, RUNTIMES } from "../../src/model/limits.ts";
import { serviceSpec } from "../support/aws-schema.ts";
import { tempDir } from "../support/temp.ts";

const tmp = tempDir("sluice-providers-");
after(() => tmp.cleanup());
const clock = new ManualClock();
const db = openStore(join(tmp.dir, "account.sqlite"));
after(() => db.close());
const s3 = new S3Store(db, clock);
const logs = new LogStore(db, clock);
const deleted: string[] = [];
const providers = createProviders({
  s3,
  logs: {
    exists: (region, name) =>
      logs
        .describeLogGroups(region, { logGroupNamePrefix: name })
        .logGroups.some((g) => g.logGroupName === name),
    createLogGroup: (region, name) => logs.createLogGroup(region, name),
    deleteLogGroup: (region, name) => logs.deleteLogGroup(region, name),
    putRetention: (region, name, days) => logs.putRetention(region, name, days),
  },
  queues: { exists: (_region, name) => name === "taken", delete: (_region, name) => void deleted.push(name) },
  codeDir: join(tmp.dir, "code"),
  allocatePort: async () => 45_678,
  versions: { next: () => 1 },
});

function context(resourceType: string, logicalId = "Thing"): ResourceContext {
  return {
    region: "eu-west-1",
    accountId: "123456789012",
    partition: "aws",
    stackName: "shop",
    stackId: "arn:aws:cloudformation:eu-west-1:123456789012:stack/shop/1",
    logicalId,
    resourceType,
    endpointUrl: "http://127.0.0.1:4599",
    clock,
  };
}

async function create(type: string, properties: Record<string, unknown>, logicalId?: string) {
  const provider = providers(type);
  assert.ok(provider, type);
  return provider.create(properties, context(type, logicalId));
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => assert.fail("expected a ResourceFailure"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ResourceFailure, String(error));
  return error.message;
}

describe("resource providers", () => {
  test("replace on exactly the createOnlyProperties of AWS's resource schemas", async () => {
    const db = await serviceSpec();
    for (const [type, facts] of Object.entries(TYPE_FACTS)) {
      const [resource] = db.lookup("resource", "cloudFormationType", "equals", type) as unknown as {
        properties: Record<string, { causesReplacement?: string }>;
      }[];
      assert.ok(resource, type);
      const createOnly = Object.entries(resource.properties)
        .filter(([, p]) => p.causesReplacement === "yes")
        .map(([name]) => name);
      const replaceOn: readonly string[] = facts.replaceOn;
      const topLevel = replaceOn.filter((path) => !path.includes("."));
      assert.deepEqual([...topLevel].sort(), createOnly.sort(), type);
      // A nested path (`A.B`) is a create-only property of the type that property A holds.
      const nestedTypes = [...db.follow("usesType", resource as never)].map(
        (link) => link.entity as unknown as { properties: Record<string, { causesReplacement?: string }> },
      );
      for (const path of replaceOn.filter((p) => p.includes("."))) {
        const leaf = path.split(".").at(-1) ?? "";
        assert.ok(
          nestedTypes.some((t) => t.properties[leaf]?.causesReplacement === "yes"),
          `${type} ${path} is create-only in AWS's schema`,
        );
      }
      assert.equal(providers(type)?.replaceOn, facts.replaceOn);
    }
    assert.equal(providers("AWS::EC2::Instance"), undefined);
  });

  test("a queue's Ref is its URL and its attributes are Arn, QueueName and QueueUrl", async () => {
    const made = await create("AWS::SQS::Queue", { QueueName: "orders", VisibilityTimeout: "60" });
    assert.equal(made.physicalId, "http://127.0.0.1:4599/123456789012/orders");
    assert.deepEqual(made.attributes, {
      Arn: "arn:aws:sqs:eu-west-1:123456789012:orders",
      QueueName: "orders",
      QueueUrl: "http://127.0.0.1:4599/123456789012/orders",
    });
  });

  test("a queue without a name gets CloudFormation's <stack>-<logicalId>-<RANDOM> name, .fifo kept", async () => {
    const made = await create("AWS::SQS::Queue", { FifoQueue: true }, "Jobs");
    assert.match(String(made.attributes.QueueName), /^shop-Jobs-[A-Z0-9]{12}\.fifo$/);
  });

  test("a queue attribute out of range fails with SQS's message", async () => {
    const message = await failure(
      create("AWS::SQS::Queue", { QueueName: "slow", VisibilityTimeout: 43_201 }),
    );
    assert.match(message, /^Invalid value for the parameter VisibilityTimeout\./);
    assert.match(
      await failure(create("AWS::SQS::Queue", { QueueName: "big", MaximumMessageSize: 1_048_577 })),
      /parameter MaximumMessageSize/,
    );
  });

  test("a queue whose name exists in the region fails as CloudFormation's AlreadyExists", async () => {
    const message = await failure(create("AWS::SQS::Queue", { QueueName: "taken" }));
    assert.equal(message, "Resource of type 'AWS::SQS::Queue' with identifier 'taken' already exists.");
  });

  test("deleting a queue deletes it (and its messages) from the region's cloud", async () => {
    const provider = providers("AWS::SQS::Queue");
    const made = await create("AWS::SQS::Queue", { QueueName: "gone" });
    await provider?.delete({ ...made, properties: { QueueName: "gone" } }, context("AWS::SQS::Queue"));
    assert.deepEqual(deleted, ["gone"]);
  });

  test("a function whose code object is missing fails with Lambda's GetObject message", async () => {
    s3.createBucket("code", "eu-west-1", "123456789012");
    const message = await failure(
      create("AWS::Lambda::Function", {
        Code: { S3Bucket: "code", S3Key: "nope.zip" },
        Handler: "index.handler",
        Runtime: "nodejs22.x",
        Role: "arn:aws:iam::123456789012:role/r",
      }),
    );
    assert.equal(
      message,
      "Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.",
    );
  });

  test("a function's code is unpacked once its settings pass Lambda's checks", async () => {
    s3.putObject(
      "code",
      "fn.zip",
      Buffer.from(zipSync({ "index.mjs": new TextEncoder().encode("export const handler = () => 1;") })),
    );
    const properties = {
      FunctionName: "shop-fn",
      Code: { S3Bucket: "code", S3Key: "fn.zip" },
      Handler: "index.handler",
      Runtime: "nodejs22.x",
      Role: "arn:aws:iam::123456789012:role/r",
    };
    assert.match(
      await failure(create("AWS::Lambda::Function", { ...properties, MemorySize: 64 })),
      /Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128/,
    );
    assert.match(
      await failure(create("AWS::Lambda::Function", { ...properties, Runtime: "python3.12" })),
      /python3\.12 is not supported by the local cloud/,
    );
    const made = await create("AWS::Lambda::Function", properties);
    assert.equal(made.physicalId, "shop-fn");
    assert.equal(made.attributes.Arn, "arn:aws:lambda:eu-west-1:123456789012:function:shop-fn");
  });

  test("a runtime past the date Lambda blocks creating it fails with CreateFunction's own message", async () => {
    const properties = {
      FunctionName: "shop-old",
      Code: { S3Bucket: "code", S3Key: "fn.zip" },
      Handler: "index.handler",
      Runtime: "nodejs20.x",
      Role: "arn:aws:iam::123456789012:role/r",
    };
    const provider = providers("AWS::Lambda::Function");
    assert.ok(provider);
    const blocked = new ManualClock(Date.parse(`${RUNTIMES["nodejs20.x"].blockCreate}T00:00:00Z`));
    const at = { ...context("AWS::Lambda::Function"), clock: blocked };
    const recommended = LIMITS.lambda.runtime.default.replace(".", "\\.");
    assert.match(
      await failure(provider.create(properties, at)),
      new RegExp(
        "^The runtime parameter of nodejs20\\.x is no longer supported for creating or updating AWS Lambda functions\\. " +
          `We recommend you use the new runtime \\(${recommended}\\) while creating or updating functions\\. ` +
          "\\(Service: Lambda, Status Code: 400, Request ID: [0-9a-f-]{36}\\)$",
      ),
    );
  });

  test("a log group is made in CloudWatch Logs; its Arn ends in :*; a bad retention fails", async () => {
    const made = await create("AWS::Logs::LogGroup", {
      LogGroupName: "/aws/lambda/shop-fn",
      RetentionInDays: 30,
    });
    assert.equal(made.physicalId, "/aws/lambda/shop-fn");
    assert.equal(made.attributes.Arn, "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/shop-fn:*");
    assert.ok(logs.filterLogEvents("eu-west-1", { logGroupName: "/aws/lambda/shop-fn" }));
    assert.equal(
      await failure(create("AWS::Logs::LogGroup", { LogGroupName: "/aws/lambda/shop-fn" })),
      "Resource of type 'AWS::Logs::LogGroup' with identifier '/aws/lambda/shop-fn' already exists.",
    );
    assert.match(
      await failure(create("AWS::Logs::LogGroup", { LogGroupName: "x", RetentionInDays: 2 })),
      /at 'retentionInDays' failed to satisfy constraint/,
    );
  });

  test("a bucket keeps its configuration, and one still holding objects cannot be deleted", async () => {
    const properties = {
      BucketName: "shop-artifacts",
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      LifecycleConfiguration: { Rules: [{ Status: "Enabled", ExpirationInDays: 30 }] },
    };
    const made = await create("AWS::S3::Bucket", properties);
    assert.equal(made.attributes.Arn, "arn:aws:s3:::shop-artifacts");
    assert.deepEqual(s3.bucket("shop-artifacts")?.configuration, {
      BucketEncryption: properties.BucketEncryption,
      LifecycleConfiguration: properties.LifecycleConfiguration,
    });
    s3.putObject("shop-artifacts", "a.zip", Buffer.from("x"));
    const provider = providers("AWS::S3::Bucket");
    const message = await failure(
      provider?.delete({ ...made, properties }, context("AWS::S3::Bucket")) ?? Promise.resolve(),
    );
    assert.match(message, /^The bucket you tried to delete is not empty .*BucketNotEmpty/);
  });

  test("a role's Arn carries its path and its RoleId looks like IAM's", async () => {
    const made = await create("AWS::IAM::Role", {
      RoleName: "worker",
      Path: "/app/",
      AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [] },
    });
    assert.equal(made.attributes.Arn, "arn:aws:iam::123456789012:role/app/worker");
    assert.match(String(made.attributes.RoleId), /^AROA[A-Z0-9]{17}$/);
  });

  test("an API's Ref is its id and ApiEndpoint the URL of the port its server keeps", async () => {
    const made = await create(
      "AWS::ApiGatewayV2::Api",
      { Name: "shop-http", ProtocolType: "HTTP" },
      "HttpApi",
    );
    assert.match(made.physicalId, /^[a-z0-9]{10}$/);
    assert.equal(made.attributes.ApiEndpoint, "http://127.0.0.1:45678");
  });

  test("a rule on a custom bus refs as bus|name; its Arn names the bus", async () => {
    const made = await create("AWS::Events::Rule", {
      Name: "big",
      EventBusName: "arn:aws:events:eu-west-1:123456789012:event-bus/orders",
      EventPattern: { source: ["shop"] },
    });
    assert.equal(made.physicalId, "orders|big");
    assert.equal(made.attributes.Arn, "arn:aws:events:eu-west-1:123456789012:rule/orders/big");
    assert.match(
      await failure(create("AWS::Events::Rule", { Name: "bad", EventPattern: { source: "shop" } })),
      /^Event pattern is not valid/,
    );
  });
});
