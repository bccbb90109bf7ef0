/**
 * The HTTP API with payload format 1.0 and CORS: response mapping, a framework's adapter on that
 * format, a named stage's prefix, and preflights answered by the gateway. The REST-style event
 * itself is pinned by the conformance suite, test/conformance/apigateway-events.test.ts.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type ApiApp, startApiApp } from "../support/api-servers.ts";

// biome-ignore lint/suspicious/noExplicitAny: events are read field by field, as JSON.
type Json = Record<string, any>;

const CONFIG = `{
  name: "legacy",
  api: {
    payloadFormat: "1.0",
    cors: { allowOrigins: ["http://localhost:5173"], allowMethods: ["GET", "POST"], allowHeaders: ["content-type"], exposeHeaders: ["x-one"], maxAge: "10 minutes", allowCredentials: true },
  },
  functions: {
    echo: { handler: "src/echo.handler", http: ["GET /items/{id}", "POST /items"] },
    shapes: { handler: "src/shapes.handler", http: "GET /shape/{kind}" },
    web: { handler: "src/hono.handler", http: "ANY /hono/{proxy+}" },
  },
}`;

const STAGED = `{
  name: "staged",
  api: { stage: "prod", payloadFormat: "1.0" },
  functions: { echo: { handler: "src/echo.handler", http: "GET /items/{id}" } },
}`;

let app: ApiApp;
let staged: ApiApp;
let base: string;
before(async () => {
  [app, staged] = await Promise.all([startApiApp(CONFIG), startApiApp(STAGED)]);
  base = app.servers.urls.http ?? "";
});
after(() => Promise.all([app.close(), staged.close()]));

describe("HTTP API events (payload format 1.0)", { timeout: 60_000 }, () => {
  test("serve a named stage under its prefix, which the event's paths include, and nothing outside it", async () => {
    const stagedBase = staged.servers.urls.http ?? "";
    assert.match(stagedBase, /\/prod$/);
    const inside = await fetch(`${stagedBase}/items/3`);
    const event = (await inside.json()) as Json;
    assert.equal(event.path, "/prod/items/3");
    assert.equal(event.resource, "/items/{id}");
    assert.equal(event.requestContext.stage, "prod");
    const outside = await fetch(stagedBase.replace(/\/prod$/, "/items/3"));
    assert.equal(outside.status, 404);
    assert.deepEqual(await outside.json(), { message: "Not Found" });
  });

  test("merge multiValueHeaders into the response", async () => {
    const response = await fetch(`${base}/shape/multi`);
    assert.equal(response.headers.get("x-both"), "m1, m2");
    assert.equal(response.headers.get("x-single"), "s");
    assert.deepEqual(response.headers.getSetCookie(), ["c=1", "d=2"]);
  });

  test("refuse a 2.0-style shortcut result with 500", async () => {
    const response = await fetch(`${base}/shape/string`);
    assert.equal(response.status, 500);
    assert.deepEqual(await response.json(), { message: "Internal Server Error" });
  });

  test("run Hono's aws-lambda adapter on the 1.0 format", async () => {
    const event = await fetch(`${base}/hono/hello/ada?q=x`);
    assert.equal(event.status, 200);
    assert.deepEqual(await event.json(), { hello: "ada", q: "x" });
  });
});

describe("CORS answered by the gateway", { timeout: 60_000 }, () => {
  test("answers a preflight with 204 and the configured headers, without a route for OPTIONS", async () => {
    const response = await fetch(`${base}/items/1`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("access-control-allow-origin"), "http://localhost:5173");
    assert.equal(response.headers.get("access-control-allow-methods"), "GET,POST");
    assert.equal(response.headers.get("access-control-allow-headers"), "content-type");
    assert.equal(response.headers.get("access-control-max-age"), "600");
    assert.equal(response.headers.get("access-control-allow-credentials"), "true");
  });

  test("gives a preflight from another origin no CORS headers", async () => {
    const response = await fetch(`${base}/items/1`, {
      method: "OPTIONS",
      headers: { origin: "https://elsewhere.example", "access-control-request-method": "GET" },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("access-control-allow-origin"), null);
  });

  test("adds the configured headers to responses and drops the function's own", async () => {
    const response = await fetch(`${base}/shape/cors`, { headers: { origin: "http://localhost:5173" } });
    assert.equal(response.headers.get("access-control-allow-origin"), "http://localhost:5173");
    assert.equal(response.headers.get("access-control-expose-headers"), "x-one");
  });
});
