/** The pure parts of `startServer`: a fleet's settings, function environments, /healthz, log lines, queue URLs. */
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { test } from "node:test";
import { fleetIdleTimeout } from "../../src/aws/resources/server-fleet-network.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { LIMITS } from "../../src/model/limits.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { fleetSettings, frontDoorSettings } from "../../src/serve/fleet-settings.ts";
import {
  credentialVariables,
  functionEnvironment,
  staticCredentials,
} from "../../src/serve/function-environment.ts";
import { healthRoute } from "../../src/serve/health-route.ts";
import { refusedInvocation, retryThrottled } from "../../src/serve/invoke-failure.ts";
import { findQueueUrls, linkedQueues } from "../../src/serve/queue-urls.ts";
import { requestLine } from "../../src/serve/serve-log.ts";

const ACCOUNT = "123456789012";

function app(servers?: Record<string, unknown>) {
  return normaliseApp(
    {
      name: "shop",
      region: "eu-west-1",
      queues: { jobs: {}, audit: {} },
      functions: {
        api: { handler: "src/api.handler", http: "GET /items", routes: "jobs" },
        worker: { handler: "src/worker.handler", consumes: { queue: "jobs" } },
        report: { handler: "src/report.handler", environment: { AWS_ENDPOINT_URL: "http://own" } },
      },
      ...(servers ? { servers } : {}),
    },
    { region: "eu-west-1", accountId: ACCOUNT },
  );
}

test("without a fleet every function is served on a free port, 30 s to shut down, no schedules", () => {
  assert.deepEqual(fleetSettings(app(), {}), {
    functions: ["api", "worker", "report"],
    port: 0,
    schedules: false,
    shutdownMs: 30_000,
  });
});

test("a fleet gives its functions, port, schedules and deadline; options win over them", () => {
  const spec = app({
    web: { functions: ["worker", "api"], port: 8081, schedules: true, shutdownSeconds: 5 },
  });
  assert.deepEqual(fleetSettings(spec, { fleet: "web" }), {
    functions: ["api", "worker"],
    port: 8081,
    schedules: true,
    shutdownMs: 5000,
  });
  assert.equal(fleetSettings(spec, { fleet: "web", port: 9000, shutdownMs: 10 }).port, 9000);
  assert.equal(fleetSettings(spec, { fleet: "web", schedules: false }).schedules, false);
});

test("bound to loopback only loopback Hosts pass and Node's keep-alive stays; asked, any Host passes", () => {
  const spec = app();
  assert.deepEqual(frontDoorSettings(spec, fleetSettings(spec, {}), {}), {
    host: "127.0.0.1",
    anyHost: false,
  });
  assert.deepEqual(frontDoorSettings(spec, fleetSettings(spec, {}), { allowAnyHost: true }), {
    host: "127.0.0.1",
    anyHost: true,
  });
  assert.equal(
    frontDoorSettings(spec, fleetSettings(spec, {}), { host: "::", allowAnyHost: false }).anyHost,
    false,
  );
});

test("behind a load balancer, keep-alive outlasts the balancer's idle timeout (else it answers 502)", () => {
  const spec = normaliseApp(
    {
      name: "shop",
      region: "eu-west-1",
      functions: {
        api: { handler: "src/api.handler", http: "GET /items" },
        slow: { handler: "src/slow.handler", http: "GET /report", timeout: "5 minutes" },
        quick: { handler: "src/quick.handler", http: "GET /ping" },
      },
      servers: { web: { functions: ["api", "slow"] }, quick: { functions: ["quick"] } },
    },
    { region: "eu-west-1", accountId: ACCOUNT },
  );
  const web = spec.servers?.web;
  const quick = spec.servers?.quick;
  assert.ok(web && quick);
  // A wildcard address means a load balancer in front: any Host, a keep-alive past its idle timeout.
  const open = frontDoorSettings(spec, fleetSettings(spec, { fleet: "web" }), { host: "0.0.0.0" });
  assert.equal(open.anyHost, true);
  assert.ok((open.keepAliveMs ?? 0) > fleetIdleTimeout(spec, web) * 1000, JSON.stringify(open));
  assert.ok(
    fleetIdleTimeout(spec, web) > LIMITS.elb.idleTimeoutSeconds.default,
    "the 5-minute function counts",
  );
  // A fleet with a load balancer on loopback (`sluice cloud`, dev) keeps the same keep-alive.
  const local = frontDoorSettings(spec, fleetSettings(spec, { fleet: "quick" }), { fleet: "quick" });
  assert.equal(local.anyHost, false);
  assert.ok((local.keepAliveMs ?? 0) > fleetIdleTimeout(spec, quick) * 1000, JSON.stringify(local));
});

