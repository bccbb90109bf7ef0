import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { jsonPathLanguage } from "../../src/local/stepfunctions/language/jsonpath/index.ts";
import { StatesError } from "../../src/local/stepfunctions/language/states-error.ts";
import { scopeOf } from "../support/sfn-scope.ts";

/** The state a single rule is tested in: "Yes" when it matches, "No" (Default) when not. */
async function matches(rule: Record<string, unknown>, input: unknown): Promise<boolean> {
  const state = { Type: "Choice", Choices: [{ ...rule, Next: "Yes" }], Default: "No" };
  const { next } = await jsonPathLanguage.choose(state, scopeOf(input));
  return next === "Yes";
}

// https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
describe("Choice rules (JSONPath)", () => {
  test("AWS's example: the first matching rule wins, in order", async () => {
    const state = {
      Type: "Choice",
      Choices: [
        { Not: { Variable: "$.type", StringEquals: "Private" }, Next: "Public" },
        { Variable: "$.value", NumericEquals: 0, Next: "ValueIsZero" },
        {
          And: [
            { Variable: "$.value", NumericGreaterThanEquals: 20 },
            { Variable: "$.value", NumericLessThan: 30 },
          ],
          Next: "ValueInTwenties",
        },
      ],
      Default: "DefaultState",
    };
    const pick = async (input: unknown) => (await jsonPathLanguage.choose(state, scopeOf(input))).next;
    assert.equal(await pick({ type: "Public", value: 0 }), "Public");
    assert.equal(await pick({ type: "Private", value: 0 }), "ValueIsZero");
    assert.equal(await pick({ type: "Private", value: 25 }), "ValueInTwenties");
    assert.equal(await pick({ type: "Private", value: 35 }), "DefaultState");
  });

  test("no match and no Default gives undefined (the engine fails with States.NoChoiceMatched)", async () => {
    const state = { Type: "Choice", Choices: [{ Variable: "$.a", BooleanEquals: true, Next: "X" }] };
    assert.equal((await jsonPathLanguage.choose(state, scopeOf({ a: false }))).next, undefined);
  });

  test("Or and Not", async () => {
    const rule = {
      Or: [{ Variable: "$.a", NumericEquals: 1 }, { Not: { Variable: "$.b", IsPresent: true } }],
    };
    assert.equal(await matches(rule, { a: 1, b: 0 }), true);
    assert.equal(await matches(rule, { a: 2 }), true);
    assert.equal(await matches(rule, { a: 2, b: 0 }), false);
  });

  test("string, numeric and boolean comparisons, and their Path variants", async () => {
    const input = { s: "b", n: 5, t: true, other: "b", five: 5, yes: true };
    const cases: Array<[Record<string, unknown>, boolean]> = [
      [{ Variable: "$.s", StringEquals: "b" }, true],
      [{ Variable: "$.s", StringLessThan: "c" }, true],
      [{ Variable: "$.s", StringGreaterThan: "c" }, false],
      [{ Variable: "$.s", StringLessThanEquals: "b" }, true],
      [{ Variable: "$.s", StringGreaterThanEquals: "b" }, true],
      [{ Variable: "$.s", StringEqualsPath: "$.other" }, true],
      [{ Variable: "$.s", StringLessThanPath: "$.other" }, false],
      [{ Variable: "$.n", NumericEquals: 5 }, true],
      [{ Variable: "$.n", NumericLessThan: 5 }, false],
      [{ Variable: "$.n", NumericGreaterThan: 4.5 }, true],
      [{ Variable: "$.n", NumericLessThanEquals: 5 }, true],
      [{ Variable: "$.n", NumericGreaterThanEquals: 6 }, false],
      [{ Variable: "$.n", NumericEqualsPath: "$.five" }, true],
      [{ Variable: "$.n", NumericGreaterThanPath: "$.five" }, false],
      [{ Variable: "$.t", BooleanEquals: true }, true],
      [{ Variable: "$.t", BooleanEqualsPath: "$.yes" }, true],
    ];
    for (const [rule, expected] of cases)
      assert.equal(await matches(rule, input), expected, JSON.stringify(rule));
  });

  test("a value of another type does not match (no error), as AWS compares only like types", async () => {
    assert.equal(await matches({ Variable: "$.v", NumericEquals: 1 }, { v: "1" }), false);
    assert.equal(await matches({ Variable: "$.v", StringEquals: "1" }, { v: 1 }), false);
    assert.equal(await matches({ Variable: "$.v", BooleanEquals: true }, { v: "true" }), false);
    assert.equal(
      await matches({ Variable: "$.v", TimestampEquals: "2001-01-01T00:00:00Z" }, { v: "soon" }),
      false,
    );
  });

  test("timestamps compare as instants (RFC 3339, uppercase T and Z)", async () => {
    const input = {
      t: "2016-03-14T01:59:00Z",
      same: "2016-03-14T02:59:00+01:00",
      later: "2016-03-14T01:59:00.5Z",
    };
    assert.equal(await matches({ Variable: "$.t", TimestampEquals: "2016-03-14T01:59:00Z" }, input), true);
    assert.equal(await matches({ Variable: "$.t", TimestampEqualsPath: "$.same" }, input), true);
    assert.equal(await matches({ Variable: "$.t", TimestampLessThanPath: "$.later" }, input), true);
    assert.equal(
      await matches({ Variable: "$.t", TimestampGreaterThan: "2016-03-14T01:58:59Z" }, input),
      true,
    );
    assert.equal(
      await matches({ Variable: "$.t", TimestampLessThanEquals: "2016-03-14T01:59:00Z" }, input),
      true,
    );
    assert.equal(
      await matches({ Variable: "$.t", TimestampGreaterThanEquals: "2017-01-01T00:00:00Z" }, input),
      false,
    );
    // Lowercase t/z are not AWS timestamps.
    assert.equal(await matches({ Variable: "$.v", IsTimestamp: true }, { v: "2016-03-14t01:59:00z" }), false);
    assert.equal(await matches({ Variable: "$.v", IsTimestamp: true }, { v: "2016-03-14T01:59:00Z" }), true);
    assert.equal(await matches({ Variable: "$.v", IsTimestamp: true }, { v: "2016-02-30T01:59:00Z" }), false);
  });

  test("StringMatches: * is any run of characters, \\* a literal star, \\\\ a backslash", async () => {
    assert.equal(
      await matches({ Variable: "$.f", StringMatches: "log-*.txt" }, { f: "log-2024-01.txt" }),
      true,
    );
    assert.equal(await matches({ Variable: "$.f", StringMatches: "log-*.txt" }, { f: "log-.txt" }), true);
    assert.equal(
      await matches({ Variable: "$.f", StringMatches: "log-*.txt" }, { f: "log-1.txt.gz" }),
      false,
    );
    assert.equal(await matches({ Variable: "$.f", StringMatches: "a\\*b" }, { f: "a*b" }), true);
    assert.equal(await matches({ Variable: "$.f", StringMatches: "a\\*b" }, { f: "axb" }), false);
    assert.equal(await matches({ Variable: "$.f", StringMatches: "a\\\\b" }, { f: "a\\b" }), true);
    assert.equal(await matches({ Variable: "$.f", StringMatches: "a.c+" }, { f: "a.c+" }), true);
    assert.equal(await matches({ Variable: "$.f", StringMatches: "a.c+" }, { f: "abc+" }), false);
  });

  test("type tests: IsNull, IsPresent, IsNumeric, IsString, IsBoolean, IsTimestamp", async () => {
    const input = { nil: null, n: 1.5, s: "x", b: false };
    assert.equal(await matches({ Variable: "$.nil", IsNull: true }, input), true);
    assert.equal(await matches({ Variable: "$.n", IsNull: false }, input), true);
    assert.equal(await matches({ Variable: "$.missing", IsPresent: false }, input), true);
    assert.equal(await matches({ Variable: "$.nil", IsPresent: true }, input), true);
    assert.equal(await matches({ Variable: "$.n", IsNumeric: true }, input), true);
    assert.equal(await matches({ Variable: "$.s", IsNumeric: false }, input), true);
    assert.equal(await matches({ Variable: "$.s", IsString: true }, input), true);
    assert.equal(await matches({ Variable: "$.b", IsBoolean: true }, input), true);
    assert.equal(await matches({ Variable: "$.s", IsBoolean: true }, input), false);
  });

  test("a Variable that selects nothing is States.Runtime (IsPresent excepted)", async () => {
    await assert.rejects(matches({ Variable: "$.missing", StringEquals: "x" }, {}), (e: unknown) => {
      assert.ok(e instanceof StatesError);
      assert.equal(e.error, "States.Runtime");
      assert.match(e.cause, /Invalid path '\$\.missing'/);
      return true;
    });
  });

  test("rules read $$ and variables, and the output follows InputPath and OutputPath", async () => {
    const state = {
      Type: "Choice",
      InputPath: "$.inner",
      OutputPath: "$.keep",
      Choices: [
        { Variable: "$limit", NumericGreaterThanPath: "$.n", Next: "Small", Assign: { "seen.$": "$.n" } },
      ],
      Default: "Big",
      Assign: { chose: true },
    };
    const small = await jsonPathLanguage.choose(
      state,
      scopeOf({ inner: { n: 3, keep: "k" } }, { limit: 10 }),
    );
    assert.deepEqual(small, { next: "Small", output: "k", assign: { seen: 3 } });
    const big = await jsonPathLanguage.choose(state, scopeOf({ inner: { n: 30, keep: "k" } }, { limit: 10 }));
    assert.deepEqual(big, { next: "Big", output: "k", assign: { chose: true } });
  });

  // https://states-language.net/spec.html#choice-state: "If a Choice Rule is chosen, the
  // interpreter evaluates the Choice Rule's "Assign" field, if any, and does not evaluate the
  // state's top-level "Assign" field. If no Choice Rules match, the interpreter evaluates the
  // states's top-level "Assign" field" — the spec's JSONPath DispatchEvent example.
  test("the spec's DispatchEvent: the chosen rule's Assign alone, the top-level one only for Default", async () => {
    const state = {
      Type: "Choice",
      Choices: [
        { Not: { Variable: "$.type", StringEquals: "Private" }, Next: "Public" },
        {
          And: [
            { Variable: "$.value", IsPresent: true },
            { Variable: "$.value", IsNumeric: true },
            { Variable: "$.value", NumericGreaterThanEquals: 20 },
            { Variable: "$.value", NumericLessThan: 30 },
          ],
          Assign: { range: "twenties" },
          Next: "ValueInTwenties",
        },
      ],
      Default: "RecordEvent",
      Assign: { range: "default" },
    };
    const run = (input: unknown) => jsonPathLanguage.choose(state, scopeOf(input));
    assert.deepEqual((await run({ type: "Private", value: 22 })).assign, { range: "twenties" });
    assert.deepEqual((await run({ type: "Public" })).assign, {});
    assert.deepEqual((await run({ type: "Private", value: 40 })).assign, { range: "default" });
    const noDefault = { ...state, Default: undefined };
    assert.deepEqual((await jsonPathLanguage.choose(noDefault, scopeOf({ type: "Private" }))).assign, {});
  });
});
