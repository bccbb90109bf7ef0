import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { functionPolicy } from "../../src/model/iam/function-grants.ts";
import { stateMachinePolicy } from "../../src/model/iam/state-machine-grants.ts";
import { discoveryVariable } from "../../src/model/naming.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { resourceVariables } from "../../src/model/resource-variables.ts";
import { decideDelivery } from "../../src/model/routing/route-delivery.ts";
import { routeTarget } from "../../src/model/routing/route-targets.ts";
import { resolveDefinition } from "../../src/model/state-machines.ts";
import { resourcesOf } from "../../src/runtime/resources.ts";

const ACCOUNT = "123456789012";
const states = {
  Open: {
    Type: "Task",
    Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
    Parameters: { FunctionName: "register", "Payload.$": "$" },
    Next: "Check",
  },
  Check: {
    Type: "Choice",
    Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Fan" }],
    Default: "Failed",
  },
  Fan: {
    Type: "Parallel",
    Next: "Done",
    Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }],
    Branches: [
      {
        StartAt: "Send",
        States: {
          Send: {
            Type: "Task",
            Resource: "arn:aws:states:::sqs:sendMessage",
            Parameters: { QueueUrl: "jobs", MessageBody: "x" },
            End: true,
          },
        },
      },
      {
        StartAt: "Child",
        States: {
          Child: {
            Type: "Task",
            Resource: "arn:aws:states:::states:startExecution.sync:2",
            Parameters: { StateMachineArn: "child" },
            End: true,
          },
        },
      },
    ],
  },
  Done: {
    Type: "Task",
    Resource: "arn:aws:states:::aws-sdk:s3:putObject",
    Parameters: { Bucket: "results", Key: "k", Body: "b" },
    End: true,
  },
  Failed: { Type: "Fail", Error: "Nope" },
};
const spec = normaliseApp(
  {
    name: "shop",
    queues: { jobs: {} },
    buckets: { results: {} },
    functions: {
      register: { handler: "src/register.handler" },
      start: { handler: "src/start.handler", routes: "query" },
      connect: {
        handler: "src/connect.handler",
        permissions: [{ actions: ["states:SendTaskSuccess"], resources: ["stateMachine:query"] }],
      },
      other: { handler: "src/other.handler" },
    },
    stateMachines: {
      query: { definition: { StartAt: "Open", States: states }, logging: { level: "ALL" } },
      child: { definition: { StartAt: "Done", States: { Done: { Type: "Succeed" } } } },
    },
  },
  { accountId: ACCOUNT },
);
const machine = spec.stateMachines?.query;
assert.ok(machine);
const statement = (
  policy: { Statement: readonly { Sid: string; Action: readonly string[]; Resource: readonly string[] }[] },
  action: string,
) => policy.Statement.find((s) => s.Action.includes(action));

describe("a state machine's own role", () => {
  const policy = stateMachinePolicy(spec, machine);

  test("each action on exactly the resources its tasks name", () => {
    assert.deepEqual(statement(policy, "lambda:InvokeFunction")?.Resource, [
      `arn:aws:lambda:us-east-1:${ACCOUNT}:function:shop-register`,
      `arn:aws:lambda:us-east-1:${ACCOUNT}:function:shop-register:*`,
    ]);
    assert.deepEqual(statement(policy, "sqs:SendMessage")?.Resource, [
      `arn:aws:sqs:us-east-1:${ACCOUNT}:shop-jobs`,
    ]);
    assert.deepEqual(statement(policy, "states:StartExecution")?.Resource, [
      `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:shop-child`,
    ]);
    assert.deepEqual(statement(policy, "states:DescribeExecution")?.Resource, [
      `arn:aws:states:us-east-1:${ACCOUNT}:execution:shop-child:*`,
    ]);
    assert.deepEqual(statement(policy, "events:PutRule")?.Resource, [
      `arn:aws:events:us-east-1:${ACCOUNT}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`,
    ]);
    assert.match(statement(policy, "s3:PutObject")?.Resource[0] ?? "", /^arn:aws:s3:::shop-results-.*\/\*$/);
  });

  test("log delivery on * only when logging is on, and * nowhere else", () => {
    assert.deepEqual(statement(policy, "logs:CreateLogDelivery")?.Resource, ["*"]);
    const stars = policy.Statement.filter((s) => s.Resource.includes("*")).map((s) => s.Sid);
    assert.deepEqual(stars, ["LogDelivery"]);
    const child = spec.stateMachines?.child;
    assert.ok(child);
    assert.equal(stateMachinePolicy(spec, child).Statement.length, 0);
  });
});

