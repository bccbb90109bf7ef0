import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { INIT_TIMEOUT_MS } from "../../src/local/lambda/limits.ts";
import { HoldGate } from "../support/hold-gate.ts";
import { type Bundles, buildFixtures, createHarness, type Harness, parse } from "../support/lambda-rig.ts";
import { functionSpec } from "../support/specs.ts";

let bundles: Bundles;
before(async () => {
  bundles = await buildFixtures(["echo", "missing", "init-throws", "init-hangs", "version-1", "version-2"]);
});
after(() => bundles.cleanup());

const HOUR = 3_600_000;

/** One function, "fn", running the fixture named by `current()` (read whenever code is loaded). */
function single(
  clock: ManualClock,
  current: () => string,
  extra: Parameters<typeof createHarness>[3] = {},
): Harness {
  return createHarness(
    clock,
    [functionSpec("fn")],
    {
      get fn() {
        const name = current();
        return { file: bundles.file(name), exportName: name === "echo" ? "echo" : "handler" };
      },
    },
    extra,
  );
}

async function withHarness(harness: Harness, body: (h: Harness) => Promise<void>): Promise<void> {
  try {
    await body(harness);
  } finally {
    await harness.close();
  }
}

describe("function states", { timeout: 60_000 }, () => {
  test("a function is Pending while it is created, then Active once an environment has initialised", async () => {
    const clock = new ManualClock();
    await withHarness(
      single(clock, () => "echo"),
      async ({ service }) => {
        assert.deepEqual(service.configuration("fn"), {
          state: "Pending",
          stateReason: "The function is being created.",
          stateReasonCode: "Creating",
          lastUpdateStatus: "InProgress",
          lastUpdateStatusReason: "The function is being created.",
          lastUpdateStatusReasonCode: "Creating",
        });
        const result = await service.invoke("fn", { payload: "{}" });
        assert.equal(result.coldStart, true);
        assert.deepEqual(service.configuration("fn"), { state: "Active", lastUpdateStatus: "Successful" });
        assert.deepEqual(service.configuration("app-fn"), service.configuration("fn"), "physical names too");
      },
    );
  });

  test("activate initialises each function ahead of time, then shuts the environment: the first invocation still starts cold", async () => {
    const clock = new ManualClock();
    await withHarness(
      single(clock, () => "echo"),
      async ({ service, logs }) => {
        await service.activate();
        assert.equal(service.configuration("fn").state, "Active");
        assert.equal(service.stats()[0]?.warm, 0);
        assert.deepEqual(logs.lines, [], "the check's init logs are not the function's");
        const result = await service.invoke("fn", { payload: "{}" });
        assert.equal(result.coldStart, true);
      },
    );
  });

  test("a function whose code cannot load is Failed, with Lambda's init error as the reason", async () => {
    const clock = new ManualClock();
    await withHarness(
      single(clock, () => "init-throws"),
      async ({ service }) => {
        const result = await service.invoke("fn", { payload: "{}" });
        assert.equal(result.functionError, "Unhandled");
        const { errorType, errorMessage } = parse(result.payload) as {
          errorType: string;
          errorMessage: string;
        };
        const reason = `${errorType}: ${errorMessage}`;
        assert.match(reason, /cannot reach the database/);
        assert.deepEqual(service.configuration("fn"), {
          state: "Failed",
          stateReason: reason,
          stateReasonCode: "FunctionError",
          lastUpdateStatus: "Failed",
          lastUpdateStatusReason: reason,
          lastUpdateStatusReasonCode: "FunctionError",
        });
      },
    );
    await withHarness(
      single(clock, () => "missing"),
      async ({ service }) => {
        await service.activate();
        const state = service.configuration("fn");
        assert.equal(state.state, "Failed");
        assert.equal(state.stateReasonCode, "FunctionError");
        assert.match(state.stateReason ?? "", /^Runtime\.HandlerNotFound: /);
      },
    );
  });

  test("an init that outlasts Lambda's init limit fails the function with FunctionError.InitTimeout", async () => {
    const clock = new ManualClock();
    await withHarness(
      single(clock, () => "init-hangs"),
      async ({ service }) => {
        const invocation = service.invoke("fn", { payload: "{}" });
        await clock.advance(INIT_TIMEOUT_MS + 3000);
        const result = await invocation;
        assert.equal(result.functionError, "Unhandled");
        const state = service.configuration("fn");
        assert.equal(state.state, "Failed");
        assert.equal(state.stateReasonCode, "FunctionError.InitTimeout");
        assert.equal(state.stateReason, "Sandbox.Timedout: the init phase did not finish within 13000 ms");
      },
    );
  });

  test("after the idle period without invocations a function is Inactive; the next invocation makes it Pending and starts cold", async () => {
    const clock = new ManualClock();
    const extra = { inactiveAfterMs: HOUR, idleTimeoutMs: 2 * HOUR };
    await withHarness(
      single(clock, () => "echo", extra),
      async ({ service }) => {
        await service.invoke("fn", { payload: "{}" });
        await clock.advance(HOUR - 1);
        assert.equal(service.configuration("fn").state, "Active");
        assert.equal(service.stats()[0]?.warm, 1);
        await clock.advance(1);
        assert.deepEqual(service.configuration("fn"), {
          state: "Inactive",
          stateReason: "The function is currently idle.",
          stateReasonCode: "Idle",
          lastUpdateStatus: "Successful",
        });
        const invocation = service.invoke("fn", { payload: "{}" });
        assert.equal(service.configuration("fn").state, "Pending");
        assert.equal(service.configuration("fn").stateReasonCode, "Restoring");
        const result = await invocation;
        assert.equal(result.coldStart, true, "an inactive function keeps no environment");
        assert.deepEqual(service.configuration("fn"), { state: "Active", lastUpdateStatus: "Successful" });
      },
    );
  });

  test("a function never counts as idle while an invocation runs", async () => {
    const clock = new ManualClock();
    const gate = await HoldGate.open();
    const harness = createHarness(
      clock,
      [functionSpec("fn", { timeoutSeconds: 900 })],
      { fn: { file: bundles.file("echo"), exportName: "echo" } },
      { inactiveAfterMs: 60_000 },
    );
    await withHarness(harness, async ({ service }) => {
      const running = service.invoke("fn", { payload: JSON.stringify({ gate: gate.url }) });
      await gate.arrived(1);
      await clock.advance(120_000);
      assert.equal(service.configuration("fn").state, "Active");
      gate.release();
      await running;
      await clock.advance(59_999);
      assert.equal(
        service.configuration("fn").state,
        "Active",
        "idleness counts from the end of the invocation",
      );
      await clock.advance(1);
      assert.equal(service.configuration("fn").state, "Inactive");
    });
    await gate.close();
  });
});

