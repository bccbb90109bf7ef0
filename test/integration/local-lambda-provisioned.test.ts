import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import type { InvokeResult } from "../../src/local/lambda/types.ts";
import { HoldGate } from "../support/hold-gate.ts";
import { type Bundles, buildFixtures, createHarness, type Harness, parse } from "../support/lambda-rig.ts";
import { functionSpec } from "../support/specs.ts";

let bundles: Bundles;
before(async () => {
  bundles = await buildFixtures(["echo"]);
});
after(() => bundles.cleanup());

const HOUR = 3_600_000;

function report(harness: Harness, result: InvokeResult): string {
  return harness.logs.of(result.requestId).find((line) => line.startsWith("REPORT")) ?? "";
}

function initType(result: InvokeResult): unknown {
  return (parse(result.payload).env as Record<string, string>).AWS_LAMBDA_INITIALIZATION_TYPE;
}

function info(harness: Harness, name: string) {
  const fn = harness.service.functionStates().find((f) => f.functionName === name);
  return {
    provisioned: fn?.provisioned,
    available: fn?.provisionedAvailable,
    warm: fn?.warm,
    busy: fn?.busy,
  };
}

describe("provisioned concurrency", { timeout: 60_000 }, () => {
  test("serves invocations within capacity without a cold start, and starts on-demand environments cold beyond it", async () => {
    const clock = new ManualClock();
    const harness = createHarness(
      clock,
      [functionSpec("echo", { provisionedConcurrency: { kind: "fixed", capacity: 2 } })],
      { echo: { file: bundles.file("echo"), exportName: "echo" } },
    );
    const gate = await HoldGate.open();
    try {
      await harness.service.activate();
      await harness.service.provisioningSettled();
      assert.deepEqual(info(harness, "echo"), { provisioned: 2, available: 2, warm: 0, busy: 0 });

      const calls = [1, 2, 3].map(() =>
        harness.service.invoke("echo", { payload: JSON.stringify({ gate: gate.url }) }),
      );
      await gate.arrived(3);
      assert.deepEqual(info(harness, "echo"), { provisioned: 2, available: 0, warm: 0, busy: 3 });
      gate.release();
      const results = await Promise.all(calls);
      assert.deepEqual(
        results.map((r) => r.coldStart),
        [false, false, true],
      );
      assert.deepEqual(results.map(initType), [
        "provisioned-concurrency",
        "provisioned-concurrency",
        "on-demand",
      ]);
      assert.doesNotMatch(report(harness, results[0] as InvokeResult), /Init Duration/);
      assert.match(report(harness, results[2] as InvokeResult), /Init Duration/);
      // Provisioned environments go back to the provisioned set; the on-demand one stays warm apart.
      assert.deepEqual(info(harness, "echo"), { provisioned: 2, available: 2, warm: 1, busy: 0 });
    } finally {
      await gate.close();
      await harness.close();
    }
  });

  test("follows its scaling schedule on the clock: out at 11:45, back to 0 at 13:15", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const schedule = {
      kind: "scheduled" as const,
      actions: [
        { expression: "cron(45 11 * * ? *)", capacity: 2, timezone: "UTC" },
        { expression: "cron(15 13 * * ? *)", capacity: 0, timezone: "UTC" },
      ],
    };
    const harness = createHarness(clock, [functionSpec("peak", { provisionedConcurrency: schedule })], {
      peak: { file: bundles.file("echo"), exportName: "echo" },
    });
    try {
      await harness.service.activate();
      assert.equal(info(harness, "peak").provisioned, 0);

      await clock.advance(11 * HOUR + 45 * 60_000);
      await harness.service.provisioningSettled();
      assert.deepEqual(info(harness, "peak"), { provisioned: 2, available: 2, warm: 0, busy: 0 });
      const inPeak = await harness.service.invoke("peak", { payload: "{}" });
      assert.equal(inPeak.coldStart, false);
      assert.equal(initType(inPeak), "provisioned-concurrency");

      await clock.advance(90 * 60_000);
      assert.deepEqual(info(harness, "peak"), { provisioned: 0, available: 0, warm: 0, busy: 0 });
      const after = await harness.service.invoke("peak", { payload: "{}" });
      assert.equal(after.coldStart, true);
      assert.equal(initType(after), "on-demand");
    } finally {
      await harness.close();
    }
  });
});
