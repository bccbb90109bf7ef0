import assert from "node:assert/strict";
import { test } from "node:test";
import { SfnApiError } from "../../src/local/stepfunctions/service-api.ts";
import type { TaskOutcome } from "../../src/local/stepfunctions/task-port.ts";
import { eventTypes, machineOf, openEngine } from "../support/sfn-engine.ts";

const INVOKE = "arn:aws:states:::lambda:invoke";
const WAIT_TOKEN = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof SfnApiError) return err.code;
    throw err;
  }
  return "no error";
}

test("Retry waits IntervalSeconds × BackoffRate^n on the clock, then Catch takes the error once MaxAttempts are spent", async () => {
  const rig = await openEngine(
    [
      machineOf("retry", {
        StartAt: "Call",
        States: {
          Call: {
            Type: "Task",
            Resource: INVOKE,
            Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 2 }],
            Catch: [{ ErrorEquals: ["States.ALL"], Next: "Handled" }],
            End: true,
          },
          Handled: { Type: "Pass", End: true },
        },
      }),
    ],
    (): TaskOutcome => ({ kind: "failed", error: "Flaky", cause: "try again" }),
  );
  try {
    const arn = await rig.run("retry");
    assert.equal(rig.calls.length, 1);
    await rig.clock.advance(1999);
    assert.equal(rig.calls.length, 1, "no retry before 2 s");
    await rig.clock.advance(1);
    assert.equal(rig.calls.length, 2, "first retry after 2 s");
    await rig.clock.advance(5999);
    assert.equal(rig.calls.length, 2, "the second waits 2 × 3 = 6 s");
    await rig.clock.advance(1);
    assert.equal(rig.calls.length, 3);
    const d = rig.engine.describeExecution(arn);
    assert.equal(d.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(d.output ?? ""), { Error: "Flaky", Cause: "try again" });
    const types = eventTypes(rig, arn);
    assert.equal(types.filter((t) => t === "TaskScheduled").length, 3);
    assert.equal(
      types.filter((t) => t === "TaskStateEntered").length,
      1,
      "a retry does not re-enter the state",
    );
  } finally {
    rig.close();
  }
});

test("TimeoutSeconds fails the task with States.Timeout (TaskTimedOut) and aborts the call", async () => {
  let signal: AbortSignal | undefined;
  const rig = await openEngine(
    [
      machineOf("slow", {
        StartAt: "Call",
        States: { Call: { Type: "Task", Resource: INVOKE, TimeoutSeconds: 10, End: true } },
      }),
    ],
    (req) => {
      signal = req.signal;
      return new Promise<TaskOutcome>(() => {});
    },
  );
  try {
    const arn = await rig.run("slow");
    await rig.clock.advance(9999);
    assert.equal(rig.engine.describeExecution(arn).status, "RUNNING");
    await rig.clock.advance(1);
    const d = rig.engine.describeExecution(arn);
    assert.equal(d.status, "FAILED");
    assert.equal(d.error, "States.Timeout");
    assert.equal(signal?.aborted, true);
    assert.deepEqual(eventTypes(rig, arn).slice(-2), ["TaskTimedOut", "ExecutionFailed"]);
  } finally {
    rig.close();
  }
});

test("a .waitForTaskToken task waits for SendTaskSuccess with the token from $$.Task.Token; the token is then refused", async () => {
  const rig = await openEngine(
    [
      machineOf("cb", {
        StartAt: "Ask",
        States: {
          Ask: {
            Type: "Task",
            Resource: WAIT_TOKEN,
            Parameters: { QueueUrl: "q", MessageBody: { "token.$": "$$.Task.Token" } },
            End: true,
          },
        },
      }),
    ],
    () => ({ kind: "waiting" }),
  );
  try {
    const arn = await rig.run("cb");
    const request = rig.calls[0];
    const token =
      (request?.parameters as { MessageBody: { token: string } } | undefined)?.MessageBody.token ?? "";
    assert.equal(request?.taskToken, token);
    assert.equal(request?.pattern, "waitForTaskToken");
    await rig.clock.advance(60_000);
    assert.equal(rig.engine.describeExecution(arn).status, "RUNNING");
    rig.engine.sendTaskSuccess({ taskToken: token, output: '{"answer":42}' });
    await rig.settle();
    const d = rig.engine.describeExecution(arn);
    assert.equal(d.status, "SUCCEEDED");
    assert.equal(d.output, '{"answer":42}');
    assert.deepEqual(eventTypes(rig, arn).slice(2, 6), [
      "TaskScheduled",
      "TaskStarted",
      "TaskSubmitted",
      "TaskSucceeded",
    ]);
    assert.equal(
      code(() => rig.engine.sendTaskSuccess({ taskToken: token, output: "{}" })),
      "TaskDoesNotExist",
    );
    assert.equal(
      code(() => rig.engine.sendTaskSuccess({ taskToken: "nope", output: "{}" })),
      "InvalidToken",
    );
  } finally {
    rig.close();
  }
});

