/**
 * examples/failover: the failover article's scenario, rehearsed locally. Part one drives a real
 * DevSession on a ManualClock (two regions, Route 53's checkers, the front door, global-table
 * replication, the drills) and records every answer the front door gives while the primary fails
 * and heals. Part two runs the README's commands as a user would: `sluice dev` in one process,
 * `sluice fail` / `time advance` / `health` / `heal` from others.
 *
 * Route 53's timing, which bounds what a client may see: a health check changes status after
 * FailureThreshold consecutive results either way, one request every RequestInterval
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html),
 * and failover records answer the primary while its check is healthy
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-types.html).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DevSession } from "../../src/dev/dev-session.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { type DevProcess, ROOT, sluice, startDev } from "../support/cli-process.ts";
import { eventually } from "../support/poll.ts";
import { copyApp } from "../support/temp.ts";

const EXAMPLE = join(ROOT, "examples", "failover");
const PRIMARY = "us-east-1";
const SECONDARY = "us-west-2";

/** One answer of the front door, at a time on the session's clock. */
interface Answer {
  readonly atMs: number;
  readonly status: number;
  /** The region the front door forwarded to (its `x-sluice-region` header). */
  readonly region: string | null;
  readonly message: string;
}

async function ask(url: string, atMs: number, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let message = text;
  try {
    message = String((JSON.parse(text) as { message?: unknown; stored?: unknown }).message ?? text);
  } catch {
    // Not JSON: keep the text.
  }
  return { atMs, status: response.status, region: response.headers.get("x-sluice-region"), message };
}

const show = (answers: readonly Answer[], fromMs: number) =>
  answers.map((a) => `+${(a.atMs - fromMs) / 1000}s ${a.status} ${a.region} ${a.message}`).join("\n");

