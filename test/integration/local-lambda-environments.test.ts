import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { HoldGate } from "../support/hold-gate.ts";
import { type Bundles, buildFixtures, createHarness, type Harness, parse } from "../support/lambda-rig.ts";
import { functionSpec } from "../support/specs.ts";

interface Echo {
  invocations: number;
  readEnv: string | null;
  env: Record<string, string>;
  context: Record<string, unknown>;
}

const echo = (payload: string) => parse(payload) as unknown as Echo;

let bundles: Bundles;
before(async () => {
  bundles = await buildFixtures(["echo", "version-1", "version-2"]);
});
after(() => bundles.cleanup());

describe("execution environments", { timeout: 60_000 }, () => {
  let clock: ManualClock;
  let harness: Harness;
  let gate: HoldGate;

  before(async () => {
    clock = new ManualClock();
    gate = await HoldGate.open();
    harness = createHarness(
      clock,
      [
        functionSpec("echo", { environment: { OWN: "function value", SHARED: "function wins" } }),
        functionSpec("idle"),
        functionSpec("linger"),
      ],
      {
        echo: { file: bundles.file("echo"), exportName: "echo" },
        idle: { file: bundles.file("echo"), exportName: "echo" },
        linger: { file: bundles.file("echo"), exportName: "echo" },
      },
      {
        idleTimeoutMs: 60_000,
        environment: { SHARED: "extra loses", EXTRA: "extra value", AWS_REGION: "nope" },
      },
    );
  });
  after(async () => {
    await harness.close();
    await gate.close();
  });

  test("initialises an environment once and reuses it warm", async () => {
    const first = await harness.service.invoke("echo", { payload: "{}" });
    const second = await harness.service.invoke("echo", { payload: "{}" });
    assert.equal(first.coldStart, true);
    assert.equal(second.coldStart, false);
    assert.equal(echo(first.payload).invocations, 1);
    assert.equal(echo(second.payload).invocations, 2);
    assert.equal(echo(second.payload).context.logStreamName, echo(first.payload).context.logStreamName);
    const inits = harness.logs.lines.filter(
      (line) => line.functionName === "echo" && line.text.endsWith("echo initialised"),
    );
    assert.equal(inits.length, 1);
    assert.equal(inits[0]?.requestId, undefined, "init logs carry no request id, as on Lambda");
  });

  test("runs concurrent invocations in separate environments with their own module state and process.env", async () => {
    const writer = harness.service.invoke("echo", {
      payload: JSON.stringify({ gate: gate.url, setEnv: "MARK" }),
    });
    const reader = harness.service.invoke("echo", {
      payload: JSON.stringify({ gate: gate.url, readEnv: "MARK" }),
    });
    await gate.arrived(2);
    assert.deepEqual(
      harness.service.stats().find((s) => s.functionName === "echo"),
      { functionName: "echo", warm: 0, busy: 2, codeGeneration: 0 },
    );
    gate.release();
    const [written, read] = await Promise.all([writer, reader]);
    const fresh = written.coldStart ? echo(written.payload) : echo(read.payload);
    assert.equal(
      [written, read].filter((r) => r.coldStart).length,
      1,
      "exactly one needed a new environment",
    );
    assert.equal(fresh.invocations, 1, "the new environment starts with fresh module state");
    assert.equal(
      echo(read.payload).readEnv,
      null,
      "a variable set in one environment is not seen in another",
    );
    assert.notEqual(echo(written.payload).context.logStreamName, echo(read.payload).context.logStreamName);
    assert.equal(harness.service.stats().find((s) => s.functionName === "echo")?.warm, 2);
  });

  test("reclaims an idle environment once the idle timeout passes on the clock", async () => {
    assert.equal((await harness.service.invoke("idle", { payload: "{}" })).coldStart, true);
    await clock.advance(59_999);
    assert.equal(harness.service.stats().find((s) => s.functionName === "idle")?.warm, 1);
    await clock.advance(1);
    assert.equal(harness.service.stats().find((s) => s.functionName === "idle")?.warm, 0);
    const again = await harness.service.invoke("idle", { payload: "{}" });
    assert.equal(again.coldStart, true);
    assert.equal(echo(again.payload).invocations, 1);
  });

  test("counts the idle timeout from an environment's last invocation, not its first", async () => {
    const warm = () => harness.service.stats().find((s) => s.functionName === "linger")?.warm;
    assert.equal((await harness.service.invoke("linger", { payload: "{}" })).coldStart, true);
    await clock.advance(40_000);
    assert.equal((await harness.service.invoke("linger", { payload: "{}" })).coldStart, false);
    // Past the first invocation's timeout: the environment was used since, so it stays.
    await clock.advance(59_999);
    assert.equal(warm(), 1);
    await clock.advance(1);
    assert.equal(warm(), 0);
  });

  test("sets the variables Lambda sets, then the function's own over Sluice's extras", async () => {
    const { env } = echo((await harness.service.invoke("echo", { payload: "{}" })).payload);
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, "app-echo");
    assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, "$LATEST");
    assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, "128");
    assert.equal(env.AWS_LAMBDA_LOG_GROUP_NAME, "/aws/lambda/app-echo");
    assert.match(env.AWS_LAMBDA_LOG_STREAM_NAME ?? "", /^2026\/01\/01\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.equal(env.AWS_EXECUTION_ENV, "AWS_Lambda_nodejs22.x");
    assert.equal(env.AWS_LAMBDA_INITIALIZATION_TYPE, "on-demand");
    assert.equal(env.AWS_REGION, "eu-west-1", "reserved variables cannot be overridden");
    assert.equal(env.AWS_DEFAULT_REGION, "eu-west-1");
    assert.equal(env.TZ, ":UTC");
    assert.equal(env._HANDLER, "echo.echo");
    assert.equal(env.LAMBDA_TASK_ROOT, bundles.file("echo").replace(/\/echo\.mjs$/, ""));
    assert.equal(env.OWN, "function value");
    assert.equal(env.EXTRA, "extra value");
    assert.equal(env.SHARED, "function wins");
    assert.equal(env.HOME, undefined, "the host's own variables stay out");
  });

  test("passes Lambda's context to the handler", async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { tenant: "t1" } })).toString("base64");
    const result = await harness.service.invoke("echo", {
      payload: "{}",
      clientContext,
      requestId: "fixed-request-id",
    });
    const { context, env } = echo(result.payload);
    assert.equal(result.requestId, "fixed-request-id");
    assert.equal(context.awsRequestId, "fixed-request-id");
    assert.equal(context.functionName, "app-echo");
    assert.equal(context.functionVersion, "$LATEST");
    assert.equal(context.invokedFunctionArn, "arn:aws:lambda:eu-west-1:123456789012:function:app-echo");
    assert.equal(context.memoryLimitInMB, "128");
    assert.equal(context.logGroupName, "/aws/lambda/app-echo");
    assert.equal(context.logStreamName, env.AWS_LAMBDA_LOG_STREAM_NAME);
    assert.deepEqual(context.clientContext, { custom: { tenant: "t1" } });
    assert.equal(context.identity, undefined);
    assert.equal(context.waits, true);
    assert.equal(context.hasSucceed, true);
    const remaining = context.remaining as number;
    assert.ok(remaining > 0 && remaining <= 3000, `remaining time ${remaining} is within the 3 s timeout`);
  });
});

