import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ResourceIndex } from "../../src/local/cloud-host/deployed-resources.ts";
import { executionRolePolicy, translateFunctions } from "../../src/local/cloud-host/translate-functions.ts";
import type { StackResourceRecord } from "../../src/local/cloudformation/cloudformation-service.ts";
import { policyAllows } from "../../src/model/iam/match.ts";

const ROLE_ARN = "arn:aws:iam::000000000000:role/shop-work-role";
const GROUP = "arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/shop-work";

function record(
  resourceType: string,
  physicalId: string,
  properties: Record<string, unknown>,
  attributes = {},
) {
  return {
    stackName: "shop",
    stackId: "arn:aws:cloudformation:us-east-1:000000000000:stack/shop/1",
    logicalId: physicalId.replaceAll("-", ""),
    resourceType,
    physicalId,
    attributes,
    properties,
  } satisfies StackResourceRecord;
}

/** The deployed function `shop-work` with a role of these inline statements and managed policies. */
function deployed(statements: unknown[], managed: string[] = []) {
  const index = new ResourceIndex([
    record(
      "AWS::IAM::Role",
      "shop-work-role",
      {
        Policies: [{ PolicyName: "work", PolicyDocument: { Statement: statements } }],
        ManagedPolicyArns: managed,
      },
      { Arn: ROLE_ARN },
    ),
    record("AWS::Lambda::Function", "shop-work", { Handler: "index.handler", Role: ROLE_ARN }),
  ]);
  const fn = translateFunctions(index).functions["shop-work"];
  assert.ok(fn);
  return { policy: executionRolePolicy(fn), notes: index.notes };
}

describe("a deployed function's execution role, as Lambda acts with it", () => {
  test("holds exactly the role's Allow statements: Sluice's role writes to its group but may not create it", () => {
    const { policy } = deployed([
      { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${GROUP}:*` },
    ]);
    assert.equal(
      policyAllows(policy, "logs:PutLogEvents", `${GROUP}:log-stream:2024/01/01/[$LATEST]ab`),
      true,
    );
    assert.equal(policyAllows(policy, "logs:CreateLogGroup", GROUP), false);
    assert.equal(policyAllows(policy, "sqs:SendMessage", "arn:aws:sqs:us-east-1:000000000000:q"), false);
  });

  test("AWSLambdaBasicExecutionRole grants creating and writing any log group; other managed policies are noted", () => {
    const { policy, notes } = deployed(
      [],
      [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::000000000000:policy/constructor",
      ],
    );
    assert.equal(policyAllows(policy, "logs:CreateLogGroup", GROUP), true);
    assert.equal(policyAllows(policy, "logs:PutLogEvents", `${GROUP}:log-stream:s`), true);
    assert.deepEqual(notes, [
      "role shop-work-role: the managed policy arn:aws:iam::000000000000:policy/constructor is not read; only its inline policies are",
    ]);
  });
});
