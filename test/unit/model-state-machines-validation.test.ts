import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { normaliseApp } from "../../src/model/normalise.ts";
import { issuesOf, type Obj } from "../support/model-validate.ts";

const LAMBDA = "arn:aws:states:::lambda:invoke";

/** An app with one of every kind a definition may reference, and `flow` with the given states. */
function app(states: Obj, machine: Obj = {}, extra: Obj = {}): Obj {
  return {
    name: "shop",
    queues: { jobs: {} },
    buses: { orders: {} },
    tables: { carts: { partitionKey: { name: "pk", type: "S" } } },
    buckets: { results: {} },
    functions: { work: { handler: "src/work.handler" }, start: { handler: "src/start.handler" } },
    stateMachines: {
      flow: { definition: { StartAt: Object.keys(states)[0], States: states }, ...machine },
      child: { definition: { StartAt: "Done", States: { Done: { Type: "Succeed" } } } },
    },
    ...extra,
  };
}

const task = (Resource: string, fields: Obj = {}) => ({ Type: "Task", Resource, End: true, ...fields });

describe("state machines: normalising", () => {
  test("the physical name, the type, the logging defaults and the query language", () => {
    const spec = normaliseApp(app({ Run: task(LAMBDA, { Parameters: { FunctionName: "work" } }) }), {
      stage: "prod",
    });
    const flow = spec.stateMachines?.flow;
    assert.equal(flow?.stateMachineName, "shop-prod-flow");
    assert.equal(flow?.type, "STANDARD");
    assert.deepEqual(flow?.logging, { level: "OFF", includeExecutionData: false });
    assert.equal(flow?.queryLanguage, "JSONPath");
    assert.ok(Object.isFrozen(flow?.definition), "the document is frozen");
  });

  test("an EXPRESS machine logs errors by default; JSONata is read from the document", () => {
    const states = { Run: task(LAMBDA, { Arguments: { FunctionName: "work" } }) };
    const definition = app(states, { type: "EXPRESS" });
    ((definition.stateMachines as Obj).flow as Obj).definition = {
      QueryLanguage: "JSONata",
      StartAt: "Run",
      States: states,
    };
    const flow = normaliseApp(definition).stateMachines?.flow;
    assert.deepEqual(flow?.logging, { level: "ERROR", includeExecutionData: false });
    assert.equal(flow?.queryLanguage, "JSONata");
    assert.deepEqual(
      flow?.references.map((r) => r.field),
      ["Arguments.FunctionName"],
    );
  });

  test("the spec's document is a copy: the user's object is not frozen", () => {
    const definition = app({ Run: task(LAMBDA, { Parameters: { FunctionName: "work" } }) });
    normaliseApp(definition);
    const flow = (definition.stateMachines as Obj).flow as Obj;
    assert.equal(Object.isFrozen(flow.definition), false);
  });
});

describe("state machines: references", () => {
  test("every integration's name, with the state's path, through Parallel branches and Map processors", () => {
    const states = {
      Invoke: {
        ...task(`${LAMBDA}.waitForTaskToken`, { Parameters: { FunctionName: "work", "Payload.$": "$" } }),
        End: undefined,
        Next: "Fan",
      },
      Fan: {
        Type: "Parallel",
        Next: "Each",
        Branches: [
          {
            StartAt: "Send",
            States: {
              Send: task("arn:aws:states:::sqs:sendMessage", {
                Parameters: { QueueUrl: "jobs", "MessageBody.$": "$" },
              }),
            },
          },
          {
            StartAt: "Put",
            States: {
              Put: task("arn:aws:states:::events:putEvents", {
                Parameters: {
                  Entries: [
                    { EventBusName: "orders", Detail: {}, DetailType: "a", Source: "b" },
                    { Detail: {}, DetailType: "c", Source: "d" },
                  ],
                },
              }),
            },
          },
        ],
      },
      Each: {
        Type: "Map",
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "JSON" },
          Parameters: { Bucket: "results", Key: "items.json" },
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Get",
          States: {
            Get: task("arn:aws:states:::dynamodb:getItem", { Parameters: { TableName: "carts", Key: {} } }),
          },
        },
        Next: "Child",
      },
      Child: {
        ...task("arn:aws:states:::states:startExecution.sync:2", {
          Parameters: { StateMachineArn: "child" },
        }),
        End: undefined,
        Next: "Save",
      },
      Save: task("arn:aws:states:::aws-sdk:s3:putObject", {
        Parameters: { Bucket: "results", Key: "r", Body: "x" },
      }),
    };
    const references = normaliseApp(app(states)).stateMachines?.flow?.references ?? [];
    const summary = references.map((r) => [r.statePath.join("/"), r.field, r.kind, r.name, r.form]);
    assert.deepEqual(summary, [
      ["Invoke", "Parameters.FunctionName", "function", "work", "arn"],
      ["Fan/branch 0/Send", "Parameters.QueueUrl", "queue", "jobs", "url"],
      ["Fan/branch 1/Put", "Parameters.Entries[0].EventBusName", "bus", "orders", "arn"],
      ["Fan/branch 1/Put", "Parameters.Entries[1].EventBusName", "bus", "default", "arn"],
      ["Each", "ItemReader.Parameters.Bucket", "bucket", "results", "name"],
      ["Each/Get", "Parameters.TableName", "table", "carts", "name"],
      ["Child", "Parameters.StateMachineArn", "stateMachine", "child", "arn"],
      ["Save", "Parameters.Bucket", "bucket", "results", "name"],
    ]);
    const child = references.find((r) => r.kind === "stateMachine");
    assert.deepEqual(child?.actions, [
      "states:StartExecution",
      "states:DescribeExecution",
      "states:StopExecution",
      "events:PutTargets",
      "events:PutRule",
      "events:DescribeRule",
    ]);
  });

  test("a function's Sluice name as the Resource, and ARNs outside the app left alone", () => {
    const states = {
      Direct: { ...task("work"), End: undefined, Next: "Outside" },
      Outside: {
        ...task(LAMBDA, {
          Parameters: { FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:other" },
        }),
        End: undefined,
        Next: "Url",
      },
      Url: task("arn:aws:states:::sqs:sendMessage", {
        Parameters: { QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/other", MessageBody: "x" },
      }),
    };
    const references = normaliseApp(app(states)).stateMachines?.flow?.references ?? [];
    assert.deepEqual(
      references.map((r) => [r.field, r.name]),
      [["Resource", "work"]],
    );
  });

  test("a machine may start itself", () => {
    const states = {
      Again: task("arn:aws:states:::states:startExecution", { Parameters: { StateMachineArn: "flow" } }),
    };
    assert.equal(normaliseApp(app(states)).stateMachines?.flow?.references[0]?.name, "flow");
  });
});

