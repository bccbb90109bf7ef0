/**
 * `anything-but` with every operand EventBridge's rule compiler (aws/event-ruler, JsonRuleCompiler)
 * accepts: a value or a list of strings or numbers, and `prefix`, `suffix`, `wildcard` and
 * `equals-ignore-case`, each with one string or a list of strings.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { match, reason, withDetail } from "../support/event-pattern.ts";

const on = (operand: unknown) => ({ detail: { v: [{ "anything-but": operand }] } });
const event = (v: unknown) => withDetail({ v });

describe("anything-but with a list of affixes", () => {
  test("excludes every prefix of a list", () => {
    const pattern = on({ prefix: ["us-", "eu-"] });
    assert.equal(match(pattern, event("us-east-1")), false);
    assert.equal(match(pattern, event("eu-west-1")), false);
    assert.equal(match(pattern, event("ap-south-1")), true);
  });

  test("excludes every suffix of a list", () => {
    const pattern = on({ suffix: [".png", ".jpg"] });
    assert.equal(match(pattern, event("a.png")), false);
    assert.equal(match(pattern, event("a.jpg")), false);
    assert.equal(match(pattern, event("a.gif")), true);
  });

  test("compares affixes case-sensitively", () => {
    assert.equal(match(on({ prefix: ["us-"] }), event("US-east-1")), true);
    assert.equal(match(on({ suffix: [".png"] }), event("a.PNG")), true);
  });

  test("a one-element list excludes as the single value does", () => {
    for (const v of ["init-1", "running"]) {
      assert.equal(match(on({ prefix: ["init"] }), event(v)), match(on({ prefix: "init" }), event(v)));
    }
  });

  test("matches values that are not strings, and not a missing field", () => {
    const pattern = on({ prefix: ["1", "2"] });
    assert.equal(match(pattern, event(12)), true);
    assert.equal(match(pattern, withDetail({})), false);
  });

  test("matches an array field when any element is outside the list", () => {
    const pattern = on({ prefix: ["us-", "eu-"] });
    assert.equal(match(pattern, event(["us-east-1", "eu-west-1"])), false);
    assert.equal(match(pattern, event(["us-east-1", "ap-south-1"])), true);
  });
});

describe("anything-but operands AWS refuses", () => {
  test("an empty prefix or suffix in a list", () => {
    assert.equal(reason(on({ prefix: ["a", ""] })), "Null prefix/suffix not allowed");
    assert.equal(reason(on({ suffix: [""] })), "Null prefix/suffix not allowed");
  });

  test("a non-string in a prefix, suffix or wildcard list", () => {
    assert.equal(reason(on({ prefix: ["a", 5] })), "prefix/suffix match pattern must be a string");
    assert.equal(reason(on({ suffix: [null] })), "prefix/suffix match pattern must be a string");
    assert.equal(reason(on({ wildcard: ["a*", 5] })), "wildcard match pattern must be a string");
    assert.equal(reason(on({ wildcard: 5 })), "wildcard match pattern must be a string");
  });

  test("an operand that is neither a string, a number nor a list", () => {
    const expected = "Value of anything-but must be an array or single string/number value.";
    assert.equal(reason(on({ prefix: true })), expected);
    assert.equal(reason(on({ suffix: { "equals-ignore-case": "x" } })), expected);
    assert.equal(reason(on({ "equals-ignore-case": null })), expected);
    assert.equal(reason(on({ wildcard: {} })), expected);
  });

  test("an invalid wildcard anywhere in a list", () => {
    assert.equal(reason(on({ wildcard: ["a*", "b**"] })), "Consecutive wildcard characters at pos 2");
  });
});

describe("anything-but operands AWS accepts", () => {
  const accepted: unknown[] = [
    "a",
    5,
    ["a", "b"],
    [1, 2.5],
    { prefix: "a" },
    { prefix: ["a", "b"] },
    { suffix: "a" },
    { suffix: ["a", "b"] },
    { wildcard: "a*" },
    { wildcard: ["a*", "*b"] },
    { "equals-ignore-case": "a" },
    { "equals-ignore-case": ["a", "B"] },
  ];
  for (const operand of accepted) {
    test(`compiles ${JSON.stringify(operand)}`, () => {
      assert.equal(reason(on(operand)), undefined);
    });
  }
});
