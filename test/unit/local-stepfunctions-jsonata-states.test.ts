/**
 * What each state type does with JSONata: Output and Assign (and their defaults), Choice rules,
 * Catch, Wait, Map items and item selection, task timeouts and Fail's Error and Cause.
 * https://states-language.net/spec.html (JSONata sections of each state type)
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { jsonataLanguage as L } from "../../src/local/stepfunctions/language/jsonata/index.ts";
import type { ContextObject, Scope } from "../../src/local/stepfunctions/language/query-language.ts";
import { StatesError } from "../../src/local/stepfunctions/language/states-error.ts";

const context: ContextObject = {
  Execution: {
    Id: "e",
    Input: {},
    Name: "e",
    RoleArn: "r",
    StartTime: "2026-01-01T00:00:00.000Z",
    RedriveCount: 0,
  },
  State: { EnteredTime: "2026-01-01T00:00:01.000Z", Name: "S", RetryCount: 0 },
  StateMachine: { Id: "m", Name: "m" },
};
const scope = (
  input: unknown,
  variables: Record<string, unknown> = {},
  extra: Partial<ContextObject> = {},
): Scope => ({
  input,
  context: { ...context, ...extra },
  variables,
});
const queryError = (cause: RegExp) => (error: unknown) =>
  error instanceof StatesError && error.error === "States.QueryEvaluationError" && cause.test(error.cause);

describe("Output and Assign", () => {
  test("without Output a Task outputs its result, a Pass or Wait its input", async () => {
    assert.deepEqual((await L.output({ Type: "Task" }, scope({ a: 1 }), { r: 2 })).output, { r: 2 });
    assert.deepEqual((await L.output({ Type: "Pass" }, scope({ a: 1 }), { a: 1 })).output, { a: 1 });
    assert.deepEqual((await L.output({ Type: "Wait" }, scope({ a: 1 }), undefined)).output, { a: 1 });
  });

  test("Assign sees the variables as they were on state entry, and so does Output", async () => {
    const state = { Type: "Pass", Assign: { x: 42, newOrOld: "{% $x %}" }, Output: "{% $x %}" };
    const { output, assign } = await L.output(state, scope({}, { x: 5 }), {});
    assert.deepEqual(assign, { x: 42, newOrOld: 5 });
    assert.equal(output, 5);
  });

  test("a Task's Assign reads $states.result", async () => {
    const { assign } = await L.output(
      { Type: "Map", Assign: { shipped: "{% $states.result %}" } },
      scope({}),
      [1, 2],
    );
    assert.deepEqual(assign, { shipped: [1, 2] });
  });

  test("an Assign naming a variable `$x` or `states` fails the state with States.Runtime", async () => {
    const runtime = (e: unknown) => e instanceof StatesError && e.error === "States.Runtime";
    await assert.rejects(L.output({ Type: "Pass", Assign: { $x: 1 } }, scope({}), {}), runtime);
    await assert.rejects(L.output({ Type: "Pass", Assign: { states: 1 } }, scope({}), {}), runtime);
  });

  test("any other field that accepts JSONata evaluates through field()", async () => {
    assert.equal(await L.field("{% $states.input.n * 2 %}", scope({ n: 4 }), "MaxConcurrency"), 8);
    assert.deepEqual(
      await L.field({ Bucket: "b", Key: "{% $k %}" }, scope({}, { k: "x" }), "ItemReader/Arguments"),
      {
        Bucket: "b",
        Key: "x",
      },
    );
  });

  test("an Assign whose value yields nothing names the variable", async () => {
    await assert.rejects(
      L.output({ Type: "Pass", Assign: { v: "{% $nope %}" } }, scope({}), {}),
      queryError(/'Assign\/v'/),
    );
  });
});

describe("Choice", () => {
  const dispatch = {
    Type: "Choice",
    Choices: [
      { Condition: "{% $states.input.type != 'Private' %}", Next: "Public" },
      {
        Condition: "{% $exists($value) and $type($value)='number' and $value>=20 and $value<30 %}",
        Assign: { range: "twenties" },
        Next: "ValueInTwenties",
      },
      {
        Condition: "{% $states.input.rating >= $states.input.auditThreshold %}",
        Output: { excess: "{% $states.input.rating - $states.input.auditThreshold %}" },
        Next: "StartAudit",
      },
    ],
    Default: "RecordEvent",
    Assign: { range: "default" },
  };

  test("the spec's DispatchEvent: the chosen rule's Assign, its Output, or the default's", async () => {
    const second = await L.choose(dispatch, scope({ type: "Private" }, { value: 23 }));
    assert.deepEqual(second, {
      next: "ValueInTwenties",
      output: { type: "Private" },
      assign: { range: "twenties" },
    });

    const third = await L.choose(
      dispatch,
      scope({ type: "Private", rating: 53, auditThreshold: 50 }, { value: 5 }),
    );
    assert.deepEqual(third, { next: "StartAudit", output: { excess: 3 }, assign: {} });

    const none = await L.choose(
      dispatch,
      scope({ type: "Private", rating: 1, auditThreshold: 50 }, { value: 5 }),
    );
    assert.deepEqual(none, {
      next: "RecordEvent",
      output: { type: "Private", rating: 1, auditThreshold: 50 },
      assign: { range: "default" },
    });
  });

  test("no rule matching and no Default gives no next state", async () => {
    const state = { Type: "Choice", Choices: [{ Condition: false, Next: "A" }] };
    assert.equal((await L.choose(state, scope({}))).next, undefined);
    assert.equal(
      (await L.choose({ ...state, Choices: [{ Condition: true, Next: "A" }] }, scope({}))).next,
      "A",
    );
  });

  test("a Condition must be a boolean", async () => {
    const state = {
      Type: "Choice",
      Choices: [{ Condition: "{% $states.input.n %}", Next: "A" }],
      Default: "B",
    };
    await assert.rejects(L.choose(state, scope({ n: 1 })), queryError(/'Choices\[0\]\/Condition'.*boolean/));
  });
});

describe("Catch", () => {
  test("a catcher's Output reads $states.errorOutput and $states.input; its default is the error output", async () => {
    const error = { Error: "java.lang.Exception", Cause: "boom" };
    const merged = await L.caught(
      {
        ErrorEquals: ["java.lang.Exception"],
        Output: "{% $merge([ $states.input, {'error-info': $states.errorOutput} ]) %}",
        Next: "RecoveryState",
      },
      scope({ a: 1 }),
      error,
    );
    assert.deepEqual(merged, { output: { a: 1, "error-info": error }, assign: {} });

    const plain = await L.caught(
      {
        ErrorEquals: ["States.ALL"],
        Assign: { isCritical: "{% $contains($lowercase($states.errorOutput.Error), /.*fatal.*/) %}" },
        Next: "EndMachine",
      },
      scope({ a: 1 }),
      { Error: "FatalThing", Cause: "" },
    );
    assert.deepEqual(plain, { output: { Error: "FatalThing", Cause: "" }, assign: { isCritical: true } });
  });
});

