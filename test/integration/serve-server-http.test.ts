/**
 * `startServer` against a running `sluice dev` (its endpoint is the server's AWS): HTTP routes
 * answer as dev's HTTP API answers, a crashed worker costs one request, routes reach dev's queue
 * and the server's own functions, reserved concurrency throttles as dev does, and `/healthz`
 * turns 503 while a graceful shutdown lets the request in flight finish.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { buildApp } from "../../src/bundle/build-app.ts";
import { loadApp } from "../../src/bundle/load-app.ts";
import type { ServerSpec } from "../../src/model/servers.ts";
import { type RunningServer, readServedApp, type ServeLogEntry, startServer } from "../../src/serve/index.ts";
import { type DevProcess, ROOT, startDev } from "../support/cli-process.ts";
import { clientConfig, copyAppWithSdk, SCRIPT_CREDENTIALS } from "../support/endpoint.ts";
import { HoldGate } from "../support/hold-gate.ts";
import { eventually } from "../support/poll.ts";

const FIXTURE = join(ROOT, "test", "fixtures", "apps", "serve");
/** Every function but `other`: its route must answer 404 from the server. */
const FLEET: ServerSpec = {
  name: "web",
  functions: ["echo", "crash", "enqueue", "relay", "worker", "slow"],
  platform: "ec2",
  instanceType: "t4g.small",
  minSize: 1,
  maxSize: 1,
  port: 0,
  loadBalancer: true,
  schedules: false,
  shutdownSeconds: 30,
};

let app: ReturnType<typeof copyAppWithSdk>;
let gate: HoldGate;
let dev: DevProcess;
let devHttp: string;
let endpoint: string;
let server: RunningServer;
let sqs: SQSClient;
const log: ServeLogEntry[] = [];

before(async () => {
  gate = await HoldGate.open();
  // The definition reads GATE_URL when it loads: dev's process and this one (the server's build).
  process.env.GATE_URL = gate.url;
  app = copyAppWithSdk(FIXTURE);
  dev = await startDev(app.dir, { env: { GATE_URL: gate.url } });
  const banner = dev.lines.join("\n");
  devHttp = /HTTP API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1] ?? "";
  endpoint = /AWS endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1] ?? "";
  assert.ok(devHttp && endpoint, banner);
  const built = await buildApp(await loadApp(app.dir), { outDir: join(app.dir, ".sluice", "serve-test") });
  const served = readServedApp(built.outDir);
  server = await startServer({
    app: { spec: { ...served.spec, servers: { web: FLEET } }, code: served.code },
    fleet: "web",
    endpointUrl: endpoint,
    environment: {
      AWS_ACCESS_KEY_ID: SCRIPT_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SCRIPT_CREDENTIALS.secretAccessKey,
    },
    log: (entry) => log.push(entry),
  });
  sqs = new SQSClient(clientConfig(endpoint));
});

after(async () => {
  sqs?.destroy();
  await server?.close();
  await dev?.stop();
  await gate?.close();
  app?.cleanup();
});

async function answer(base: string, path: string, init: RequestInit = {}) {
  const response = await fetch(`${base}${path}`, init);
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    servedBy: response.headers.get("x-served-by"),
    body: await response.text(),
  };
}

test("an HTTP route answers as dev's HTTP API does (payload format 2.0)", { timeout: 60_000 }, async () => {
  const requests: [string, RequestInit][] = [
    ["/echo?color=blue&size=2", {}],
    ["/echo", { method: "POST", body: "hello", headers: { "content-type": "text/plain" } }],
    ["/items/42", {}],
    ["/missing", {}],
  ];
  for (const [path, init] of requests) {
    const fromDev = await answer(devHttp, path, init);
    const fromServer = await answer(server.url, path, init);
    assert.deepEqual(fromServer, fromDev, `${init.method ?? "GET"} ${path}`);
  }
  const echoed = JSON.parse((await answer(server.url, "/items/42")).body);
  assert.equal(echoed.routeKey, "GET /items/{id}");
  assert.deepEqual(echoed.pathParameters, { id: "42" });
  assert.equal(echoed.endpoint, endpoint, "functions call the endpoint the server was given");
  assert.ok(
    log.some((e) => e.event === "request" && e.path === "/echo" && e.status === 200 && e.method === "GET"),
    JSON.stringify(log),
  );
  assert.ok(!JSON.stringify(log).includes("color=blue"), "the log leaves query strings out");
});

test("a route of a function the server does not serve answers 404, as an unknown route", async () => {
  assert.equal((await answer(devHttp, "/other")).status, 200);
  const fromServer = await answer(server.url, "/other");
  assert.deepEqual(
    { status: fromServer.status, body: fromServer.body },
    { status: 404, body: '{"message":"Not Found"}' },
  );
});

test("a handler that ends its worker answers 500 and the next request succeeds", async () => {
  const crashed = await answer(server.url, "/crash?exit=1");
  assert.equal(crashed.status, 500);
  assert.equal(crashed.status, (await answer(devHttp, "/crash?exit=1")).status);
  const next = await answer(server.url, "/crash");
  assert.deepEqual([next.status, next.body], [200, "alive"]);
});

test("a route to a queue is delivered to dev's queue", { timeout: 60_000 }, async () => {
  const posted = await answer(server.url, "/enqueue", { method: "POST", body: "job-from-serve" });
  assert.equal(posted.status, 200);
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "serve-fixture-jobs" }));
  const body = await eventually(async () => {
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    return received.Messages?.[0]?.Body;
  }, "the routed message in dev's queue");
  assert.deepEqual(JSON.parse(body), { job: "job-from-serve" });
});