test("an unknown fleet is refused with the fleets the app has", () => {
  const spec = app({ web: { functions: ["api"] } });
  assert.throws(() => fleetSettings(spec, { fleet: "wbe" }), /no server fleet "wbe" \(it has: "web"\)/);
  // The spec is JSON from app.json: an inherited property is no fleet either.
  assert.throws(() => fleetSettings(spec, { fleet: "constructor" }), /no server fleet "constructor"/);
});

test("the credential chain's variables are passed on, nothing else of the host's", () => {
  const passed = credentialVariables({
    AWS_ACCESS_KEY_ID: "AKID",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/x",
    AWS_SESSION_TOKEN: "",
    DATABASE_PASSWORD: "not-for-functions",
    HOME: "/home/ec2-user",
  });
  assert.deepEqual(passed, {
    AWS_ACCESS_KEY_ID: "AKID",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/x",
    HOME: "/home/ec2-user",
  });
  assert.deepEqual(staticCredentials(passed), { accessKeyId: "AKID", secretAccessKey: "secret" });
  assert.equal(staticCredentials({ AWS_ACCESS_KEY_ID: "AKID" }), undefined);
});

test("a function gets the endpoint, credentials and its discovery variables with the URLs found", () => {
  const spec = app();
  const api = spec.functions.api;
  assert.ok(api);
  const variables = functionEnvironment(api, {
    spec,
    credentials: { AWS_ACCESS_KEY_ID: "AKID" },
    endpointUrl: "http://127.0.0.1:4566",
    queueUrls: new Map([["jobs", "http://127.0.0.1:4566/123456789012/shop-jobs"]]),
    extra: { GATE: "1" },
  });
  assert.equal(variables.AWS_ENDPOINT_URL, "http://127.0.0.1:4566");
  assert.equal(variables.AWS_ACCESS_KEY_ID, "AKID");
  assert.equal(variables.GATE, "1");
  assert.equal(variables.SLUICE_QUEUE_JOBS_URL, "http://127.0.0.1:4566/123456789012/shop-jobs");
  assert.equal(variables.SLUICE_QUEUE_JOBS_ARN, `arn:aws:sqs:eu-west-1:${ACCOUNT}:shop-jobs`);
  const worker = spec.functions.worker;
  assert.ok(worker);
  // A queue whose URL was not found gets no URL variable (a route there fails loudly), its ARN still.
  const without = functionEnvironment(worker, { spec, credentials: {}, queueUrls: new Map() });
  assert.equal(without.SLUICE_QUEUE_JOBS_URL, undefined);
  assert.equal(without.AWS_ENDPOINT_URL, undefined);
});

test("/healthz answers ok while serving and stopping once the shutdown began; other paths pass", () => {
  let stopping = false;
  const route = healthRoute(() => stopping);
  const req = (url: string) => ({ url }) as IncomingMessage;
  const ok = route(req("/healthz"));
  assert.deepEqual([ok?.status, ok?.body.toString()], [200, '{"status":"ok"}']);
  assert.equal(route(req("/healthz?probe=alb"))?.status, 200);
  assert.equal(route(req("/healthzz")), undefined);
  assert.equal(route(req("/items")), undefined);
  stopping = true;
  const stopped = route(req("/healthz"));
  assert.deepEqual([stopped?.status, stopped?.body.toString()], [503, '{"status":"stopping"}']);
});

