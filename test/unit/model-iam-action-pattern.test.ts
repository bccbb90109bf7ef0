/**
 * IAM's Action matching for the grants derived from a definition (model/iam/action-pattern.ts):
 * `*` any run, `?` one character, any case, the whole name, other characters literal.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { actionPatternMatches } from "../../src/model/iam/action-pattern.ts";

test("wildcards, case and whole names match as IAM matches an Action", () => {
  const cases: [string, string, boolean][] = [
    ["s3:GetObject", "s3:GetObject", true],
    ["S3:getobject", "s3:GetObject", true],
    ["s3:Get*", "s3:GetObjectVersion", true],
    ["s3:*", "s3:PutObject", true],
    ["*", "dynamodb:GetRecords", true],
    ["states:SendTask?uccess", "states:SendTaskSuccess", true],
    ["s3:Get", "s3:GetObject", false],
    ["s3:GetObject", "s3:GetObjectVersion", false],
    ["dynamodb:Get*", "dynamodbx:GetItem", false],
    // A regular expression's metacharacters are plain characters in a pattern.
    ["s3.GetObject", "s3xGetObject", false],
    ["states:SendTask(Success|Failure)", "states:SendTaskSuccess", false],
    ["states:SendTask?", "states:SendTaskSuccess", false],
  ];
  for (const [pattern, action, expected] of cases)
    assert.equal(actionPatternMatches(pattern, action), expected, `${pattern} ~ ${action}`);
});
