import assert from "node:assert/strict";
import { test } from "node:test";
import { LOST_IN_FLIGHT } from "../../src/local/stepfunctions/engine/task-state.ts";
import type { TaskOutcome } from "../../src/local/stepfunctions/task-port.ts";
import { eventTypes, machineOf, openEngine } from "../support/sfn-engine.ts";

const INVOKE = "arn:aws:states:::lambda:invoke";

test("a reopened engine resumes a Wait from its committed end time and finishes the execution once", async () => {
  const rig = await openEngine([
    machineOf("w", {
      StartAt: "A",
      States: {
        A: { Type: "Pass", Next: "W" },
        W: { Type: "Wait", Seconds: 60, Next: "B" },
        B: { Type: "Pass", End: true },
      },
    }),
  ]);
  try {
    const arn = await rig.run("w", { v: 1 });
    await rig.clock.advance(30_000);
    await rig.reopen();
    assert.equal(rig.engine.describeExecution(arn).status, "RUNNING");
    await rig.clock.advance(30_000);
    const d = rig.engine.describeExecution(arn);
    assert.equal(d.status, "SUCCEEDED");
    assert.equal(d.output, '{"v":1}');
    const types = eventTypes(rig, arn);
    assert.equal(types.filter((t) => t === "WaitStateEntered").length, 1);
    assert.equal(types.filter((t) => t === "PassStateEntered").length, 2);
    const ids = rig.engine.getExecutionHistory({ executionArn: arn }).events.map((e) => e.id);
    assert.deepEqual(
      ids,
      ids.map((_, i) => i + 1),
      "ids stay consecutive across the restart",
    );
  } finally {
    rig.close();
  }
});

test("a STANDARD task in flight when the engine stopped is not re-run blind: the attempt fails with States.TaskFailed and Retry decides", async () => {
  let answer = false;
  const rig = await openEngine(
    [
      machineOf("t", {
        StartAt: "Call",
        States: {
          Call: {
            Type: "Task",
            Resource: INVOKE,
            Retry: [{ ErrorEquals: ["States.TaskFailed"], IntervalSeconds: 1, MaxAttempts: 1 }],
            End: true,
          },
        },
      }),
      machineOf("once", { StartAt: "Call", States: { Call: { Type: "Task", Resource: INVOKE, End: true } } }),
    ],
    (): TaskOutcome | Promise<TaskOutcome> =>
      answer ? { kind: "succeeded", output: "second" } : new Promise(() => {}),
  );
  try {
    const retried = await rig.run("t");
    const failed = await rig.run("once");
    assert.equal(rig.calls.length, 2);
    answer = true;
    await rig.reopen();
    assert.equal(rig.calls.length, 2, "nothing re-runs at once");
    const f = rig.engine.describeExecution(failed);
    assert.equal(f.status, "FAILED");
    assert.equal(f.error, "States.TaskFailed");
    assert.equal(f.cause, LOST_IN_FLIGHT);
    await rig.clock.advance(1000);
    assert.equal(rig.calls.length, 3, "the retrier runs it again after its interval");
    assert.equal(rig.engine.describeExecution(retried).output, '"second"');
  } finally {
    rig.close();
  }
});

test("a .waitForTaskToken task keeps waiting across a restart and its token still completes it", async () => {
  const rig = await openEngine(
    [
      machineOf("cb", {
        StartAt: "Ask",
        States: {
          Ask: {
            Type: "Task",
            Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            Parameters: { "t.$": "$$.Task.Token" },
            Next: "After",
          },
          After: { Type: "Pass", End: true },
        },
      }),
    ],
    () => ({ kind: "waiting" }),
  );
  try {
    const arn = await rig.run("cb");
    const token = rig.calls[0]?.taskToken ?? "";
    await rig.reopen();
    assert.equal(rig.calls.length, 1, "the message is not sent again");
    rig.engine.sendTaskSuccess({ taskToken: token, output: '"yes"' });
    await rig.settle();
    const d = rig.engine.describeExecution(arn);
    assert.equal(d.status, "SUCCEEDED");
    assert.equal(d.output, '"yes"');
  } finally {
    rig.close();
  }
});

test("a Map interrupted half-way keeps the iterations that ended and runs the rest after a restart, in item order", async () => {
  let hold = true;
  const rig = await openEngine(
    [
      machineOf("m", {
        StartAt: "Each",
        States: {
          Each: {
            Type: "Map",
            MaxConcurrency: 1,
            ItemProcessor: {
              StartAt: "Work",
              States: {
                Work: {
                  Type: "Task",
                  Resource: INVOKE,
                  Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 1 }],
                  End: true,
                },
              },
            },
            End: true,
          },
        },
      }),
    ],
    (req): TaskOutcome | Promise<TaskOutcome> => {
      const n = req.parameters as number;
      if (n === 2 && hold) return new Promise(() => {});
      return { kind: "succeeded", output: n * 2 };
    },
  );
  try {
    const arn = await rig.run("m", [1, 2, 3]);
    for (let i = 0; i < 5; i++) await rig.settle();
    assert.deepEqual(
      rig.calls.map((c) => c.parameters),
      [1, 2],
    );
    hold = false;
    await rig.reopen();
    await rig.clock.advance(1000);
    for (let i = 0; i < 5; i++) await rig.settle();
    const d = rig.engine.describeExecution(arn);
    assert.equal(d.status, "SUCCEEDED", d.cause);
    assert.deepEqual(JSON.parse(d.output ?? ""), [2, 4, 6]);
    assert.deepEqual(
      rig.calls.map((c) => c.parameters),
      [1, 2, 2, 3],
    );
  } finally {
    rig.close();
  }
});

// https://docs.aws.amazon.com/step-functions/latest/dg/express-at-least-once-execution.html
test("after a restart an asynchronous EXPRESS execution carries on (at least once); a synchronous one is not restarted (at most once)", async () => {
  const rig = await openEngine([
    machineOf(
      "x",
      {
        StartAt: "W",
        States: { W: { Type: "Wait", Seconds: 10, Next: "P" }, P: { Type: "Pass", End: true } },
      },
      "EXPRESS",
    ),
  ]);
  try {
    const asyncArn = await rig.run("x");
    const pending = rig.engine.startSyncExecution({ stateMachineArn: rig.arn("x"), input: "{}" });
    await rig.settle();
    await rig.reopen();
    const answered = await pending;
    assert.equal(answered.status, "RUNNING");
    await rig.clock.advance(10_000);
    const last = (arn: string) => rig.engine.timeline(arn).at(-1)?.type;
    assert.equal(last(asyncArn), "ExecutionSucceeded");
    assert.equal(last(answered.executionArn), "ExecutionFailed");
    assert.equal(
      rig.engine.timeline(answered.executionArn).filter((e) => e.type === "PassStateEntered").length,
      0,
    );
  } finally {
    rig.close();
  }
});
