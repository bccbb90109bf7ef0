/**
 * How `sluice health` prints a failover report: regions, what DNS answers, replication per
 * direction, each check's status with its streak and last pings, the drills in force.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { drillEventLine, printFailoverReport } from "../../src/cli/drill-output.ts";
import type { Output } from "../../src/cli/output.ts";
import type { FailoverReport, HealthCheckReport, PingReport } from "../../src/local/drill-operations.ts";
import type { HealthCheckStatus, PingResult } from "../../src/local/route53/index.ts";

/** Type-level: the report's checks are route53's own types, so neither can drift (typecheck fails if they do). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameCheck: Same<HealthCheckReport, HealthCheckStatus> = true;
const samePing: Same<PingReport, PingResult> = true;

const AT = Date.parse("2026-12-06T12:00:30.000Z");

test("the report's check and ping types are route53's", () => {
  assert.deepEqual([sameCheck, samePing], [true, true]);
});

test("health prints every part of the report", () => {
  const lines: string[] = [];
  const output: Output = { out: (text) => lines.push(text), err: () => undefined, color: false };
  const report: FailoverReport = {
    regions: ["us-east-1", "us-west-2"],
    outages: ["us-east-1"],
    checks: [
      {
        id: "health-us-east-1",
        region: "us-east-1",
        endpoint: "http://127.0.0.1:4001/health",
        intervalSeconds: 30,
        failureThreshold: 3,
        healthy: false,
        consecutive: 3,
        lastResults: [
          { atMs: AT, ok: false, statusCode: 503 },
          { atMs: AT + 30_000, ok: false, error: "ECONNREFUSED connect" },
        ],
      },
    ],
    dns: {
      name: "api.example.com",
      routing: "failover",
      region: "us-west-2",
      target: "http://127.0.0.1:4002",
    },
    replication: {
      paused: true,
      directions: [{ from: "us-west-2", to: "us-east-1", waiting: 2, oldestAgeMs: 1500 }],
    },
    drills: [{ kind: "region", region: "us-east-1", since: AT }],
  };
  printFailoverReport(output, report);
  const text = lines.join("\n");
  assert.match(text, /^regions\s+us-east-1 \(primary\), us-west-2$/m);
  assert.match(text, /^dns\s+api\.example\.com \(failover\) → us-west-2\s+http:\/\/127\.0\.0\.1:4002$/m);
  assert.match(text, /^replication\s+paused\n\s+us-west-2 → us-east-1: 2 waiting, oldest 1\.5 s old$/m);
  assert.match(
    text,
    /^health-us-east-1\s+us-east-1\s+unhealthy\s+3 failed \(of 3\)\s+503@12:00:30 ECONNREFUSED@12:01:00$/m,
  );
  assert.match(
    text,
    /^drills in force:\n\s+us-east-1 fails \(its APIs answer 503\)\s+since 2026-12-06T12:00:30\.000Z$/m,
  );
});

test("dev's log line for a drill and its heal", () => {
  const drill = {
    kind: "function",
    function: "api",
    region: "us-west-2",
    variable: "HEALTH_FORCE_FAIL",
    since: 0,
  } as const;
  assert.equal(
    drillEventLine("fail", drill),
    "drill: api fails its health checks in us-west-2 (HEALTH_FORCE_FAIL=true)",
  );
  assert.equal(
    drillEventLine("heal", { kind: "replication", since: 0 }),
    "drill: replication resumed (waiting writes replicate)",
  );
});
