/**
 * Failover drills on a real two-region `dev` session: a region drill makes that region's HTTP and
 * WebSocket APIs answer as an API Gateway outage (real HTTP), a function drill turns on the forced-
 * failure switch so its health route answers 503 in that region only, heal restores both; the
 * control API (real HTTP with the session's token) serves them, refuses bad names all at once, and
 * each drill is a dev event.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { WebSocket } from "ws";
import { type DevEvent, DevSession } from "../../src/dev/dev-session.ts";
import { readDevState } from "../../src/dev/dev-state-file.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { remoteOperations } from "../../src/local/control/index.ts";
import type { DrillOperations } from "../../src/local/drill-operations.ts";
import { SCRIPT_CREDENTIALS } from "../support/endpoint.ts";
import { copyApp } from "../support/temp.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/apps/drills", import.meta.url));
const EAST = "us-east-1";
const WEST = "us-west-2";

describe("dev drills", { timeout: 170_000 }, () => {
  let app: ReturnType<typeof copyApp>;
  let session: DevSession;
  let drills: DrillOperations;
  const events: DevEvent[] = [];
  /** The region of each $disconnect route the gateways ran, and a waiter for the next one. */
  const disconnects: string[] = [];
  let onDisconnect: (() => void) | undefined;
  /** Resolves once `count` $disconnect routes have run in all. */
  const disconnected = (count: number) =>
    new Promise<void>((resolve) => {
      onDisconnect = () => {
        if (disconnects.length < count) return;
        onDisconnect = undefined;
        resolve();
      };
      onDisconnect();
    });

  before(async () => {
    app = copyApp(FIXTURE, "sluice-drills-");
    session = await DevSession.start({
      dir: app.dir,
      clock: new ManualClock(),
      watch: false,
      onEvent: (event) => {
        if (event.type === "drill") events.push(event);
        if (event.type === "access" && event.access.request === "$disconnect") {
          disconnects.push(event.region ?? "");
          onDisconnect?.();
        }
      },
    });
    const state = readDevState(join(app.dir, ".sluice"));
    assert.ok(state?.token, "dev writes its control token");
    const ops = remoteOperations(session.url, state.token);
    assert.ok(ops.drills);
    drills = ops.drills;
  });

  after(async () => {
    await session?.close();
    app?.cleanup();
  });

  const get = async (region: string, path: string) => {
    const base = session.apiUrlsOf(region).http;
    assert.ok(base, `${region} has an HTTP API`);
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: await response.text() };
  };

  /** The WebSocket handshake's status: 101 when accepted, else the refusal's. */
  const handshake = (region: string) =>
    new Promise<number>((resolve) => {
      const url = session.apiUrlsOf(region).websocket;
      assert.ok(url);
      const ws = new WebSocket(url);
      ws.on("open", () => {
        ws.close();
        resolve(101);
      });
      ws.on("unexpected-response", (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.on("error", () => undefined);
    });

  test("a region drill makes that region's APIs answer as an outage, the other's not; heal restores", async () => {
    assert.deepEqual(await get(EAST, "/hello"), { status: 200, body: `Hello from ${EAST}` });
    const { drill } = await drills.fail({ kind: "region", region: EAST });
    assert.deepEqual([drill.kind, drill.region], ["region", EAST]);

    assert.deepEqual(await get(EAST, "/hello"), { status: 503, body: '{"message":"Service Unavailable"}' });
    // The gateway itself is down: no route, the health route included, reaches a function.
    assert.equal((await get(EAST, "/nowhere")).status, 503);
    assert.equal((await get(EAST, "/health?healthCheckerId=s3cret")).status, 503);
    assert.equal(await handshake(EAST), 503);
    assert.deepEqual(await get(WEST, "/hello"), { status: 200, body: `Hello from ${WEST}` });
    assert.equal(await handshake(WEST), 101);
    // The region's AWS endpoint scope keeps answering: its state stays inspectable.
    const invoked = await session.cloudOf(EAST).invoke("api", "{}");
    assert.equal(invoked.statusCode, 200);

    const { healed } = await drills.heal({});
    assert.deepEqual(
      healed.map((d) => d.region),
      [EAST],
    );
    assert.deepEqual(await get(EAST, "/hello"), { status: 200, body: `Hello from ${EAST}` });
    assert.equal(await handshake(EAST), 101);
  });

  test("a WebSocket connection open when its region fails is closed at its next message, no route running", async () => {
    const url = session.apiUrlsOf(EAST).websocket;
    assert.ok(url);
    // The first test's two accepted handshakes (one per region) each ran $disconnect.
    await disconnected(2);
    const ran = disconnects.length;
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    await drills.fail({ kind: "region", region: EAST });
    try {
      ws.send("hello");
      assert.equal(await closed, 1001);
    } finally {
      await drills.heal({ kind: "region" });
    }
    // Healed, a connection's close runs $disconnect again; the one lost to the outage ran none.
    const again = new WebSocket(url);
    await new Promise((resolve, reject) => {
      again.once("open", resolve);
      again.once("error", reject);
    });
    // Waits for this close's own $disconnect, after any the outage's close had run.
    const next = disconnected(disconnects.length + 1);
    again.close();
    await next;
    assert.deepEqual(disconnects.slice(ran), [EAST]);
  });

  test("a function drill fails its health route in that region only; its other routes still answer; heal restores", async () => {
    const ping = "/health?healthCheckerId=s3cret";
    assert.equal((await get(WEST, ping)).status, 200);
    await drills.fail({ kind: "function", function: "api", region: WEST });
    assert.equal((await get(WEST, ping)).status, 503);
    assert.equal((await get(EAST, ping)).status, 200);
    assert.equal((await get(WEST, "/hello")).status, 200);
    const report = await drills.report();
    assert.deepEqual(
      report.drills.map((d) => [d.kind, d.function, d.region, d.variable]),
      [["function", "api", WEST, "HEALTH_FORCE_FAIL"]],
    );
    await drills.heal({ kind: "function", function: "api" });
    assert.equal((await get(WEST, ping)).status, 200);
  });

  /** GetFunctionConfiguration's variables of a function in a region, through dev's endpoint. */
  const variables = async (region: string, name: string) => {
    const lambda = new LambdaClient({
      endpoint: session.url,
      region,
      credentials: SCRIPT_CREDENTIALS,
      maxAttempts: 1,
    });
    const functionName = session.cloudOf(region).spec.functions[name]?.functionName;
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    lambda.destroy();
    return config.Environment?.Variables ?? {};
  };

  /** Each function's code generation in a region: it grows when the function gets new environments. */
  const generations = (region: string) =>
    Object.fromEntries(
      session
        .cloudOf(region)
        .lambda.stats()
        .map((s) => [s.functionName, s.codeGeneration]),
    );

  test("a function drill updates that one function, shows in its configuration, and a second one changes nothing", async () => {
    const before = { east: generations(EAST), west: generations(WEST) };
    await drills.fail({ kind: "function", function: "api", region: WEST });
    // As UpdateFunctionConfiguration: one function of one region gets new environments.
    assert.deepEqual(generations(WEST), { ...before.west, api: (before.west.api ?? 0) + 1 });
    assert.deepEqual(generations(EAST), before.east);
    assert.deepEqual(await variables(WEST, "api"), {
      HEALTH_CHECKER_ID: "s3cret",
      HEALTH_FORCE_FAIL: "true",
    });
    assert.deepEqual(await variables(EAST, "api"), { HEALTH_CHECKER_ID: "s3cret" });

    const again = await drills.fail({ kind: "function", function: "api", region: WEST });
    assert.equal(again.alreadyInForce, true);
    assert.deepEqual(generations(WEST), { ...before.west, api: (before.west.api ?? 0) + 1 });

    await drills.heal({ kind: "function", function: "api", region: WEST });
    assert.deepEqual(generations(WEST), { ...before.west, api: (before.west.api ?? 0) + 2 });
    assert.deepEqual(await variables(WEST, "api"), { HEALTH_CHECKER_ID: "s3cret" });
  });

  test("bad names are refused all at once, with suggestions; nothing starts", async () => {
    await assert.rejects(
      drills.fail({ kind: "function", function: "apx", region: "us-west-22" }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, "SLUICE_INVALID_DRILL");
        assert.match(error.message, /no region "us-west-22".*Did you mean "us-west-2"\?/);
        assert.match(error.message, /no function "apx".*Did you mean "api"\?/);
        return true;
      },
    );
    await assert.rejects(
      drills.fail({ kind: "function", function: "worker", region: EAST }),
      /no health check/,
    );
    // No global table in this app: nothing to pause.
    await assert.rejects(drills.fail({ kind: "replication" }), /no global table/);
    assert.deepEqual((await drills.report()).drills, []);
  });

  test("each drill and each heal is an event in dev's log", () => {
    const seen = events.map((e) =>
      e.type === "drill" ? `${e.action} ${e.drill.kind} ${e.drill.region}` : "",
    );
    assert.deepEqual(seen, [
      `fail region ${EAST}`,
      `heal region ${EAST}`,
      `fail region ${EAST}`,
      `heal region ${EAST}`,
      `fail function ${WEST}`,
      `heal function ${WEST}`,
      `fail function ${WEST}`,
      `heal function ${WEST}`,
    ]);
  });

  test("the control API's drill routes need the session's token", async () => {
    const response = await fetch(`${session.url}/_sluice/failover/fail`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "region", region: EAST }),
    });
    assert.equal(response.status, 401);
    assert.equal(session.drills?.isOutage(EAST), false);
  });

  test("the report lists the regions, outages and drills as JSON", async () => {
    await drills.fail({ kind: "region", region: WEST });
    const report = await drills.report();
    assert.deepEqual(report.regions, [EAST, WEST]);
    assert.deepEqual(report.outages, [WEST]);
    assert.deepEqual(report.checks, []);
    assert.equal(report.dns, undefined);
    await drills.heal({});
  });
});
