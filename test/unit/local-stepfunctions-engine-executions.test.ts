import assert from "node:assert/strict";
import { test } from "node:test";
import { SfnApiError } from "../../src/local/stepfunctions/service-api.ts";
import type { TaskOutcome } from "../../src/local/stepfunctions/task-port.ts";
import { eventTypes, machineOf, openEngine } from "../support/sfn-engine.ts";

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof SfnApiError) return err.code;
    throw err;
  }
  return "no error";
}

const waitFor = (seconds: number) => ({
  StartAt: "W",
  States: { W: { Type: "Wait", Seconds: seconds, End: true } },
});

test("a name is unique per machine: the same input while open is idempotent, anything else ExecutionAlreadyExists", async () => {
  const rig = await openEngine([machineOf("w", waitFor(10))]);
  try {
    const first = rig.engine.startExecution({
      stateMachineArn: rig.arn("w"),
      name: "run-1",
      input: '{"a":1}',
    });
    const again = rig.engine.startExecution({
      stateMachineArn: rig.arn("w"),
      name: "run-1",
      input: '{"a":1}',
    });
    assert.deepEqual(again, first);
    assert.equal(
      code(() =>
        rig.engine.startExecution({ stateMachineArn: rig.arn("w"), name: "run-1", input: '{"a":2}' }),
      ),
      "ExecutionAlreadyExists",
    );
    await rig.clock.advance(10_000);
    assert.equal(
      code(() =>
        rig.engine.startExecution({ stateMachineArn: rig.arn("w"), name: "run-1", input: '{"a":1}' }),
      ),
      "ExecutionAlreadyExists",
    );
    assert.equal(
      code(() => rig.engine.startExecution({ stateMachineArn: rig.arn("w"), name: "bad name", input: "{}" })),
      "InvalidName",
    );
    assert.equal(
      code(() => rig.engine.startExecution({ stateMachineArn: rig.arn("w"), input: "{" })),
      "InvalidExecutionInput",
    );
    assert.equal(
      code(() => rig.engine.startExecution({ stateMachineArn: `${rig.arn("w")}x`, input: "{}" })),
      "StateMachineDoesNotExist",
    );
  } finally {
    rig.close();
  }
});

test("StopExecution aborts with the caller's error and cause, and ListExecutions lists newest first with paging and a status filter", async () => {
  const rig = await openEngine([machineOf("w", waitFor(10))]);
  try {
    const a = await rig.run("w", {}, "a");
    const b = await rig.run("w", {}, "b");
    rig.engine.stopExecution({ executionArn: a, error: "Ops.Stop", cause: "by hand" });
    const d = rig.engine.describeExecution(a);
    assert.equal(d.status, "ABORTED");
    assert.equal(d.error, "Ops.Stop");
    assert.deepEqual(eventTypes(rig, a).slice(-1), ["ExecutionAborted"]);
    assert.equal(rig.clock.pendingTimers > 0, true);
    const page1 = rig.engine.listExecutions({ stateMachineArn: rig.arn("w"), maxResults: 1 });
    assert.deepEqual(
      page1.executions.map((e) => e.name),
      ["b"],
    );
    const page2 = rig.engine.listExecutions({
      stateMachineArn: rig.arn("w"),
      maxResults: 1,
      nextToken: page1.nextToken ?? "",
    });
    assert.deepEqual(
      page2.executions.map((e) => e.name),
      ["a"],
    );
    assert.equal(page2.nextToken, undefined);
    const aborted = rig.engine.listExecutions({ stateMachineArn: rig.arn("w"), statusFilter: "ABORTED" });
    assert.deepEqual(
      aborted.executions.map((e) => e.executionArn),
      [a],
    );
    void b;
  } finally {
    rig.close();
  }
});

test("the machine's TimeoutSeconds times the execution out (ExecutionTimedOut)", async () => {
  const rig = await openEngine([machineOf("t", { TimeoutSeconds: 30, ...waitFor(3600) })]);
  try {
    const arn = await rig.run("t");
    await rig.clock.advance(30_000);
    assert.equal(rig.engine.describeExecution(arn).status, "TIMED_OUT");
    assert.deepEqual(eventTypes(rig, arn).slice(-1), ["ExecutionTimedOut"]);
  } finally {
    rig.close();
  }
});

