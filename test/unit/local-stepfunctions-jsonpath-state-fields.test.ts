import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { jsonPathLanguage } from "../../src/local/stepfunctions/language/jsonpath/index.ts";
import { StatesError } from "../../src/local/stepfunctions/language/states-error.ts";
import { scopeOf } from "../support/sfn-scope.ts";

async function rejectsWith(run: Promise<unknown>, error: string, cause?: RegExp): Promise<void> {
  await assert.rejects(run, (e: unknown) => {
    assert.ok(e instanceof StatesError, `expected a StatesError, got ${String(e)}`);
    assert.equal(e.error, error);
    if (cause) assert.match(e.cause, cause);
    return true;
  });
}

const NOW = Date.parse("2016-03-14T01:00:00Z");

// https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
describe("Wait fields", () => {
  test("Seconds and SecondsPath wait from now", async () => {
    assert.equal(
      await jsonPathLanguage.waitUntil({ Type: "Wait", Seconds: 10 }, scopeOf({}), NOW),
      NOW + 10_000,
    );
    const state = { Type: "Wait", SecondsPath: "$.wait" };
    assert.equal(await jsonPathLanguage.waitUntil(state, scopeOf({ wait: 3 }), NOW), NOW + 3_000);
  });

  test("Timestamp and TimestampPath wait until that instant", async () => {
    const state = { Type: "Wait", Timestamp: "2016-03-14T01:59:00Z" };
    assert.equal(
      await jsonPathLanguage.waitUntil(state, scopeOf({}), NOW),
      Date.parse("2016-03-14T01:59:00Z"),
    );
    const byPath = { Type: "Wait", TimestampPath: "$.expirydate" };
    const at = await jsonPathLanguage.waitUntil(
      byPath,
      scopeOf({ expirydate: "2016-03-14T02:00:00+01:00" }),
      NOW,
    );
    assert.equal(at, NOW);
  });

  test("paths read the input after InputPath; a bad value is States.Runtime", async () => {
    const state = { Type: "Wait", InputPath: "$.cfg", SecondsPath: "$.wait" };
    assert.equal(await jsonPathLanguage.waitUntil(state, scopeOf({ cfg: { wait: 1 } }), NOW), NOW + 1_000);
    await rejectsWith(
      jsonPathLanguage.waitUntil({ Type: "Wait", SecondsPath: "$.wait" }, scopeOf({ wait: "soon" }), NOW),
      "States.Runtime",
    );
    await rejectsWith(
      jsonPathLanguage.waitUntil({ Type: "Wait", TimestampPath: "$.t" }, scopeOf({ t: "tomorrow" }), NOW),
      "States.Runtime",
    );
    await rejectsWith(
      jsonPathLanguage.waitUntil({ Type: "Wait", SecondsPath: "$.none" }, scopeOf({}), NOW),
      "States.Runtime",
      /No results for path/,
    );
  });
});

// https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html
describe("Map ItemsPath", () => {
  test("selects the array from the input after InputPath (default $)", async () => {
    assert.deepEqual(await jsonPathLanguage.items({ Type: "Map" }, scopeOf([1, 2])), [1, 2]);
    const state = { Type: "Map", InputPath: "$.detail", ItemsPath: "$.shipped" };
    const items = await jsonPathLanguage.items(state, scopeOf({ detail: { shipped: [{ a: 1 }, { a: 2 }] } }));
    assert.deepEqual(items, [{ a: 1 }, { a: 2 }]);
  });

  test("a value that is not an array is States.Runtime", async () => {
    await rejectsWith(
      jsonPathLanguage.items({ Type: "Map", ItemsPath: "$.x" }, scopeOf({ x: 1 })),
      "States.Runtime",
    );
  });
});

// https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
describe("Task timeouts", () => {
  test("TimeoutSeconds/HeartbeatSeconds, or their Path forms, and nothing when unset", async () => {
    assert.deepEqual(await jsonPathLanguage.timeouts({ Type: "Task" }, scopeOf({})), {});
    assert.deepEqual(
      await jsonPathLanguage.timeouts({ Type: "Task", TimeoutSeconds: 30, HeartbeatSeconds: 5 }, scopeOf({})),
      { timeoutSeconds: 30, heartbeatSeconds: 5 },
    );
    const state = { Type: "Task", TimeoutSecondsPath: "$.t", HeartbeatSecondsPath: "$.h" };
    assert.deepEqual(await jsonPathLanguage.timeouts(state, scopeOf({ t: 60, h: 10 })), {
      timeoutSeconds: 60,
      heartbeatSeconds: 10,
    });
  });

  test("a path to a value that is not a positive integer is States.Runtime", async () => {
    const state = { Type: "Task", TimeoutSecondsPath: "$.t" };
    await rejectsWith(jsonPathLanguage.timeouts(state, scopeOf({ t: 0 })), "States.Runtime");
    await rejectsWith(jsonPathLanguage.timeouts(state, scopeOf({ t: "60" })), "States.Runtime");
  });
});

// https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html
describe("Fail Error and Cause", () => {
  test("static Error and Cause", async () => {
    const state = { Type: "Fail", Error: "ErrorA", Cause: "Kaiju attack" };
    assert.deepEqual(await jsonPathLanguage.failure(state, scopeOf({})), {
      error: "ErrorA",
      cause: "Kaiju attack",
    });
    assert.deepEqual(await jsonPathLanguage.failure({ Type: "Fail" }, scopeOf({})), {});
  });

  test("ErrorPath and CausePath may be paths or intrinsics", async () => {
    const state = {
      Type: "Fail",
      ErrorPath: "$.err",
      CausePath: "States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)",
    };
    const out = await jsonPathLanguage.failure(state, scopeOf({ err: "Custom", Error: "E", Cause: "C" }));
    assert.deepEqual(out, { error: "Custom", cause: "This is a custom error message for E, caused by C." });
  });

  test("a path that is not a string is States.Runtime", async () => {
    await rejectsWith(
      jsonPathLanguage.failure({ Type: "Fail", ErrorPath: "$.e" }, scopeOf({ e: 1 })),
      "States.Runtime",
    );
  });
});
