import assert from "node:assert/strict";
import { test } from "node:test";
import type { TaskOutcome } from "../../src/local/stepfunctions/task-port.ts";
import { eventTypes, machineOf, openEngine } from "../support/sfn-engine.ts";

const DAY = 24 * 60 * 60 * 1000;

test("a Pass chain runs to Succeed with Result and ResultPath, and its history is numbered from 1 with previousEventId", async () => {
  const rig = await openEngine([
    machineOf("chain", {
      StartAt: "Add",
      States: {
        Add: { Type: "Pass", Result: { n: 1 }, ResultPath: "$.added", Next: "Done" },
        Done: { Type: "Succeed" },
      },
    }),
  ]);
  try {
    const arn = await rig.run("chain", { keep: true });
    const d = rig.engine.describeExecution(arn);
    assert.equal(d.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(d.output ?? ""), { keep: true, added: { n: 1 } });
    const { events } = rig.engine.getExecutionHistory({ executionArn: arn });
    assert.deepEqual(
      events.map((e) => e.type),
      [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "SucceedStateEntered",
        "SucceedStateExited",
        "ExecutionSucceeded",
      ],
    );
    assert.deepEqual(
      events.map((e) => [e.id, e.previousEventId]),
      [
        [1, 0],
        [2, 1],
        [3, 2],
        [4, 3],
        [5, 4],
        [6, 5],
      ],
    );
    assert.deepEqual(events[1]?.stateEnteredEventDetails, {
      name: "Add",
      input: '{"keep":true}',
      inputDetails: { truncated: false },
    });
    assert.equal(
      (events[5]?.executionSucceededEventDetails as { output: string } | undefined)?.output,
      '{"keep":true,"added":{"n":1}}',
    );
  } finally {
    rig.close();
  }
});

test("a Choice goes to the first matching rule, its Default otherwise, and fails with States.NoChoiceMatched without one", async () => {
  const choice = (withDefault: boolean) => ({
    StartAt: "Pick",
    States: {
      Pick: {
        Type: "Choice",
        Choices: [{ Variable: "$.n", NumericGreaterThan: 10, Next: "Big" }],
        ...(withDefault ? { Default: "Small" } : {}),
      },
      Big: { Type: "Pass", Result: "big", End: true },
      Small: { Type: "Pass", Result: "small", End: true },
    },
  });
  const rig = await openEngine([machineOf("pick", choice(true)), machineOf("strict", choice(false))]);
  try {
    assert.equal(rig.engine.describeExecution(await rig.run("pick", { n: 11 })).output, '"big"');
    assert.equal(rig.engine.describeExecution(await rig.run("pick", { n: 1 })).output, '"small"');
    const failed = rig.engine.describeExecution(await rig.run("strict", { n: 1 }));
    assert.equal(failed.status, "FAILED");
    assert.equal(failed.error, "States.NoChoiceMatched");
  } finally {
    rig.close();
  }
});

test("a Wait of a day passes only when the clock moves a day", async () => {
  const rig = await openEngine([
    machineOf("wait", { StartAt: "W", States: { W: { Type: "Wait", Seconds: 86400, End: true } } }),
  ]);
  try {
    const arn = await rig.run("wait", { a: 1 });
    await rig.clock.advance(DAY - 1);
    assert.equal(rig.engine.describeExecution(arn).status, "RUNNING");
    await rig.clock.advance(1);
    const d = rig.engine.describeExecution(arn);
    assert.equal(d.status, "SUCCEEDED");
    assert.equal(d.output, '{"a":1}');
    assert.deepEqual(eventTypes(rig, arn), [
      "ExecutionStarted",
      "WaitStateEntered",
      "WaitStateExited",
      "ExecutionSucceeded",
    ]);
  } finally {
    rig.close();
  }
});

