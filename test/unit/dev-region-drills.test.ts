/**
 * The drills' state and effects, without servers: what each drill changes (outage, the forced-
 * failure variable, replication paused), that heal undoes exactly what it names, that bad names are
 * refused all at once with suggestions, and that every drill is an event.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { failRequest } from "../../src/cli/commands/fail.ts";
import { healRequest } from "../../src/cli/commands/heal.ts";
import {
  type DrillCloud,
  type DrillEvent,
  type DrillReplication,
  RegionDrills,
} from "../../src/dev/region-drills.ts";
import { drillInput, healInput } from "../../src/local/control/control-input.ts";
import type { AppSpec } from "../../src/model/app-spec.ts";
import { HEALTH_DEFAULTS } from "../../src/model/http-api.ts";
import { functionSpec } from "../support/specs.ts";

const REGIONS = ["us-east-1", "us-west-2"] as const;

function rig(options: { replication?: boolean; environment?: Record<string, string> } = {}) {
  const health = { ...HEALTH_DEFAULTS, deepPercent: 0 };
  const spec = {
    functions: {
      api: functionSpec("api", { health, environment: options.environment ?? {} }),
      worker: functionSpec("worker"),
    },
    domain: { name: "api.example.com", hostedZone: "example.com", routing: "failover" },
  } as unknown as AppSpec;
  /** Each function update, as `region:function`. */
  const reloads: string[] = [];
  /** The spec each cloud has now: a test swaps it to play a definition reload. */
  const current = { spec };
  const cloud = (region: string): DrillCloud => ({
    spec: current.spec,
    lambda: { reloadFunction: async (name) => reloads.push(`${region}:${name}`) },
  });
  const replication: Omit<DrillReplication, "paused"> & { calls: string[]; paused: boolean } = {
    calls: [],
    paused: false,
    pause() {
      this.calls.push("pause");
      this.paused = true;
    },
    resume() {
      this.calls.push("resume");
      this.paused = false;
    },
    status: () => [{ from: "us-east-1", to: "us-west-2", waiting: 2 }],
  };
  const events: DrillEvent[] = [];
  let now = 1_000;
  const drills = new RegionDrills({
    regions: REGIONS,
    cloud,
    now: () => now++,
    ...(options.replication === false ? {} : { replication: () => replication }),
    route53: () => ({
      status: () => [],
      resolve: () => ({ region: "us-west-2", target: { url: "http://127.0.0.1:1" } }),
    }),
    onEvent: (event) => events.push(event),
  });
  return { drills, spec, current, reloads, replication, events };
}

