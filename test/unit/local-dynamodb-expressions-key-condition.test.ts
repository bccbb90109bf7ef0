/**
 * Key condition expressions of Query:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AttributeValue, KeySchema } from "../../src/local/dynamodb/index.ts";
import { keyCondition, N, refuses, S } from "../support/dynamodb-expressions.ts";

const schema: KeySchema = { partitionKey: { name: "pk", type: "S" }, sortKey: { name: "sk", type: "N" } };
const stringSort: KeySchema = { partitionKey: { name: "pk", type: "S" }, sortKey: { name: "sk", type: "S" } };

describe("key condition expressions", () => {
  test("partition key equality alone", () => {
    const condition = keyCondition("pk = :p", schema, { ":p": S("user#1") });
    assert.deepEqual(condition.partitionKey, { name: "pk", value: S("user#1") });
    assert.equal(condition.sortKey, undefined);
    assert.equal(condition.matches({ pk: S("user#1"), sk: N(1) }), true);
    assert.equal(condition.matches({ pk: S("user#2"), sk: N(1) }), false);
  });

  const sortCases: [string, Record<string, AttributeValue>, unknown, number, boolean][] = [
    ["pk = :p AND sk = :s", { ":s": N(5) }, { op: "=", value: N(5) }, 5, true],
    ["pk = :p AND sk < :s", { ":s": N(5) }, { op: "<", value: N(5) }, 5, false],
    ["pk = :p AND sk <= :s", { ":s": N(5) }, { op: "<=", value: N(5) }, 5, true],
    ["pk = :p AND sk > :s", { ":s": N(5) }, { op: ">", value: N(5) }, 6, true],
    ["pk = :p AND sk >= :s", { ":s": N(5) }, { op: ">=", value: N(5) }, 4, false],
    [
      "pk = :p AND sk BETWEEN :a AND :b",
      { ":a": N(1), ":b": N(9) },
      { op: "BETWEEN", low: N(1), high: N(9) },
      9,
      true,
    ],
    ["sk > :s AND pk = :p", { ":s": N(5) }, { op: ">", value: N(5) }, 6, true],
    [":s < sk AND :p = pk", { ":s": N(5) }, { op: ">", value: N(5) }, 6, true],
    ["(pk = :p) AND (sk = :s)", { ":s": N(5) }, { op: "=", value: N(5) }, 5, true],
  ];
  for (const [expression, values, expected, sortValue, matches] of sortCases) {
    test(`${expression}`, () => {
      const condition = keyCondition(expression, schema, { ":p": S("a"), ...values });
      assert.deepEqual(condition.sortKey, { name: "sk", condition: expected });
      assert.equal(condition.matches({ pk: S("a"), sk: N(sortValue) }), matches);
    });
  }

  test("begins_with on a string sort key", () => {
    const condition = keyCondition("pk = :p AND begins_with(sk, :prefix)", stringSort, {
      ":p": S("a"),
      ":prefix": S("2024-"),
    });
    assert.deepEqual(condition.sortKey, { name: "sk", condition: { op: "begins_with", value: S("2024-") } });
    assert.equal(condition.matches({ pk: S("a"), sk: S("2024-05-01") }), true);
    assert.equal(condition.matches({ pk: S("a"), sk: S("2023-05-01") }), false);
  });

  test("key names through ExpressionAttributeNames", () => {
    const condition = keyCondition(
      "#k = :p",
      { partitionKey: { name: "Year", type: "N" } },
      { ":p": N(2015) },
      { "#k": "Year" },
    );
    assert.equal(condition.partitionKey.name, "Year");
  });

  const refusals: [string, Record<string, AttributeValue>, string][] = [
    ["sk = :s", { ":s": N(1) }, "Query condition missed key schema element: pk"],
    ["pk = :p AND color = :s", { ":p": S("a"), ":s": N(1) }, "Query condition missed key schema element: sk"],
    ["pk > :p", { ":p": S("a") }, "Query key condition not supported"],
    [
      "pk = :p OR sk = :s",
      { ":p": S("a"), ":s": N(1) },
      "Invalid operator used in KeyConditionExpression: OR",
    ],
    ["NOT pk = :p", { ":p": S("a") }, "Invalid operator used in KeyConditionExpression: NOT"],
    ["pk IN (:p)", { ":p": S("a") }, "Invalid operator used in KeyConditionExpression: IN"],
    [
      "pk = :p AND sk <> :s",
      { ":p": S("a"), ":s": N(1) },
      "Invalid operator used in KeyConditionExpression: <>",
    ],
    [
      "pk = :p AND attribute_exists(sk)",
      { ":p": S("a") },
      "Invalid operator used in KeyConditionExpression: attribute_exists",
    ],
    [
      "pk = :p AND sk = :s AND sk > :s",
      { ":p": S("a"), ":s": N(1) },
      "KeyConditionExpressions must only contain one condition per key",
    ],
    [
      "pk = :p AND pk = :p",
      { ":p": S("a") },
      "KeyConditionExpressions must only contain one condition per key",
    ],
    [
      "pk = :p",
      { ":p": N(1) },
      "One or more parameter values were invalid: Condition parameter type does not match schema type",
    ],
    [
      "pk = :p AND sk = :s",
      { ":p": S("a"), ":s": S("1") },
      "One or more parameter values were invalid: Condition parameter type does not match schema type",
    ],
    ["pk = :p AND sk = sk2", { ":p": S("a") }, "Query key condition not supported"],
    [
      "pk = :p AND",
      { ":p": S("a") },
      'Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "AND"',
    ],
  ];
  for (const [expression, values, message] of refusals) {
    test(`refuses ${JSON.stringify(expression)}`, () => {
      refuses(() => keyCondition(expression, schema, values), message);
    });
  }
});