test("a Fail state fails the execution with its Error and Cause", async () => {
  const rig = await openEngine([
    machineOf("fail", {
      StartAt: "F",
      States: { F: { Type: "Fail", Error: "Custom.Bad", Cause: "because" } },
    }),
  ]);
  try {
    const arn = await rig.run("fail");
    const d = rig.engine.describeExecution(arn);
    assert.equal(d.status, "FAILED");
    assert.equal(d.error, "Custom.Bad");
    assert.equal(d.cause, "because");
    assert.deepEqual(eventTypes(rig, arn), ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]);
  } finally {
    rig.close();
  }
});

test("a Lambda task's history follows AWS's sequence: Entered, Scheduled, Started, Succeeded, Exited", async () => {
  const rig = await openEngine(
    [
      machineOf("task", {
        StartAt: "Call",
        States: {
          Call: {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke",
            Parameters: { FunctionName: "fn", "Payload.$": "$" },
            ResultSelector: { "body.$": "$.Payload" },
            End: true,
          },
        },
      }),
    ],
    (req) => ({ kind: "succeeded", output: { Payload: { echoed: req.parameters }, StatusCode: 200 } }),
  );
  try {
    const arn = await rig.run("task", { x: 1 });
    const d = rig.engine.describeExecution(arn);
    assert.deepEqual(JSON.parse(d.output ?? ""), {
      body: { echoed: { FunctionName: "fn", Payload: { x: 1 } } },
    });
    const { events } = rig.engine.getExecutionHistory({ executionArn: arn });
    assert.deepEqual(
      events.map((e) => e.type),
      [
        "ExecutionStarted",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
      ],
    );
    assert.deepEqual(events[2]?.taskScheduledEventDetails, {
      resourceType: "lambda",
      resource: "invoke",
      region: "us-east-1",
      parameters: '{"FunctionName":"fn","Payload":{"x":1}}',
    });
    assert.equal(rig.calls[0]?.pattern, "requestResponse");
  } finally {
    rig.close();
  }
});

test("a Parallel state's output is its branches' outputs in order; a failed branch fails the state, and Catch takes it", async () => {
  const rig = await openEngine([
    machineOf("par", {
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          Branches: [
            {
              StartAt: "A",
              States: {
                A: { Type: "Wait", Seconds: 5, Next: "A2" },
                A2: { Type: "Pass", Result: "a", End: true },
              },
            },
            { StartAt: "B", States: { B: { Type: "Pass", Result: "b", End: true } } },
          ],
          End: true,
        },
      },
    }),
    machineOf("parfail", {
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          Branches: [
            { StartAt: "Slow", States: { Slow: { Type: "Wait", Seconds: 60, End: true } } },
            { StartAt: "Bad", States: { Bad: { Type: "Fail", Error: "Branch.Broke", Cause: "no" } } },
          ],
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.err", Next: "Caught" }],
          End: true,
        },
        Caught: { Type: "Pass", End: true },
      },
    }),
  ]);
  try {
    const ok = await rig.run("par", {});
    await rig.clock.advance(5000);
    assert.equal(rig.engine.describeExecution(ok).output, '["a","b"]');
    const types = eventTypes(rig, ok);
    assert.equal(types[1], "ParallelStateEntered");
    assert.equal(types[2], "ParallelStateStarted");
    assert.deepEqual(types.slice(-3), [
      "ParallelStateSucceeded",
      "ParallelStateExited",
      "ExecutionSucceeded",
    ]);

    const caught = await rig.run("parfail", { k: 1 });
    const d = rig.engine.describeExecution(caught);
    assert.equal(d.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(d.output ?? ""), { k: 1, err: { Error: "Branch.Broke", Cause: "no" } });
    assert.ok(eventTypes(rig, caught).includes("ParallelStateFailed"));
    assert.equal(rig.clock.pendingTimers, 0, "the other branch's Wait is cancelled");
  } finally {
    rig.close();
  }
});