describe("Wait", () => {
  const now = Date.parse("2026-01-01T00:00:00.000Z");

  test("Seconds, literal or JSONata, counts from now", async () => {
    assert.equal(await L.waitUntil({ Type: "Wait", Seconds: 10 }, scope({}), now), now + 10_000);
    assert.equal(
      await L.waitUntil({ Type: "Wait", Seconds: "{% $states.input.s %}" }, scope({ s: 86400 }), now),
      now + 86_400_000,
    );
  });

  test("Timestamp, literal or JSONata, is the absolute end", async () => {
    const expiry = "2026-03-14T01:59:00Z";
    assert.equal(await L.waitUntil({ Type: "Wait", Timestamp: expiry }, scope({}), now), Date.parse(expiry));
    assert.equal(
      await L.waitUntil(
        { Type: "Wait", Timestamp: "{% $states.input.expirydate %}" },
        scope({ expirydate: expiry }),
        now,
      ),
      Date.parse(expiry),
    );
  });

  test("Seconds must be a non-negative integer and Timestamp a timestamp", async () => {
    await assert.rejects(
      L.waitUntil({ Type: "Wait", Seconds: "{% 'ten' %}" }, scope({}), now),
      queryError(/'Seconds'/),
    );
    await assert.rejects(
      L.waitUntil({ Type: "Wait", Seconds: "{% -1 %}" }, scope({}), now),
      queryError(/'Seconds'/),
    );
    await assert.rejects(
      L.waitUntil({ Type: "Wait", Timestamp: "{% 'tomorrow' %}" }, scope({}), now),
      queryError(/'Timestamp'/),
    );
    // The same RFC 3339 check as a JSONPath Wait or Choice: no 30th of February (Date.parse would
    // roll it over to 1 March).
    await assert.rejects(
      L.waitUntil({ Type: "Wait", Timestamp: "2016-02-30T01:59:00Z" }, scope({}), now),
      queryError(/'Timestamp'/),
    );
  });
});

