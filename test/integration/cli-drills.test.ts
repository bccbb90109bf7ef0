/**
 * `sluice fail`, `sluice heal` and `sluice health` as a user runs them: real CLI processes against
 * a real `sluice dev` process of a two-region app. What they print, their exit codes, the drill
 * lines in dev's log, `health --json`'s shape, and the error without a running dev.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { FailoverReport } from "../../src/local/drill-operations.ts";
import { type DevProcess, sluice, startDev } from "../support/cli-process.ts";
import { copyAppWithSdk } from "../support/endpoint.ts";
import { copyApp } from "../support/temp.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/apps/drills", import.meta.url));
/** Two regions with a domain, Route 53 health checks (every 10 s, threshold 2) and a global table. */
const REGIONS_FIXTURE = fileURLToPath(new URL("../fixtures/apps/regions", import.meta.url));

describe("sluice fail / heal / health against a running dev", { timeout: 170_000 }, () => {
  let app: ReturnType<typeof copyApp>;
  let dev: DevProcess;
  let dir: string[];

  before(async () => {
    app = copyApp(FIXTURE, "sluice-cli-drills-");
    dir = ["--dir", app.dir];
    dev = await startDev(app.dir);
  });

  after(async () => {
    await dev?.stop();
    app?.cleanup();
  });

  test("fail region prints the drill, dev logs it, and health shows the outage", async () => {
    const failed = await sluice(["fail", "region", "us-east-1", ...dir]);
    assert.deepEqual(
      [failed.code, failed.stdout.trim()],
      [0, "drill: us-east-1 fails (its APIs answer 503)"],
      failed.stderr,
    );
    await dev.waitForLine(/^drill: us-east-1 fails \(its APIs answer 503\)$/);

    const text = await sluice(["health", ...dir]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^regions\s+us-east-1 \(primary\), us-west-2$/m);
    assert.match(text.stdout, /drills in force:\n\s+us-east-1 fails \(its APIs answer 503\)/);
  });

  test("health --json has the report's shape", async () => {
    const result = await sluice(["health", "--json", ...dir]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(report).sort(), ["checks", "drills", "outages", "regions"]);
    assert.deepEqual(report.regions, ["us-east-1", "us-west-2"]);
    assert.deepEqual(report.outages, ["us-east-1"]);
    assert.deepEqual(report.checks, []);
    const [drill] = report.drills as Record<string, unknown>[];
    assert.deepEqual([drill?.kind, drill?.region, typeof drill?.since], ["region", "us-east-1", "number"]);
  });

  test("fail function turns on the switch in one region; failing it again says nothing changed", async () => {
    const result = await sluice(["fail", "function", "api", "--region", "us-west-2", ...dir]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout.trim(),
      "drill: api fails its health checks in us-west-2 (HEALTH_FORCE_FAIL=true)",
    );
    await dev.waitForLine(/^drill: api fails its health checks in us-west-2/);
    const again = await sluice(["fail", "function", "api", "--region", "us-west-2", ...dir]);
    assert.deepEqual(
      [again.code, again.stdout.trim()],
      [
        0,
        "drill already in force, nothing changed: api fails its health checks in us-west-2 (HEALTH_FORCE_FAIL=true)",
      ],
      again.stderr,
    );
  });

  test("bad names fail with exit code 1 and every problem at once; bad usage with 2", async () => {
    const names = await sluice(["fail", "function", "apx", "--region", "us-eats-1", ...dir]);
    assert.equal(names.code, 1);
    assert.match(names.stderr, /no region "us-eats-1" in this dev\. Did you mean "us-east-1"\?/);
    assert.match(names.stderr, /no function "apx" in this app\. Did you mean "api"\?/);
    const usage = await sluice(["fail", "planet", ...dir]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /unknown drill "planet"; use region, function or replication/);
    const json = await sluice(["fail", "function", "--json", ...dir]);
    assert.equal(json.code, 2);
    assert.match(json.stderr, /fail function needs the function's name/);
  });

  test("heal ends every drill, dev logs each, and a second heal has nothing to do", async () => {
    const healed = await sluice(["heal", ...dir]);
    assert.equal(healed.code, 0, healed.stderr);
    assert.deepEqual(healed.stdout.trim().split("\n"), [
      "drill: us-east-1 healed (its APIs answer again)",
      "drill: api healed in us-west-2 (HEALTH_FORCE_FAIL unset)",
    ]);
    await dev.waitForLine(/^drill: us-east-1 healed/);
    const again = await sluice(["heal", "--json", ...dir]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout), { healed: [], drills: [] });
  });

  test("without a running dev the commands say to start one", async () => {
    const idle = copyApp(FIXTURE, "sluice-cli-drills-idle-");
    try {
      for (const args of [["health"], ["fail", "region", "us-east-1"], ["heal"]]) {
        const result = await sluice([...args, "--dir", idle.dir]);
        assert.equal(result.code, 1, `${args.join(" ")}: ${result.stdout}`);
        assert.match(
          result.stderr,
          /no `sluice dev` is running for the app in .*start `sluice dev` there first/,
        );
      }
    } finally {
      idle.cleanup();
    }
  });
});

describe("sluice health --json with a domain, Route 53 checks and a global table", {
  timeout: 170_000,
}, () => {
  let app: ReturnType<typeof copyApp>;
  let dev: DevProcess;
  let dir: string[];

  before(async () => {
    app = copyAppWithSdk(REGIONS_FIXTURE);
    dir = ["--dir", app.dir];
    dev = await startDev(app.dir);
  });

  after(async () => {
    await dev?.stop();
    app?.cleanup();
  });

  const health = async () => {
    const result = await sluice(["health", "--json", ...dir]);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as FailoverReport;
  };

  test("checks, DNS and replication come through the real CLI", async () => {
    const report = await health();
    assert.deepEqual(Object.keys(report).sort(), [
      "checks",
      "dns",
      "drills",
      "outages",
      "regions",
      "replication",
    ]);
    assert.deepEqual(
      report.checks.map((c) => [c.region, c.intervalSeconds, c.failureThreshold, typeof c.healthy]),
      [
        ["us-east-1", 10, 2, "boolean"],
        ["us-west-2", 10, 2, "boolean"],
      ],
    );
    for (const check of report.checks) {
      // The pinged URL without its query: the checker's secret never leaves dev.
      assert.match(check.endpoint, /^https?:\/\/127\.0\.0\.1:\d+\/health$/);
      assert.ok(Array.isArray(check.lastResults));
    }
    assert.equal(report.dns?.name, "api.example.com");
    assert.equal(report.dns?.routing, "failover");
    assert.equal(report.dns?.region, "us-east-1");
    assert.match(report.dns?.target ?? "", /^https?:\/\/127\.0\.0\.1:\d+/);
    assert.deepEqual(report.replication?.paused, false);
    assert.deepEqual(
      report.replication?.directions.map((d) => [d.from, d.to, d.waiting]),
      [
        ["us-east-1", "us-west-2", 0],
        ["us-west-2", "us-east-1", 0],
      ],
    );
  });

  test("a replication drill shows as paused", async () => {
    const failed = await sluice(["fail", "replication", ...dir]);
    assert.equal(failed.code, 0, failed.stderr);
    const report = await health();
    assert.equal(report.replication?.paused, true);
    assert.deepEqual(
      report.drills.map((d) => d.kind),
      ["replication"],
    );
  });
});
