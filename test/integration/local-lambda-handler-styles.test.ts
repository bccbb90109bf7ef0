import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { type Bundles, buildFixtures, createHarness, type Harness, parse } from "../support/lambda-rig.ts";
import { functionSpec } from "../support/specs.ts";

let bundles: Bundles;
before(async () => {
  bundles = await buildFixtures(["styles", "modern", "cjs", "echo"]);
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
const MODERN = ["asyncStyle", "syncReturn", "contextShape", "neverSettles"];

describe("handler styles", { timeout: 60_000 }, () => {
  let harness: Harness;

  before(() => {
    const functions = [
      ...STYLES.map((name) => functionSpec(name)),
      ...MODERN.map((name) => functionSpec(`modern-${name}`, { runtime: "nodejs24.x" })),
      functionSpec("cjs"),
      functionSpec("esm"),
    ];
    const code: Record<string, { file: string; exportName: string }> = {
      cjs: { file: bundles.file("cjs"), exportName: "handler" },
      esm: { file: bundles.file("echo"), exportName: "echo" },
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

  test("runs a CommonJS user module and an ESM one", async () => {
    const cjs = await invoke("cjs", '{"k":"v"}');
    assert.deepEqual(parse(cjs.payload), { module: "commonjs", calls: 1, event: { k: "v" } });
    assert.equal(parse((await invoke("cjs")).payload).calls, 2);
    assert.equal(parse((await invoke("esm")).payload).invocations, 1);
  });
});
