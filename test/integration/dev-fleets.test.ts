/**
 * `sluice dev` with a server fleet (issue 19) on a real one-region hybrid app: dev runs the fleet
 * in-process (`sluice serve`'s startServer) against its own endpoint, on its own port, restarted
 * on reload and closed on exit; with `role: "failover"` the local Route 53 pairs the Lambda API
 * (its health route's check) with the fleet (its /healthz), and the front door follows DNS: a
 * function drill (no --region: the app has one) fails Lambda's check over the threshold on dev's
 * clock, the front door answers from the fleet, heal brings Lambda back.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type DevEvent, DevSession } from "../../src/dev/dev-session.ts";
import { readDevState } from "../../src/dev/dev-state-file.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { remoteOperations } from "../../src/local/control/index.ts";
import type { DrillOperations } from "../../src/local/drill-operations.ts";
import { type TempDir, tempDir } from "../support/temp.ts";

const CONFIG = `import { defineApp } from "sluice";

export default defineApp({
  name: "fleets",
  region: "eu-west-1",
  domain: { name: "api.example.com", hostedZone: "example.com", routing: "failover" },
  functions: {
    api: {
      handler: "src/api.handler",
      http: "GET /who",
      health: { path: "/health", route53: { interval: "10 seconds", failureThreshold: 2 } },
    },
  },
  servers: { web: { functions: ["api"], role: "failover" } },
});
`;

/** Says who served it: only \`sluice serve\` sets SLUICE_FLEET. */
const handler = (version: string) => `export async function handler() {
  return { statusCode: 200, body: JSON.stringify({ fleet: process.env.SLUICE_FLEET ?? null, version: "${version}" }) };
}
`;

function writeApp(dir: string): void {
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "sluice.config.ts"), CONFIG);
  writeFileSync(join(dir, "src", "api.ts"), handler("v1"));
}

async function get(url: string): Promise<{ status: number; body: string; served: string | null }> {
  const response = await fetch(url);
  return {
    status: response.status,
    body: await response.text(),
    served: response.headers.get("x-sluice-region"),
  };
}

describe("dev runs a fleet behind the domain", { timeout: 170_000 }, () => {
  let app: TempDir;
  let session: DevSession;
  let drills: DrillOperations;
  const clock = new ManualClock();
  const events: DevEvent[] = [];
  let ready: Extract<DevEvent, { type: "ready" }> | undefined;
  let closed = false;

  before(async () => {
    app = tempDir("sluice-fleets-");
    writeApp(app.dir);
    session = await DevSession.start({
      dir: app.dir,
      clock,
      watch: false,
      onEvent: (event) => {
        events.push(event);
        if (event.type === "ready") ready = event;
      },
    });
    const state = readDevState(join(app.dir, ".sluice"));
    assert.ok(state?.token);
    const ops = remoteOperations(session.url, state.token);
    assert.ok(ops.drills);
    drills = ops.drills;
  });

  after(async () => {
    if (!closed) await session?.close();
    app?.cleanup();
  });

  /** One interval of the checks, and their pings answered. */
  const tick = async () => {
    await clock.advance(10_000);
    await session.route53?.settled();
  };

  const fleetUrl = () => {
    const url = ready?.fleets?.find((f) => f.name === "web")?.url;
    assert.ok(url, "the ready event lists the fleet's URL");
    return url;
  };

  test("the fleet serves the app's route on its own URL, with /healthz, beside Lambda's HTTP API", async () => {
    assert.deepEqual(
      ready?.fleets?.map((f) => [f.name, f.functions, f.role]),
      [["web", ["api"], "failover"]],
    );
    const fleet = await get(`${fleetUrl()}/who`);
    assert.equal(fleet.status, 200);
    assert.deepEqual(JSON.parse(fleet.body), { fleet: "web", version: "v1" });
    assert.equal((await get(`${fleetUrl()}/healthz`)).status, 200);
    const lambda = await get(`${session.apiUrls.http}/who`);
    assert.deepEqual(JSON.parse(lambda.body), { fleet: null, version: "v1" });
  });

  test("the front door answers from Lambda while its check passes; the banner lists both checks", async () => {
    assert.ok(session.frontDoorUrl, "a one-region app with a fleet behind its domain has a front door");
    await tick();
    await tick();
    const status = session.route53?.status() ?? [];
    assert.deepEqual(
      status.map((s) => [s.region, s.healthy]),
      [
        ["eu-west-1", true],
        ["fleet web", true],
      ],
    );
    assert.ok(
      status.every((s) => s.lastResults.every((r) => r.statusCode === 200)),
      JSON.stringify(status.map((s) => s.lastResults)),
    );
    const through = await get(`${session.frontDoorUrl}/who`);
    assert.equal(through.served, "eu-west-1");
    assert.deepEqual(JSON.parse(through.body), { fleet: null, version: "v1" });
    assert.deepEqual(
      ready?.failover?.healthChecks.map((c) => [c.region, c.path]),
      [
        ["eu-west-1", "/health"],
        ["fleet web", "/healthz"],
      ],
    );
  });

  test("a function drill without --region fails Lambda's check after the threshold; the front door answers from the fleet; heal returns", async () => {
    await drills.fail({ kind: "function", function: "api" });
    await tick();
    // One failure of threshold 2: still Lambda.
    assert.equal((await get(`${session.frontDoorUrl}/who`)).served, "eu-west-1");
    await tick();
    const failed = await get(`${session.frontDoorUrl}/who`);
    assert.equal(failed.status, 200);
    assert.equal(failed.served, "fleet web");
    assert.deepEqual(JSON.parse(failed.body), { fleet: "web", version: "v1" });
    const report = await drills.report();
    assert.equal(report.dns?.region, "fleet web");
    assert.ok(events.some((e) => e.type === "dns-changed" && e.region === "fleet web"));

    await drills.heal({ kind: "function", function: "api" });
    await tick();
    await tick();
    const healed = await get(`${session.frontDoorUrl}/who`);
    assert.equal(healed.served, "eu-west-1");
    assert.deepEqual(JSON.parse(healed.body), { fleet: null, version: "v1" });
  });

  test("a reload restarts the fleet on the new code, on the same URL", async () => {
    const before = fleetUrl();
    writeFileSync(join(app.dir, "src", "api.ts"), handler("v2"));
    await session.reload(["src/api.ts"]);
    const outcome = events.findLast((e) => e.type === "reloaded" || e.type === "reload-failed");
    assert.equal(outcome?.type, "reloaded");
    const fleet = await get(`${before}/who`);
    assert.deepEqual(JSON.parse(fleet.body), { fleet: "web", version: "v2" });
    const lambda = await get(`${session.apiUrls.http}/who`);
    assert.deepEqual(JSON.parse(lambda.body), { fleet: null, version: "v2" });
  });

  test("closing dev closes the fleet", async () => {
    const url = fleetUrl();
    closed = true;
    await session.close();
    await assert.rejects(fetch(`${url}/healthz`));
  });
});