describe("Map", () => {
  test("Items, or the state input, must be an array", async () => {
    const shipped = [{ prod: "R31" }, { prod: "S39" }];
    const input = { detail: { shipped } };
    assert.deepEqual(
      await L.items({ Type: "Map", Items: "{% $states.input.detail.shipped %}" }, scope(input)),
      shipped,
    );
    assert.deepEqual(await L.items({ Type: "Map", Items: [1, "{% 2 %}"] }, scope({})), [1, 2]);
    assert.deepEqual(await L.items({ Type: "Map" }, scope([3])), [3]);
    await assert.rejects(
      L.items({ Type: "Map", Items: "{% $states.input.detail %}" }, scope(input)),
      queryError(/'Items'.*array/),
    );
    await assert.rejects(
      L.items({ Type: "Map" }, scope({})),
      (e: unknown) => e instanceof StatesError && e.error === "States.Runtime",
    );
  });

  test("ItemSelector builds each iteration's input from $states.context.Map.Item", async () => {
    const state = {
      Type: "Map",
      ItemSelector: {
        parcel: "{% $states.context.Map.Item.Value %}",
        courier: "{% $states.input.partner %}",
      },
    };
    const item = { prod: "R31" };
    const itemScope = scope({ partner: "UQS" }, {}, { Map: { Item: { Index: 0, Value: item } } });
    assert.deepEqual(await L.effectiveInput(state, itemScope, "ItemSelector"), {
      parcel: item,
      courier: "UQS",
    });
    assert.deepEqual(await L.effectiveInput({ Type: "Map" }, itemScope, "ItemSelector"), item);
  });
});

describe("Task timeouts and Fail", () => {
  test("TimeoutSeconds and HeartbeatSeconds, literal or JSONata, must be positive integers", async () => {
    assert.deepEqual(await L.timeouts({ Type: "Task" }, scope({})), {});
    assert.deepEqual(
      await L.timeouts(
        { Type: "Task", TimeoutSeconds: "{% $t %}", HeartbeatSeconds: 5 },
        scope({}, { t: 30 }),
      ),
      { timeoutSeconds: 30, heartbeatSeconds: 5 },
    );
    await assert.rejects(
      L.timeouts({ Type: "Task", TimeoutSeconds: "{% $name %}" }, scope({}, { name: "x" })),
      queryError(/'TimeoutSeconds'/),
    );
    await assert.rejects(
      L.timeouts({ Type: "Task", HeartbeatSeconds: "{% 0 %}" }, scope({})),
      queryError(/'HeartbeatSeconds'/),
    );
  });

  test("Fail's Error and Cause, literal or JSONata, must be strings", async () => {
    const state = { Type: "Fail", Error: "{% $states.input.Error %}", Cause: "{% $states.input.Cause %}" };
    assert.deepEqual(await L.failure(state, scope({ Error: "E", Cause: "C" })), { error: "E", cause: "C" });
    assert.deepEqual(await L.failure({ Type: "Fail", Error: "ErrorA" }, scope({})), { error: "ErrorA" });
    await assert.rejects(L.failure(state, scope({ Error: 1, Cause: "C" })), queryError(/'Error'/));
  });
});