test("SendTaskFailure fails the task with the sender's error, which Catch can take", async () => {
  const rig = await openEngine(
    [
      machineOf("cbf", {
        StartAt: "Ask",
        States: {
          Ask: {
            Type: "Task",
            Resource: WAIT_TOKEN,
            Parameters: { "token.$": "$$.Task.Token" },
            Catch: [{ ErrorEquals: ["Client.Gone"], ResultPath: "$.error", Next: "Gone" }],
            End: true,
          },
          Gone: { Type: "Pass", End: true },
        },
      }),
    ],
    () => ({ kind: "waiting" }),
  );
  try {
    const arn = await rig.run("cbf", {});
    const token = rig.calls[0]?.taskToken ?? "";
    rig.engine.sendTaskFailure({ taskToken: token, error: "Client.Gone", cause: "closed" });
    await rig.settle();
    assert.deepEqual(JSON.parse(rig.engine.describeExecution(arn).output ?? ""), {
      error: { Error: "Client.Gone", Cause: "closed" },
    });
  } finally {
    rig.close();
  }
});

test("HeartbeatSeconds fails a silent task with States.HeartbeatTimeout; SendTaskHeartbeat resets it; a timed-out token answers TaskTimedOut", async () => {
  const rig = await openEngine(
    [
      machineOf("hb", {
        StartAt: "Ask",
        States: {
          Ask: {
            Type: "Task",
            Resource: WAIT_TOKEN,
            HeartbeatSeconds: 10,
            Parameters: { "t.$": "$$.Task.Token" },
            End: true,
          },
        },
      }),
    ],
    () => ({ kind: "waiting" }),
  );
  try {
    const arn = await rig.run("hb");
    const token = rig.calls[0]?.taskToken ?? "";
    await rig.clock.advance(8000);
    rig.engine.sendTaskHeartbeat({ taskToken: token });
    await rig.clock.advance(8000);
    assert.equal(
      rig.engine.describeExecution(arn).status,
      "RUNNING",
      "the heartbeat moved the deadline to 18 s",
    );
    await rig.clock.advance(2000);
    const d = rig.engine.describeExecution(arn);
    assert.equal(d.status, "FAILED");
    assert.equal(d.error, "States.HeartbeatTimeout");
    assert.equal(
      code(() => rig.engine.sendTaskSuccess({ taskToken: token, output: "{}" })),
      "TaskTimedOut",
    );
  } finally {
    rig.close();
  }
});

test("a task error that no Retry or Catch takes fails the execution with it", async () => {
  const rig = await openEngine(
    [
      machineOf("plain", {
        StartAt: "Call",
        States: { Call: { Type: "Task", Resource: INVOKE, End: true } },
      }),
    ],
    () => ({ kind: "failed", error: "Lambda.Unknown", cause: "boom" }),
  );
  try {
    const arn = await rig.run("plain");
    const d = rig.engine.describeExecution(arn);
    assert.equal(d.status, "FAILED");
    assert.equal(d.error, "Lambda.Unknown");
    assert.deepEqual(eventTypes(rig, arn).slice(-2), ["TaskFailed", "ExecutionFailed"]);
  } finally {
    rig.close();
  }
});

test("a token answered while the call that handed it out is still running completes the task, and that call is not aborted", async () => {
  let engineRef: { sendTaskSuccess(input: { taskToken: string; output: string }): void } | undefined;
  let signal: AbortSignal | undefined;
  const rig = await openEngine(
    [
      machineOf("self", {
        StartAt: "Ask",
        States: {
          Ask: {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
            Parameters: { "token.$": "$$.Task.Token" },
            End: true,
          },
        },
      }),
    ],
    async (req): Promise<TaskOutcome> => {
      signal = req.signal;
      engineRef?.sendTaskSuccess({ taskToken: req.taskToken ?? "", output: '"answered"' });
      await new Promise((resolve) => setImmediate(resolve));
      return { kind: "succeeded", output: { StatusCode: 200 } };
    },
  );
  try {
    engineRef = rig.engine;
    const arn = await rig.run("self");
    await rig.settle();
    assert.equal(rig.engine.describeExecution(arn).output, '"answered"');
    assert.equal(signal?.aborted, false);
  } finally {
    rig.close();
  }
});