describe("examples/failover: the article's failover scenario on a manual clock", { timeout: 170_000 }, () => {
  let app: ReturnType<typeof copyApp>;
  let session: DevSession;
  const clock = new ManualClock();
  /** dev's events as one line each (function logs, Route 53, replication, drills), for failure messages. */
  const events: string[] = [];
  const recent = () => `dev's last events:\n${events.slice(-40).join("\n")}`;

  before(async () => {
    app = copyApp(EXAMPLE, "sluice-failover-");
    session = await DevSession.start({
      dir: app.dir,
      clock,
      watch: false,
      onEvent: (event) =>
        events.push(
          event.type === "log" ? `[${event.line.functionName}] ${event.line.text}` : JSON.stringify(event),
        ),
    });
  });

  after(async () => {
    await session?.close();
    app?.cleanup();
  });

  test("the front door fails over to us-west-2 within interval × threshold, and a write there reaches us-east-1 after heal and the lag", async () => {
    assert.deepEqual(session.regions, [PRIMARY, SECONDARY]);
    const route53 = session.route53;
    const replication = session.replication;
    const drills = session.drills;
    const frontDoor = session.frontDoorUrl;
    assert.ok(route53 && replication && drills && frontDoor, "dev composes Route 53, replication and drills");
    const check = session.cloudOf(PRIMARY).spec.functions.api?.health?.route53;
    assert.ok(check, "the example's api function has a Route 53 health check");
    const windowMs = check.intervalSeconds * 1000 * check.failureThreshold;
    const hello = `${frontDoor}/hello`;

    // Both regions up: the front door answers from the primary. The article's greeting is
    // written there (through the front door) and replicated to us-west-2.
    await route53.settled();
    const stored = await ask(hello, clock.now(), { method: "PUT", body: "Deep hello from " });
    assert.equal(stored.status, 200, stored.message);
    assert.equal(stored.region, PRIMARY);
    const first = await ask(hello, clock.now());
    assert.deepEqual(
      [first.status, first.region, first.message],
      [200, PRIMARY, `Deep hello from ${PRIMARY}`],
    );

    // us-east-1 goes down. Step the clock through Route 53's detection window and past it,
    // asking the front door after every step (and after the checkers' pings have finished).
    drills.failRegion(PRIMARY);
    const failedAt = clock.now();
    const stepMs = 5_000;
    const during: Answer[] = [];
    for (let elapsed = 0; elapsed < windowMs + 2 * check.intervalSeconds * 1000; elapsed += stepMs) {
      await clock.advance(stepMs);
      await route53.settled();
      await replication.settled();
      during.push(await ask(hello, clock.now()));
    }
    const log = `${show(during, failedAt)}\n${recent()}`;
    for (const answer of during) {
      if (answer.region === PRIMARY) {
        // Route 53 still points at the primary until its checkers have seen `threshold` failures:
        // an outage answer, never a stale success, and never after the window.
        assert.equal(answer.status, 503, `the failed primary answered as an outage:\n${log}`);
        assert.ok(answer.atMs - failedAt <= windowMs, `DNS moved within interval × threshold:\n${log}`);
      } else {
        assert.equal(answer.region, SECONDARY, log);
        assert.deepEqual([answer.status, answer.message], [200, `Deep hello from ${SECONDARY}`], log);
      }
    }
    assert.ok(
      during.filter((a) => a.atMs - failedAt >= windowMs).every((a) => a.region === SECONDARY),
      `after interval × threshold every answer comes from us-west-2:\n${log}`,
    );
    assert.equal(route53.resolve("api.example.com")?.region, SECONDARY);

    // A write in us-west-2 while us-east-1 is down; heal; it reaches us-east-1 after the lag.
    const howdy = await ask(hello, clock.now(), { method: "PUT", body: "Howdy from " });
    assert.deepEqual([howdy.status, howdy.region], [200, SECONDARY], howdy.message);
    drills.heal();
    const east = `${session.apiUrlsOf(PRIMARY).http}/hello`;
    const direct = async () => (await (await fetch(east)).json()) as { message: string; writtenIn: string };
    await replication.settled();
    assert.equal((await direct()).message, `Deep hello from ${PRIMARY}`, "not before the replication lag");
    const lagStep = 250;
    let waitedMs = 0;
    while ((await direct()).message !== `Howdy from ${PRIMARY}`) {
      assert.ok(waitedMs < 10_000, "the write reaches us-east-1 within the lag (default 1 s)");
      await clock.advance(lagStep);
      await replication.settled();
      waitedMs += lagStep;
    }
    assert.ok(waitedMs >= 1000, `replication took the lag of 1 s, not ${waitedMs} ms`);
    assert.deepEqual(await direct(), {
      message: `Howdy from ${PRIMARY}`,
      region: PRIMARY,
      writtenIn: SECONDARY,
    });

    // Healed: Route 53 returns to the primary after `threshold` healthy pings, not before; every
    // answer in between is a success from one region or the other.
    const healedAt = clock.now();
    const back: Answer[] = [];
    for (let elapsed = 0; elapsed < windowMs + 2 * check.intervalSeconds * 1000; elapsed += stepMs) {
      await clock.advance(stepMs);
      await route53.settled();
      back.push(await ask(hello, clock.now()));
    }
    const backLog = `${show(back, healedAt)}\n${recent()}`;
    assert.ok(
      back.every((a) => a.status === 200),
      `no failed answer after heal:\n${backLog}`,
    );
    assert.ok(
      back.filter((a) => a.atMs - healedAt >= windowMs).every((a) => a.region === PRIMARY),
      `back on us-east-1 after interval × threshold:\n${backLog}`,
    );
    assert.ok(
      back.some((a) => a.region === SECONDARY),
      `Route 53 waited for healthy pings before failing back:\n${backLog}`,
    );
  });

  test("the forced-failure switch fails the region's health checks only: /hello keeps answering while DNS moves", async () => {
    const route53 = session.route53;
    const drills = session.drills;
    assert.ok(route53 && drills && session.frontDoorUrl);
    const check = session.cloudOf(PRIMARY).spec.functions.api?.health?.route53;
    assert.ok(check);
    const windowMs = check.intervalSeconds * 1000 * check.failureThreshold;
    assert.equal(
      route53.resolve("api.example.com")?.region,
      PRIMARY,
      "the previous test left DNS on the primary",
    );

    await drills.failFunction("api", PRIMARY);
    const failedAt = clock.now();
    const answers: Answer[] = [];
    for (let elapsed = 0; elapsed < windowMs + 2 * check.intervalSeconds * 1000; elapsed += 5_000) {
      await clock.advance(5_000);
      await route53.settled();
      answers.push(await ask(`${session.frontDoorUrl}/hello`, clock.now()));
    }
    const log = `${show(answers, failedAt)}\n${recent()}`;
    // HEALTH_FORCE_FAIL fails the pings, not the app: every answer is a success, from us-east-1
    // until Route 53 has seen `threshold` failed pings, from us-west-2 after.
    assert.ok(
      answers.every((a) => a.status === 200),
      `no failed answer:\n${log}`,
    );
    assert.ok(
      answers.filter((a) => a.atMs - failedAt >= windowMs).every((a) => a.region === SECONDARY),
      `DNS moved to us-west-2 within interval × threshold:\n${log}`,
    );
    assert.ok(
      answers.some((a) => a.region === PRIMARY),
      `not before the failed pings:\n${log}`,
    );
    await drills.heal();
  });
});

