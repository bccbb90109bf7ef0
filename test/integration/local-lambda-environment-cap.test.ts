import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { createLambdaService } from "../../src/local/lambda/lambda-service.ts";
import type { LocalLambdaService } from "../../src/local/lambda/types.ts";
import { type CloudEvent, LocalCloud } from "../../src/local/local-cloud.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { HoldGate } from "../support/hold-gate.ts";
import { type Bundles, buildFixtures, LogCollector } from "../support/lambda-rig.ts";
import { Recorder } from "../support/recorder.ts";
import { functionSpec } from "../support/specs.ts";
import { tempDir } from "../support/temp.ts";

/** Bound for awaited events (real time): far above their expected time, so a hang fails the test. */
const EVENT_TIMEOUT_MS = 20_000;

let bundles: Bundles;
before(async () => {
  bundles = await buildFixtures(["echo"]);
});
after(() => bundles.cleanup());

function capped(maxEnvironments: number, names: readonly string[]): LocalLambdaService {
  return createLambdaService({
    functions: names.map((name) => functionSpec(name)),
    code: () => ({ file: bundles.file("echo"), exportName: "echo" }),
    clock: new ManualClock(),
    region: "eu-west-1",
    accountId: "123456789012",
    maxEnvironments,
  });
}

function warm(service: LocalLambdaService): Record<string, number> {
  return Object.fromEntries(service.stats().map((s) => [s.functionName, s.warm]));
}

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), EVENT_TIMEOUT_MS).unref(),
    ),
  ]);
}

describe("the cap on execution environments", { timeout: 120_000 }, () => {
  test("throttles the invocation that would start environment N+1 as Lambda throttles, then admits after one finishes", async (t) => {
    const service = capped(2, ["a", "b"]);
    const gate = await HoldGate.open();
    t.after(async () => {
      await service.close();
      await gate.close();
    });
    const held = [1, 2].map(() => service.invoke("a", { payload: JSON.stringify({ gate: gate.url }) }));
    await gate.arrived(2);
    assert.equal(service.hasCapacity("a"), false);
    assert.equal(service.hasCapacity("b"), false, "the cap counts every function's environments");
    for (const name of ["a", "b"]) {
      await assert.rejects(
        service.invoke(name, { payload: "{}" }),
        (error: Error & Record<string, unknown>) => {
          assert.equal(error.code, "TooManyRequestsException");
          assert.equal(error.statusCode, 429);
          assert.equal(error.message, "Rate Exceeded.");
          assert.equal(
            (error.context as Record<string, unknown>).Reason,
            "ConcurrentInvocationLimitExceeded",
          );
          assert.equal((error.context as Record<string, unknown>).Type, "User");
          return true;
        },
      );
    }
    gate.release();
    for (const result of await Promise.all(held)) assert.equal(result.functionError, undefined);
    assert.equal(service.hasCapacity("a"), true);
    const again = await service.invoke("a", { payload: "{}" });
    assert.equal(again.functionError, undefined);
    assert.equal(again.coldStart, false, "a warm environment needs no room");
  });

  test("ends the environment idle the longest, of any function, to make room", async (t) => {
    const service = capped(2, ["a", "b", "c"]);
    const logs = new LogCollector(service);
    t.after(() => service.close());
    await service.invoke("a", { payload: "{}" });
    await service.invoke("b", { payload: "{}" });
    assert.deepEqual(warm(service), { a: 1, b: 1, c: 0 });
    assert.equal(service.hasCapacity("c"), true);

    const c = await service.invoke("c", { payload: "{}" });
    assert.equal(c.functionError, undefined);
    assert.equal(c.coldStart, true);
    assert.deepEqual(warm(service), { a: 0, b: 1, c: 1 }, "a's environment was idle the longest");

    // b is now the longest idle: invoking a again ends b's, and c's warm environment stays.
    const a = await service.invoke("a", { payload: "{}" });
    assert.equal(a.coldStart, true);
    assert.deepEqual(warm(service), { a: 1, b: 0, c: 1 });
    assert.equal(logs.lines.filter((line) => line.text.startsWith("REPORT")).length, 4);
  });

  test("refuses a cap below one", () => {
    assert.throws(() => capped(0, ["a"]), { code: "SLUICE_INVALID_MAX_ENVIRONMENTS" });
    assert.throws(() => capped(1.5, ["a"]), { code: "SLUICE_INVALID_MAX_ENVIRONMENTS" });
  });

  test("an SQS event source and an async invocation wait through the throttle and run once there is room", async (t) => {
    const temp = tempDir("sluice-environment-cap-");
    const clock = new ManualClock();
    const gate = await HoldGate.open();
    const events = new Recorder<CloudEvent>();
    const cloud = new LocalCloud({
      spec: normaliseApp({
        name: "capped",
        queues: { jobs: {} },
        functions: {
          holder: { handler: "src/holder.handler" },
          worker: { handler: "src/worker.handler", consumes: { queue: "jobs" } },
          later: { handler: "src/later.handler" },
        },
      }),
      stateDir: temp.dir,
      clock,
      code: () => ({ file: bundles.file("echo"), exportName: "echo" }),
      maxEnvironments: 1,
      onEvent: (event) => events.push(event),
    });
    t.after(async () => {
      await cloud.close();
      await gate.close();
      temp.cleanup();
    });
    const logs = new LogCollector(cloud.lambda);
    cloud.start();
    const startedOtherThanHolder = () =>
      logs.lines.some((line) => line.functionName !== "holder" && line.text.startsWith("START"));

    // The event source: its invoke is throttled while the holder has the only environment.
    let held = cloud.lambda.invoke("holder", { payload: JSON.stringify({ gate: gate.url }) });
    await within(gate.arrived(1), "the holder to start");
    cloud.sqs.sendMessage("jobs", { body: "job" });
    await within(
      events.until(
        (seen) => seen.some((e) => e.type === "throttled" && e.functionName === "worker"),
        "the event source to be throttled",
      ),
      "the throttle",
    );
    // Each back-off runs out and meets the throttle again (within the holder's 3 s timeout).
    await clock.advance(1_500);
    assert.equal(
      startedOtherThanHolder(),
      false,
      "nothing else ran while the holder had the only environment",
    );
    gate.release();
    assert.equal((await held).functionError, undefined);
    const workerRan = logs.waitFor(
      (line) => line.functionName === "worker" && line.text.startsWith("REPORT"),
    );
    await clock.advance(1_000);
    await within(workerRan, "the event source's invocation");

    // The async queue: the event waits while there is no room, and runs once the holder is done.
    const second = await HoldGate.open();
    t.after(() => second.close());
    held = cloud.lambda.invoke("holder", { payload: JSON.stringify({ gate: second.url }) });
    await within(second.arrived(1), "the holder to start again");
    const { requestId } = cloud.invokeAsync("later", JSON.stringify({ async: true }));
    await clock.advance(1_500);
    assert.equal(
      logs.lines.some((line) => line.requestId === requestId),
      false,
      "the async event waited for room",
    );
    second.release();
    assert.equal((await held).functionError, undefined);
    const laterRan = logs.waitFor((line) => line.requestId === requestId && line.text.startsWith("REPORT"));
    await clock.advance(1_000);
    await within(laterRan, "the async invocation");
    assert.ok(cloud.lambda.stats().reduce((sum, s) => sum + s.warm + s.busy, 0) <= 1);
  });
});
