import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { CALLBACK_HANDLER_REMOVED } from "../../src/runtime/errors.ts";
import { wrapHandler } from "../../src/runtime/index.ts";

const CONTEXT = { awsRequestId: "req-1", functionName: "app-fn", getRemainingTimeInMillis: () => 1000 };
const ORIGINAL_RUNTIME = process.env.AWS_EXECUTION_ENV;

function onRuntime(runtime: string | undefined): void {
  if (runtime === undefined) delete process.env.AWS_EXECUTION_ENV;
  else process.env.AWS_EXECUTION_ENV = runtime;
}

/** "pending" when the promise has not settled once queued callbacks and I/O have run. */
async function state(promise: Promise<unknown>): Promise<string> {
  const settled = promise.then(
    () => "resolved",
    () => "rejected",
  );
  return Promise.race([settled, new Promise<string>((resolve) => setImmediate(() => resolve("pending")))]);
}

afterEach(() => onRuntime(ORIGINAL_RUNTIME));

describe("wrapHandler finds the handler", () => {
  test("uses the named export", async () => {
    const wrapped = wrapHandler({ handler: async (event: unknown) => ({ got: event }) }, "handler", {
      functionName: "fn",
    });
    assert.deepEqual(await wrapped({ a: 1 }, CONTEXT), { got: { a: 1 } });
  });

  test("falls back to default, where a CommonJS module bundled to ESM keeps its exports", async () => {
    const commonJs = { default: { handler: async () => "from module.exports" } };
    const wrapped = wrapHandler(commonJs, "handler", { functionName: "fn" });
    assert.equal(await wrapped({}, CONTEXT), "from module.exports");
  });

  test("follows a dotted export name", async () => {
    const wrapped = wrapHandler({ api: { get: async () => "nested" } }, "api.get", { functionName: "fn" });
    assert.equal(await wrapped({}, CONTEXT), "nested");
  });

  test("fails with Runtime.HandlerNotFound when the export is missing", () => {
    assert.throws(
      () => wrapHandler({ other: () => 1 }, "handler", { functionName: "fn", handler: "src/ingest.handler" }),
      { name: "Runtime.HandlerNotFound", message: "src/ingest.handler is undefined or not exported" },
    );
  });

  test("fails with Runtime.HandlerNotFound when the export is not a function", () => {
    assert.throws(() => wrapHandler({ handler: 42 }, "handler", { functionName: "fn" }), {
      name: "Runtime.HandlerNotFound",
      message: "handler is not a function",
    });
  });
});

