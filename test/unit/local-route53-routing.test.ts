/**
 * The pure parts of the local Route 53: how one checker's results become a status (thresholds,
 * a new check's healthy start) and which record a failover or latency group answers with.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { HealthStatus } from "../../src/local/route53/health-status.ts";
import { chooseRecord } from "../../src/local/route53/record-choice.ts";
import type { RecordConfig } from "../../src/local/route53/route53-config.ts";

const pass = (atMs: number) => ({ atMs, ok: true, statusCode: 200 });
const fail = (atMs: number) => ({ atMs, ok: false, statusCode: 503 });

describe("a health check's status", () => {
  test("starts healthy, as a new Route 53 check does until there is enough data", () => {
    const status = new HealthStatus(3);
    assert.equal(status.healthy, true);
    assert.equal(status.consecutive, 0);
    assert.deepEqual(status.lastResults, []);
  });

  test("turns unhealthy on the threshold's consecutive failure, not one before", () => {
    const status = new HealthStatus(3);
    assert.equal(status.record(fail(1)), false);
    assert.equal(status.record(fail(2)), false);
    assert.equal(status.healthy, true);
    assert.equal(status.record(fail(3)), true);
    assert.equal(status.healthy, false);
    assert.equal(status.consecutive, 3);
    assert.equal(status.record(fail(4)), false, "a further failure changes nothing");
  });

  test("a success in between restarts the count of failures", () => {
    const status = new HealthStatus(3);
    status.record(fail(1));
    status.record(fail(2));
    status.record(pass(3));
    status.record(fail(4));
    status.record(fail(5));
    assert.equal(status.healthy, true);
    assert.equal(status.record(fail(6)), true);
  });

  test("turns healthy again after the threshold's consecutive successes", () => {
    const status = new HealthStatus(2);
    status.record(fail(1));
    status.record(fail(2));
    assert.equal(status.healthy, false);
    assert.equal(status.record(pass(3)), false);
    status.record(fail(4));
    assert.equal(status.record(pass(5)), false);
    assert.equal(status.record(pass(6)), true);
    assert.equal(status.healthy, true);
  });

  test("a threshold of 1 follows every result", () => {
    const status = new HealthStatus(1);
    assert.equal(status.record(fail(1)), true);
    assert.equal(status.record(pass(2)), true);
    assert.equal(status.record(pass(3)), false);
  });

  test("keeps the last ten results, oldest first", () => {
    const status = new HealthStatus(3);
    for (let i = 1; i <= 12; i++) status.record(i % 2 === 0 ? pass(i) : fail(i));
    assert.deepEqual(
      status.lastResults.map((r) => r.atMs),
      [3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    );
  });
});

function record(region: string, extra: Partial<RecordConfig>): RecordConfig {
  return {
    name: "api.example.com",
    setIdentifier: region,
    region,
    healthCheckId: `check-${region}`,
    target: { host: `${region}.api.test`, url: `http://127.0.0.1:1/${region}` },
    ...extra,
  };
}

function choose(
  group: readonly RecordConfig[],
  unhealthy: readonly string[],
  latencies: Readonly<Record<string, number>> = {},
): string | undefined {
  return chooseRecord(group, {
    healthy: (id) => !unhealthy.includes(id),
    latencyOf: (region) => latencies[region],
  })?.region;
}

describe("failover routing", () => {
  const pair = [record("us-west-2", { failover: "SECONDARY" }), record("us-east-1", { failover: "PRIMARY" })];

  test("answers the primary while its check is healthy", () => {
    assert.equal(choose(pair, []), "us-east-1");
    assert.equal(choose(pair, ["check-us-west-2"]), "us-east-1");
  });

  test("answers the secondary when the primary is unhealthy", () => {
    assert.equal(choose(pair, ["check-us-east-1"]), "us-west-2");
  });

  test("answers the primary when both are unhealthy (no healthy record: all count as healthy)", () => {
    assert.equal(choose(pair, ["check-us-east-1", "check-us-west-2"]), "us-east-1");
  });

  test("a record without a health check is always healthy", () => {
    const secondaryUnchecked = [
      record("us-east-1", { failover: "PRIMARY" }),
      record("us-west-2", { failover: "SECONDARY", healthCheckId: undefined }),
    ];
    assert.equal(choose(secondaryUnchecked, ["check-us-east-1", "check-us-west-2"]), "us-west-2");
  });

  test("no records, no answer", () => {
    assert.equal(choose([], []), undefined);
  });
});

describe("latency routing", () => {
  const group = [
    record("us-east-1", { latencyRegion: "us-east-1" }),
    record("us-west-2", { latencyRegion: "us-west-2" }),
    record("eu-west-1", { latencyRegion: "eu-west-1" }),
  ];
  const latencies = { "us-east-1": 80, "us-west-2": 20, "eu-west-1": 50 };

  test("answers the healthy region with the lowest latency", () => {
    assert.equal(choose(group, [], latencies), "us-west-2");
    assert.equal(choose(group, ["check-us-west-2"], latencies), "eu-west-1");
    assert.equal(choose(group, ["check-us-west-2", "check-eu-west-1"], latencies), "us-east-1");
  });

  test("answers the lowest latency overall when every record is unhealthy", () => {
    assert.equal(
      choose(group, ["check-us-east-1", "check-us-west-2", "check-eu-west-1"], latencies),
      "us-west-2",
    );
  });

  test("regions without a latency sort last; ties go to the first record given", () => {
    assert.equal(choose(group, [], { "eu-west-1": 5 }), "eu-west-1");
    assert.equal(choose(group, [], {}), "us-east-1");
  });
});
