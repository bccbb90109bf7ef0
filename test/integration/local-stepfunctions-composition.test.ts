import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ExecutionDescription } from "../../src/local/stepfunctions/index.ts";
import { eventBusArn } from "../../src/model/events.ts";
import { functionArn, stateMachineArn } from "../../src/model/naming.ts";
import { eventually } from "../support/poll.ts";
import { nextMessage } from "../support/s3-events-rig.ts";
import { openStepFunctionsRig, type StepFunctionsRig } from "../support/stepfunctions-rig.ts";

/** Lambda, then SQS, then DynamoDB, then EventBridge, each named by its Sluice name. */
const PIPELINE = {
  StartAt: "Call",
  States: {
    Call: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: "echo", "Payload.$": "$" },
      ResultSelector: { "echoed.$": "$.Payload.received" },
      Next: "Send",
    },
    Send: {
      Type: "Task",
      Resource: "arn:aws:states:::sqs:sendMessage",
      Parameters: { QueueUrl: "jobs", "MessageBody.$": "$.echoed" },
      ResultPath: null,
      Next: "Note",
    },
    Note: {
      Type: "Task",
      Resource: "arn:aws:states:::dynamodb:putItem",
      Parameters: { TableName: "notes", Item: { id: { "S.$": "$.echoed.id" } } },
      ResultPath: null,
      Next: "Announce",
    },
    Announce: {
      Type: "Task",
      Resource: "arn:aws:states:::events:putEvents",
      Parameters: {
        Entries: [{ Source: "sfn.test", DetailType: "Noted", "Detail.$": "$.echoed", EventBusName: "flow" }],
      },
      ResultSelector: { "failed.$": "$.FailedEntryCount" },
      End: true,
    },
  },
};

/** Hands its task token to a function that routes it to the queue "routed", then waits for it. */
const CALLBACK = {
  StartAt: "Ask",
  States: {
    Ask: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: { FunctionName: "forward", Payload: { "token.$": "$$.Task.Token" } },
      End: true,
    },
  },
};

/** Waits a day on the clock. */
const NAP = {
  StartAt: "Nap",
  States: { Nap: { Type: "Wait", Seconds: 86_400, Next: "Up" }, Up: { Type: "Succeed" } },
};

const DEFINITION = {
  queues: { jobs: {}, seen: {}, routed: {} },
  functions: {
    echo: { handler: "handlers.echo" },
    forward: { handler: "handlers.forward", routes: "routed" },
  },
  buses: { flow: {} },
  rules: { all: { bus: "flow", pattern: { source: ["sfn.test"] }, targets: [{ queue: "seen" }] } },
  tables: { notes: { partitionKey: { name: "id", type: "S" } } },
  stateMachines: {
    pipeline: { definition: PIPELINE },
    callback: { definition: CALLBACK },
    nap: { definition: NAP },
  },
};

let rig: StepFunctionsRig;

before(async () => {
  rig = await openStepFunctionsRig(DEFINITION);
});
after(() => rig.close());

const arnOf = (machine: string) => stateMachineArn(rig.cloud.spec, machine);

function settled(executionArn: string): Promise<ExecutionDescription> {
  return eventually(() => {
    const described = rig.cloud.stepFunctions.describeExecution(executionArn);
    return described.status === "RUNNING" ? undefined : described;
  }, `execution ${executionArn} to end`);
}

describe("a LocalCloud's state machines", { timeout: 120_000 }, () => {
  test("lists the definition's machines under their physical names", () => {
    const machines = rig.cloud.stepFunctions.listStateMachines();
    assert.deepEqual(machines.map((m) => [m.name, m.stateMachineArn, m.type]).sort(), [
      ["sfn-callback", arnOf("callback"), "STANDARD"],
      ["sfn-nap", arnOf("nap"), "STANDARD"],
      ["sfn-pipeline", arnOf("pipeline"), "STANDARD"],
    ]);
  });

  test("runs the document with each Sluice name resolved to this cloud's ARN, URL or name", () => {
    const described = rig.cloud.stepFunctions.describeStateMachine(arnOf("pipeline"));
    const states = JSON.parse(described.definition).States;
    const { spec } = rig.cloud;
    assert.equal(states.Call.Parameters.FunctionName, functionArn(spec, "echo"));
    assert.match(states.Send.Parameters.QueueUrl, new RegExp(`/${spec.accountId}/sfn-jobs$`));
    assert.equal(states.Note.Parameters.TableName, spec.tables?.notes?.tableName);
    assert.equal(states.Announce.Parameters.Entries[0].EventBusName, eventBusArn(spec, "flow"));
    assert.match(described.roleArn, /:iam::\d{12}:role\/sfn-pipeline-role$/);
  });

  test("an execution calls the cloud's function, queue, table and bus", async () => {
    const { executionArn } = rig.cloud.stepFunctions.startExecution({
      stateMachineArn: arnOf("pipeline"),
      input: JSON.stringify({ id: "e1" }),
    });
    const described = await settled(executionArn);
    assert.equal(described.status, "SUCCEEDED", described.cause);
    assert.deepEqual(JSON.parse(described.output ?? ""), { failed: 0 });
    assert.deepEqual(JSON.parse((await nextMessage(rig.cloud, "jobs")).body), { id: "e1" });
    const event = JSON.parse((await nextMessage(rig.cloud, "seen")).body);
    assert.deepEqual(event.detail, { id: "e1" });
    assert.ok(event.resources.includes(executionArn));
    const item = rig.cloud.dynamodb.execute("GetItem", {
      TableName: rig.cloud.spec.tables?.notes?.tableName,
      Key: { id: { S: "e1" } },
    }) as { Item?: unknown };
    assert.deepEqual(JSON.parse(JSON.stringify(item.Item)), { id: { S: "e1" } });
  });

  test("a .waitForTaskToken task waits until SendTaskSuccess brings its output", async () => {
    const { executionArn } = rig.cloud.stepFunctions.startExecution({ stateMachineArn: arnOf("callback") });
    const { token } = JSON.parse((await nextMessage(rig.cloud, "routed")).body);
    assert.equal(typeof token, "string");
    assert.equal(rig.cloud.stepFunctions.describeExecution(executionArn).status, "RUNNING");
    rig.cloud.stepFunctions.sendTaskSuccess({ taskToken: token, output: JSON.stringify({ answer: 42 }) });
    const described = await settled(executionArn);
    assert.equal(described.status, "SUCCEEDED", described.cause);
    assert.deepEqual(JSON.parse(described.output ?? ""), { answer: 42 });
  });

  test("an execution running when the cloud closes carries on when it opens again", async () => {
    const { executionArn } = rig.cloud.stepFunctions.startExecution({ stateMachineArn: arnOf("nap") });
    await eventually(
      () =>
        rig.cloud.stepFunctions
          .getExecutionHistory({ executionArn })
          .events.some((e) => e.type === "WaitStateEntered") || undefined,
      "the Wait state to be entered",
    );
    await rig.reopen();
    assert.equal(rig.cloud.stepFunctions.describeExecution(executionArn).status, "RUNNING");
    await rig.clock.advance(86_400_000);
    const described = await settled(executionArn);
    assert.equal(described.status, "SUCCEEDED", described.cause);
  });
});
