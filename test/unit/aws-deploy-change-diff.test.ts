import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Change } from "@aws-sdk/client-cloudformation";
import { isEmptySummary, summariseChanges } from "../../src/aws/deploy/change-diff.ts";
import { isNoChangesReason } from "../../src/aws/deploy/change-set.ts";

function change(
  action: "Add" | "Modify" | "Remove",
  logicalId: string,
  type: string,
  options: {
    replacement?: "True" | "False" | "Conditional";
    properties?: string[];
    physicalId?: string;
  } = {},
): Change {
  return {
    Type: "Resource",
    ResourceChange: {
      Action: action,
      LogicalResourceId: logicalId,
      ResourceType: type,
      ...(options.physicalId ? { PhysicalResourceId: options.physicalId } : {}),
      ...(options.replacement ? { Replacement: options.replacement } : {}),
      Details: (options.properties ?? []).map((name) => ({
        Target: { Attribute: "Properties", Name: name, RequiresRecreation: "Never" },
      })),
    },
  };
}

describe("change set diff", () => {
  test("sorts changes into added, modified (with properties), replaced and removed", () => {
    const summary = summariseChanges([
      change("Add", "NewFunction", "AWS::Lambda::Function"),
      change("Modify", "BillFunction", "AWS::Lambda::Function", {
        replacement: "False",
        properties: ["Timeout", "Code", "Timeout"],
      }),
      change("Modify", "OrdersQueue", "AWS::SQS::Queue", {
        replacement: "False",
        properties: ["VisibilityTimeout"],
      }),
      change("Modify", "BillRole", "AWS::IAM::Role", { replacement: "True", properties: ["RoleName"] }),
      change("Remove", "OldRule", "AWS::Events::Rule"),
    ]);
    assert.deepEqual(
      summary.added.map((r) => r.logicalId),
      ["NewFunction"],
    );
    assert.deepEqual(
      summary.modified.map((r) => [r.logicalId, r.properties]),
      [
        ["BillFunction", ["Code", "Timeout"]],
        ["OrdersQueue", ["VisibilityTimeout"]],
      ],
    );
    assert.deepEqual(
      summary.replaced.map((r) => [r.logicalId, r.properties]),
      [["BillRole", ["RoleName"]]],
    );
    assert.deepEqual(
      summary.removed.map((r) => r.logicalId),
      ["OldRule"],
    );
    // Modifying a queue in place keeps its messages; replacing a role loses no data.
    assert.deepEqual(summary.risky, []);
  });

  test("flags replacing or removing a queue, table, bucket or log group as deleting data", () => {
    const summary = summariseChanges([
      change("Modify", "OrdersQueue", "AWS::SQS::Queue", {
        replacement: "True",
        properties: ["FifoQueue"],
        physicalId: "https://sqs/1/shop-orders",
      }),
      change("Modify", "ItemsTable", "AWS::DynamoDB::Table", {
        replacement: "Conditional",
        properties: ["KeySchema"],
      }),
      change("Remove", "FilesBucket", "AWS::S3::Bucket"),
      change("Remove", "BillLogGroup", "AWS::Logs::LogGroup"),
      change("Remove", "BillFunction", "AWS::Lambda::Function"),
    ]);
    assert.deepEqual(
      summary.risky.map((r) => [r.logicalId, r.action, r.dataLoss]),
      [
        ["BillLogGroup", "remove", "the log events stored in the group"],
        ["FilesBucket", "remove", "the bucket, if S3 lets it go: S3 keeps a bucket that holds objects"],
        ["ItemsTable", "replace", "every item in the table"],
        ["OrdersQueue", "replace", "the messages waiting in the queue"],
      ],
    );
    assert.equal(summary.replaced.find((r) => r.logicalId === "ItemsTable")?.conditional, true);
    assert.equal(
      summary.replaced.find((r) => r.logicalId === "OrdersQueue")?.physicalId,
      "https://sqs/1/shop-orders",
    );
  });

  test("flags replacing or removing a state machine: its running executions stop and its history goes", () => {
    const summary = summariseChanges([
      change("Modify", "QueryStateMachine", "AWS::StepFunctions::StateMachine", {
        replacement: "False",
        properties: ["Definition"],
      }),
      change("Modify", "QuickStateMachine", "AWS::StepFunctions::StateMachine", {
        replacement: "True",
        properties: ["StateMachineType"],
      }),
      change("Remove", "OldStateMachine", "AWS::StepFunctions::StateMachine"),
    ]);
    assert.deepEqual(
      summary.risky.map((r) => [r.logicalId, r.action]),
      [
        ["OldStateMachine", "remove"],
        ["QuickStateMachine", "replace"],
      ],
    );
    assert.match(summary.risky[0]?.dataLoss ?? "", /running executions/);
  });

  test("an empty change list is an empty summary", () => {
    assert.equal(isEmptySummary(summariseChanges([])), true);
    assert.equal(isEmptySummary(summariseChanges([change("Add", "A", "AWS::SQS::Queue")])), false);
  });

  test("recognises both reasons CloudFormation gives for a change set without changes", () => {
    assert.equal(
      isNoChangesReason(
        "The submitted information didn't contain changes. Submit different information to create a change set.",
      ),
      true,
    );
    assert.equal(isNoChangesReason("No updates are to be performed."), true);
    assert.equal(isNoChangesReason("Template format error: Unresolved resource dependencies [X]"), false);
    assert.equal(isNoChangesReason(undefined), false);
  });
});
