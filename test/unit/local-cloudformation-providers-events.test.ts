/**
 * The local CreateEventBus and PutTargets, as CloudFormation's EventBridge providers: a custom bus
 * name may not contain `/` (only partner buses may; API_CreateEventBus), and an input template may
 * use only placeholders its InputPathsMap or the predefined variables define.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { createProviders } from "../../src/local/cloudformation/providers/create-providers.ts";
import { type ResourceContext, ResourceFailure } from "../../src/local/cloudformation/resource-provider.ts";
import { S3Store } from "../../src/local/s3/s3-store.ts";
import { openStore } from "../../src/local/store/store.ts";
import { tempDir } from "../support/temp.ts";

const tmp = tempDir("sluice-providers-events-");
after(() => tmp.cleanup());
const clock = new ManualClock();
const db = openStore(join(tmp.dir, "account.sqlite"));
after(() => db.close());
const providers = createProviders({
  s3: new S3Store(db, clock),
  logs: {
    exists: () => false,
    createLogGroup: () => undefined,
    deleteLogGroup: () => undefined,
    putRetention: () => undefined,
  },
  queues: { exists: () => false, delete: () => undefined },
  codeDir: join(tmp.dir, "code"),
  allocatePort: async () => 45_678,
  versions: { next: () => 1 },
});

function context(resourceType: string): ResourceContext {
  return {
    region: "eu-west-1",
    accountId: "123456789012",
    partition: "aws",
    stackName: "shop",
    stackId: "arn:aws:cloudformation:eu-west-1:123456789012:stack/shop/1",
    logicalId: "Thing",
    resourceType,
    endpointUrl: "http://127.0.0.1:4599",
    clock,
  };
}

async function create(type: string, properties: Record<string, unknown>) {
  const provider = providers(type);
  assert.ok(provider, type);
  return provider.create(properties, context(type));
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => assert.fail("expected a ResourceFailure"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ResourceFailure, String(error));
  return error.message;
}

const rule = (InputTemplate: string, InputPathsMap: Record<string, string>) => ({
  Name: "placed",
  EventPattern: { source: ["shop"] },
  Targets: [
    {
      Id: "bill",
      Arn: "arn:aws:lambda:eu-west-1:123456789012:function:bill",
      InputTransformer: { InputPathsMap, InputTemplate },
    },
  ],
});

describe("EventBridge resource providers", () => {
  test("refuse a custom bus name with a slash", async () => {
    assert.match(await failure(create("AWS::Events::EventBus", { Name: "orders/eu" })), /\//);
    assert.equal((await create("AWS::Events::EventBus", { Name: "orders-eu" })).physicalId, "orders-eu");
  });

  test("refuse a target whose input template uses an undefined placeholder", async () => {
    const message = await failure(
      create("AWS::Events::Rule", rule('{"id": <id>, "who": <who>}', { id: "$.id" })),
    );
    assert.match(message, /<who>/);
    assert.doesNotMatch(message, /<id>/);
    const made = await create(
      "AWS::Events::Rule",
      rule('{"id": <id>, "e": <aws.events.event.json>}', { id: "$.id" }),
    );
    assert.equal(made.physicalId, "placed");
  });
});