test("a route to a function the server serves runs it on the server", { timeout: 60_000 }, async () => {
  const posted = await answer(server.url, "/relay", { method: "POST", body: "r-1" });
  assert.equal(posted.status, 200);
  await eventually(
    () =>
      log.find(
        (e) => e.event === "log" && e.function === "worker" && String(e.message).includes('"relayed":"r-1"'),
      ),
    "the worker's log line on the server",
    { detail: () => JSON.stringify(log.slice(-10)) },
  );
});

test("reserved concurrency 1 throttles a second concurrent request as dev does", {
  timeout: 60_000,
}, async () => {
  const throttledBy = async (base: string) => {
    const arrived = gate.arrivals.items.length;
    const first = answer(base, "/slow");
    await gate.arrived(arrived + 1);
    const second = await answer(base, "/slow");
    gate.release("");
    return { first: await first, second };
  };
  const fromDev = await throttledBy(devHttp);
  const fromServer = await throttledBy(server.url);
  assert.equal(fromServer.first.status, 200);
  assert.deepEqual(
    { status: fromServer.second.status, body: fromServer.second.body },
    { status: fromDev.second.status, body: fromDev.second.body },
  );
  assert.notEqual(fromServer.second.status, 200);
});

/** A GET with the Host header given (fetch does not let a caller set Host). */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

/** The sourceIp the event of `GET /echo` carried, sent with an X-Forwarded-For header. */
async function sourceIpWith(base: string, forwardedFor: string): Promise<string> {
  const response = await fetch(`${base}/echo`, { headers: { "x-forwarded-for": forwardedFor } });
  return JSON.parse(await response.text()).sourceIp;
}

test("it refuses a foreign Host; told it sits behind a load balancer (allowAnyHost) it answers any", {
  timeout: 60_000,
}, async () => {
  assert.equal(await getWithHost(`${server.url}/echo`, "attacker.example:80"), 403);
  const served = readServedApp(join(app.dir, ".sluice", "serve-test"));
  // What `--host 0.0.0.0` implies (fleet-settings.ts), tested on loopback: tests bind 127.0.0.1 only.
  const open = await startServer({
    app: served,
    allowAnyHost: true,
    endpointUrl: endpoint,
    environment: {
      AWS_ACCESS_KEY_ID: SCRIPT_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SCRIPT_CREDENTIALS.secretAccessKey,
    },
  });
  try {
    assert.match(open.url, /^http:\/\/127\.0\.0\.1:/);
    const host = "web-fleet-123.eu-west-1.elb.example";
    assert.equal(await getWithHost(`${open.url}/echo`, host), 200);
    assert.equal(await getWithHost(`${open.url}/healthz`, "10.0.1.23:8080"), 200);
    // Behind the load balancer the peer is the balancer, which appends the client's address to
    // X-Forwarded-For: the event's sourceIp is that last entry, as API Gateway's is the client's.
    assert.equal(await sourceIpWith(open.url, "198.51.100.7, 203.0.113.9"), "203.0.113.9");
    assert.equal(await sourceIpWith(open.url, "not-an-address"), "127.0.0.1");
    // Reached directly (no balancer in front), a client's header is not believed.
    assert.equal(await sourceIpWith(server.url, "203.0.113.9"), "127.0.0.1");
  } finally {
    await open.close();
  }
});

test("a named stage: the server answers at the root, as the API's custom domain (and an ALB) sends paths", {
  timeout: 60_000,
}, async () => {
  const served = readServedApp(join(app.dir, ".sluice", "serve-test"));
  const http = served.spec.http;
  assert.ok(http);
  const staged = await startServer({
    app: { spec: { ...served.spec, http: { ...http, stage: "prod" } }, code: served.code },
    endpointUrl: endpoint,
    environment: {
      AWS_ACCESS_KEY_ID: SCRIPT_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SCRIPT_CREDENTIALS.secretAccessKey,
    },
  });
  try {
    assert.equal(staged.url, `http://127.0.0.1:${staged.port}`);
    const echoed = await answer(staged.url, "/echo");
    assert.equal(echoed.status, 200, echoed.body);
    assert.equal(JSON.parse(echoed.body).path, "/echo");
    assert.equal((await answer(staged.url, "/prod/echo")).status, 404);
    assert.equal((await answer(staged.url, "/healthz")).status, 200);
  } finally {
    await staged.close();
  }
});

test("/healthz answers 200, then 503 while close() lets the request in flight finish", {
  timeout: 60_000,
}, async () => {
  const healthy = await answer(server.url, "/healthz");
  assert.deepEqual([healthy.status, healthy.body], [200, '{"status":"ok"}']);
  const arrived = gate.arrivals.items.length;
  const inFlight = answer(server.url, "/slow");
  await gate.arrived(arrived + 1);
  const closing = server.close();
  const stopping = await eventually(async () => {
    const health = await answer(server.url, "/healthz");
    return health.status === 503 ? health : undefined;
  }, "/healthz to answer 503");
  assert.equal(stopping.body, '{"status":"stopping"}');
  gate.release("");
  assert.equal((await inFlight).status, 200);
  const report = await closing;
  assert.deepEqual(report, { finished: 1, released: 0, abandoned: 0 });
  assert.ok(
    log.some((e) => e.event === "shutdown"),
    JSON.stringify(log.slice(-5)),
  );
});
