import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { stateMachineArn } from "../../src/model/naming.ts";
import { eventually } from "../support/poll.ts";
import { openStepFunctionsRig, type StepFunctionsRig } from "../support/stepfunctions-rig.ts";

const DEFINITION = {
  functions: { start: { handler: "handlers.start", routes: "fulfil" } },
  stateMachines: {
    fulfil: {
      definition: {
        StartAt: "Done",
        States: { Done: { Type: "Pass", Parameters: { "got.$": "$" }, End: true } },
      },
    },
  },
};

let rig: StepFunctionsRig;
before(async () => {
  rig = await openStepFunctionsRig(DEFINITION);
});
after(() => rig.close());

test("a function's route to a state machine starts an execution with the routed data as input", {
  timeout: 60_000,
}, async () => {
  const result = await rig.cloud.invoke("start", JSON.stringify({ order: 9 }));
  assert.equal(result.functionError, undefined, result.payload);
  const arn = stateMachineArn(rig.cloud.spec, "fulfil");
  const [execution] = rig.cloud.stepFunctions.listExecutions({ stateMachineArn: arn }).executions;
  assert.ok(execution, "an execution was started before the invoke returned");
  assert.equal(execution.name, `${result.requestId}-0`);
  const described = await eventually(() => {
    const d = rig.cloud.stepFunctions.describeExecution(execution.executionArn);
    return d.status === "RUNNING" ? undefined : d;
  }, "the execution to end");
  assert.equal(described.status, "SUCCEEDED", described.cause);
  assert.deepEqual(JSON.parse(described.input), { order: 9 });
  assert.deepEqual(JSON.parse(described.output ?? ""), { got: { order: 9 } });
});
