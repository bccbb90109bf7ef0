import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { StepFunctionsEngine } from "../../src/local/stepfunctions/engine/step-functions-engine.ts";
import { openStore } from "../../src/local/store/index.ts";
import { ACCOUNT, eventTypes, machineOf, openEngine, REGION } from "../support/sfn-engine.ts";
import { tempDir } from "../support/temp.ts";

// https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html#variable-scope
test("a Parallel branch reads outer variables but may not assign one; a distributed Map's child workflow sees none", async () => {
  const rig = await openEngine([
    machineOf("reads", {
      QueryLanguage: "JSONata",
      StartAt: "Set",
      States: {
        Set: { Type: "Pass", Assign: { x: 1 }, Next: "Par" },
        Par: {
          Type: "Parallel",
          End: true,
          Branches: [{ StartAt: "B", States: { B: { Type: "Pass", Output: "{% $x + 1 %}", End: true } } }],
        },
      },
    }),
    machineOf("writes", {
      QueryLanguage: "JSONata",
      StartAt: "Set",
      States: {
        Set: { Type: "Pass", Assign: { x: 1 }, Next: "Par" },
        Par: {
          Type: "Parallel",
          End: true,
          Branches: [{ StartAt: "B", States: { B: { Type: "Pass", Assign: { x: 2 }, End: true } } }],
        },
      },
    }),
    machineOf("distributed", {
      QueryLanguage: "JSONata",
      StartAt: "Set",
      States: {
        Set: { Type: "Pass", Assign: { x: 1 }, Next: "Map" },
        Map: {
          Type: "Map",
          Items: [0],
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
            StartAt: "See",
            States: { See: { Type: "Pass", Output: "{% $exists($x) %}", End: true } },
          },
          End: true,
        },
      },
    }),
  ]);
  try {
    const reads = rig.engine.describeExecution(await rig.run("reads"));
    assert.equal(reads.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(reads.output ?? ""), [2]);
    const writes = rig.engine.describeExecution(await rig.run("writes"));
    assert.equal(writes.status, "FAILED");
    assert.equal(writes.error, "States.Runtime");
    const distributed = rig.engine.describeExecution(await rig.run("distributed"));
    assert.equal(distributed.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(distributed.output ?? ""), [false]);
  } finally {
    rig.close();
  }
});

test("a state whose fields fail to evaluate is entered first, and the cause names it with its Entered event id", async () => {
  const rig = await openEngine([
    machineOf("missing", {
      StartAt: "First",
      States: {
        First: { Type: "Pass", Next: "Broken" },
        Broken: { Type: "Pass", InputPath: "$.nope", End: true },
      },
    }),
  ]);
  try {
    const arn = await rig.run("missing", { a: 1 });
    assert.deepEqual(eventTypes(rig, arn), [
      "ExecutionStarted",
      "PassStateEntered",
      "PassStateExited",
      "PassStateEntered",
      "ExecutionFailed",
    ]);
    const d = rig.engine.describeExecution(arn);
    assert.equal(d.error, "States.Runtime");
    assert.match(
      d.cause ?? "",
      /^An error occurred while executing the state 'Broken' \(entered at the event id #4\)\. \S/,
    );
  } finally {
    rig.close();
  }
});

test("ExecutionStarted is stamped with the execution's startDate, and history timestamps never go back", async () => {
  const temp = tempDir("sluice-sfn-scopes-");
  const manual = new ManualClock();
  // A clock that moves on a millisecond whenever it is read, as a real one may between two reads.
  let ms = manual.now();
  const clock = { now: () => ++ms, at: manual.at.bind(manual) };
  const db = openStore(join(temp.dir, "state.sqlite"), { exclusive: true });
  const engine = new StepFunctionsEngine({
    db,
    clock,
    region: REGION,
    accountId: ACCOUNT,
    machines: () => [
      machineOf("chain", {
        StartAt: "A",
        States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", End: true } },
      }),
    ],
    tasks: { run: async () => ({ kind: "succeeded", output: {} }) },
  });
  try {
    const { executionArn, startDate } = engine.startExecution({
      stateMachineArn: machineOf("chain", {}).arn,
      input: "{}",
    });
    await manual.advance(0);
    const { events } = engine.getExecutionHistory({ executionArn });
    assert.equal(events[0]?.type, "ExecutionStarted");
    assert.equal(events[0]?.timestamp, startDate);
    for (let i = 1; i < events.length; i++) {
      assert.ok(
        (events[i]?.timestamp ?? 0) >= (events[i - 1]?.timestamp ?? 0),
        `event ${i + 1} (${events[i]?.type}) is stamped before event ${i}`,
      );
    }
  } finally {
    engine.close();
    db.close();
    temp.cleanup();
  }
});