test("an inline Map keeps item order under MaxConcurrency and gives ItemSelector the item's index and value", async () => {
  let running = 0;
  let most = 0;
  const rig = await openEngine(
    [
      machineOf("map", {
        StartAt: "Each",
        States: {
          Each: {
            Type: "Map",
            ItemsPath: "$.items",
            MaxConcurrency: 2,
            ItemSelector: { "index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value" },
            ItemProcessor: {
              ProcessorConfig: { Mode: "INLINE" },
              StartAt: "Work",
              States: { Work: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true } },
            },
            End: true,
          },
        },
      }),
    ],
    async (req) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      running--;
      const p = req.parameters as { index: number; value: string };
      return { kind: "succeeded", output: `${p.index}:${p.value}` };
    },
  );
  try {
    const arn = await rig.run("map", { items: ["a", "b", "c", "d", "e"] });
    for (let i = 0; i < 10; i++) await rig.settle();
    const d = rig.engine.describeExecution(arn);
    assert.equal(d.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(d.output ?? ""), ["0:a", "1:b", "2:c", "3:d", "4:e"]);
    assert.ok(most <= 2, `at most 2 iterations at once, saw ${most}`);
    const types = eventTypes(rig, arn);
    assert.equal(types.filter((t) => t === "MapIterationStarted").length, 5);
    assert.equal(types.filter((t) => t === "MapIterationSucceeded").length, 5);
    assert.deepEqual(types.slice(0, 3), ["ExecutionStarted", "MapStateEntered", "MapStateStarted"]);
  } finally {
    rig.close();
  }
});

test("JSONata states evaluate Arguments, Output and Assign, and a later state reads the variable", async () => {
  const rig = await openEngine(
    [
      machineOf("ata", {
        QueryLanguage: "JSONata",
        StartAt: "Call",
        States: {
          Call: {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke",
            Arguments: { Payload: "{% $states.input.n * 2 %}" },
            Assign: { doubled: "{% $states.result.Payload %}" },
            Output: "{% { 'got': $states.result.Payload } %}",
            Next: "Use",
          },
          Use: { Type: "Pass", Output: "{% { 'fromVar': $doubled, 'input': $states.input } %}", End: true },
        },
      }),
    ],
    (req) => ({ kind: "succeeded", output: { Payload: (req.parameters as { Payload: number }).Payload } }),
  );
  try {
    const arn = await rig.run("ata", { n: 21 });
    const d = rig.engine.describeExecution(arn);
    assert.equal(d.status, "SUCCEEDED", d.cause);
    assert.deepEqual(JSON.parse(d.output ?? ""), { fromVar: 42, input: { got: 42 } });
  } finally {
    rig.close();
  }
});

test("a Lambda ARN written as Resource records LambdaFunction* events, as AWS's legacy integration does", async () => {
  const fn = "arn:aws:lambda:us-east-1:123456789012:function:app-fn";
  const rig = await openEngine(
    [machineOf("legacy", { StartAt: "Call", States: { Call: { Type: "Task", Resource: fn, End: true } } })],
    (req) => ({ kind: "succeeded", output: { got: req.parameters } }),
  );
  try {
    const arn = await rig.run("legacy", { v: 2 });
    assert.equal(rig.engine.describeExecution(arn).output, '{"got":{"v":2}}');
    const { events } = rig.engine.getExecutionHistory({ executionArn: arn });
    assert.deepEqual(
      events.map((e) => e.type),
      [
        "ExecutionStarted",
        "TaskStateEntered",
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
      ],
    );
    assert.equal(
      (events[2]?.lambdaFunctionScheduledEventDetails as { resource?: string } | undefined)?.resource,
      fn,
    );
    const bare = rig.engine.getExecutionHistory({ executionArn: arn, includeExecutionData: false }).events;
    assert.deepEqual(bare[1]?.stateEnteredEventDetails, { name: "Call" });
  } finally {
    rig.close();
  }
});

test("a state output over 256 KiB fails the execution with States.DataLimitExceeded, which Catch does not take", async () => {
  const rig = await openEngine(
    [
      machineOf("big", {
        StartAt: "Grow",
        States: {
          Grow: {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke",
            Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }],
            End: true,
          },
          Caught: { Type: "Pass", End: true },
        },
      }),
    ],
    () => ({ kind: "succeeded", output: "x".repeat(262_145) }),
  );
  try {
    const d = rig.engine.describeExecution(await rig.run("big"));
    assert.equal(d.status, "FAILED");
    assert.equal(d.error, "States.DataLimitExceeded");
  } finally {
    rig.close();
  }
});

