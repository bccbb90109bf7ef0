import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  body,
  deploy,
  type Harness,
  REGION,
  THING,
  testHarness,
  thing,
} from "../support/cloudformation-rig.ts";

const NO_CHANGES =
  "The submitted information didn't contain changes. Submit different information to create a change set.";

function update(h: Harness, templateBody: string, parameters?: { key: string; value: string }[]) {
  const { changeSetId } = h.service.createChangeSet(REGION, {
    stackName: "app",
    changeSetName: `u${Math.random().toString(36).slice(2, 8)}`,
    changeSetType: "UPDATE",
    templateBody,
    ...(parameters ? { parameters } : {}),
  });
  return h.service.describeChangeSet(REGION, changeSetId);
}

describe("local CloudFormation change sets", () => {
  test("a new stack's change set adds every resource and leaves the stack in REVIEW_IN_PROGRESS", (t) => {
    const h = testHarness(t);
    const { changeSetId } = h.service.createChangeSet(REGION, {
      stackName: "app",
      changeSetName: "first",
      changeSetType: "CREATE",
      templateBody: body({ A: thing({}), B: thing({ V: { Ref: "A" } }) }),
    });
    const changeSet = h.service.describeChangeSet(REGION, "first", "app");
    assert.equal(changeSet.changeSetId, changeSetId);
    assert.equal(changeSet.status, "CREATE_COMPLETE");
    assert.equal(changeSet.executionStatus, "AVAILABLE");
    assert.deepEqual(
      changeSet.changes.map((c) => [c.action, c.logicalId, c.resourceType]),
      [
        ["Add", "A", THING],
        ["Add", "B", THING],
      ],
    );
    assert.equal(h.service.describeStacks(REGION, "app")[0]?.status, "REVIEW_IN_PROGRESS");
    assert.deepEqual(h.world.calls, []);
  });

  test("shows property-level details: static, parameter-caused and dynamic through a replaced resource", async (t) => {
    const h = testHarness(t);
    const parameters = { Parameters: { Size: { Type: "String" } } };
    await deploy(
      h,
      "app",
      body(
        {
          A: thing({ Fixed: "1" }),
          B: thing({ Fixed: { Ref: "A" }, Value: { Ref: "Size" } }),
          C: thing({ Value: "x" }),
        },
        parameters,
      ),
      { parameters: [{ key: "Size", value: "1" }] },
    );
    const changeSet = update(
      h,
      body(
        {
          A: thing({ Fixed: "2" }),
          B: thing({ Fixed: { Ref: "A" }, Value: { Ref: "Size" } }),
          C: thing({ Value: "y" }),
        },
        parameters,
      ),
      [{ key: "Size", value: "2" }],
    );
    const byId = Object.fromEntries(changeSet.changes.map((c) => [c.logicalId, c]));
    assert.equal(byId.A?.replacement, "True");
    assert.deepEqual(byId.A?.details, [
      {
        target: { attribute: "Properties", name: "Fixed", requiresRecreation: "Always" },
        evaluation: "Static",
        changeSource: "DirectModification",
      },
    ]);
    assert.equal(byId.B?.replacement, "Conditional");
    assert.deepEqual(byId.B?.details, [
      {
        target: { attribute: "Properties", name: "Fixed", requiresRecreation: "Conditionally" },
        evaluation: "Dynamic",
        changeSource: "ResourceReference",
        causingEntity: "A",
      },
      {
        target: { attribute: "Properties", name: "Value", requiresRecreation: "Never" },
        evaluation: "Static",
        changeSource: "ParameterReference",
        causingEntity: "Size",
      },
    ]);
    assert.equal(byId.C?.replacement, "False");
    assert.equal(byId.C?.physicalId, "C-2");
    assert.deepEqual(byId.C?.scope, ["Properties"]);
  });

  test("nothing changed (Metadata and DependsOn aside) fails with AWS's reason", async (t) => {
    const h = testHarness(t);
    await deploy(h, "app", body({ A: thing({ V: 1 }), B: thing({}) }));
    const changeSet = update(
      h,
      body({ A: thing({ V: "1" }, { Metadata: { note: "new" }, DependsOn: "B" }), B: thing({}) }),
    );
    assert.equal(changeSet.status, "FAILED");
    assert.equal(changeSet.statusReason, NO_CHANGES);
    assert.equal(changeSet.executionStatus, "UNAVAILABLE");
    assert.throws(() => h.service.executeChangeSet(REGION, changeSet.changeSetId), {
      code: "InvalidChangeSetStatus",
    });
  });

  test("a change of outputs alone is a change", async (t) => {
    const h = testHarness(t);
    await deploy(h, "app", body({ A: thing({}) }));
    const changeSet = update(h, body({ A: thing({}) }, { Outputs: { Out: { Value: { Ref: "A" } } } }));
    assert.equal(changeSet.status, "CREATE_COMPLETE");
    assert.deepEqual(changeSet.changes, []);
  });

  test("resource types without a local provider fail the change set, naming each", (t) => {
    const h = testHarness(t);
    const { changeSetId } = h.service.createChangeSet(REGION, {
      stackName: "app",
      changeSetName: "first",
      changeSetType: "CREATE",
      templateBody: body({
        WebServer: { Type: "AWS::EC2::Instance" },
        Ok: thing({}),
        Group: { Type: "AWS::AutoScaling::AutoScalingGroup" },
      }),
    });
    const changeSet = h.service.describeChangeSet(REGION, changeSetId);
    assert.equal(changeSet.status, "FAILED");
    assert.match(
      changeSet.statusReason ?? "",
      /^The local cloud cannot run AWS::EC2::Instance \(WebServer\), AWS::AutoScaling::AutoScalingGroup \(Group\)/,
    );
  });

  test("IAM resources need CAPABILITY_IAM, named ones CAPABILITY_NAMED_IAM", (t) => {
    const h = testHarness(t);
    const create =
      (templateBody: string, capabilities: string[] = []) =>
      () =>
        h.service.createChangeSet(REGION, {
          stackName: "app",
          changeSetName: "c",
          changeSetType: "CREATE",
          templateBody,
          capabilities,
        });
    assert.throws(create(body({ R: { Type: "AWS::IAM::Role" } })), {
      code: "InsufficientCapabilitiesException",
      message: "Requires capabilities : [CAPABILITY_IAM]",
    });
    assert.throws(
      create(body({ R: { Type: "AWS::IAM::Role", Properties: { RoleName: "x" } } }), ["CAPABILITY_IAM"]),
      {
        message: "Requires capabilities : [CAPABILITY_NAMED_IAM]",
      },
    );
  });

  test("follows AWS's rules on stack existence and names", async (t) => {
    const h = testHarness(t);
    const input = { stackName: "app", changeSetName: "c1", templateBody: body({ A: thing({}) }) };
    assert.throws(() => h.service.createChangeSet(REGION, { ...input, changeSetType: "UPDATE" }), {
      code: "ValidationError",
      message: "Stack [app] does not exist",
    });
    assert.throws(() => h.service.createChangeSet(REGION, { ...input, stackName: "1bad" }), /stackName/);
    assert.throws(
      () => h.service.createChangeSet(REGION, { ...input, changeSetName: "bad_name" }),
      /changeSetName/,
    );
    await deploy(h, "app", input.templateBody);
    assert.throws(
      () => h.service.createChangeSet(REGION, { ...input, changeSetName: "c2", changeSetType: "CREATE" }),
      {
        code: "ValidationError",
        message: "Stack [app] already exists and cannot be created again with the changeSet [c2].",
      },
    );
    assert.throws(() => h.service.describeChangeSet(REGION, "nope", "app"), {
      code: "ChangeSetNotFound",
      message: "ChangeSet [nope] does not exist",
    });
    assert.throws(() => h.service.describeStacks(REGION, "other"), {
      message: "Stack with id other does not exist",
    });
    assert.deepEqual(h.service.describeStacks("us-east-1"), []);
  });

  test("a change set cannot run while its stack is busy, and the others go when one runs", async (t) => {
    const h = testHarness(t);
    await deploy(h, "app", body({ A: thing({}) }));
    const first = update(h, body({ A: thing({ Gate: "g", Value: "1" }) }));
    const second = update(h, body({ A: thing({ Value: "2" }) }));
    const gate = h.world.gate("g");
    h.service.executeChangeSet(REGION, first.changeSetId);
    assert.throws(() => h.service.describeChangeSet(REGION, second.changeSetId), {
      code: "ChangeSetNotFound",
    });
    const third = update.bind(null, h, body({ A: thing({ Value: "3" }) }));
    assert.throws(third, /is in UPDATE_IN_PROGRESS state and can not be updated/);
    assert.equal(
      h.service.describeChangeSet(REGION, first.changeSetId).executionStatus,
      "EXECUTE_IN_PROGRESS",
    );
    assert.throws(() => h.service.executeChangeSet(REGION, first.changeSetId), {
      code: "InvalidChangeSetStatus",
    });
    gate.open();
    await h.service.idle();
    assert.equal(h.service.describeChangeSet(REGION, first.changeSetId).executionStatus, "EXECUTE_COMPLETE");
    assert.equal(h.service.describeStacks(REGION, "app")[0]?.status, "UPDATE_COMPLETE");
  });
});
