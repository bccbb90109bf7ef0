import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { HoldGate } from "../support/hold-gate.ts";
import { type Bundles, buildFixtures, createHarness, type Harness } from "../support/lambda-rig.ts";
import { functionSpec } from "../support/specs.ts";

let bundles: Bundles;
before(async () => {
  bundles = await buildFixtures(["echo"]);
});
after(() => bundles.cleanup());

describe("concurrency", { timeout: 60_000 }, () => {
  let harness: Harness;
  let gate: HoldGate;

  before(async () => {
    gate = await HoldGate.open();
    const code = { file: bundles.file("echo"), exportName: "echo" };
    harness = createHarness(
      new ManualClock(),
      [
        functionSpec("one", { reservedConcurrency: 1 }),
        functionSpec("two", { reservedConcurrency: 2 }),
        functionSpec("off", { reservedConcurrency: 0 }),
        functionSpec("free"),
      ],
      { one: code, two: code, off: code, free: code },
    );
  });
  after(async () => {
    await harness.close();
    await gate.close();
  });

  test("throttles above reserved concurrency with TooManyRequestsException, then admits again", async () => {
    const held = harness.service.invoke("one", { payload: JSON.stringify({ gate: gate.url }) });
    await gate.arrived(1);
    assert.equal(harness.service.hasCapacity("one"), false);
    await assert.rejects(
      harness.service.invoke("one", { payload: "{}" }),
      (error: Error & Record<string, unknown>) => {
        assert.equal(error.code, "TooManyRequestsException");
        assert.equal(error.statusCode, 429);
        assert.equal(error.message, "Rate Exceeded.");
        assert.equal(
          (error.context as Record<string, unknown>).Reason,
          "ReservedFunctionConcurrentInvocationLimitExceeded",
        );
        return true;
      },
    );
    gate.release();
    assert.equal((await held).functionError, undefined);
    assert.equal(harness.service.hasCapacity("one"), true);
    assert.equal((await harness.service.invoke("one", { payload: "{}" })).coldStart, false);
  });

  test("always throttles a function whose reserved concurrency is 0", async () => {
    assert.equal(harness.service.hasCapacity("off"), false);
    await assert.rejects(harness.service.invoke("off", { payload: "{}" }), {
      code: "TooManyRequestsException",
    });
  });

  test("never runs two invocations in one environment", async () => {
    const local = await HoldGate.open();
    try {
      const calls = [1, 2].map(() =>
        harness.service.invoke("two", { payload: JSON.stringify({ gate: local.url }) }),
      );
      await local.arrived(2);
      assert.deepEqual(
        harness.service.stats().find((s) => s.functionName === "two"),
        {
          functionName: "two",
          warm: 0,
          busy: 2,
          codeGeneration: 0,
        },
      );
      assert.equal(harness.service.hasCapacity("two"), false);
      local.release();
      const results = await Promise.all(calls);
      assert.deepEqual(
        results.map((r) => r.coldStart),
        [true, true],
      );
      const streams = results.map(
        (r) => (JSON.parse(r.payload) as { context: { logStreamName: string } }).context.logStreamName,
      );
      assert.notEqual(streams[0], streams[1]);
      assert.equal(harness.service.stats().find((s) => s.functionName === "two")?.warm, 2);
    } finally {
      await local.close();
    }
  });

  test("lets an unreserved function scale while the account has capacity", async () => {
    assert.equal(harness.service.hasCapacity("free"), true);
    const results = await Promise.all([1, 2, 3].map(() => harness.service.invoke("free", { payload: "{}" })));
    assert.ok(results.every((r) => r.functionError === undefined));
  });
});

describe("close", { timeout: 60_000 }, () => {
  test("ends in-flight invocations with SLUICE_LAMBDA_CLOSED and refuses new ones", async () => {
    const gate = await HoldGate.open();
    const harness = createHarness(new ManualClock(), [functionSpec("echo")], {
      echo: { file: bundles.file("echo"), exportName: "echo" },
    });
    try {
      const inFlight = harness.service.invoke("echo", { payload: JSON.stringify({ gate: gate.url }) });
      await gate.arrived(1);
      await harness.close();
      await assert.rejects(inFlight, { code: "SLUICE_LAMBDA_CLOSED" });
      await assert.rejects(harness.service.invoke("echo", { payload: "{}" }), {
        code: "SLUICE_LAMBDA_CLOSED",
      });
      assert.equal(harness.service.hasCapacity("echo"), false);
    } finally {
      await gate.close();
    }
  });
});
