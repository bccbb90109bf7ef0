/**
 * The local Route 53's health checkers against real HTTP servers standing in for two regions, on a
 * manual clock: the first ping one interval after start, status changes exactly at interval ×
 * threshold, DNS answer changes with them, 2xx/3xx pass, refusals and slow answers fail, and
 * neither events nor status ever show the ping's query (it carries the checker's secret).
 */
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { after, afterEach, beforeEach, describe, test } from "node:test";
import { ManualClock, SystemClock } from "../../src/local/clock/clock.ts";
import {
  type HealthCheckConfig,
  type RecordConfig,
  Route53Engine,
  type Route53Event,
} from "../../src/local/route53/index.ts";
import { eventually } from "../support/poll.ts";
import { type StandInRegion, standInRegion } from "../support/route53-regions.ts";

const SECRET = "s3cr3t-checker-id";
const DOMAIN = "api.example.com";

function checks(east: StandInRegion, west: StandInRegion, threshold = 3): HealthCheckConfig[] {
  return [east, west].map((r) => ({
    id: `hc-${r.region}`,
    url: `${r.url}/health?healthCheckerId=${SECRET}`,
    intervalSeconds: 30,
    failureThreshold: threshold,
    region: r.region,
  }));
}

function failoverRecords(east: StandInRegion, west: StandInRegion): RecordConfig[] {
  return [east, west].map((r, i) => ({
    name: DOMAIN,
    setIdentifier: r.region,
    region: r.region,
    failover: i === 0 ? "PRIMARY" : "SECONDARY",
    healthCheckId: `hc-${r.region}`,
    target: { host: `${r.region}.${DOMAIN}`, url: r.url },
  }));
}

describe("local Route 53 health checkers", () => {
  let east: StandInRegion;
  let west: StandInRegion;
  let clock: ManualClock;
  let events: Route53Event[];
  let engine: Route53Engine;

  beforeEach(async () => {
    east = await standInRegion("us-east-1");
    west = await standInRegion("us-west-2");
    clock = new ManualClock();
    events = [];
    engine = new Route53Engine({ clock, onEvent: (e) => events.push(e) });
    engine.setHealthChecks(checks(east, west));
    engine.setRecords(failoverRecords(east, west));
    engine.start();
  });

  afterEach(async () => {
    await engine.close();
    await Promise.all([east.close(), west.close()]);
  });

  async function advance(ms: number): Promise<void> {
    await clock.advance(ms);
    await engine.settled();
  }

  const healthOf = (region: string) => engine.status().find((s) => s.region === region);

  test("a new check is healthy and pings first one interval after start, with the secret in the query", async () => {
    assert.equal(engine.resolve(DOMAIN)?.region, "us-east-1");
    assert.equal(healthOf("us-east-1")?.healthy, true);
    await advance(29_999);
    assert.deepEqual(east.pings, []);
    await advance(1);
    assert.deepEqual(east.pings, [`/health?healthCheckerId=${SECRET}`]);
    assert.deepEqual(west.pings, [`/health?healthCheckerId=${SECRET}`]);
    const status = healthOf("us-east-1");
    assert.equal(status?.lastResults.length, 1);
    assert.equal(status?.lastResults[0]?.statusCode, 200);
    assert.equal(status?.lastResults[0]?.atMs, clock.now());
    assert.equal(status?.consecutive, 1);
  });

  test("fails over exactly at interval × threshold after the primary starts failing", async () => {
    east.healthStatus = 503;
    await advance(89_999);
    assert.equal(east.pings.length, 2);
    assert.equal(healthOf("us-east-1")?.healthy, true, "two failures of three: still healthy");
    assert.equal(engine.resolve(DOMAIN)?.region, "us-east-1");
    assert.deepEqual(events, []);
    await advance(1);
    assert.equal(healthOf("us-east-1")?.healthy, false);
    assert.equal(engine.resolve(DOMAIN)?.region, "us-west-2");
    assert.deepEqual(events, [
      { type: "health-changed", checkId: "hc-us-east-1", region: "us-east-1", healthy: false },
      { type: "dns-changed", name: DOMAIN, region: "us-west-2" },
    ]);
  });

  test("fails back after threshold consecutive successes", async () => {
    east.healthStatus = 503;
    await advance(90_000);
    assert.equal(engine.resolve(DOMAIN)?.region, "us-west-2");
    east.healthStatus = 200;
    events.length = 0;
    await advance(60_000);
    assert.equal(engine.resolve(DOMAIN)?.region, "us-west-2", "two successes of three");
    await advance(30_000);
    assert.equal(engine.resolve(DOMAIN)?.region, "us-east-1");
    assert.deepEqual(events, [
      { type: "health-changed", checkId: "hc-us-east-1", region: "us-east-1", healthy: true },
      { type: "dns-changed", name: DOMAIN, region: "us-east-1" },
    ]);
  });

  test("both regions unhealthy: DNS answers the primary, as Route 53 does with no healthy record", async () => {
    east.healthStatus = 503;
    west.healthStatus = 500;
    await advance(90_000);
    assert.equal(healthOf("us-east-1")?.healthy, false);
    assert.equal(healthOf("us-west-2")?.healthy, false);
    assert.equal(engine.resolve(DOMAIN)?.region, "us-east-1");
  });

  test("a 3xx passes and a 4xx fails; redirects are not followed", async () => {
    east.healthStatus = 302;
    west.healthStatus = 404;
    await advance(90_000);
    assert.equal(healthOf("us-east-1")?.healthy, true);
    assert.equal(healthOf("us-west-2")?.healthy, false);
    assert.equal(healthOf("us-east-1")?.lastResults.at(-1)?.statusCode, 302);
  });

  test("latency routing answers the fastest healthy region and follows setLatency", async () => {
    engine.setRecords(
      failoverRecords(east, west).map(({ failover: _, ...r }) => ({ ...r, latencyRegion: r.region })),
    );
    engine.setLatency("us-east-1", 50);
    engine.setLatency("us-west-2", 20);
    assert.equal(engine.resolve(DOMAIN)?.region, "us-west-2");
    events.length = 0;
    engine.setLatency("us-east-1", 5);
    assert.equal(engine.resolve(DOMAIN)?.region, "us-east-1");
    assert.deepEqual(events, [{ type: "dns-changed", name: DOMAIN, region: "us-east-1" }]);
    east.healthStatus = 503;
    await advance(90_000);
    assert.equal(engine.resolve(DOMAIN)?.region, "us-west-2");
  });

  test("no event and no status field shows the ping's query string", async () => {
    east.healthStatus = 503;
    await advance(120_000);
    const shown = JSON.stringify({ events, status: engine.status() });
    assert.ok(!shown.includes(SECRET), shown);
    assert.equal(healthOf("us-east-1")?.endpoint, `${east.url}/health`);
  });

  test("setHealthChecks with the same settings keeps a check's status; changed settings start it afresh", async () => {
    east.healthStatus = 503;
    await advance(90_000);
    engine.setHealthChecks(checks(east, west));
    assert.equal(healthOf("us-east-1")?.healthy, false);
    engine.setHealthChecks(checks(east, west, 2));
    assert.equal(healthOf("us-east-1")?.healthy, true);
    assert.equal(engine.resolve(DOMAIN)?.region, "us-east-1");
    await advance(60_000);
    assert.equal(healthOf("us-east-1")?.healthy, false);
  });
});