test("an EXPRESS execution runs at most five minutes, answers StartSyncExecution, and is not described by the API", async () => {
  const rig = await openEngine([
    machineOf(
      "quick",
      { StartAt: "P", States: { P: { Type: "Pass", Result: { ok: true }, End: true } } },
      "EXPRESS",
    ),
    machineOf("long", waitFor(600), "EXPRESS"),
    machineOf("std", waitFor(1)),
  ]);
  try {
    const sync = await rig.engine.startSyncExecution({ stateMachineArn: rig.arn("quick"), input: "{}" });
    assert.equal(sync.status, "SUCCEEDED");
    assert.equal(sync.output, '{"ok":true}');
    assert.match(sync.executionArn, /:express:app-quick:/);
    assert.equal(
      code(() => rig.engine.describeExecution(sync.executionArn)),
      "StateMachineTypeNotSupported",
    );
    assert.equal(
      code(() => rig.engine.listExecutions({ stateMachineArn: rig.arn("quick") })),
      "StateMachineTypeNotSupported",
    );
    await assert.rejects(
      rig.engine.startSyncExecution({ stateMachineArn: rig.arn("std"), input: "{}" }),
      /not supported/,
    );
    const long = rig.engine.startSyncExecution({ stateMachineArn: rig.arn("long"), input: "{}" });
    await rig.clock.advance(300_000);
    assert.equal((await long).status, "TIMED_OUT");
  } finally {
    rig.close();
  }
});

test("states:startExecution.sync waits for the child and returns its description (.sync: Output as text, .sync:2 as JSON)", async () => {
  const child = machineOf("child", {
    StartAt: "W",
    States: {
      W: { Type: "Wait", Seconds: 5, Next: "P" },
      P: { Type: "Pass", Result: { done: 1 }, End: true },
    },
  });
  const parent = (suffix: string) =>
    machineOf(`parent${suffix.replace(/[.:]/g, "")}`, {
      StartAt: "Run",
      States: {
        Run: {
          Type: "Task",
          Resource: `arn:aws:states:::states:startExecution${suffix}`,
          Parameters: { StateMachineArn: child.arn, Input: { from: "parent" } },
          End: true,
        },
      },
    });
  const rig = await openEngine([child, parent(".sync"), parent(".sync:2"), parent("")]);
  try {
    const a = await rig.run("parentsync");
    const b = await rig.run("parentsync2");
    const c = await rig.run("parent");
    const started = JSON.parse(rig.engine.describeExecution(c).output ?? "");
    assert.match(started.ExecutionArn, /:execution:app-child:/);
    assert.equal(typeof started.StartDate, "number");
    assert.equal(rig.engine.describeExecution(a).status, "RUNNING");
    await rig.clock.advance(5000);
    const outA = JSON.parse(rig.engine.describeExecution(a).output ?? "");
    const outB = JSON.parse(rig.engine.describeExecution(b).output ?? "");
    assert.equal(outA.Status, "SUCCEEDED");
    assert.equal(outA.Output, '{"done":1}');
    assert.deepEqual(outB.Output, { done: 1 });
    assert.equal(outA.Input, '{"from":"parent"}');
  } finally {
    rig.close();
  }
});

test("stopping a parent stops its running .sync child; a failed child fails the parent's task with States.TaskFailed", async () => {
  const child = machineOf("kid", waitFor(100));
  const failing = machineOf("bad", { StartAt: "F", States: { F: { Type: "Fail", Error: "Kid.Broke" } } });
  const run = (target: string) => ({
    StartAt: "Run",
    States: {
      Run: {
        Type: "Task",
        Resource: "arn:aws:states:::states:startExecution.sync",
        Parameters: { StateMachineArn: target },
        End: true,
      },
    },
  });
  const rig = await openEngine([
    child,
    failing,
    machineOf("p1", run(child.arn)),
    machineOf("p2", run(failing.arn)),
  ]);
  try {
    const p1 = await rig.run("p1");
    const [kid] = rig.engine.listExecutions({ stateMachineArn: child.arn }).executions;
    rig.engine.stopExecution({ executionArn: p1 });
    await rig.settle();
    assert.equal(rig.engine.describeExecution(kid?.executionArn ?? "").status, "ABORTED");
    const p2 = await rig.run("p2");
    await rig.settle();
    const d = rig.engine.describeExecution(p2);
    assert.equal(d.status, "FAILED");
    assert.equal(d.error, "States.TaskFailed");
    assert.equal(JSON.parse(d.cause ?? "").Error, "Kid.Broke");
  } finally {
    rig.close();
  }
});

