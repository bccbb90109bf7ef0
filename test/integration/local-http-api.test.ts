/**
 * The HTTP API over real sockets with payload format 2.0: response mapping, the gateway's own
 * failures, routing of results, a real framework through its Lambda adapter, and the health check
 * route. The events the function receives are pinned by test/conformance/apigateway-events.test.ts.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type ApiApp, startApiApp } from "../support/api-servers.ts";

const CONFIG = `{
  name: "shop",
  queues: { audit: {} },
  functions: {
    echo: { handler: "src/echo.handler", http: ["GET /echo", "POST /echo", "ANY /echo/{proxy+}", "GET /items/{id}"] },
    shapes: { handler: "src/shapes.handler", http: "GET /shape/{kind}" },
    fail: { handler: "src/fail.handler", http: "GET /fail" },
    orders: { handler: "src/routed.handler", http: "POST /orders", routes: "audit" },
    web: { handler: "src/hono.handler", http: "ANY /hono/{proxy+}" },
    status: {
      handler: "src/health.handler",
      http: "GET /",
      health: { deepCheck: "checkDependencies", deepPercent: 100 },
      environment: { HEALTH_CHECKER_ID: "s3cret" },
    },
    down: {
      handler: "src/health.handler",
      health: { path: "/down/health", deepCheck: "checkDependencies", deepPercent: 100 },
      environment: { HEALTH_CHECKER_ID: "s3cret", DEPENDENCY_DOWN: "true" },
    },
    off: {
      handler: "src/health.handler",
      health: { path: "/off/health" },
      environment: { HEALTH_CHECKER_ID: "s3cret", HEALTH_FORCE_FAIL: "true" },
    },
  },
}`;

let app: ApiApp;
let base: string;
before(async () => {
  app = await startApiApp(CONFIG);
  base = app.servers.urls.http ?? "";
});
after(() => app.close());

describe("HTTP API responses", { timeout: 60_000 }, () => {
  test("turn a string or an object without statusCode into 200 JSON", async () => {
    const text = await fetch(`${base}/shape/string`);
    assert.equal(text.status, 200);
    assert.equal(text.headers.get("content-type"), "application/json");
    assert.equal(await text.text(), "hello");
    const object = await fetch(`${base}/shape/object`);
    assert.deepEqual(await object.json(), { hello: "world" });
  });

  test("send status, headers, one Set-Cookie per cookie, and API Gateway's request id", async () => {
    const response = await fetch(`${base}/shape/cookies`);
    assert.equal(response.status, 201);
    assert.deepEqual(response.headers.getSetCookie(), ["a=1; Path=/", "b=2"]);
    assert.equal(response.headers.get("x-one"), "1");
    assert.match(response.headers.get("apigw-requestid") ?? "", /=$/);
    assert.equal(await response.text(), "made");
  });

  test("decode a base64 body into bytes", async () => {
    const response = await fetch(`${base}/shape/binary`);
    assert.equal(response.headers.get("content-type"), "image/png");
    const bytes = new Uint8Array(await response.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.equal(bytes.length, 12);
  });
});

describe("the gateway's own answers", { timeout: 60_000 }, () => {
  test("404 Not Found for a path no route matches", async () => {
    const response = await fetch(`${base}/nowhere`);
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { message: "Not Found" });
  });

  test("500 Internal Server Error when the function fails, or answers in a shape it cannot map", async () => {
    for (const path of ["/fail", "/shape/malformed"]) {
      const response = await fetch(`${base}${path}`);
      assert.equal(response.status, 500, path);
      assert.deepEqual(await response.json(), { message: "Internal Server Error" });
    }
  });

  test("500 when the response is over Lambda's 6 MB limit, as the function's invocation fails", async () => {
    const response = await fetch(`${base}/shape/huge`);
    assert.equal(response.status, 500);
    assert.deepEqual(await response.json(), { message: "Internal Server Error" });
  });

  test("413 for a body over the HTTP API's 10 MB, and for an event over Lambda's 6 MB", async () => {
    const tooBig = await fetch(`${base}/echo`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "x".repeat(10 * 1024 * 1024 + 1),
    });
    assert.equal(tooBig.status, 413);
    assert.equal(await tooBig.text(), "HTTP content length exceeded 10485760 bytes.");
    const eventTooBig = await fetch(`${base}/echo`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "x".repeat(7 * 1024 * 1024),
    });
    assert.equal(eventTooBig.status, 413);
    assert.deepEqual(await eventTooBig.json(), { message: "Request Too Long" });
  });
});

describe("routes and frameworks", { timeout: 60_000 }, () => {
  test("deliver a route's routed result, as any invoke does", async () => {
    const response = await fetch(`${base}/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"order":7}',
    });
    assert.equal(response.status, 202);
    const messages = await app.cloud.sqs.receiveMessages("audit", { maxNumberOfMessages: 10 });
    assert.equal(messages.length, 1);
    assert.deepEqual(JSON.parse(messages[0]?.body ?? ""), { statusCode: 202, body: '{"order":7}' });
  });

  test("run Hono through its official aws-lambda adapter, unmodified", async () => {
    const hello = await fetch(`${base}/hono/hello/ada?q=x`);
    assert.deepEqual(await hello.json(), { hello: "ada", q: "x" });
    const echo = await fetch(`${base}/hono/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"n":1}',
    });
    assert.deepEqual(await echo.json(), { got: { n: 1 }, type: "application/json" });
    const cookie = await fetch(`${base}/hono/cookie`, { headers: { cookie: "a=1; b=2" } });
    assert.equal(await cookie.text(), "cookie=a=1; b=2");
    assert.deepEqual(cookie.headers.getSetCookie(), ["session=abc; Path=/"]);
  });
});

describe("health check routes", { timeout: 60_000 }, () => {
  test("answer a deep ping from the function with its region, beside its other routes", async () => {
    const response = await fetch(`${base}/health?healthCheckerId=s3cret`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { message: "Deep hello from us-east-1" });
    assert.equal(await (await fetch(`${base}/`)).text(), "the app");
  });

  test("fail alike for a wrong or missing id, a failing dependency and the failure switch", async () => {
    const urls = [
      "/health?healthCheckerId=nope",
      "/health",
      "/down/health?healthCheckerId=s3cret",
      "/off/health?healthCheckerId=s3cret",
    ];
    for (const url of urls) {
      const response = await fetch(`${base}${url}`);
      assert.equal(response.status, 503, url);
      assert.deepEqual(await response.json(), { message: "Unhealthy" }, url);
    }
  });
});
