/**
 * LocalCloud.pendingWork() across EventBridge and Step Functions: pending from the call that starts
 * the work until it is done, and nothing while the work waits on the clock (a Wait state).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { LocalCloud } from "../../src/local/local-cloud.ts";
import { specBusName } from "../../src/model/events.ts";
import { functionArn, physicalTableName, resourcePrefix, stateMachineArn } from "../../src/model/naming.ts";
import { openRig, type Rig } from "../support/async-invoke-rig.ts";
import { bundleHandlers, type HandlerBundle } from "../support/event-source-rig.ts";
import { HoldGate } from "../support/hold-gate.ts";
import { eventually } from "../support/poll.ts";

let bundle: HandlerBundle;
let gate: HoldGate;
let rig: Rig;
before(async () => {
  bundle = await bundleHandlers();
  gate = await HoldGate.open();
  rig = openRig(
    bundle,
    {
      queues: { sequenced: { fifo: true } },
      tables: { games: { partitionKey: { name: "pk", type: "S" }, stream: "NEW_IMAGE" } },
      functions: {
        task: { handler: "handlers.task" },
        ordered: { handler: "handlers.consume", consumes: { queue: "sequenced" } },
        rollup: { handler: "handlers.task", consumes: { table: "games", startingPosition: "LATEST" } },
      },
      buses: { orders: {} },
      rules: {
        placed: {
          bus: "orders",
          pattern: { source: ["shop"] },
          targets: [{ function: "task", inputPath: "$.detail" }],
        },
      },
      stateMachines: {
        // The task holds at the gate, then the execution naps a minute on the clock.
        nap: {
          definition: {
            StartAt: "Call",
            States: {
              Call: {
                Type: "Task",
                Resource: "arn:aws:states:::lambda:invoke",
                Parameters: { FunctionName: "task", "Payload.$": "$" },
                Next: "Nap",
              },
              Nap: { Type: "Wait", Seconds: 60, Next: "Up" },
              Up: { Type: "Succeed" },
            },
          },
        },
      },
    },
    { gate },
  );
  await rig.cloud.activated;
});
after(async () => {
  await rig?.close();
  bundle?.cleanup();
  await gate?.close();
});

async function quiet(cloud: LocalCloud): Promise<void> {
  await eventually(() => (cloud.pendingWork() === 0 ? true : undefined), "no pending work", {
    timeoutMs: 30_000,
    intervalMs: 5,
  });
}

describe("LocalCloud.pendingWork across surfaces", { timeout: 120_000 }, () => {
  test("a FIFO group behind a failed message is not pending: its next message waits for the clock", async () => {
    await quiet(rig.cloud);
    const arrivals = gate.arrivals.items.length;
    const send = (id: string, extra: Record<string, unknown>) =>
      rig.cloud.sqs.sendMessage("sequenced", {
        body: JSON.stringify({ id, ...extra }),
        messageGroupId: "g",
        messageDeduplicationId: id,
      });
    send("first", { hold: true, fail: true });
    assert.ok(rig.cloud.pendingWork() > 0, "receivable now: pending");
    await gate.arrived(arrivals + 1);
    send("second", {});
    gate.release("first");
    await quiet(rig.cloud);
    const stats = rig.cloud.sqs.stats("sequenced");
    assert.deepEqual([stats.visible, stats.inFlight], [1, 1], "the second is visible, its group blocked");
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(rig.cloud.pendingWork(), 0, "a visible message of a blocked group is not receivable");
    // Gone before a later test moves the clock past the visibility timeout.
    rig.cloud.sqs.purgeQueue("sequenced");
  });

  test("a write to a streamed table is pending until its consumer has read it", async () => {
    await quiet(rig.cloud);
    rig.cloud.dynamodb.execute("PutItem", {
      TableName: physicalTableName(resourcePrefix(rig.cloud.spec), "games"),
      Item: { pk: { S: "one" } },
    });
    assert.ok(rig.cloud.pendingWork() > 0, "pending as soon as PutItem returns, before the mapping wakes");
    await quiet(rig.cloud);
  });

  test("an object written to a bucket that notifies a function is pending until the notification's invocation finishes", async () => {
    await quiet(rig.cloud);
    const { cloud } = rig;
    cloud.s3.createBucket("uploads-bucket", cloud.spec.region, cloud.spec.accountId);
    cloud.s3.setBucketConfiguration("uploads-bucket", {
      BucketName: "uploads-bucket",
      NotificationConfiguration: {
        LambdaConfigurations: [{ Event: "s3:ObjectCreated:*", Function: functionArn(cloud.spec, "task") }],
      },
    });
    cloud.s3.putObject("uploads-bucket", "a.txt", Buffer.from("hello"));
    assert.ok(cloud.pendingWork() > 0, "pending as soon as PutObject returns, before the outbox drains");
    await quiet(cloud);
    assert.equal(cloud.s3Notifications?.pending(), 0, "delivered");
  });

  test("an event put on a bus is pending from PutEvents until its target's invocation finishes", async () => {
    await quiet(rig.cloud);
    const arrivals = gate.arrivals.items.length;
    const detail = JSON.stringify({ id: "event", hold: true });
    const put = rig.cloud.events.putEvents([
      {
        EventBusName: specBusName(rig.cloud.spec, "orders"),
        Source: "shop",
        DetailType: "Placed",
        Detail: detail,
      },
    ]);
    assert.equal(put.FailedEntryCount, 0, JSON.stringify(put));
    assert.ok(rig.cloud.pendingWork() > 0, "pending as soon as PutEvents returns, before any delivery");
    await gate.arrived(arrivals + 1);
    assert.ok(rig.cloud.pendingWork() > 0, "pending while the rule's target runs");
    gate.release("event");
    await quiet(rig.cloud);
    assert.equal(rig.cloud.events.pending(), 0, "delivered");
  });

  test("an execution is pending while its task runs and not while it waits in a Wait state", async () => {
    await quiet(rig.cloud);
    const arrivals = gate.arrivals.items.length;
    const { executionArn } = rig.cloud.stepFunctions.startExecution({
      stateMachineArn: stateMachineArn(rig.cloud.spec, "nap"),
      input: JSON.stringify({ id: "execution", hold: true }),
    });
    assert.ok(rig.cloud.pendingWork() > 0, "pending as soon as StartExecution returns");
    await gate.arrived(arrivals + 1);
    assert.ok(rig.cloud.pendingWork() > 0, "pending while the Lambda task runs");
    gate.release("execution");
    await quiet(rig.cloud);
    assert.equal(rig.cloud.stepFunctions.describeExecution(executionArn).status, "RUNNING", "napping");
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(rig.cloud.pendingWork(), 0, "a Wait state waits on the clock: nothing pending");
    await rig.clock.advance(60_000);
    await quiet(rig.cloud);
    assert.equal(rig.cloud.stepFunctions.describeExecution(executionArn).status, "SUCCEEDED");
  });
});
