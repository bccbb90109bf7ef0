import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  createJsonPathLanguage,
  jsonPathLanguage,
} from "../../src/local/stepfunctions/language/jsonpath/index.ts";
import { StatesError } from "../../src/local/stepfunctions/language/states-error.ts";
import { scopeOf } from "../support/sfn-scope.ts";

/** Evaluates one `.$` field of a Pass state's Parameters. */
async function evaluate(
  expression: string,
  input: unknown = {},
  language = jsonPathLanguage,
): Promise<unknown> {
  const out = await language.effectiveInput(
    { Type: "Pass", Parameters: { "v.$": expression } },
    scopeOf(input),
  );
  return (out as { v: unknown }).v;
}

async function fails(expression: string, input: unknown, error: string, cause?: RegExp): Promise<void> {
  await assert.rejects(evaluate(expression, input), (e: unknown) => {
    assert.ok(e instanceof StatesError, `expected a StatesError, got ${String(e)}`);
    assert.equal(e.error, error);
    if (cause) assert.match(e.cause, cause);
    return true;
  });
}

// Every expected value below is the example on AWS's page:
// https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
describe("intrinsic functions, AWS's documented examples", () => {
  test("States.Format with a literal template or a path", async () => {
    const input = { name: "Arnav", template: "Hello, my name is {}." };
    assert.equal(
      await evaluate("States.Format('Hello, my name is {}.', $.name)", input),
      "Hello, my name is Arnav.",
    );
    assert.equal(await evaluate("States.Format($.template, $.name)", input), "Hello, my name is Arnav.");
  });

  test("States.StringToJson and States.JsonToString", async () => {
    assert.deepEqual(
      await evaluate("States.StringToJson($.escapedJsonString)", { escapedJsonString: '{"foo": "bar"}' }),
      {
        foo: "bar",
      },
    );
    assert.equal(
      await evaluate("States.JsonToString($.unescapedJson)", { unescapedJson: { foo: "bar" } }),
      '{"foo":"bar"}',
    );
  });

  test("States.Array and the array intrinsics", async () => {
    assert.deepEqual(await evaluate("States.Array($.Id)", { Id: 123456 }), [123456]);
    assert.deepEqual(
      await evaluate("States.ArrayPartition($.inputArray, 4)", { inputArray: [1, 2, 3, 4, 5, 6, 7, 9] }),
      [
        [1, 2, 3, 4],
        [5, 6, 7, 9],
      ],
    );
    const nine = { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], lookingFor: 5, index: 5 };
    assert.equal(await evaluate("States.ArrayContains($.inputArray, $.lookingFor)", nine), true);
    assert.deepEqual(await evaluate("States.ArrayRange(1, 9, 2)"), [1, 3, 5, 7, 9]);
    assert.equal(await evaluate("States.ArrayGetItem($.inputArray, $.index)", nine), 6);
    assert.equal(await evaluate("States.ArrayLength($.inputArray)", nine), 9);
    assert.deepEqual(
      await evaluate("States.ArrayUnique($.inputArray)", { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] }),
      [1, 2, 3, 4],
    );
  });

  test("States.Base64Encode, States.Base64Decode and States.Hash", async () => {
    assert.equal(
      await evaluate("States.Base64Encode($.input)", { input: "Data to encode" }),
      "RGF0YSB0byBlbmNvZGU=",
    );
    assert.equal(
      await evaluate("States.Base64Decode($.base64)", { base64: "RGF0YSB0byBlbmNvZGU=" }),
      "Data to encode",
    );
    assert.equal(
      await evaluate("States.Hash($.Data, $.Algorithm)", { Data: "input data", Algorithm: "SHA-1" }),
      "aaff4a450a104cd177d28d18d74485e8cae074b7",
    );
    assert.equal(
      await evaluate("States.Hash('abc', 'SHA-256')"),
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    assert.equal((await evaluate("States.Hash('abc', 'MD5')")) as string, "900150983cd24fb0d6963f7d28e17f72");
    assert.equal(((await evaluate("States.Hash('abc', 'SHA-384')")) as string).length, 96);
    assert.equal(((await evaluate("States.Hash('abc', 'SHA-512')")) as string).length, 128);
  });

  test("States.JsonMerge is shallow", async () => {
    const input = { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } };
    assert.deepEqual(await evaluate("States.JsonMerge($.json1, $.json2, false)", input), {
      a: { a3: 1, a4: 2 },
      b: 2,
      c: 3,
    });
  });

  test("States.MathAdd, States.StringSplit", async () => {
    assert.equal(await evaluate("States.MathAdd($.value1, $.step)", { value1: 111, step: -1 }), 110);
    assert.deepEqual(
      await evaluate("States.StringSplit($.inputString, $.splitter)", {
        inputString: "1,2,3,4,5",
        splitter: ",",
      }),
      ["1", "2", "3", "4", "5"],
    );
    assert.deepEqual(
      await evaluate("States.StringSplit($.inputString, $.splitter)", {
        inputString: "This.is+a,test=string",
        splitter: ".+,=",
      }),
      ["This", "is", "a", "test", "string"],
    );
  });

  test("States.MathRandom and States.UUID take their randomness from the injected source", async () => {
    let next = 0.5;
    const language = createJsonPathLanguage({
      random: () => next,
      uuid: () => "ca4c1140-dcc1-40cd-ad05-7b4aa23df4a8",
    });
    assert.equal(await evaluate("States.MathRandom($.start, $.end)", { start: 1, end: 999 }, language), 500);
    next = 0;
    assert.equal(await evaluate("States.MathRandom(1, 999)", {}, language), 1);
    next = 0.999999;
    assert.equal(await evaluate("States.MathRandom(1, 999)", {}, language), 999);
    assert.equal(await evaluate("States.UUID()", {}, language), "ca4c1140-dcc1-40cd-ad05-7b4aa23df4a8");
    // A seed makes the number repeatable; the default source is crypto's.
    const seeded = await evaluate("States.MathRandom(1, 1000000, 7)", {});
    assert.equal(await evaluate("States.MathRandom(1, 1000000, 7)", {}), seeded);
    assert.match(
      (await evaluate("States.UUID()")) as string,
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe("intrinsic function syntax", () => {
  test("nests calls, like AWS's ARN example (eight deep)", async () => {
    const input = {
      ImageRecipe: { Arn: "arn:example:imagebuilder:us-east-1:123:image-recipe/recipe-name/1.0.2" },
    };
    const expr =
      "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))";
    assert.equal(await evaluate(expr, input), "1.0");
  });

  test("string literals take the escapes \\' \\{ \\} \\\\ and Format keeps escaped braces", async () => {
    assert.equal(await evaluate("States.Format('It\\'s \\{{}\\} \\\\ ok', 'x')"), "It's {x} \\ ok");
    assert.deepEqual(await evaluate("States.Array('a', 1, -2.5, true, false, null, $.n)", { n: { k: 1 } }), [
      "a",
      1,
      -2.5,
      true,
      false,
      null,
      { k: 1 },
    ]);
    assert.deepEqual(await evaluate("States.Array()"), []);
  });

  test("arguments may be $$ context paths and $variables", async () => {
    const out = await jsonPathLanguage.effectiveInput(
      { Type: "Pass", Parameters: { "v.$": "States.Format('{}-{}', $$.Execution.Name, $suffix)" } },
      scopeOf({}, { suffix: "s" }),
    );
    assert.deepEqual(out, { v: "e1-s" });
  });

  test("Format writes scalars as JSON and arrays and objects as the service (Java) prints them", async () => {
    assert.equal(await evaluate("States.Format('{} {} {}', 3, true, null)"), "3 true null");
    const input = { o: { Arg1: 1, Arg2: [], s: "x" }, a: [1, "b"] };
    assert.equal(await evaluate("States.Format('{} {}', $.o, $.a)", input), "{Arg1=1, Arg2=[], s=x} [1, b]");
  });

  test("a malformed invocation or open escape is States.IntrinsicFailure", async () => {
    await fails("States.Format('abc', )", {}, "States.IntrinsicFailure");
    await fails("States.Format('a\\b')", {}, "States.IntrinsicFailure");
    await fails("States.Nope(1)", {}, "States.IntrinsicFailure", /States\.Nope/);
    await fails("States.Format('{} {}', 1)", {}, "States.IntrinsicFailure");
  });
});

describe("intrinsic argument checks and AWS's limits", () => {
  test("ArrayRange refuses a zero step, non-integers and more than 1000 items", async () => {
    await fails("States.ArrayRange(1, 9, 0)", {}, "States.IntrinsicFailure");
    await fails("States.ArrayRange(1.5, 9, 1)", {}, "States.IntrinsicFailure");
    await fails("States.ArrayRange(0, 1000, 1)", {}, "States.IntrinsicFailure", /1000/);
    assert.equal(((await evaluate("States.ArrayRange(0, 999, 1)")) as unknown[]).length, 1000);
    assert.deepEqual(await evaluate("States.ArrayRange(5, 1, -2)"), [5, 3, 1]);
  });

  test("ArrayGetItem out of range, ArrayPartition with a bad size, JsonMerge deep, Hash of an unknown algorithm", async () => {
    await fails("States.ArrayGetItem($.a, 3)", { a: [1, 2] }, "States.IntrinsicFailure");
    await fails("States.ArrayPartition($.a, 0)", { a: [1, 2] }, "States.IntrinsicFailure");
    await fails("States.JsonMerge($.a, $.a, true)", { a: {} }, "States.IntrinsicFailure");
    await fails("States.Hash('x', 'SHA-999')", {}, "States.IntrinsicFailure", /SHA-999/);
    await fails("States.ArrayLength($.a)", { a: "no" }, "States.IntrinsicFailure");
    await fails("States.StringToJson($.s)", { s: "{not json" }, "States.IntrinsicFailure");
    await fails("States.Hash($.n, 'MD5')", { n: 1 }, "States.IntrinsicFailure");
  });

  test("Hash, Base64Encode and Base64Decode take at most 10,000 characters", async () => {
    const long = "a".repeat(10001);
    await fails("States.Hash($.s, 'MD5')", { s: long }, "States.IntrinsicFailure", /10000/);
    await fails("States.Base64Encode($.s)", { s: long }, "States.IntrinsicFailure", /10000/);
    await fails("States.Base64Decode($.s)", { s: long }, "States.IntrinsicFailure", /10000/);
  });

  test("MathAdd rounds non-integers to the nearest integer and refuses non-numbers", async () => {
    assert.equal(await evaluate("States.MathAdd(1.6, 1)"), 3);
    // Step Functions rounds as Java's Math.round does (half up, towards +∞): 2.5 → 3 but -2.5 → -2,
    // as LocalStack's AWS-recorded MathAdd tests show.
    assert.equal(await evaluate("States.MathAdd(2.5, 0)"), 3);
    assert.equal(await evaluate("States.MathAdd(-2.5, 0)"), -2);
    await fails("States.MathAdd('a', 1)", {}, "States.IntrinsicFailure");
  });

  test("an argument path that selects nothing is States.Runtime", async () => {
    await fails("States.Array($.missing)", {}, "States.Runtime", /\$\.missing/);
  });
});