test("a distributed Map reads items through the ItemReader, tolerates failures up to its threshold, then fails with States.ExceedToleratedFailureThreshold", async () => {
  const map = (tolerated: number) => ({
    StartAt: "Each",
    States: {
      Each: {
        Type: "Map",
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "JSON" },
          Parameters: { Bucket: "b", Key: "k" },
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Work",
          States: { Work: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true } },
        },
        ToleratedFailureCount: tolerated,
        MaxConcurrency: 3,
        End: true,
      },
    },
  });
  const rig = await openEngine([machineOf("ok", map(1)), machineOf("strict", map(0))], (req): TaskOutcome => {
    if (req.resource.endsWith("s3:getObject"))
      return { kind: "succeeded", output: JSON.stringify([1, 2, 3, 4]) };
    const n = req.parameters as number;
    return n === 3
      ? { kind: "failed", error: "Item.Bad", cause: "three" }
      : { kind: "succeeded", output: n * 10 };
  });
  try {
    const ok = await rig.run("ok");
    for (let i = 0; i < 5; i++) await rig.settle();
    const d = rig.engine.describeExecution(ok);
    assert.equal(d.status, "SUCCEEDED", d.cause);
    const out = JSON.parse(d.output ?? "");
    assert.deepEqual([out[0], out[1], out[3]], [10, 20, 40]);
    const types = eventTypes(rig, ok);
    assert.ok(types.includes("MapRunStarted") && types.includes("MapRunSucceeded"));
    const strict = await rig.run("strict");
    for (let i = 0; i < 5; i++) await rig.settle();
    const s = rig.engine.describeExecution(strict);
    assert.equal(s.status, "FAILED");
    assert.equal(s.error, "States.ExceedToleratedFailureThreshold");
  } finally {
    rig.close();
  }
});

test("a distributed Map's ItemBatcher hands each child workflow { Items, BatchInput } of at most MaxItemsPerBatch items", async () => {
  const rig = await openEngine(
    [
      machineOf("batches", {
        StartAt: "Each",
        States: {
          Each: {
            Type: "Map",
            ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { k: 1 } },
            ItemProcessor: {
              ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
              StartAt: "Work",
              States: { Work: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true } },
            },
            End: true,
          },
        },
      }),
    ],
    (req) => ({ kind: "succeeded", output: req.parameters }),
  );
  try {
    const arn = await rig.run("batches", [1, 2, 3, 4, 5]);
    for (let i = 0; i < 5; i++) await rig.settle();
    const d = rig.engine.describeExecution(arn);
    assert.equal(d.status, "SUCCEEDED", d.cause);
    assert.deepEqual(JSON.parse(d.output ?? ""), [
      { Items: [1, 2], BatchInput: { k: 1 } },
      { Items: [3, 4], BatchInput: { k: 1 } },
      { Items: [5], BatchInput: { k: 1 } },
    ]);
  } finally {
    rig.close();
  }
});

test("a Parallel state that fails stops the .sync child of its still-running branch, though the execution goes on (Catch)", async () => {
  const child = machineOf("slow", waitFor(1000));
  const rig = await openEngine([
    child,
    machineOf("par", {
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          Branches: [
            {
              StartAt: "Run",
              States: {
                Run: {
                  Type: "Task",
                  Resource: "arn:aws:states:::states:startExecution.sync:2",
                  Parameters: { StateMachineArn: child.arn },
                  End: true,
                },
              },
            },
            {
              StartAt: "Pause",
              States: {
                Pause: { Type: "Wait", Seconds: 10, Next: "Boom" },
                Boom: { Type: "Fail", Error: "Sibling.Failed" },
              },
            },
          ],
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Later" }],
          End: true,
        },
        Later: { Type: "Wait", Seconds: 3600, End: true },
      },
    }),
  ]);
  try {
    const arn = await rig.run("par");
    const [kid] = rig.engine.listExecutions({ stateMachineArn: child.arn }).executions;
    assert.equal(kid?.status, "RUNNING");
    await rig.clock.advance(10_000);
    assert.equal(rig.engine.describeExecution(arn).status, "RUNNING");
    assert.equal(rig.engine.describeExecution(kid?.executionArn ?? "").status, "ABORTED");
  } finally {
    rig.close();
  }
});