describe("wrapHandler on Node.js 20 and 22", () => {
  test("settles with the value the callback receives", async () => {
    onRuntime("AWS_Lambda_nodejs22.x");
    const wrapped = wrapHandler(
      {
        handler: (_e: unknown, _c: unknown, callback: (e: unknown, r: unknown) => void) =>
          callback(null, "via callback"),
      },
      "handler",
      { functionName: "fn" },
    );
    assert.equal(await wrapped({}, CONTEXT), "via callback");
  });

  test("rejects with the callback's error, non-Error values included", async () => {
    onRuntime("AWS_Lambda_nodejs20.x");
    const wrapped = wrapHandler(
      { handler: (_e: unknown, _c: unknown, callback: (e: unknown) => void) => callback("plain string") },
      "handler",
      { functionName: "fn" },
    );
    await assert.rejects(wrapped({}, CONTEXT), (error) => error === "plain string");
  });

  test("settles through context.succeed, context.fail and context.done", async () => {
    onRuntime("AWS_Lambda_nodejs22.x");
    type Ctx = { succeed(r: unknown): void; fail(e?: unknown): void; done(e: unknown, r?: unknown): void };
    const succeed = wrapHandler({ handler: (_e: unknown, c: Ctx) => c.succeed("ok") }, "handler", {
      functionName: "fn",
    });
    const fail = wrapHandler({ handler: (_e: unknown, c: Ctx) => c.fail(new Error("nope")) }, "handler", {
      functionName: "fn",
    });
    const failBare = wrapHandler({ handler: (_e: unknown, c: Ctx) => c.fail() }, "handler", {
      functionName: "fn",
    });
    const done = wrapHandler({ handler: (_e: unknown, c: Ctx) => c.done(null, "done") }, "handler", {
      functionName: "fn",
    });
    assert.equal(await succeed({}, CONTEXT), "ok");
    await assert.rejects(fail({}, CONTEXT), { message: "nope" });
    await assert.rejects(failBare({}, CONTEXT), (error) => error === "handled");
    assert.equal(await done({}, CONTEXT), "done");
  });

  test("lets only the first completion count", async () => {
    onRuntime("AWS_Lambda_nodejs22.x");
    type Ctx = { succeed(r: unknown): void; fail(e?: unknown): void };
    const wrapped = wrapHandler(
      {
        handler: (_e: unknown, c: Ctx, callback: (e: unknown, r: unknown) => void) => {
          c.succeed("first");
          callback(null, "second");
          c.fail(new Error("third"));
        },
      },
      "handler",
      { functionName: "fn" },
    );
    assert.equal(await wrapped({}, CONTEXT), "first");
  });

  test("gives the handler a context copy with the original fields and callbackWaitsForEmptyEventLoop", async () => {
    onRuntime("AWS_Lambda_nodejs22.x");
    let seen: Record<string, unknown> = {};
    const wrapped = wrapHandler(
      {
        handler: async (_e: unknown, c: Record<string, unknown>) => {
          seen = c;
        },
      },
      "handler",
      { functionName: "fn" },
    );
    await wrapped({}, CONTEXT);
    assert.equal(seen.awsRequestId, "req-1");
    assert.equal((seen.getRemainingTimeInMillis as () => number)(), 1000);
    assert.equal(seen.callbackWaitsForEmptyEventLoop, true);
    assert.equal(typeof seen.succeed, "function");
    assert.equal("succeed" in CONTEXT, false, "the caller's context is left untouched");
  });

  test("keeps the context's accessors and hidden fields as they are in the copy", async () => {
    onRuntime("AWS_Lambda_nodejs22.x");
    let waits = true;
    const hidden = Symbol("hidden");
    const context = { awsRequestId: "req-2" };
    Object.defineProperty(context, "callbackWaitsForEmptyEventLoop", {
      get: () => waits,
      set: (value: boolean) => {
        waits = value;
      },
      enumerable: true,
    });
    Object.defineProperty(context, hidden, { value: 7, enumerable: false });
    let seen: Record<string | symbol, unknown> = {};
    const wrapped = wrapHandler(
      {
        handler: async (_e: unknown, c: Record<string | symbol, unknown>) => {
          seen = c;
          c.callbackWaitsForEmptyEventLoop = false;
        },
      },
      "handler",
      { functionName: "fn" },
    );
    await wrapped({}, context);
    assert.equal(waits, false, "the setter reached the runtime's own context");
    assert.equal(seen.awsRequestId, "req-2");
    assert.equal(seen[hidden], 7);
    assert.equal(Object.getOwnPropertyDescriptor(seen, hidden)?.enumerable, false);
    assert.deepEqual(Object.keys(seen), [
      "awsRequestId",
      "callbackWaitsForEmptyEventLoop",
      "succeed",
      "fail",
      "done",
    ]);
  });

  test("ignores a sync handler's return value, leaving completion to the event loop", async () => {
    onRuntime("AWS_Lambda_nodejs22.x");
    const wrapped = wrapHandler({ handler: () => "ignored" }, "handler", { functionName: "fn" });
    assert.equal(await state(wrapped({}, CONTEXT)), "pending");
  });

  test("rejects with a thrown error", async () => {
    onRuntime("AWS_Lambda_nodejs22.x");
    const wrapped = wrapHandler(
      {
        handler: () => {
          throw new RangeError("thrown");
        },
      },
      "handler",
      { functionName: "fn" },
    );
    await assert.rejects(wrapped({}, CONTEXT), RangeError);
  });
});

describe("wrapHandler on Node.js 24", () => {
  test("refuses a callback handler when wrapping, with Lambda's message", () => {
    onRuntime("AWS_Lambda_nodejs24.x");
    assert.throws(
      () =>
        wrapHandler({ handler: (_e: unknown, _c: unknown, _cb: unknown) => undefined }, "handler", {
          functionName: "fn",
        }),
      { name: "Runtime.CallbackHandlerDeprecated", message: CALLBACK_HANDLER_REMOVED },
    );
  });

  test("uses a sync handler's return value", async () => {
    onRuntime("AWS_Lambda_nodejs24.x");
    const wrapped = wrapHandler({ handler: () => "returned" }, "handler", { functionName: "fn" });
    assert.equal(await wrapped({}, CONTEXT), "returned");
  });

  test("passes the context through without succeed, fail or done", async () => {
    onRuntime("AWS_Lambda_nodejs24.x");
    let seen: object | undefined;
    const wrapped = wrapHandler({ handler: async (_e: unknown, c: object) => (seen = c) }, "handler", {
      functionName: "fn",
    });
    await wrapped({}, CONTEXT);
    assert.equal(seen, CONTEXT);
    assert.equal("succeed" in (seen ?? {}), false);
  });

  test("returns a two-parameter function, which Lambda's Node.js 24 runtime accepts", () => {
    onRuntime("AWS_Lambda_nodejs24.x");
    const wrapped = wrapHandler({ handler: async () => 1 }, "handler", {
      functionName: "fn",
      routes: "next",
    });
    assert.equal(wrapped.length, 2);
  });
});
