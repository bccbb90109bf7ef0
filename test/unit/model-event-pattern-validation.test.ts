import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compilePattern } from "../../src/model/event-pattern/compile-pattern.ts";
import { PatternError } from "../../src/model/event-pattern/errors.ts";
import { validatePattern } from "../../src/model/event-pattern/validate-pattern.ts";
import { reason } from "../support/event-pattern.ts";

describe("invalid patterns", () => {
  test("fail as AWS fails: InvalidEventPatternException, HTTP 400, 'Event pattern is not valid. Reason: ...'", () => {
    assert.throws(
      () => compilePattern({ source: "aws.ec2" }),
      (error: unknown) =>
        error instanceof PatternError &&
        error.code === "InvalidEventPatternException" &&
        error.statusCode === 400 &&
        error.message === 'Event pattern is not valid. Reason: "source" must be an object or an array',
    );
  });

  test("rejects patterns that are not JSON objects", () => {
    assert.equal(reason("[1]"), "Filter is not an object");
    assert.equal(reason(42), "Filter is not an object");
    assert.match(reason("{nope") ?? "", /^Filter is not valid JSON/);
  });

  test("rejects empty objects, empty arrays and non-array leaves", () => {
    assert.equal(reason({}), "Empty objects are not allowed");
    assert.equal(reason({ detail: {} }), "Empty objects are not allowed");
    assert.equal(reason({ source: [] }), "Empty arrays are not allowed");
    assert.equal(reason({ source: 5 }), '"source" must be an object or an array');
    assert.equal(reason({ source: [["a"]] }), "Match value must be String, number, true, false, or null");
  });

  test("rejects unknown and malformed match expressions", () => {
    assert.equal(reason({ a: [{}] }), "Match expression name not found");
    assert.equal(reason({ a: [{ regex: "x" }] }), "Unrecognized match type regex");
    assert.equal(reason({ a: [{ prefix: "a", suffix: "b" }] }), "Only one key allowed in match expression");
    assert.equal(reason({ a: [{ prefix: 5 }] }), "prefix match pattern must be a string");
    assert.equal(reason({ a: [{ suffix: null }] }), "suffix match pattern must be a string");
    assert.equal(
      reason({ a: [{ "equals-ignore-case": 1 }] }),
      "equals-ignore-case match pattern must be a string",
    );
    assert.equal(reason({ a: [{ exists: "yes" }] }), "exists match pattern must be either true or false.");
    assert.equal(reason({ a: [{ wildcard: 1 }] }), "wildcard match pattern must be a string");
  });

  test("rejects malformed numeric expressions with AWS's messages", () => {
    const cases: [unknown, string][] = [
      [5, "Value of numeric must be an array."],
      [[], "Invalid member in numeric match: ]"],
      [[5], "Invalid member in numeric match: 5"],
      [["==", 5], "Unrecognized numeric range operator: =="],
      [["=", "5"], "Value of equals must be numeric"],
      [[">=", "x"], "Value of >= must be numeric"],
      [["<"], "Value of < must be numeric"],
      [["<", 5, "<", 10], "Too many elements in numeric expression"],
      [["=", 5, 6], "Too many elements in numeric expression"],
      [[">", 5, 10], "Bad value in numeric range: 10"],
      [[">", 5, ">", 10], "Bad numeric range operator: >"],
      [[">", 5, "<", "x"], "Value of < must be numeric"],
      [[">", 5, "<", 10, 11], "Too many terms in numeric range expression"],
      [[">", 10, "<", 5], "Bottom must be less than top"],
      [[">=", 5, "<=", 5], "Bottom must be less than top"],
      [[">", 5e9 + 1], "Value must be between -5.0E9 and 5.0E9, inclusive"],
      [["<", -6e9], "Value must be between -5.0E9 and 5.0E9, inclusive"],
    ];
    for (const [numeric, expected] of cases) {
      assert.equal(reason({ a: [{ numeric }] }), expected, JSON.stringify(numeric));
    }
    assert.equal(reason({ a: [{ numeric: [">", 1], x: 1 }] }), "Too many elements in numeric expression");
  });

  test("rejects malformed anything-but expressions with AWS's messages", () => {
    const cases: [unknown, string][] = [
      [true, "Value of anything-but must be an array or single string/number value."],
      [null, "Value of anything-but must be an array or single string/number value."],
      [{}, "Anything-But expression name not found"],
      [{ numeric: [">", 1] }, "Unsupported anything-but pattern: numeric"],
      [{ prefix: 5 }, "prefix/suffix match pattern must be a string"],
      [{ prefix: "" }, "Null prefix/suffix not allowed"],
      [{ suffix: "" }, "Null prefix/suffix not allowed"],
      [
        ["a", 1],
        "Inside anything but list, either all values are number or string, mixed type is not supported",
      ],
      [[], "Inside anything but list, either all values are number or string, mixed type is not supported"],
      [["a", null], "Inside anything but list, start|null|boolean is not supported."],
      [
        { "equals-ignore-case": 5 },
        "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
      ],
      [
        { "equals-ignore-case": ["a", 5] },
        "Inside anything-but/equals-ignore-case list, numberic|start|null|boolean is not supported.",
      ],
      [6e9, "Value must be between -5.0E9 and 5.0E9, inclusive"],
      [{ wildcard: "a**" }, "Consecutive wildcard characters at pos 2"],
    ];
    for (const [operand, expected] of cases) {
      assert.equal(reason({ a: [{ "anything-but": operand }] }), expected, JSON.stringify(operand));
    }
  });

  test("rejects malformed CIDR blocks", () => {
    assert.equal(reason({ ip: [{ cidr: 5 }] }), "prefix match pattern must be a string");
    assert.equal(reason({ ip: [{ cidr: "10.0.0.0" }] }), "Malformed CIDR, one '/' required");
    assert.equal(reason({ ip: [{ cidr: "10.0.0.0/x" }] }), "Malformed CIDR, mask bits must be an integer");
    assert.equal(reason({ ip: [{ cidr: "10.0.0.0/-1" }] }), "Malformed CIDR, mask bits must not be negative");
    assert.equal(reason({ ip: [{ cidr: "example.com/24" }] }), "Nonstandard IP address: example.com");
    assert.equal(reason({ ip: [{ cidr: "10.0.0.300/24" }] }), "Invalid IP address: 10.0.0.300");
    assert.equal(reason({ ip: [{ cidr: "10.0.0.0/32" }] }), "IPv4 mask bits must be < 32");
    assert.equal(reason({ ip: [{ cidr: "::/128" }] }), "IPv6 mask bits must be < 128");
    assert.equal(reason({ ip: [{ cidr: "2001:db8::/64" }] }), undefined);
  });

  test("rejects consecutive wildcards and bad escapes, with the byte position AWS reports", () => {
    assert.equal(reason({ f: [{ wildcard: "a**b" }] }), "Consecutive wildcard characters at pos 2");
    assert.equal(reason({ f: [{ wildcard: "**" }] }), "Consecutive wildcard characters at pos 1");
    assert.equal(reason({ f: [{ wildcard: "a\\b" }] }), "Invalid escape character at pos 2");
    assert.equal(reason({ f: [{ wildcard: "ab\\" }] }), "Invalid escape character at pos 3");
    assert.equal(reason({ f: [{ wildcard: "a*b*c*d" }] }), undefined);
  });

  test("rejects wildcard sets that keep too many partial matches alive", () => {
    const many = ["*a", "*b", "*c", "*d", "*e", "*f"].map((wildcard) => ({ wildcard }));
    assert.equal(
      reason({ f: many }),
      "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character",
    );
    assert.equal(reason({ f: [{ wildcard: "*.png" }, { wildcard: "*.jpg" }] }), undefined);
  });

  test("rejects malformed $or", () => {
    assert.equal(reason({ $or: { a: ["x"] } }), "It must be an Array followed with $or.");
    assert.equal(reason({ $or: [{ a: ["x"] }] }), "There must have at least 2 Objects in $or relationship.");
    assert.equal(reason({ $or: [] }), "There must have at least 2 Objects in $or relationship.");
    assert.equal(
      reason({ $or: [{ a: ["x"] }, "b"] }),
      "Only JSON object is allowed in array of $or relationship.",
    );
    assert.equal(
      reason({ $or: [{ a: ["x"] }, { numeric: [1] }] }),
      "numeric is Ruler reserved fieldName which cannot be used inside $or.",
    );
    assert.equal(reason({ numeric: ["x"] }), undefined, "reserved names are ordinary outside $or");
  });

  test("bounds how many alternatives $or groups may multiply into", () => {
    const or = (n: number) => ({ $or: Array.from({ length: 10 }, (_, i) => ({ [`f${n}`]: [i] })) });
    assert.equal(reason({ a: or(1), b: or(2), c: or(3) }), undefined);
    assert.match(reason({ a: or(1), b: or(2), c: or(3), d: or(4) }) ?? "", /^Rule is too complex/);
  });
});

describe("compiled patterns", () => {
  test("list the field paths they read and whether they use wildcards", () => {
    const compiled = compilePattern({
      source: ["a"],
      detail: { $or: [{ x: [{ wildcard: "*" }] }, { y: [1] }] },
    });
    assert.deepEqual(compiled.paths, ["detail.x", "detail.y", "source"]);
    assert.equal(compiled.usesWildcard, true);
    assert.equal(compiled.branches.length, 2);
    assert.equal(compilePattern({ source: ["a"] }).usesWildcard, false);
  });
});

describe("validatePattern", () => {
  test("reports an invalid pattern's error without throwing, and accepts a valid one", () => {
    assert.deepEqual(validatePattern({ source: ["aws.ec2"] }), { valid: true });
    const check = validatePattern({ source: [] });
    assert.equal(check.valid, false);
    if (!check.valid)
      assert.equal(check.error.message, "Event pattern is not valid. Reason: Empty arrays are not allowed");
  });
});