test("a request is logged by method and path, without its query string", () => {
  assert.deepEqual(requestLine("GET /items/1?token=s3cret"), { method: "GET", path: "/items/1" });
  assert.deepEqual(requestLine("POST /"), { method: "POST", path: "/" });
});

test("queue URLs come from the stack's outputs when given, else from GetQueueUrl", async () => {
  const spec = app();
  const queues = linkedQueues(spec, ["api", "worker"]);
  assert.deepEqual(queues, ["jobs"]);
  const asked: string[] = [];
  const clients = {
    queueUrl: async (name: string) => {
      asked.push(name);
      if (name === "shop-audit") throw new Error("The specified queue does not exist.");
      return `https://sqs.example/${ACCOUNT}/${name}`;
    },
    stackOutputs: async () => ({
      JobsQueueUrl: `https://queue.from.outputs/${ACCOUNT}/shop-jobs`,
      ApiFunctionName: "shop-api",
    }),
  };
  const fromStack = await findQueueUrls(spec, ["jobs"], clients, "shop-prod");
  assert.equal(fromStack.urls.get("jobs"), `https://queue.from.outputs/${ACCOUNT}/shop-jobs`);
  assert.deepEqual(asked, []);
  const looked = await findQueueUrls(spec, ["jobs", "audit"], clients);
  assert.equal(looked.urls.get("jobs"), `https://sqs.example/${ACCOUNT}/shop-jobs`);
  assert.deepEqual(looked.missing, [{ queue: "audit", reason: "The specified queue does not exist." }]);
});

test("an invoke the service refused is a failed invocation; only Lambda's throttle is marked throttled", () => {
  const throttle = Object.assign(new Error("Rate Exceeded."), { code: "TooManyRequestsException" });
  assert.deepEqual(refusedInvocation(throttle), {
    payload: JSON.stringify({ errorType: "TooManyRequestsException", errorMessage: "Rate Exceeded." }),
    functionError: "Unhandled",
    throttled: true,
  });
  const closed = Object.assign(new Error("closed"), { code: "ServiceException" });
  assert.equal(refusedInvocation(closed).throttled, undefined);
  assert.equal(refusedInvocation(new Error("boom")).functionError, "Unhandled");
});

test("a route to a served function that is throttled runs later, as Lambda's async queue retries it", async () => {
  const clock = new ManualClock();
  const throttle = Object.assign(new Error("Rate Exceeded."), { code: "TooManyRequestsException" });
  let calls = 0;
  let stopping = false;
  const attempt = async () => {
    calls++;
    if (calls <= 2) throw throttle;
    return "ran";
  };
  const done = retryThrottled(attempt, clock, () => stopping, 60_000);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(calls, 1);
  await clock.advance(100);
  await clock.advance(200);
  assert.equal(await done, "ran");
  assert.equal(calls, 3);
  // A function error is no throttle: not run again. A stopping server or an expired event gives up.
  await assert.rejects(
    retryThrottled(
      async () => Promise.reject(new Error("boom")),
      clock,
      () => false,
      60_000,
    ),
    /boom/,
  );
  stopping = true;
  await assert.rejects(
    retryThrottled(
      async () => Promise.reject(throttle),
      clock,
      () => stopping,
      60_000,
    ),
    {
      code: "TooManyRequestsException",
    },
  );
  let tries = 0;
  const expired = assert.rejects(
    retryThrottled(
      async () => Promise.reject(Object.assign(throttle, { tries: ++tries })),
      clock,
      () => false,
      250,
    ),
    { code: "TooManyRequestsException" },
  );
  await clock.advance(100);
  await expired;
  assert.equal(tries, 2, "100 ms, then 200 more would pass the event's 250 ms age");
});
