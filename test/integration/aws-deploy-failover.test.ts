/**
 * A two-region app with a global table, a custom domain and Route 53 failover, deployed through
 * the real CLI to a real `sluice cloud`: deploy runs its phases in order (global tables, both
 * regions, the global stack in us-east-1) and the global stack's health checks call each region
 * with the secret that region's function holds, so `sluice status` shows both healthy; destroy
 * goes the other way. No secret is ever printed.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ROOT } from "../support/cli-process.ts";
import {
  HEALTH_CHECKER_ID,
  type LocalCloud,
  run,
  SECRET_ACCESS_KEY,
  startCloud,
  transcript,
  useLocalCredentials,
} from "../support/deploy.ts";
import { eventually } from "../support/poll.ts";
import { copyApp, type TempDir } from "../support/temp.ts";

useLocalCredentials();
const REGIONS = ["us-east-1", "us-west-2"];

/** The lines that announce each phase, in the order printed. */
function phases(stdout: string): string[] {
  return [...stdout.matchAll(/(deploy|destroy) phase ([a-z-]+)/g)].map((m) => `${m[1]} ${m[2]}`);
}

describe("deploying a failover app to the local cloud", () => {
  let cloud: LocalCloud;
  let app: TempDir;
  let state: string;
  const at = (...args: string[]) => [...args, "--stage", "dev", "--endpoint-url", cloud.url];

  before(async () => {
    state = mkdtempSync(join(tmpdir(), "sluice-cloud-failover-"));
    cloud = await startCloud(state);
    app = copyApp(join(ROOT, "test", "fixtures", "apps", "failover-golden"));
    for (const region of REGIONS) {
      const bootstrap = await run(["bootstrap", "--region", region, "--endpoint-url", cloud.url]);
      assert.equal(bootstrap.code, 0, bootstrap.stderr);
    }
  });
  after(async () => {
    await cloud?.stop();
    app?.cleanup();
    if (state) rmSync(state, { recursive: true, force: true });
    const all = transcript.join("\n");
    assert.ok(!all.includes(SECRET_ACCESS_KEY), "the secret access key was printed");
    assert.ok(!all.includes(HEALTH_CHECKER_ID), "the health checkers' secret was printed");
  });

  test("deploy: the global tables, then both regions, then the global stack in us-east-1", async () => {
    const deploy = await run(at("deploy", app.dir, "--yes", "--health-checker-id", HEALTH_CHECKER_ID));
    assert.equal(deploy.code, 0, `${deploy.stdout}\n${deploy.stderr}`);
    assert.deepEqual(phases(deploy.stdout), ["deploy global-tables", "deploy regions", "deploy global"]);
    assert.match(deploy.stdout, /failover-golden-dev-global-tables \(us-east-1\): deployed/);
    assert.match(deploy.stdout, /failover-golden-dev \(us-west-2\): deployed/);
    assert.match(deploy.stdout, /failover-golden-dev-global \(us-east-1\): deployed/);
  });

  test("status: each region's Route 53 health check passes with the region's secret", async () => {
    const status = await eventually(
      async () => {
        const result = await run(at("status", app.dir, "--json"));
        const parsed = JSON.parse(result.stdout) as {
          health?: { regions: { region: string; status: string }[] };
        };
        const regions = parsed.health?.regions ?? [];
        return regions.length === 2 && regions.every((r) => r.status === "healthy") ? regions : undefined;
      },
      "both regions' health checks to report healthy",
      { timeoutMs: 90_000, intervalMs: 2_000 },
    );
    assert.deepEqual(
      status.map((r) => r.region),
      REGIONS,
    );
  });

  test("destroy: the global stack, then both regions, then the global tables", async () => {
    const destroy = await run(at("destroy", app.dir, "--yes"));
    assert.equal(destroy.code, 0, `${destroy.stdout}\n${destroy.stderr}`);
    assert.deepEqual(phases(destroy.stdout), ["destroy global", "destroy regions", "destroy global-tables"]);
    const status = await run(at("status", app.dir));
    assert.match(status.stdout, /health checks: the global stack is not deployed/);
  });
});