describe("a health checker's network timeouts", () => {
  const servers: { close(): Promise<void> }[] = [];
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  test("a refused connection and an answer slower than the response timeout are failures", async () => {
    // A port nothing listens on: bind one, note it, close it.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const slow = await standInRegion("us-west-2");
    servers.push(slow);
    slow.healthDelayMs = 1000;
    const clock = new ManualClock();
    const engine = new Route53Engine({ clock, pingTimeouts: { connectMs: 4000, responseMs: 150 } });
    engine.setHealthChecks([
      {
        id: "refused",
        url: `http://127.0.0.1:${closedPort}/health`,
        intervalSeconds: 10,
        failureThreshold: 1,
        region: "us-east-1",
      },
      {
        id: "slow",
        url: `${slow.url}/health`,
        intervalSeconds: 10,
        failureThreshold: 1,
        region: "us-west-2",
      },
    ]);
    engine.start();
    await clock.advance(10_000);
    await engine.settled();
    const byId = new Map(engine.status().map((s) => [s.id, s]));
    assert.equal(byId.get("refused")?.healthy, false);
    assert.equal(byId.get("refused")?.lastResults[0]?.error, "ECONNREFUSED");
    assert.equal(byId.get("slow")?.healthy, false);
    assert.match(byId.get("slow")?.lastResults[0]?.error ?? "", /no HTTP status within 150 ms/);
    await engine.close();
  });
});

describe("a jump of the system clock (sluice time advance)", () => {
  test("sends only the last threshold's worth of missed pings, enough to fail over", async () => {
    const east = await standInRegion("us-east-1");
    const west = await standInRegion("us-west-2");
    const clock = new SystemClock();
    const engine = new Route53Engine({ clock });
    try {
      engine.setHealthChecks(checks(east, west));
      engine.setRecords(failoverRecords(east, west));
      engine.start();
      east.healthStatus = 503;
      clock.advance(3_600_000);
      await eventually(
        () => (engine.resolve(DOMAIN)?.region === "us-west-2" ? true : undefined),
        "the failover",
        {
          timeoutMs: 10_000,
          intervalMs: 10,
        },
      );
      await engine.settled();
      // An hour is 120 intervals of 30 s; the checker sends the first and the last three.
      assert.ok(east.pings.length <= 4, `${east.pings.length} pings`);
      const times =
        engine
          .status()
          .find((s) => s.region === "us-east-1")
          ?.lastResults.map((r) => r.atMs) ?? [];
      assert.equal(times.length, east.pings.length);
      for (const [i, t] of times.entries()) {
        assert.equal((t - (times[0] ?? 0)) % 30_000, 0, `ping ${i} is on the interval's grid`);
      }
    } finally {
      await engine.close();
      await Promise.all([east.close(), west.close()]);
    }
  });
});