test("an inline Map without MaxConcurrency runs at most 40 iterations at once", async () => {
  const release: (() => void)[] = [];
  const rig = await openEngine(
    [
      machineOf("wide", {
        StartAt: "Each",
        States: {
          Each: {
            Type: "Map",
            ItemProcessor: {
              StartAt: "Work",
              States: { Work: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true } },
            },
            End: true,
          },
        },
      }),
    ],
    (req) =>
      new Promise((resolve) => release.push(() => resolve({ kind: "succeeded", output: req.parameters }))),
  );
  try {
    const arn = await rig.run(
      "wide",
      Array.from({ length: 100 }, (_, i) => i),
    );
    for (let i = 0; i < 5; i++) await rig.settle();
    assert.equal(release.length, 40);
    while (release.length > 0) {
      for (const next of release.splice(0)) next();
      for (let i = 0; i < 5; i++) await rig.settle();
    }
    const d = rig.engine.describeExecution(arn);
    assert.equal(d.status, "SUCCEEDED");
    assert.equal(JSON.parse(d.output ?? "").length, 100);
  } finally {
    rig.close();
  }
});

test("a Map state's Retry runs every iteration again after one fails, and its result holds only the new run's outputs", async () => {
  let failOnce = true;
  const rig = await openEngine(
    [
      machineOf("again", {
        StartAt: "Each",
        States: {
          Each: {
            Type: "Map",
            ItemProcessor: {
              StartAt: "Work",
              States: { Work: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true } },
            },
            Retry: [{ ErrorEquals: ["Item.Flaky"], IntervalSeconds: 3 }],
            End: true,
          },
        },
      }),
    ],
    (req): TaskOutcome => {
      if (req.parameters === 2 && failOnce) {
        failOnce = false;
        return { kind: "failed", error: "Item.Flaky", cause: "once" };
      }
      return { kind: "succeeded", output: (req.parameters as number) * 10 };
    },
  );
  try {
    const arn = await rig.run("again", [1, 2, 3]);
    for (let i = 0; i < 5; i++) await rig.settle();
    assert.equal(rig.engine.describeExecution(arn).status, "RUNNING");
    await rig.clock.advance(3000);
    for (let i = 0; i < 5; i++) await rig.settle();
    const d = rig.engine.describeExecution(arn);
    assert.equal(d.status, "SUCCEEDED", d.cause);
    assert.deepEqual(JSON.parse(d.output ?? ""), [10, 20, 30]);
    const types = eventTypes(rig, arn);
    assert.equal(types.filter((t) => t === "MapStateEntered").length, 1);
    assert.equal(types.filter((t) => t === "MapStateStarted").length, 2);
    assert.equal(types.filter((t) => t === "MapStateFailed").length, 1);
  } finally {
    rig.close();
  }
});

test("an execution that reaches 25,000 history events fails", async () => {
  const rig = await openEngine([
    machineOf("loop", {
      StartAt: "A",
      States: {
        A: { Type: "Pass", Next: "B" },
        B: { Type: "Choice", Choices: [{ Variable: "$.x", NumericEquals: 1, Next: "Out" }], Default: "A" },
        Out: { Type: "Succeed" },
      },
    }),
  ]);
  try {
    const arn = await rig.run("loop", { x: 0 });
    for (let i = 0; i < 200 && rig.engine.describeExecution(arn).status === "RUNNING"; i++)
      await rig.settle();
    const d = rig.engine.describeExecution(arn);
    assert.equal(d.status, "FAILED");
    assert.match(d.cause ?? "", /25000/);
    const [last] = rig.engine.getExecutionHistory({
      executionArn: arn,
      reverseOrder: true,
      maxResults: 1,
    }).events;
    assert.ok((last?.id ?? 0) <= 25_000, `last event id ${last?.id}`);
  } finally {
    rig.close();
  }
});
