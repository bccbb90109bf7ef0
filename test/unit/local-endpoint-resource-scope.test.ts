import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { inSignedRegion, requireServed } from "../../src/local/endpoint/resource-scope.ts";
import type { AppSpec } from "../../src/model/app-spec.ts";
import { arn } from "../../src/model/naming.ts";

const spec = { region: "us-east-1", accountId: "000000000000" } as AppSpec;
const table = (region: string, account = "000000000000", suffix = "") =>
  arn("dynamodb", region, account, `table/shop-games${suffix}`);

describe("the local cloud's region and account for DynamoDB resources", () => {
  test("a table, index or stream of another region or account is ResourceNotFoundException", () => {
    for (const resource of [
      table("eu-west-1"),
      table("us-east-1", "111122223333"),
      table("eu-west-1", "000000000000", "/index/byPlayer"),
      table("us-east-1", "111122223333", "/stream/2026-01-01T00:00:00.000"),
    ]) {
      assert.throws(
        () => requireServed(spec, "dynamodb:GetItem", resource),
        (error: { code?: string; statusCode?: number; message?: string }) =>
          error.code === "ResourceNotFoundException" &&
          error.statusCode === 400 &&
          /^Requested resource not found: table\/shop-games/.test(error.message ?? ""),
        resource,
      );
    }
  });

  test("the cloud's own tables, and `*`, are served", () => {
    assert.doesNotThrow(() => requireServed(spec, "dynamodb:GetItem", table("us-east-1")));
    assert.doesNotThrow(() => requireServed(spec, "dynamodb:ListTables", "*"));
  });

  test("a table named for a client signed for another region is that region's table", () => {
    assert.equal(inSignedRegion(spec, table("us-east-1"), "eu-west-1"), table("eu-west-1"));
    assert.equal(inSignedRegion(spec, table("us-east-1"), "us-east-1"), table("us-east-1"));
    assert.equal(inSignedRegion(spec, table("us-east-1"), undefined), table("us-east-1"));
    assert.equal(inSignedRegion(spec, "*", "eu-west-1"), "*");
    // SQS and Lambda build ARNs from the signed region themselves.
    const queue = arn("sqs", "us-east-1", "000000000000", "shop-jobs");
    assert.equal(inSignedRegion(spec, queue, "eu-west-1"), queue);
  });
});