describe("code updates", { timeout: 60_000 }, () => {
  test("LastUpdateStatus is InProgress while new code is checked and invocations still run the old code; then Successful", async () => {
    const clock = new ManualClock();
    let current = "version-1";
    await withHarness(
      single(clock, () => current),
      async ({ service }) => {
        await service.invoke("fn", { payload: "{}" });
        current = "version-2";
        const reload = service.reload();
        assert.deepEqual(service.configuration("fn"), {
          state: "Active",
          lastUpdateStatus: "InProgress",
          lastUpdateStatusReason: "The function is being created.",
          lastUpdateStatusReasonCode: "Creating",
        });
        const during = await service.invoke("fn", { payload: "{}" });
        assert.deepEqual(parse(during.payload), { version: 1 });
        assert.deepEqual(await reload, []);
        assert.deepEqual(service.configuration("fn"), { state: "Active", lastUpdateStatus: "Successful" });
        const fresh = await service.invoke("fn", { payload: "{}" });
        assert.equal(fresh.coldStart, true);
        assert.deepEqual(parse(fresh.payload), { version: 2 });
      },
    );
  });

  test("when the new code cannot load, LastUpdateStatus is Failed with the init error and the previous code keeps serving", async () => {
    const clock = new ManualClock();
    let current = "version-1";
    await withHarness(
      single(clock, () => current),
      async ({ service }) => {
        await service.invoke("fn", { payload: "{}" });
        current = "init-throws";
        const failures = await service.reload();
        assert.equal(failures.length, 1);
        assert.equal(failures[0]?.functionName, "fn");
        assert.equal(failures[0]?.reasonCode, "FunctionError");
        const state = service.configuration("fn");
        assert.equal(state.state, "Active", "the function still runs its previous code");
        assert.equal(state.lastUpdateStatus, "Failed");
        assert.equal(state.lastUpdateStatusReasonCode, "FunctionError");
        assert.match(state.lastUpdateStatusReason ?? "", /cannot reach the database/);
        const warm = await service.invoke("fn", { payload: "{}" });
        assert.equal(warm.coldStart, false, "its warm environment was kept");
        assert.deepEqual(parse(warm.payload), { version: 1 });
        await clock.advance(600_000); // the idle environment is reclaimed
        const cold = await service.invoke("fn", { payload: "{}" });
        assert.equal(cold.coldStart, true);
        assert.deepEqual(parse(cold.payload), { version: 1 }, "new environments load the previous code too");

        current = "version-2";
        assert.deepEqual(await service.reload(), []);
        assert.equal(service.configuration("fn").lastUpdateStatus, "Successful");
        assert.deepEqual(parse((await service.invoke("fn", { payload: "{}" })).payload), { version: 2 });
      },
    );
  });

  test("a failed build leaves LastUpdateStatus Failed and the function as it was", async () => {
    const clock = new ManualClock();
    await withHarness(
      single(clock, () => "version-1"),
      async ({ service }) => {
        await service.invoke("fn", { payload: "{}" });
        service.beginUpdate();
        assert.equal(service.configuration("fn").lastUpdateStatus, "InProgress");
        service.failUpdate("src/version.ts:1:2: ERROR: Expected identifier");
        assert.deepEqual(service.configuration("fn"), {
          state: "Active",
          lastUpdateStatus: "Failed",
          lastUpdateStatusReason: "src/version.ts:1:2: ERROR: Expected identifier",
          lastUpdateStatusReasonCode: "InvalidZipFileException",
        });
        assert.deepEqual(parse((await service.invoke("fn", { payload: "{}" })).payload), { version: 1 });
      },
    );
  });

  test("lists every function's state with its environments, and refuses unknown names as Lambda does", async () => {
    const clock = new ManualClock();
    const harness = createHarness(clock, [functionSpec("a"), functionSpec("b")], {
      a: { file: bundles.file("echo"), exportName: "echo" },
      b: { file: bundles.file("missing"), exportName: "handler" },
    });
    await withHarness(harness, async ({ service }) => {
      await service.invoke("a", { payload: "{}" });
      await service.invoke("b", { payload: "{}" });
      assert.deepEqual(
        service.functionStates().map((f) => [f.functionName, f.state, f.lastUpdateStatus, f.warm, f.busy]),
        [
          ["a", "Active", "Successful", 1, 0],
          ["b", "Failed", "Failed", 0, 0],
        ],
      );
      assert.throws(() => service.configuration("nope"), {
        code: "ResourceNotFoundException",
        statusCode: 404,
      });
    });
  });
});
