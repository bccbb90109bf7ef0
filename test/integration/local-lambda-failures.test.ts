import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { CALLBACK_HANDLER_REMOVED } from "../../src/runtime/errors.ts";
import { HoldGate } from "../support/hold-gate.ts";
import { type Bundles, buildFixtures, createHarness, type Harness, parse } from "../support/lambda-rig.ts";
import { functionSpec } from "../support/specs.ts";

let bundles: Bundles;
before(async () => {
  bundles = await buildFixtures(["echo", "failures", "missing", "callback24"]);
});
after(() => bundles.cleanup());

describe("failures", { timeout: 60_000 }, () => {
  let clock: ManualClock;
  let harness: Harness;
  let gate: HoldGate;

  before(async () => {
    clock = new ManualClock();
    gate = await HoldGate.open();
    harness = createHarness(
      clock,
      [
        functionSpec("echo"),
        functionSpec("failures"),
        functionSpec("missing"),
        functionSpec("callback24", { runtime: "nodejs24.x" }),
      ],
      {
        echo: { file: bundles.file("echo"), exportName: "echo" },
        failures: { file: bundles.file("failures"), exportName: "handler" },
        missing: { file: bundles.file("missing"), exportName: "handler" },
        callback24: { file: bundles.file("callback24"), exportName: "handler" },
      },
    );
  });
  after(async () => {
    await harness.close();
    await gate.close();
  });

  const invoke = (action: string) =>
    harness.service.invoke("failures", { payload: JSON.stringify({ action }) });
  const report = (requestId: string) => harness.logs.of(requestId).find((text) => text.startsWith("REPORT"));

  test("answers a handler's error with Lambda's error object and keeps the environment", async () => {
    const result = await invoke("throw");
    assert.equal(result.statusCode, 200);
    assert.equal(result.functionError, "Unhandled");
    const error = parse(result.payload);
    assert.deepEqual(Object.keys(error), ["errorType", "errorMessage", "trace"]);
    assert.equal(error.errorType, "TypeError");
    assert.equal(error.errorMessage, "bad input");
    assert.equal((error.trace as string[])[0], "TypeError: bad input");
    assert.equal((await invoke("ok")).coldStart, false);
  });

  test("times out on the clock with Sandbox.Timedout and replaces the environment", async () => {
    await harness.service.invoke("echo", { payload: "{}" });
    const pending = harness.service.invoke("echo", { payload: JSON.stringify({ gate: gate.url }) });
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await gate.arrived(1);
    await clock.advance(2999);
    assert.equal(settled, false);
    await clock.advance(1);
    const result = await pending;
    assert.equal(result.functionError, "Unhandled");
    assert.deepEqual(parse(result.payload), {
      errorType: "Sandbox.Timedout",
      errorMessage: `RequestId: ${result.requestId} Error: Task timed out after 3.00 seconds`,
    });
    const lines = harness.logs.of(result.requestId);
    assert.ok(
      lines.includes(
        `${new Date(clock.now()).toISOString()} ${result.requestId} Task timed out after 3.00 seconds`,
      ),
      lines.join("\n"),
    );
    assert.match(
      report(result.requestId) ?? "",
      /\tDuration: 3000\.00 ms\tBilled Duration: 3000 ms\t.*\tStatus: timeout$/,
    );
    const next = await harness.service.invoke("echo", { payload: "{}" });
    assert.equal(next.coldStart, true, "the timed-out environment is gone");
    assert.equal(parse(next.payload).invocations, 1);
    gate.release();
  });

  test("fails with the uncaught exception and discards that environment only", async () => {
    await harness.service.invoke("echo", { payload: "{}" });
    const result = await invoke("uncaught");
    assert.equal(result.functionError, "Unhandled");
    const error = parse(result.payload);
    assert.equal(error.errorType, "Error");
    assert.equal(error.errorMessage, "uncaught boom");
    assert.ok(
      harness.logs.of(result.requestId).some((text) => text.includes("\tERROR\tUncaught Exception \t{")),
    );
    assert.equal((await invoke("ok")).coldStart, true);
    assert.equal(
      (await harness.service.invoke("echo", { payload: "{}" })).coldStart,
      false,
      "other environments are unharmed",
    );
  });

  test("fails with Runtime.UnhandledPromiseRejection and discards the environment", async () => {
    const result = await invoke("rejection");
    const error = parse(result.payload);
    assert.equal(error.errorType, "Runtime.UnhandledPromiseRejection");
    assert.equal(error.errorMessage, "Error: rejected boom");
    assert.ok(
      harness.logs
        .of(result.requestId)
        .some((text) => text.includes("\tERROR\tUnhandled Promise Rejection \t{")),
    );
    assert.equal((await invoke("ok")).coldStart, true);
  });

  test("answers process.exit with Runtime.ExitError", async () => {
    const result = await invoke("exit");
    assert.equal(result.functionError, "Unhandled");
    assert.deepEqual(parse(result.payload), {
      errorType: "Runtime.ExitError",
      errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: exit status 3`,
    });
    const lines = harness.logs.of(result.requestId);
    assert.ok(
      lines.includes(
        `RequestId: ${result.requestId} Error: Runtime exited with error: exit status 3\nRuntime.ExitError`,
      ),
    );
    assert.match(report(result.requestId) ?? "", /\tStatus: error\tError Type: Runtime\.ExitError$/);
    assert.equal((await invoke("ok")).coldStart, true);
  });

  test("enforces the memory size: a function that outgrows 128 MB ends with Runtime.OutOfMemory", async () => {
    const result = await invoke("hog");
    assert.deepEqual(parse(result.payload), {
      errorType: "Runtime.OutOfMemory",
      errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: signal: killed`,
    });
    assert.match(
      report(result.requestId) ?? "",
      /\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime\.OutOfMemory$/,
    );
    assert.equal((await invoke("ok")).coldStart, true);
  });

  test("answers a response over 6 MB with Function.ResponseSizeTooLarge", async () => {
    const result = await invoke("huge");
    assert.equal(result.functionError, "Unhandled");
    assert.deepEqual(parse(result.payload), {
      errorMessage:
        "Response payload size (6291558 bytes) exceeded maximum allowed payload size (6291556 bytes).",
      errorType: "Function.ResponseSizeTooLarge",
    });
  });

  test("fails an init whose export is missing with Runtime.HandlerNotFound, every time", async () => {
    const result = await harness.service.invoke("missing", { payload: "{}" });
    assert.equal(result.coldStart, true);
    const error = parse(result.payload);
    assert.equal(error.errorType, "Runtime.HandlerNotFound");
    assert.equal(error.errorMessage, "src/missing.handler is undefined or not exported");
    const initReport = harness.logs.lines.find(
      (line) => line.functionName === "missing" && line.text.startsWith("INIT_REPORT"),
    );
    assert.match(
      initReport?.text ?? "",
      /^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: init\tStatus: error\tError Type: Runtime\.HandlerNotFound$/,
    );
    assert.ok(
      harness.logs.of(result.requestId).includes(`START RequestId: ${result.requestId} Version: $LATEST`),
    );
    assert.equal((await harness.service.invoke("missing", { payload: "{}" })).coldStart, true);
  });

  test("refuses a callback handler on nodejs24.x at init with Runtime.CallbackHandlerDeprecated", async () => {
    const result = await harness.service.invoke("callback24", { payload: "{}" });
    const error = parse(result.payload);
    assert.equal(error.errorType, "Runtime.CallbackHandlerDeprecated");
    assert.equal(error.errorMessage, CALLBACK_HANDLER_REMOVED);
  });

  test("rejects a request over 6 MB with RequestTooLargeException before running anything", async () => {
    const payload = JSON.stringify("x".repeat(6 * 1024 * 1024));
    await assert.rejects(harness.service.invoke("failures", { payload }), {
      code: "RequestTooLargeException",
      statusCode: 413,
      message: "Request must be smaller than 6291456 bytes for the InvokeFunction operation",
    });
  });

  test("checks the size of a payload the caller serialised itself, and skips only its parse", async () => {
    const payload = JSON.stringify("x".repeat(6 * 1024 * 1024));
    await assert.rejects(harness.service.invoke("failures", { payload, serialized: true }), {
      code: "RequestTooLargeException",
      statusCode: 413,
    });
    // Not JSON, but marked serialised: the environment, not the API, fails to parse it.
    const result = await harness.service.invoke("failures", { payload: "{not json", serialized: true });
    assert.equal(result.functionError, "Unhandled");
  });

  test("rejects a payload that is not JSON with InvalidRequestContentException", async () => {
    await assert.rejects(harness.service.invoke("failures", { payload: "{not json" }), {
      code: "InvalidRequestContentException",
      statusCode: 400,
    });
  });

  test("rejects a client context that is not base64 JSON with InvalidParameterValueException", async () => {
    const clientContext = Buffer.from("not json").toString("base64");
    await assert.rejects(harness.service.invoke("failures", { payload: "{}", clientContext }), {
      code: "InvalidParameterValueException",
      statusCode: 400,
    });
  });

  test("rejects an unknown function with ResourceNotFoundException", async () => {
    await assert.rejects(harness.service.invoke("nope", { payload: "{}" }), {
      code: "ResourceNotFoundException",
      statusCode: 404,
      message: "Function not found: arn:aws:lambda:eu-west-1:123456789012:function:nope",
    });
  });
});
