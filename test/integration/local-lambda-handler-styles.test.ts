import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { CALLBACK_HANDLER_REMOVED } from "../../src/runtime/errors.ts";
import { type Bundles, buildFixtures, createHarness, type Harness, parse } from "../support/lambda-rig.ts";
import { functionSpec } from "../support/specs.ts";

let bundles: Bundles;
before(async () => {
  bundles = await buildFixtures(["styles", "modern", "cjs", "echo", "async-callback"]);
});
after(() => bundles.cleanup());

const STYLES = [
  "asyncStyle",
  "syncReturn",
  "callbackStyle",
  "callbackError",
  "callbackString",
  "succeedStyle",
  "failStyle",
  "doneStyle",
  "thrown",
];
const MODERN = ["asyncStyle", "syncReturn", "contextShape", "neverSettles", "callsSucceed", "callsDone"];

describe("handler styles", { timeout: 60_000 }, () => {
  let harness: Harness;

  before(() => {
    const functions = [
      ...STYLES.map((name) => functionSpec(name)),
      ...MODERN.map((name) => functionSpec(`modern-${name}`, { runtime: "nodejs24.x" })),
      functionSpec("cjs"),
      functionSpec("esm"),
      functionSpec("callback24", { runtime: "nodejs24.x" }),
      functionSpec("asyncCallback22", { runtime: "nodejs22.x" }),
      functionSpec("asyncCallback24", { runtime: "nodejs24.x" }),
    ];
    const code: Record<string, { file: string; exportName: string }> = {
      cjs: { file: bundles.file("cjs"), exportName: "handler" },
      esm: { file: bundles.file("echo"), exportName: "echo" },
      // The very module whose callback handlers run on nodejs22.x above.
      callback24: { file: bundles.file("styles"), exportName: "callbackStyle" },
      asyncCallback22: { file: bundles.file("async-callback"), exportName: "handler" },
      asyncCallback24: { file: bundles.file("async-callback"), exportName: "handler" },
    };
    for (const name of STYLES) code[name] = { file: bundles.file("styles"), exportName: name };
    for (const name of MODERN) code[`modern-${name}`] = { file: bundles.file("modern"), exportName: name };
    harness = createHarness(new ManualClock(), functions, code);
  });
  after(() => harness.close());

  const invoke = (name: string, payload = "{}") => harness.service.invoke(name, { payload });

  test("returns an async handler's resolved value", async () => {
    const result = await invoke("asyncStyle", '{"x":1}');
    assert.deepEqual(parse(result.payload), { style: "async", event: { x: 1 } });
  });

  test("returns what the callback receives", async () => {
    assert.deepEqual(parse((await invoke("callbackStyle")).payload), { style: "callback" });
  });

  test("fails with the callback's error, a string error typed as string", async () => {
    const failed = await invoke("callbackError");
    assert.equal(failed.functionError, "Unhandled");
    assert.equal(parse(failed.payload).errorType, "RangeError");
    assert.deepEqual(parse((await invoke("callbackString")).payload), {
      errorType: "string",
      errorMessage: "plain string",
      trace: [],
    });
  });

  test("honours context.succeed, context.fail and context.done", async () => {
    assert.deepEqual(parse((await invoke("succeedStyle")).payload), { style: "succeed" });
    assert.equal(parse((await invoke("failStyle")).payload).errorMessage, "failed via context");
    assert.deepEqual(parse((await invoke("doneStyle")).payload), { style: "done" });
  });

  test("answers null for a sync handler on Node.js 22 once its event loop is empty", async () => {
    const result = await invoke("syncReturn");
    assert.equal(result.payload, "null");
    assert.equal(result.functionError, undefined);
  });

  test("reports a thrown error with its own type", async () => {
    assert.equal(parse((await invoke("thrown")).payload).errorType, "TypeError");
  });

  test("on Node.js 24 returns a sync handler's value and gives no callback members", async () => {
    assert.deepEqual(parse((await invoke("modern-asyncStyle")).payload), { style: "async" });
    assert.deepEqual(parse((await invoke("modern-syncReturn")).payload), { style: "sync" });
    assert.deepEqual(parse((await invoke("modern-contextShape")).payload), {
      succeed: "undefined",
      waits: null,
    });
  });

  test("on Node.js 24 a handler that never settles ends its runtime with Runtime.ExitError", async () => {
    const result = await invoke("modern-neverSettles");
    assert.deepEqual(parse(result.payload), {
      errorType: "Runtime.ExitError",
      errorMessage: `RequestId: ${result.requestId} Error: Runtime exited without providing a reason`,
    });
  });

  test("on Node.js 24 the callback handler Node.js 22 runs fails init with Runtime.CallbackHandlerDeprecated", async () => {
    const result = await invoke("callback24");
    assert.equal(result.functionError, "Unhandled");
    const error = parse(result.payload);
    assert.equal(error.errorType, "Runtime.CallbackHandlerDeprecated");
    assert.equal(error.errorMessage, CALLBACK_HANDLER_REMOVED);
    // Init failed, so the next invocation starts a new environment and fails the same way.
    const again = await invoke("callback24");
    assert.equal(parse(again.payload).errorType, "Runtime.CallbackHandlerDeprecated");
  });

  test("decides by declared parameters: an async handler with a callback parameter fails init only on Node.js 24", async () => {
    assert.deepEqual(parse((await invoke("asyncCallback22")).payload), {
      style: "async with callback parameter",
    });
    const refused = await invoke("asyncCallback24");
    assert.equal(parse(refused.payload).errorType, "Runtime.CallbackHandlerDeprecated");
  });

  test("on Node.js 24 context.succeed and context.done are gone: calling one is a TypeError", async () => {
    for (const [name, member] of [
      ["modern-callsSucceed", "succeed"],
      ["modern-callsDone", "done"],
    ] as const) {
      const result = await invoke(name);
      assert.equal(result.functionError, "Unhandled", name);
      const error = parse(result.payload);
      assert.equal(error.errorType, "TypeError", name);
      assert.match(String(error.errorMessage), new RegExp(`context\\.${member} is not a function`), name);
    }
  });

  test("runs a CommonJS user module and an ESM one", async () => {
    const cjs = await invoke("cjs", '{"k":"v"}');
    assert.deepEqual(parse(cjs.payload), { module: "commonjs", calls: 1, event: { k: "v" } });
    assert.equal(parse((await invoke("cjs")).payload).calls, 2);
    assert.equal(parse((await invoke("esm")).payload).invocations, 1);
  });
});
