/**
 * examples/hybrid: the README's drill with the real CLI. `sluice dev` runs the Lambda API and, in
 * the same process, the `web` fleet (`sluice serve`'s server on dev's endpoint); the front door
 * answers `api.example.com` as Route 53's failover records would: the Lambda API while its health
 * check passes (PRIMARY), the fleet once it fails (SECONDARY, `role: "failover"`). The test fails
 * the Lambda path with `sluice fail function api`, moves Sluice's clock past the check's failure
 * threshold with `sluice time advance`, and sees the same request answered by the fleet; `sluice
 * heal` brings it back. Who answered is read from the body: `SLUICE_FLEET` is set only by serve.
 *
 * Route 53's timing: a check changes status after FailureThreshold consecutive results, one
 * request every RequestInterval
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html);
 * failover records answer the primary while its check is healthy, else the secondary
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-types.html).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type DevProcess, ROOT, sluice, startDev } from "../support/cli-process.ts";
import { eventually } from "../support/poll.ts";
import { copyApp } from "../support/temp.ts";

const EXAMPLE = join(ROOT, "examples", "hybrid");
/** The example's check: `route53: { interval: "30 seconds", failureThreshold: 3 }`. */
const INTERVAL = "30s";
const THRESHOLD = 3;

interface Answer {
  readonly status: number;
  readonly servedBy: string;
  readonly body: string;
}

describe("examples/hybrid: Lambda fails, the fleet answers (real CLI)", { timeout: 170_000 }, () => {
  let app: ReturnType<typeof copyApp>;
  let dev: DevProcess;

  before(async () => {
    app = copyApp(EXAMPLE, "sluice-hybrid-cli-");
    dev = await startDev(app.dir);
  });

  after(async () => {
    await dev?.stop();
    app?.cleanup();
  });

  test("dev, curl, fail function api, time advance, heal: the front door moves to the fleet and back", async () => {
    const banner = dev.lines.join("\n");
    const frontDoor = /front door\s+(http:\/\/\S+)/i.exec(banner)?.[1];
    assert.ok(frontDoor, `dev prints the front door's URL:\n${banner}`);
    const dir = ["--dir", app.dir];
    const recent = () => `dev's last lines:\n${dev.lines.slice(-40).join("\n")}`;

    const ask = async (path: string, init?: RequestInit): Promise<Answer> => {
      const response = await fetch(`${frontDoor}${path}`, init);
      const body = await response.text();
      let servedBy = "";
      try {
        servedBy = String((JSON.parse(body) as { servedBy?: unknown }).servedBy ?? "");
      } catch {
        // Not JSON (an outage page): nobody's answer.
      }
      return { status: response.status, servedBy, body };
    };

    /** The time of each checker's latest ping, from `sluice health --json`. */
    const lastPings = async () => {
      const result = await sluice(["health", "--json", ...dir]);
      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(result.stdout) as { checks: { lastResults: { atMs: number }[] }[] };
      assert.ok(report.checks.length > 0, `the example has a Route 53 check:\n${result.stdout}`);
      return report.checks.map((c) => c.lastResults.at(-1)?.atMs ?? 0);
    };
    let pinged: number[] | undefined;
    /** `sluice time advance 30s` (one Route 53 interval), then waits until every checker pinged on it. */
    const advanceOneInterval = async () => {
      const before = pinged ?? (await lastPings());
      const advanced = await sluice(["time", "advance", INTERVAL, ...dir]);
      assert.equal(advanced.code, 0, advanced.stderr);
      pinged = await eventually(
        async () => {
          const now = await lastPings();
          return now.every((at, i) => at > (before[i] ?? 0)) ? now : undefined;
        },
        `each checker's ping after \`sluice time advance ${INTERVAL}\``,
        { detail: recent },
      );
    };

    // 1. Both up: Lambda (PRIMARY) answers through the front door.
    const first = await ask("/hello");
    assert.deepEqual([first.status, first.servedBy], [200, "lambda"], `${first.body}\n${recent()}`);

    // 2. Fail the Lambda path: its health route answers 503 (HEALTH_FORCE_FAIL); the API itself
    //    still answers, so until Route 53 has seen THRESHOLD failed pings, Lambda keeps serving.
    const failed = await sluice(["fail", "function", "api", ...dir]);
    assert.equal(failed.code, 0, `sluice fail function api: ${failed.stderr}`);
    const during = await ask("/hello");
    assert.deepEqual([during.status, during.servedBy], [200, "lambda"], `${during.body}\n${recent()}`);

    // 3. THRESHOLD intervals on Sluice's clock: the check turns unhealthy, the front door answers
    //    from the fleet: the same request, the same handler, served by `sluice serve`.
    for (let ping = 0; ping < THRESHOLD; ping++) await advanceOneInterval();
    const fleet = await eventually(
      async () => {
        const answer = await ask("/hello");
        return answer.servedBy === "fleet web" ? answer : undefined;
      },
      "the front door answering from the fleet",
      { timeoutMs: 20_000, detail: recent },
    );
    assert.equal(fleet.status, 200, fleet.body);
    assert.deepEqual(JSON.parse(fleet.body), { message: "hello from fleet web", servedBy: "fleet web" });
    // `sluice health`: Lambda's check unhealthy, the fleet's (its /healthz) healthy, DNS on the fleet.
    const health = await sluice(["health", ...dir]);
    assert.equal(health.code, 0, health.stderr);
    assert.match(health.stdout, /api\.example\.com.*→ fleet web/, health.stdout);
    assert.match(health.stdout, /fleet web\s+healthy/, health.stdout);
    assert.match(health.stdout, /\bunhealthy\b/, health.stdout);

    // A job posted while the fleet serves: accepted by the fleet, routed to `jobs` by the fleet's
    // router, processed by a consumer of `jobs` (Lambda's mapping or the fleet's, whichever
    // received it), its result read back through the fleet.
    const posted = await ask("/jobs", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "served from a server" }),
    });
    assert.equal(posted.status, 202, posted.body);
    const job = JSON.parse(posted.body) as { id: string; acceptedBy: string };
    assert.equal(job.acceptedBy, "fleet web");
    const result = await eventually(
      async () => {
        const answer = await ask(`/jobs/${job.id}`);
        return answer.status === 200 ? (JSON.parse(answer.body) as Record<string, unknown>) : undefined;
      },
      "the job's result",
      { timeoutMs: 30_000, detail: recent },
    );
    assert.equal(result.result, "SERVED FROM A SERVER");
    assert.equal(result.acceptedBy, "fleet web");
    assert.ok(["lambda", "fleet web"].includes(String(result.processedBy)), JSON.stringify(result));
    assert.equal(result.servedBy, "fleet web");

    // 4. Heal: the check passes again; after THRESHOLD healthy pings the front door returns to Lambda.
    const healed = await sluice(["heal", "function", "api", ...dir]);
    assert.equal(healed.code, 0, `sluice heal function api: ${healed.stderr}`);
    for (let ping = 0; ping < THRESHOLD; ping++) await advanceOneInterval();
    const back = await eventually(
      async () => {
        const answer = await ask("/hello");
        return answer.servedBy === "lambda" ? answer : undefined;
      },
      "the front door answering from Lambda again",
      { timeoutMs: 20_000, detail: recent },
    );
    assert.equal(back.status, 200, back.body);
  });
});
