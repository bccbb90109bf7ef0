import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { jsonPathLanguage } from "../../src/local/stepfunctions/language/jsonpath/index.ts";
import { StatesError } from "../../src/local/stepfunctions/language/states-error.ts";
import { contextObject, scopeOf } from "../support/sfn-scope.ts";

/** Rejects with a StatesError of this name whose cause matches. */
async function rejectsWith(run: Promise<unknown>, error: string, cause: RegExp | string): Promise<void> {
  await assert.rejects(run, (e: unknown) => {
    assert.ok(e instanceof StatesError, `expected a StatesError, got ${String(e)}`);
    assert.equal(e.error, error);
    if (typeof cause === "string") assert.equal(e.cause, cause);
    else assert.match(e.cause, cause);
    return true;
  });
}

// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
describe("JSONPath InputPath and Parameters", () => {
  test("InputPath selects part of the input (AWS's dataset2 example)", async () => {
    const input = {
      comment: "Example for InputPath.",
      dataset1: { val1: 1, val2: 2, val3: 3 },
      dataset2: { val1: "a", val2: "b", val3: "c" },
    };
    const out = await jsonPathLanguage.effectiveInput(
      { Type: "Task", InputPath: "$.dataset2" },
      scopeOf(input),
    );
    assert.deepEqual(out, { val1: "a", val2: "b", val3: "c" });
  });

  test("InputPath null gives {} and an absent InputPath is $", async () => {
    assert.deepEqual(
      await jsonPathLanguage.effectiveInput({ Type: "Pass", InputPath: null }, scopeOf({ a: 1 })),
      {},
    );
    assert.deepEqual(await jsonPathLanguage.effectiveInput({ Type: "Pass" }, scopeOf({ a: 1 })), { a: 1 });
  });

  test("Parameters builds a payload from static values and .$ paths (AWS's product example)", async () => {
    const input = {
      comment: "Example for Parameters.",
      product: {
        details: { color: "blue", size: "small", material: "cotton" },
        availability: "in stock",
        sku: "2317",
        cost: "$23",
      },
    };
    const state = {
      Type: "Task",
      Parameters: {
        comment: "Selecting what I care about.",
        MyDetails: {
          "size.$": "$.product.details.size",
          "exists.$": "$.product.availability",
          StaticValue: "foo",
        },
      },
    };
    assert.deepEqual(await jsonPathLanguage.effectiveInput(state, scopeOf(input)), {
      comment: "Selecting what I care about.",
      MyDetails: { size: "small", exists: "in stock", StaticValue: "foo" },
    });
  });

  test("Parameters reads the Context object with $$ and variables with $name, inside arrays too", async () => {
    const state = {
      Type: "Pass",
      Parameters: {
        "execution.$": "$$.Execution.Id",
        "stateName.$": "$$.State.Name",
        list: [{ "v.$": "$x.deep" }, "plain"],
        "all.$": "$",
      },
    };
    const out = await jsonPathLanguage.effectiveInput(state, scopeOf({ a: 1 }, { x: { deep: 42 } }));
    assert.deepEqual(out, {
      execution: "arn:example:execution:m:e1",
      stateName: "Test",
      list: [{ v: 42 }, "plain"],
      all: { a: 1 },
    });
  });

  // https://states-language.net/spec.html#state-machine-variables: a name is a Unicode identifier
  // (ID_Start, then ID_Continue), the rule the Assign check applies (LIMITS.stepFunctionsLanguage).
  test("a variable whose name is any Unicode identifier reads back with $name", async () => {
    const state = { Type: "Pass", Parameters: { "city.$": "$café.city", "n.$": "$名前" } };
    const out = await jsonPathLanguage.effectiveInput(
      state,
      scopeOf({}, { café: { city: "Paris" }, 名前: 7 }),
    );
    assert.deepEqual(out, { city: "Paris", n: 7 });
  });

  test("Parameters applies after InputPath", async () => {
    const state = { Type: "Task", InputPath: "$.inner", Parameters: { "v.$": "$.value" } };
    assert.deepEqual(await jsonPathLanguage.effectiveInput(state, scopeOf({ inner: { value: 7 } })), {
      v: 7,
    });
  });

  test("full JSONPath where AWS allows it: bracket names, indexes, wildcards and filters", async () => {
    const input = {
      "a b": { c: [10, 20, 30] },
      items: [
        { n: 1, ok: true },
        { n: 2, ok: false },
        { n: 3, ok: true },
      ],
    };
    const state = {
      Type: "Pass",
      Parameters: {
        "bracket.$": "$['a b'].c[1]",
        "all.$": "$.items[*].n",
        "ok.$": "$.items[?(@.ok == true)].n",
        "deep.$": "$..n",
        "none.$": "$.items[?(@.n > 5)]",
      },
    };
    assert.deepEqual(await jsonPathLanguage.effectiveInput(state, scopeOf(input)), {
      bracket: 20,
      all: [1, 2, 3],
      ok: [1, 3],
      deep: [1, 2, 3],
      none: [],
    });
  });

  test("a filter that cannot be evaluated is States.Runtime, and an indefinite path over null is empty", async () => {
    await rejectsWith(
      jsonPathLanguage.effectiveInput(
        { Type: "Pass", Parameters: { "v.$": "$.a[?(@.constructor)]" } },
        scopeOf({ a: [{ b: 2 }] }),
      ),
      "States.Runtime",
      /Invalid path '\$\.a\[\?\(@\.constructor\)\]'/,
    );
    const out = await jsonPathLanguage.effectiveInput(
      { Type: "Pass", Parameters: { "v.$": "$..x" } },
      scopeOf(null),
    );
    assert.deepEqual(out, { v: [] });
  });

  test("a missing InputPath is States.Runtime with AWS's cause text", async () => {
    await rejectsWith(
      jsonPathLanguage.effectiveInput({ Type: "Task", InputPath: "$.x" }, scopeOf({ a: 1 })),
      "States.Runtime",
      "Invalid path '$.x' : No results for path: $['x']",
    );
  });

  test("a Parameters path that selects nothing names the field and the input, as AWS does", async () => {
    await rejectsWith(
      jsonPathLanguage.effectiveInput(
        { Type: "Task", Parameters: { "JobName.$": "$.JobName" } },
        scopeOf({}),
      ),
      "States.Runtime",
      "The JSONPath '$.JobName' specified for the field 'JobName.$' could not be found in the input '{}'",
    );
  });

  test("a Map iteration's input is its item, or the ItemSelector over $$.Map.Item", async () => {
    const context = contextObject({ Map: { Item: { Index: 2, Value: { id: "c" } } } });
    const scope = scopeOf({ shared: "s" }, {}, context);
    assert.deepEqual(await jsonPathLanguage.effectiveInput({ Type: "Map" }, scope, "ItemSelector"), {
      id: "c",
    });
    const state = {
      Type: "Map",
      ItemSelector: {
        "index.$": "$$.Map.Item.Index",
        "value.$": "$$.Map.Item.Value.id",
        "shared.$": "$.shared",
      },
    };
    assert.deepEqual(await jsonPathLanguage.effectiveInput(state, scope, "ItemSelector"), {
      index: 2,
      value: "c",
      shared: "s",
    });
  });
});

// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html
describe("JSONPath ResultSelector, ResultPath and OutputPath", () => {
  const input = { comment: "This is a test", details: "Default example", who: "Step Functions" };
  const result = "Hello, Step Functions!";

  test("ResultPath $ (the default) replaces the input with the result", async () => {
    assert.equal((await jsonPathLanguage.output({ Type: "Task" }, scopeOf(input), result)).output, result);
    assert.equal(
      (await jsonPathLanguage.output({ Type: "Task", ResultPath: "$" }, scopeOf(input), result)).output,
      result,
    );
  });

  test("ResultPath null discards the result and keeps the input", async () => {
    const { output } = await jsonPathLanguage.output(
      { Type: "Task", ResultPath: null },
      scopeOf(input),
      result,
    );
    assert.deepEqual(output, input);
  });

  test("ResultPath $.taskresult includes the result with the input", async () => {
    const { output } = await jsonPathLanguage.output(
      { Type: "Task", ResultPath: "$.taskresult" },
      scopeOf(input),
      result,
    );
    assert.deepEqual(output, { ...input, taskresult: result });
  });

  test("ResultPath creates the objects a deeper path needs, and replaces an existing node", async () => {
    const deep = await jsonPathLanguage.output(
      { Type: "Task", ResultPath: "$.strings.lambdaresult" },
      scopeOf(input),
      result,
    );
    assert.deepEqual(deep.output, { ...input, strings: { lambdaresult: result } });
    const replaced = await jsonPathLanguage.output(
      { Type: "Task", ResultPath: "$.comment" },
      scopeOf(input),
      result,
    );
    assert.deepEqual(replaced.output, { ...input, comment: result });
    const bracket = await jsonPathLanguage.output(
      { Type: "Task", ResultPath: "$['a b'].list[1]" },
      scopeOf({ "a b": { list: [1, 2, 3] } }),
      "x",
    );
    assert.deepEqual(bracket.output, { "a b": { list: [1, "x", 3] } });
  });

  test("ResultPath leaves the raw input unchanged (the engine may keep it)", async () => {
    const raw = { a: { b: 1 } };
    await jsonPathLanguage.output({ Type: "Task", ResultPath: "$.a.c" }, scopeOf(raw), 2);
    assert.deepEqual(raw, { a: { b: 1 } });
  });

  test("ResultPath into a non-object input is States.ResultPathMatchFailure", async () => {
    await rejectsWith(
      jsonPathLanguage.output({ Type: "Task", ResultPath: "$.x" }, scopeOf("just a string"), 1),
      "States.ResultPathMatchFailure",
      /\$\.x/,
    );
    await rejectsWith(
      jsonPathLanguage.output({ Type: "Task", ResultPath: "$.a.b" }, scopeOf({ a: 5 }), 1),
      "States.ResultPathMatchFailure",
      /\$\.a\.b/,
    );
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html#input-output-resultselector
  test("ResultSelector shapes the raw result before ResultPath (AWS's EMR example)", async () => {
    const raw = {
      resourceType: "elasticmapreduce",
      resource: "createCluster.sync",
      output: {
        SdkHttpMetadata: { HttpStatusCode: 200 },
        SdkResponseMetadata: { RequestId: "1234-5678-9012" },
        ClusterId: "AKIAIOSFODNN7EXAMPLE",
      },
    };
    const state = {
      Type: "Task",
      ResultSelector: { "ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType" },
      ResultPath: "$.EMROutput",
    };
    const { output } = await jsonPathLanguage.output(state, scopeOf({ Name: "MyWorkflowCluster" }), raw);
    assert.deepEqual(output, {
      Name: "MyWorkflowCluster",
      EMROutput: { ClusterId: "AKIAIOSFODNN7EXAMPLE", ResourceType: "elasticmapreduce" },
    });
  });

  test("OutputPath selects from the combined output, and null gives {}", async () => {
    const state = { Type: "Task", ResultPath: "$.taskresult", OutputPath: "$.taskresult" };
    assert.equal((await jsonPathLanguage.output(state, scopeOf(input), result)).output, result);
    const nothing = await jsonPathLanguage.output({ Type: "Task", OutputPath: null }, scopeOf(input), result);
    assert.deepEqual(nothing.output, {});
    await rejectsWith(
      jsonPathLanguage.output({ Type: "Task", OutputPath: "$.missing" }, scopeOf(input), { a: 1 }),
      "States.Runtime",
      "Invalid path '$.missing' : No results for path: $['missing']",
    );
  });

  test("a Pass state's Result is its result, placed by ResultPath", async () => {
    const state = { Type: "Pass", Result: { x: 0.38, y: 622.22 }, ResultPath: "$.result" };
    const { output } = await jsonPathLanguage.output(state, scopeOf({ georefOf: "Home" }), { ignored: true });
    assert.deepEqual(output, { georefOf: "Home", result: { x: 0.38, y: 622.22 } });
  });

  test("Assign evaluates .$ fields against the raw result (before ResultSelector) and leaves variables for the engine", async () => {
    const state = {
      Type: "Task",
      ResultSelector: { "id.$": "$.Payload.id" },
      Assign: {
        "orderId.$": "$.Payload.id",
        static: 3,
        "started.$": "$$.Execution.StartTime",
        "prev.$": "$count",
      },
      ResultPath: null,
    };
    const out = await jsonPathLanguage.output(state, scopeOf({ in: 1 }, { count: 5 }), {
      Payload: { id: "o-1" },
    });
    assert.deepEqual(out.output, { in: 1 });
    assert.deepEqual(out.assign, { orderId: "o-1", static: 3, started: "2019-03-26T20:14:13.192Z", prev: 5 });
    assert.deepEqual((await jsonPathLanguage.output({ Type: "Pass" }, scopeOf(1), 2)).assign, {});
  });
});

// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html#input-output-resultpath-catch
describe("JSONPath caught errors", () => {
  const errorOutput = { Error: "States.TaskFailed", Cause: "boom" };

  test("the catcher's ResultPath puts the error output into the raw input", async () => {
    const out = await jsonPathLanguage.caught(
      { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Handle" },
      scopeOf({ foo: "bar" }),
      errorOutput,
    );
    assert.deepEqual(out.output, { foo: "bar", error: errorOutput });
  });

  test("without ResultPath the error output replaces the input; Assign sees it as $", async () => {
    const out = await jsonPathLanguage.caught(
      { ErrorEquals: ["States.ALL"], Next: "Handle", Assign: { "lastError.$": "$.Error" } },
      scopeOf({ foo: "bar" }),
      errorOutput,
    );
    assert.deepEqual(out.output, errorOutput);
    assert.deepEqual(out.assign, { lastError: "States.TaskFailed" });
  });
});
