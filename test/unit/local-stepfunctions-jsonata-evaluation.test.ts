/**
 * JSONata strings (`{% %}`) in Step Functions: where they are evaluated, what they can read
 * ($states, workflow variables), the functions AWS adds and refuses, and the
 * States.QueryEvaluationError an expression that fails or yields nothing raises.
 * https://states-language.net/spec.html#jsonata-concepts
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import {
  createJsonataLanguage,
  jsonataLanguage,
} from "../../src/local/stepfunctions/language/jsonata/index.ts";
import type { ContextObject, Scope } from "../../src/local/stepfunctions/language/query-language.ts";
import { StatesError } from "../../src/local/stepfunctions/language/states-error.ts";

const context: ContextObject = {
  Execution: {
    Id: "exec-id",
    Input: {},
    Name: "exec",
    RoleArn: "role",
    StartTime: "2026-01-01T00:00:00.000Z",
    RedriveCount: 0,
  },
  State: { EnteredTime: "2026-01-01T00:00:01.000Z", Name: "A Task", RetryCount: 0 },
  StateMachine: { Id: "machine-id", Name: "machine" },
};
const scope = (input: unknown, variables: Record<string, unknown> = {}): Scope => ({
  input,
  context,
  variables,
});

const queryError = (cause: RegExp) => (error: unknown) =>
  error instanceof StatesError && error.error === "States.QueryEvaluationError" && cause.test(error.cause);

describe("JSONata strings", () => {
  test("evaluates the spec's Arguments example: field values and array items, other strings literal", async () => {
    const variables = {
      student: { name: "Scotland", course: [{ grade: 34 }, { grade: 99 }, { grade: 76 }, { grade: 96 }] },
      class: { teacher: "Bert" },
      two: "the number 2",
    };
    const state = {
      Type: "Task",
      Arguments: {
        student: "{% $student.name %}",
        classInfo: { teacher: "{% $class.teacher %}" },
        values: [1, "{% $two %}", "three"],
        literal: "$customerName",
        spaced: " {% $two %}",
      },
      Output: "{% { 'avg': $average($student.course.grade), 'num': $count($student.course) }  %}",
    };
    const args = await jsonataLanguage.effectiveInput(state, scope({}, variables));
    assert.deepEqual(args, {
      student: "Scotland",
      classInfo: { teacher: "Bert" },
      values: [1, "the number 2", "three"],
      literal: "$customerName",
      spaced: " {% $two %}",
    });
    const { output } = await jsonataLanguage.output(state, scope({}, variables), {});
    assert.deepEqual(output, { avg: 76.25, num: 4 });
  });

  test("$states holds input, context and, for a Task's Output, result", async () => {
    const state = {
      Type: "Task",
      Output: {
        customer: "{% $states.input.customer %}",
        resultStatus: "{% $states.result.status %}",
        stateName: "{% $states.context.State.Name %}",
      },
    };
    const { output } = await jsonataLanguage.output(state, scope({ customer: "c1" }), { status: "ok" });
    assert.deepEqual(output, { customer: "c1", resultStatus: "ok", stateName: "A Task" });
  });

  test("Arguments cannot read $states.result", async () => {
    await assert.rejects(
      jsonataLanguage.effectiveInput({ Type: "Task", Arguments: { r: "{% $states.result %}" } }, scope({})),
      queryError(
        /^The JSONata expression '\$states\.result' specified for the field 'Arguments\/r' returned nothing \(undefined\)\.$/,
      ),
    );
  });

  test("an expression that yields nothing fails with AWS's wording, naming the nested field", async () => {
    await assert.rejects(
      jsonataLanguage.effectiveInput(
        { Type: "Task", Arguments: { Input: { pushLocation: "{% $states.input.pushLocation %}" } } },
        scope({}),
      ),
      queryError(
        /^The JSONata expression '\$states\.input\.pushLocation' specified for the field 'Arguments\/Input\/pushLocation' returned nothing \(undefined\)\.$/,
      ),
    );
    await assert.rejects(
      jsonataLanguage.output({ Type: "Pass", Output: { a: ["{% $nope %}"] } }, scope({}), {}),
      queryError(/'Output\/a\[0\]'/),
    );
  });

  test("an object constructor inside one expression drops an undefined key, as JSONata does", async () => {
    const { output } = await jsonataLanguage.output(
      { Type: "Pass", Output: "{% {'k': $nope, 'j': 1} %}" },
      scope({}),
      {},
    );
    assert.deepEqual(output, { j: 1 });
  });

  test("a failing expression raises States.QueryEvaluationError", async () => {
    await assert.rejects(
      jsonataLanguage.output({ Type: "Pass", Output: "{% $x + 1 %}" }, scope({}, { x: "text" }), {}),
      queryError(/specified for the field 'Output'/),
    );
    await assert.rejects(
      jsonataLanguage.output({ Type: "Pass", Output: "{% $x + %}" }, scope({}), {}),
      queryError(/'Output'/),
    );
  });

  test("variables assigned inside an expression stay inside it", async () => {
    const { output } = await jsonataLanguage.output(
      { Type: "Pass", Output: "{% ($product := function($x, $y) {$x * $y}; $reduce([1..5], $product)) %}" },
      scope({}),
      {},
    );
    assert.equal(output, 120);
  });
});

describe("functions Step Functions provides", () => {
  const evaluate = async (
    expression: string,
    variables: Record<string, unknown> = {},
    language = jsonataLanguage,
  ) =>
    (await language.output({ Type: "Pass", Output: `{% ${expression} %}` }, scope({}, variables), {})).output;

  test("$partition splits an array into chunks", async () => {
    assert.deepEqual(await evaluate("$partition([1,2,3,4,5,6,7,8,9], 4)"), [[1, 2, 3, 4], [5, 6, 7, 8], [9]]);
  });

  test("$range counts from start to end by step, both ends included", async () => {
    assert.deepEqual(await evaluate("$range(0, 10, 2)"), [0, 2, 4, 6, 8, 10]);
    assert.deepEqual(await evaluate("$range(5, 1, -2)"), [5, 3, 1]);
  });

  test("$range refuses more items than a state's input or output could hold, before building them", async () => {
    assert.equal(((await evaluate("$range(1, 131072, 1)")) as number[]).length, 131072);
    await assert.rejects(
      evaluate("$range(0, 1000000000000, 1)"),
      queryError(/\$range: 1000000000001 items is more than 131072/),
    );
  });

  test("$hash computes MD5, SHA-1, SHA-256, SHA-384 and SHA-512 in hex", async () => {
    assert.equal(
      await evaluate("$hash('input data', 'SHA-1')"),
      createHash("sha1").update("input data").digest("hex"),
    );
    assert.equal(await evaluate("$hash('x', 'SHA-256')"), createHash("sha256").update("x").digest("hex"));
    await assert.rejects(evaluate("$hash('x', 'CRC32')"), queryError(/CRC32/));
  });

  test("$random uses the injected source, and a seed gives the same number every time", async () => {
    const language = createJsonataLanguage({ random: () => 0.125 });
    assert.equal(await evaluate("$random()", {}, language), 0.125);
    const seeded = await evaluate("$random(42)");
    assert.equal(await evaluate("$random(42)"), seeded);
    assert.ok(typeof seeded === "number" && seeded >= 0 && seeded < 1);
    assert.notEqual(await evaluate("$random(43)"), seeded);
  });

  test("$uuid returns a version 4 UUID", async () => {
    assert.match(
      String(await evaluate("$uuid()")),
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  test("$parse turns a JSON string into data; $eval is refused", async () => {
    assert.deepEqual(await evaluate(`$parse('{"number": 20}')`), { number: 20 });
    await assert.rejects(evaluate("$eval('1 + 1')"), queryError(/\$eval/));
  });

  // transforming-data.html: "Step Functions implements JSONata based on the 2.0.6 specification";
  // the `?:` and `??` operators came with JSONata 2.1.0 and Step Functions refuses them
  // (re:Post "Which version of JSONata does AWS StepFunctions support?"). The package here is newer.
  test("JSONata 2.1's ?: and ?? operators are refused; the 2.0 conditional still works", async () => {
    await assert.rejects(evaluate("$a ?: 1", { a: 0 }), queryError(/could not be parsed.*\?:/));
    await assert.rejects(evaluate("$a ?? 1", { a: 0 }), queryError(/could not be parsed.*\?\?/));
    assert.equal(await evaluate("$a ? $a : 1", { a: 0 }), 1);
    assert.equal(await evaluate("$exists($a) ? $a : 1", { a: 0 }), 0);
  });

  test("$now and $millis read the injected clock", async () => {
    const language = createJsonataLanguage({ nowMs: () => Date.parse("2030-05-06T07:08:09.010Z") });
    assert.equal(await evaluate("$millis()", {}, language), Date.parse("2030-05-06T07:08:09.010Z"));
    assert.equal(await evaluate("$now()", {}, language), "2030-05-06T07:08:09.010Z");
    assert.equal(await evaluate("$now('[Y]-[M]-[D]')", {}, language), "2030-5-6");
    assert.equal(await evaluate("$now('[H01]:[m01]', '+0900')", {}, language), "16:08");
  });
});