describe("RegionDrills", () => {
  test("a region drill is an outage of that region only, until heal", async () => {
    const { drills, events } = rig();
    drills.failRegion("us-east-1");
    assert.equal(drills.isOutage("us-east-1"), true);
    assert.equal(drills.isOutage("us-west-2"), false);
    await drills.heal();
    assert.equal(drills.isOutage("us-east-1"), false);
    assert.deepEqual(
      events.map((e) => [e.action, e.drill.kind, e.drill.region]),
      [
        ["fail", "region", "us-east-1"],
        ["heal", "region", "us-east-1"],
      ],
    );
  });

  test("a function drill sets its forced-failure variable in its region only and updates that one function there", async () => {
    const { drills, spec, reloads } = rig();
    const api = spec.functions.api;
    assert.ok(api);
    await drills.failFunction("api", "us-west-2");
    assert.deepEqual(drills.environment("us-west-2", api), { HEALTH_FORCE_FAIL: "true" });
    assert.deepEqual(drills.environment("us-east-1", api), {});
    // UpdateFunctionConfiguration touches one function: `worker` keeps its environments.
    assert.deepEqual(reloads, ["us-west-2:api"]);
    await drills.heal({ kind: "function" });
    assert.deepEqual(drills.environment("us-west-2", api), {});
    assert.deepEqual(reloads, ["us-west-2:api", "us-west-2:api"]);
  });

  test("failing a function again is a no-op that says so: no new environments, no second event", async () => {
    const { drills, reloads, events } = rig();
    const first = await drills.operations().fail({ kind: "function", function: "api", region: "us-west-2" });
    assert.equal(first.alreadyInForce, undefined);
    const again = await drills.operations().fail({ kind: "function", function: "api", region: "us-west-2" });
    assert.equal(again.alreadyInForce, true);
    assert.equal(again.drill, first.drill);
    assert.deepEqual(reloads, ["us-west-2:api"]);
    assert.equal(events.length, 1);
    const region = await drills.operations().fail({ kind: "region", region: "us-east-1" });
    assert.equal(region.alreadyInForce, undefined);
    assert.equal(
      (await drills.operations().fail({ kind: "region", region: "us-east-1" })).alreadyInForce,
      true,
    );
  });

  test("a drill on a function a definition reload removed is healed by its name, with nothing to update", async () => {
    const { drills, spec, current, reloads } = rig();
    await drills.failFunction("api", "us-east-1");
    current.spec = { ...spec, functions: { worker: spec.functions.worker } } as unknown as AppSpec;
    const healed = await drills.heal({ kind: "function", function: "api", region: "us-east-1" });
    assert.deepEqual(
      healed.map((d) => [d.function, d.region]),
      [["api", "us-east-1"]],
    );
    assert.deepEqual(drills.active(), []);
    assert.deepEqual(reloads, ["us-east-1:api"]);
    // A name no drill and no function has is still refused, with the functions there are.
    await assert.rejects(drills.heal({ kind: "function", function: "apx" }), /no function "apx".*worker/);
  });

  test("a replication drill pauses replication and heal resumes it", async () => {
    const { drills, replication } = rig();
    drills.failReplication();
    assert.equal(drills.report().replication?.paused, true);
    await drills.heal({ kind: "replication" });
    assert.deepEqual(replication.calls, ["pause", "resume"]);
  });

  test("heal ends only the drills it names; a drill started twice is one drill", async () => {
    const { drills } = rig();
    drills.failRegion("us-east-1");
    drills.failRegion("us-east-1");
    drills.failRegion("us-west-2");
    assert.equal(drills.active().length, 2);
    const healed = await drills.heal({ kind: "region", region: "us-west-2" });
    assert.deepEqual(
      healed.map((d) => d.region),
      ["us-west-2"],
    );
    assert.deepEqual(
      drills.active().map((d) => d.region),
      ["us-east-1"],
    );
  });

  test("unknown names are refused all at once, with the closest name", async () => {
    const { drills } = rig();
    await assert.rejects(drills.failFunction("apx", "us-eats-1"), (error: Error & { code?: string }) => {
      assert.equal(error.code, "SLUICE_INVALID_DRILL");
      assert.match(error.message, /no region "us-eats-1".*Did you mean "us-east-1"\?/);
      assert.match(error.message, /no function "apx".*Did you mean "api"\?.*api, worker/);
      return true;
    });
    assert.throws(() => drills.failRegion("eu-west-1"), /Its regions: us-east-1, us-west-2/);
    assert.equal(drills.active().length, 0);
  });

  test("a function without a health check, or whose definition sets the switch itself, cannot be drilled", async () => {
    await assert.rejects(rig().drills.failFunction("worker", "us-east-1"), /no health check/);
    await assert.rejects(
      rig({ environment: { HEALTH_FORCE_FAIL: "false" } }).drills.failFunction("api", "us-east-1"),
      /sets HEALTH_FORCE_FAIL in its definition/,
    );
  });

  test("without global tables, fail replication says there is nothing to pause", () => {
    assert.throws(() => rig({ replication: false }).drills.failReplication(), /no global table/);
  });

  test("the report says what DNS answers, replication's state, outages and drills", () => {
    const { drills } = rig();
    drills.failRegion("us-east-1");
    const report = drills.report();
    assert.deepEqual(report.regions, REGIONS);
    assert.deepEqual(report.outages, ["us-east-1"]);
    assert.deepEqual(report.dns, {
      name: "api.example.com",
      routing: "failover",
      region: "us-west-2",
      target: "http://127.0.0.1:1",
    });
    assert.deepEqual(report.replication, {
      paused: false,
      directions: [{ from: "us-east-1", to: "us-west-2", waiting: 2 }],
    });
    assert.deepEqual(
      report.drills.map((d) => d.kind),
      ["region"],
    );
  });

  test("a several-region dev needs a function drill's region", async () => {
    const { drills } = rig();
    await assert.rejects(drills.operations().fail({ kind: "function", function: "api" }), /needs a region/);
  });

  test("a control API request missing its region and naming an unknown function hears of both at once", async () => {
    const { drills } = rig();
    await assert.rejects(
      drills.operations().fail({ kind: "function", function: "apx" }),
      /needs a region: one of us-east-1, us-west-2.*no function "apx".*Did you mean "api"\?/,
    );
    await assert.rejects(
      drills.operations().fail({ kind: "function", region: "us-east-1" }),
      /fail function needs the function's name/,
    );
  });

  test("a huge name from the wire is refused at once, not compared letter by letter with each known name", async () => {
    const { drills } = rig();
    const huge = "x".repeat(4_000_000);
    const started = performance.now();
    assert.throws(() => drills.failRegion(huge), /no region "x{60}" in this dev\. Its regions/);
    await assert.rejects(
      drills.failFunction(huge, "us-east-1"),
      /no function "x{80}" in this app\. Its functions/,
    );
    // The suggestion's edit distance is quadratic: unbounded, these took seconds and gigabytes.
    assert.ok(performance.now() - started < 1000, `took ${Math.round(performance.now() - started)} ms`);
  });
});

describe("drill requests from the command line and the control API", () => {
  test("fail's arguments", () => {
    assert.deepEqual(failRequest(["region", "us-east-1"], undefined), {
      kind: "region",
      region: "us-east-1",
    });
    assert.deepEqual(failRequest(["function", "api"], "us-west-2"), {
      kind: "function",
      function: "api",
      region: "us-west-2",
    });
    assert.deepEqual(failRequest(["replication"], undefined), { kind: "replication" });
    assert.throws(() => failRequest(["regoin"], undefined), /unknown drill "regoin"/);
    assert.throws(
      () => failRequest(["replication", "x"], "us-east-1"),
      /takes no argument.*takes no --region/,
    );
  });

  test("heal's arguments", () => {
    assert.deepEqual(healRequest([], undefined), {});
    assert.deepEqual(healRequest([], "us-east-1"), { region: "us-east-1" });
    assert.deepEqual(healRequest(["region", "us-east-1"], undefined), {
      kind: "region",
      region: "us-east-1",
    });
    assert.deepEqual(healRequest(["function", "api"], "us-east-1"), {
      kind: "function",
      function: "api",
      region: "us-east-1",
    });
    assert.throws(
      () => healRequest(["replication", "x"], "us-east-1"),
      /takes no argument.*takes no --region/,
    );
  });

  test("the control API's bodies are checked field by field", () => {
    assert.deepEqual(drillInput({ kind: "region", region: "us-east-1", extra: 1 }), {
      kind: "region",
      region: "us-east-1",
    });
    assert.throws(
      () => drillInput({ kind: "planet", region: 3 }),
      /kind must be one of.*region must be a string/,
    );
    assert.deepEqual(healInput({}), {});
    assert.throws(() => healInput([]), /must be a JSON object/);
  });
});