describe("state machines: issues, each with its path", () => {
  const D = "stateMachines.flow.definition";

  test("an unknown function names the known ones and the state's path", () => {
    const states = {
      Fan: {
        Type: "Parallel",
        End: true,
        Branches: [
          { StartAt: "Run", States: { Run: task(LAMBDA, { Parameters: { FunctionName: "wrok" } }) } },
        ],
      },
    };
    const [issue, ...rest] = issuesOf(app(states));
    assert.equal(rest.length, 0);
    assert.equal(issue?.path, `${D}.States.Fan.Branches[0].States.Run.Parameters.FunctionName`);
    assert.equal(issue?.value, "wrok");
    assert.match(issue?.message ?? "", /state "Fan → branch 0 → Run"/);
    assert.match(issue?.message ?? "", /did you mean "work"/i);
    assert.match(issue?.allowed ?? "", /"work", "start"/);
  });

  test("a dynamic target in JSONPath and in JSONata says to write the name", () => {
    const jsonpath = issuesOf(app({ Run: task(LAMBDA, { Parameters: { "FunctionName.$": "$.fn" } }) }));
    assert.equal(jsonpath[0]?.path, `${D}.States.Run.Parameters.FunctionName.$`);
    assert.match(jsonpath[0]?.message ?? "", /at run time/);
    const jsonata = issuesOf(
      app({
        Run: task(LAMBDA, {
          QueryLanguage: "JSONata",
          Arguments: { FunctionName: "{% $states.input.fn %}" },
        }),
      }),
    );
    assert.equal(jsonata[0]?.path, `${D}.States.Run.Arguments.FunctionName`);
    assert.match(jsonata[0]?.fix ?? "", /write the name/);
  });

  test("an EXPRESS machine may not wait for a callback or a job", () => {
    const states = { Run: task(`${LAMBDA}.waitForTaskToken`, { Parameters: { FunctionName: "work" } }) };
    const [issue] = issuesOf(app(states, { type: "EXPRESS" }));
    assert.equal(issue?.path, `${D}.States.Run.Resource`);
    assert.match(issue?.message ?? "", /Express workflows do not support/);
  });

  test("an integration's unsupported pattern, an integration Sluice does not run, a missing field", () => {
    const issues = issuesOf(
      app({
        A: {
          ...task("arn:aws:states:::dynamodb:getItem.waitForTaskToken", {
            Parameters: { TableName: "carts" },
          }),
          End: undefined,
          Next: "B",
        },
        B: { ...task("arn:aws:states:::sns:publish", { Parameters: {} }), End: undefined, Next: "C" },
        C: task(LAMBDA, { Parameters: { Payload: {} } }),
      }),
    );
    assert.deepEqual(
      issues.map((i) => i.path),
      [`${D}.States.A.Resource`, `${D}.States.B.Resource`, `${D}.States.C.Parameters.FunctionName`],
    );
  });

  test("unknown names of every kind, and an unknown .sync child, are reported together with other issues", () => {
    const issues = issuesOf(
      app(
        {
          Q: {
            ...task("arn:aws:states:::sqs:sendMessage", {
              Parameters: { QueueUrl: "nope", MessageBody: "x" },
            }),
            End: undefined,
            Next: "T",
          },
          T: {
            ...task("arn:aws:states:::dynamodb:putItem", { Parameters: { TableName: "nope", Item: {} } }),
            End: undefined,
            Next: "S",
          },
          S: task("arn:aws:states:::states:startExecution.sync", { Parameters: { StateMachineArn: "nope" } }),
        },
        { type: "BATCH" },
        { functions: { work: { handler: "src/work.handler", memorySize: 1 } } },
      ),
    );
    const paths = issues.map((i) => i.path);
    assert.ok(paths.includes("stateMachines.flow.type"), paths.join("\n"));
    assert.ok(paths.includes("functions.work.memorySize"), paths.join("\n"));
    // The type is invalid, so the document's references are not read: fix the type, see them.
    const fixed = issuesOf(
      app({
        Q: {
          ...task("arn:aws:states:::sqs:sendMessage", { Parameters: { QueueUrl: "nope", MessageBody: "x" } }),
          End: undefined,
          Next: "T",
        },
        T: {
          ...task("arn:aws:states:::dynamodb:putItem", { Parameters: { TableName: "nope", Item: {} } }),
          End: undefined,
          Next: "S",
        },
        S: task("arn:aws:states:::states:startExecution.sync", { Parameters: { StateMachineArn: "nope" } }),
      }),
    );
    assert.deepEqual(
      fixed.map((i) => i.path),
      [
        `${D}.States.Q.Parameters.QueueUrl`,
        `${D}.States.T.Parameters.TableName`,
        `${D}.States.S.Parameters.StateMachineArn`,
      ],
    );
    assert.match(fixed[2]?.allowed ?? "", /"flow", "child"/);
  });

  test("a physical name over 80 characters, a name with a dot, a name shared with a function", () => {
    const long = "f".repeat(76);
    const issues = issuesOf({
      name: "shop",
      functions: { work: { handler: "src/work.handler" } },
      stateMachines: {
        [long]: { definition: { StartAt: "A", States: { A: { Type: "Succeed" } } } },
        "a.b": { definition: { StartAt: "A", States: { A: { Type: "Succeed" } } } },
        work: { definition: { StartAt: "A", States: { A: { Type: "Succeed" } } } },
      },
    });
    assert.deepEqual(
      issues.map((i) => i.path),
      [`stateMachines.${long}`, "stateMachines.a.b", "stateMachines.work"],
    );
    assert.match(issues[0]?.message ?? "", /81 characters, above Step Functions' limit of 80/);
  });

  test("a path definition the loader did not read, and one that leaves the app root", () => {
    const unread = issuesOf({
      name: "shop",
      functions: { w: { handler: "src/w.handler" } },
      stateMachines: { flow: { definition: "src/flow.asl.json" } },
    });
    assert.match(unread[0]?.message ?? "", /loader/);
    const outside = issuesOf({
      name: "shop",
      functions: { w: { handler: "src/w.handler" } },
      stateMachines: { flow: { definition: "../secrets.json" } },
    });
    assert.match(outside[0]?.message ?? "", /leaves the app root/);
  });

  test("a route and a permission may name a state machine; unknown ones are refused", () => {
    const good = app(
      { A: { Type: "Succeed" } },
      {},
      {
        functions: {
          start: {
            handler: "src/start.handler",
            routes: "flow",
            permissions: [{ actions: ["states:DescribeExecution"], resources: ["stateMachine:flow"] }],
          },
        },
      },
    );
    assert.ok(normaliseApp(good).stateMachines?.flow);
    const bad = issuesOf(
      app(
        { A: { Type: "Succeed" } },
        {},
        {
          functions: {
            start: {
              handler: "src/start.handler",
              routes: "flwo",
              permissions: [{ actions: ["states:StartExecution"], resources: ["stateMachine:nope"] }],
            },
          },
        },
      ),
    );
    assert.deepEqual(
      bad.map((i) => i.path),
      ["functions.start.routes", "functions.start.permissions[0].resources[0]"],
    );
  });
});

test("a permission naming the app's own state machine by its unstaged ARN says to write stateMachine:<name>", () => {
  const issues = issuesOf(
    app(
      { A: { Type: "Succeed" } },
      {},
      {
        functions: {
          start: {
            handler: "src/start.handler",
            permissions: [
              {
                actions: ["states:StartExecution"],
                resources: ["arn:aws:states:us-east-1:123456789012:stateMachine:shop-flow"],
              },
            ],
          },
        },
      },
    ),
  );
  assert.equal(issues.length, 1);
  assert.equal(issues[0]?.path, "functions.start.permissions[0].resources[0]");
  assert.match(issues[0]?.fix ?? "", /stateMachine:flow/);
});

test("two state machine names that share a discovery variable", () => {
  const done = { definition: { StartAt: "A", States: { A: { Type: "Succeed" } } } };
  const issues = issuesOf({
    name: "shop",
    functions: { w: { handler: "src/w.handler" } },
    stateMachines: { "poll-query": done, poll_query: done },
  });
  assert.deepEqual(
    issues.map((i) => i.path),
    ["stateMachines.poll_query"],
  );
  assert.match(issues[0]?.message ?? "", /SLUICE_STATE_MACHINE_POLL_QUERY_ARN/);
});