describe("examples/failover: the README's drill with the real CLI", { timeout: 170_000 }, () => {
  let app: ReturnType<typeof copyApp>;
  let dev: DevProcess;

  before(async () => {
    app = copyApp(EXAMPLE, "sluice-failover-cli-");
    dev = await startDev(app.dir);
  });

  after(async () => {
    await dev?.stop();
    app?.cleanup();
  });

  test("dev, curl, fail region, (time advance), health and heal: the front door moves to us-west-2 and back", async () => {
    const banner = dev.lines.join("\n");
    const frontDoor = /front door\s+(http:\/\/\S+)/i.exec(banner)?.[1];
    assert.ok(frontDoor, `dev prints the front door's URL:\n${banner}`);
    const dir = ["--dir", app.dir];
    const hello = async () => {
      const response = await fetch(`${frontDoor}/hello`);
      return {
        status: response.status,
        region: response.headers.get("x-sluice-region"),
        body: await response.text(),
      };
    };
    /** Runs a CLI command and waits for dev to log a new line matching `pattern` (counted before the command runs). */
    const runAndLog = async (args: readonly string[], pattern: RegExp) => {
      const seen = dev.lines.filter((line) => pattern.test(line)).length;
      const result = await sluice([...args, ...dir]);
      assert.equal(result.code, 0, `sluice ${args.join(" ")}: ${result.stderr}`);
      await dev.waitForCount(pattern, seen + 1);
      return result;
    };

    /** The time of each checker's latest ping, from `sluice health --json`. */
    const lastPings = async () => {
      const result = await sluice(["health", "--json", ...dir]);
      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(result.stdout) as {
        checks: { id: string; lastResults: { atMs: number }[] }[];
      };
      return report.checks.map((c) => c.lastResults.at(-1)?.atMs ?? 0);
    };
    let pinged: number[] | undefined;
    /** `sluice time advance 30s` (one Route 53 interval), then waits for every checker's ping of it. */
    const advanceOneInterval = async () => {
      const before = pinged ?? (await lastPings());
      const advanced = await sluice(["time", "advance", "30s", ...dir]);
      assert.equal(advanced.code, 0, advanced.stderr);
      pinged = await eventually(async () => {
        const now = await lastPings();
        return now.every((at, i) => at > (before[i] ?? 0)) ? now : undefined;
      }, "each checker's ping after `sluice time advance 30s`");
    };

    // 2. curl the front door: the primary answers.
    const first = await hello();
    assert.deepEqual([first.status, first.region], [200, PRIMARY], first.body);
    assert.match(first.body, /Hello from us-east-1/);

    // 3. fail the primary: its API answers as an outage at once, DNS has not moved yet.
    await runAndLog(["fail", "region", PRIMARY], /drill.*us-east-1/i);
    const outage = await hello();
    assert.deepEqual([outage.status, outage.region], [503, PRIMARY], outage.body);

    // Wait 3 × 30 s, on Sluice's clock, one interval at a time as a user who waits would see it:
    // the checkers' third failure moves api.example.com.
    const moved = /DNS answers api\.example\.com → us-west-2/;
    const movedBefore = dev.lines.filter((line) => moved.test(line)).length;
    for (let ping = 0; ping < 3; ping++) await advanceOneInterval();
    await dev.waitForCount(moved, movedBefore + 1);

    // 4. health: us-east-1's checker is unhealthy, DNS answers us-west-2.
    const health = await sluice(["health", ...dir]);
    assert.equal(health.code, 0, health.stderr);
    assert.match(health.stdout, /us-east-1.*unhealthy/i, health.stdout);
    assert.match(health.stdout, /api\.example\.com.*us-west-2/i, health.stdout);
    const json = await sluice(["health", "--json", ...dir]);
    assert.equal(json.code, 0, json.stderr);
    assert.doesNotThrow(() => JSON.parse(json.stdout), json.stdout);

    const failedOver = await hello();
    assert.deepEqual([failedOver.status, failedOver.region], [200, SECONDARY], failedOver.body);
    assert.match(failedOver.body, /Hello from us-west-2/);

    // 5. heal: us-east-1 answers again; after three healthy pings DNS returns to it.
    await runAndLog(["heal"], /drill.*heal/i);
    const back = /DNS answers api\.example\.com → us-east-1/;
    const backBefore = dev.lines.filter((line) => back.test(line)).length;
    for (let ping = 0; ping < 3; ping++) await advanceOneInterval();
    await dev.waitForCount(back, backBefore + 1);
    const healed = await hello();
    assert.deepEqual([healed.status, healed.region], [200, PRIMARY], healed.body);
  });
});