test("targets outside the app, by ARN, get the task's actions on exactly that ARN", () => {
  const other = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:elsewhere`;
  const table = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/ledger`;
  const child = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:remote`;
  const outside = normaliseApp(
    {
      name: "shop",
      functions: { work: { handler: "src/work.handler" } },
      stateMachines: {
        out: {
          definition: {
            StartAt: "Legacy",
            States: {
              Legacy: { Type: "Task", Resource: other, Next: "Put" },
              Put: {
                Type: "Task",
                Resource: "arn:aws:states:::dynamodb:putItem",
                Parameters: { TableName: table, Item: {} },
                Next: "Child",
              },
              Child: {
                Type: "Task",
                Resource: "arn:aws:states:::states:startExecution.sync",
                Parameters: { StateMachineArn: child },
                End: true,
              },
            },
          },
        },
      },
    },
    { accountId: ACCOUNT },
  );
  const out = outside.stateMachines?.out;
  assert.ok(out);
  assert.deepEqual(out.references, []);
  const policy = stateMachinePolicy(outside, out);
  assert.deepEqual(statement(policy, "lambda:InvokeFunction")?.Resource, [other, `${other}:*`]);
  assert.deepEqual(statement(policy, "dynamodb:PutItem")?.Resource, [table, `${table}/index/*`]);
  assert.deepEqual(statement(policy, "states:StartExecution")?.Resource, [child]);
  assert.deepEqual(statement(policy, "states:StopExecution")?.Resource, [
    `arn:aws:states:us-east-1:${ACCOUNT}:execution:remote:*`,
  ]);
  assert.deepEqual(statement(policy, "events:PutRule")?.Resource, [
    `arn:aws:events:us-east-1:${ACCOUNT}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`,
  ]);
});

test("a queue outside the app, by its URL, gets sqs:SendMessage on the queue's ARN", () => {
  const url = `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/elsewhere`;
  const outside = normaliseApp(
    {
      name: "shop",
      functions: { work: { handler: "src/work.handler" } },
      stateMachines: {
        out: {
          definition: {
            StartAt: "Send",
            States: {
              Send: {
                Type: "Task",
                Resource: "arn:aws:states:::sqs:sendMessage",
                Parameters: { QueueUrl: url, MessageBody: "x" },
                End: true,
              },
            },
          },
        },
      },
    },
    { accountId: ACCOUNT },
  );
  const out = outside.stateMachines?.out;
  assert.ok(out);
  assert.deepEqual(statement(stateMachinePolicy(outside, out), "sqs:SendMessage")?.Resource, [
    `arn:aws:sqs:eu-west-1:${ACCOUNT}:elsewhere`,
  ]);
});

test("a distributed Map may start, describe and stop its child executions", () => {
  const distributed = normaliseApp(
    {
      name: "shop",
      functions: { work: { handler: "src/work.handler" } },
      stateMachines: {
        fan: {
          definition: {
            StartAt: "Each",
            States: {
              Each: {
                Type: "Map",
                End: true,
                ItemProcessor: {
                  ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
                  StartAt: "Done",
                  States: { Done: { Type: "Succeed" } },
                },
              },
            },
          },
        },
      },
    },
    { accountId: ACCOUNT },
  );
  const fan = distributed.stateMachines?.fan;
  assert.ok(fan);
  const policy = stateMachinePolicy(distributed, fan);
  assert.deepEqual(statement(policy, "states:StartExecution")?.Resource, [
    `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:shop-fan`,
  ]);
  assert.deepEqual(statement(policy, "states:StopExecution")?.Resource, [
    `arn:aws:states:us-east-1:${ACCOUNT}:execution:shop-fan/*`,
  ]);
  assert.equal(
    stateMachinePolicy(spec, machine).Statement.some((s) => s.Sid.startsWith("DistributedMap")),
    false,
  );
});

describe("functions and state machines", () => {
  const fn = (name: string) => {
    const found = spec.functions[name];
    assert.ok(found);
    return found;
  };

  test("a route to a machine grants StartExecution on it, and is delivered as StartExecution", () => {
    assert.deepEqual(statement(functionPolicy(spec, fn("start")), "states:StartExecution")?.Resource, [
      `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:shop-query`,
    ]);
    const target = routeTarget(spec, "query");
    assert.deepEqual(target, {
      kind: "stateMachine",
      stateMachine: "query",
      arnVariable: "SLUICE_STATE_MACHINE_QUERY_ARN",
    });
    assert.ok(target);
    const send = decideDelivery(
      target,
      { to: "query", data: { country: "France" } },
      { from: "start", requestId: "r1", index: 0 },
    );
    assert.deepEqual(send, {
      kind: "stateMachine",
      target,
      execution: { input: '{"country":"France"}', name: "r1-0" },
    });
  });

  test("permissions on stateMachine:<name> reach the machine and its executions; SendTask* goes on that machine only", () => {
    const policy = functionPolicy(spec, fn("connect"));
    assert.deepEqual(statement(policy, "states:SendTaskSuccess")?.Resource, [
      `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:shop-query`,
      `arn:aws:states:us-east-1:${ACCOUNT}:execution:shop-query:*`,
    ]);
    const tokens = policy.Statement.find((s) => s.Sid === "SendTaskTokens");
    assert.deepEqual(tokens?.Action, [
      "states:SendTaskSuccess",
      "states:SendTaskFailure",
      "states:SendTaskHeartbeat",
    ]);
    assert.deepEqual(tokens?.Resource, [`arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:shop-query`]);
  });

  test("the function a .waitForTaskToken task invokes may send the token back; others may not", () => {
    const tokens = functionPolicy(spec, fn("register")).Statement.find((s) => s.Sid === "SendTaskTokens");
    assert.deepEqual(tokens?.Resource, [`arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:shop-query`]);
    assert.equal(
      functionPolicy(spec, fn("other")).Statement.some((s) => s.Sid === "SendTaskTokens"),
      false,
    );
  });

  test("discovery: SLUICE_STATE_MACHINE_<NAME>_ARN for routes and permissions, and resources.stateMachineArn", () => {
    assert.equal(discoveryVariable("STATE_MACHINE_ARN", "poll-query"), "SLUICE_STATE_MACHINE_POLL_QUERY_ARN");
    assert.equal(discoveryVariable("QUEUE_URL", "renders-dlq"), "SLUICE_QUEUE_RENDERS_DLQ_URL");
    const url = () => "http://127.0.0.1/q";
    const arn = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:shop-query`;
    assert.equal(resourceVariables(spec, fn("start"), url).SLUICE_STATE_MACHINE_QUERY_ARN, arn);
    assert.equal(resourceVariables(spec, fn("connect"), url).SLUICE_STATE_MACHINE_QUERY_ARN, arn);
    assert.equal(resourceVariables(spec, fn("other"), url).SLUICE_STATE_MACHINE_QUERY_ARN, undefined);
    assert.equal(resourcesOf({ SLUICE_STATE_MACHINE_QUERY_ARN: arn }).stateMachineArn("query"), arn);
    assert.throws(() => resourcesOf({}).stateMachineArn("query"), /stateMachine:query/);
  });
});

describe("resolving a definition", () => {
  test("resolveDefinition replaces every reference and leaves the spec as written", () => {
    const resolved = (
      resolveDefinition(machine, (r) => `{{${r.kind}:${r.name}}}`) as { States: typeof states }
    ).States;
    assert.equal(resolved.Open.Parameters.FunctionName, "{{function:register}}");
    assert.equal(resolved.Fan.Branches[0]?.States.Send?.Parameters.QueueUrl, "{{queue:jobs}}");
    assert.equal(
      resolved.Fan.Branches[1]?.States.Child?.Parameters.StateMachineArn,
      "{{stateMachine:child}}",
    );
    assert.equal(resolved.Done.Parameters.Bucket, "{{bucket:results}}");
    assert.equal((machine.definition.States as typeof states).Open.Parameters.FunctionName, "register");
  });
});

test('a state named like a Parallel branch ("branch 0") inside a Map is resolved too', () => {
  const inMap = {
    Each: {
      Type: "Map",
      End: true,
      ItemProcessor: {
        StartAt: "branch 0",
        States: {
          "branch 0": {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke",
            Parameters: { FunctionName: "work" },
            End: true,
          },
        },
      },
    },
  };
  const mapped = normaliseApp({
    name: "shop",
    functions: { work: { handler: "src/work.handler" } },
    stateMachines: { each: { definition: { StartAt: "Each", States: inMap } } },
  }).stateMachines?.each;
  assert.ok(mapped);
  const resolved = resolveDefinition(mapped, (r) => `{{${r.name}}}`) as { States: typeof inMap };
  assert.equal(resolved.States.Each.ItemProcessor.States["branch 0"].Parameters.FunctionName, "{{work}}");
});