describe("reload", { timeout: 60_000 }, () => {
  test("runs new code in new environments while an in-flight invocation finishes on the old code", async () => {
    const clock = new ManualClock();
    const gate = await HoldGate.open();
    let current = "version-1";
    const harness = createHarness(clock, [functionSpec("version")], {
      get version() {
        return { file: bundles.file(current), exportName: "handler" };
      },
    });
    try {
      const idleOld = await harness.service.invoke("version", { payload: "{}" });
      const inFlight = harness.service.invoke("version", { payload: JSON.stringify({ gate: gate.url }) });
      const spare = await harness.service.invoke("version", { payload: "{}" });
      await gate.arrived(1);
      assert.deepEqual(parse(idleOld.payload), { version: 1 });
      assert.equal(spare.coldStart, true, "the first environment was busy, so a second one started");

      current = "version-2";
      await harness.service.reload();
      assert.deepEqual(harness.service.stats()[0], {
        functionName: "version",
        warm: 0,
        busy: 1,
        codeGeneration: 1,
      });

      const fresh = await harness.service.invoke("version", { payload: "{}" });
      assert.equal(fresh.coldStart, true);
      assert.deepEqual(parse(fresh.payload), { version: 2 });

      gate.release();
      assert.deepEqual(parse((await inFlight).payload), { version: 1 });
      assert.equal(harness.service.stats()[0]?.warm, 1, "the old environment ended after its invocation");
      const warm = await harness.service.invoke("version", { payload: "{}" });
      assert.equal(warm.coldStart, false);
      assert.deepEqual(parse(warm.payload), { version: 2 });
    } finally {
      await harness.close();
      await gate.close();
    }
  });
});
