import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { defineApp } from "../../src/model/define-app.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { issuesOf } from "../support/model-validate.ts";

function app(functions: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { name: "shop", functions, ...extra };
}

describe("HTTP API definitions", () => {
  test("normalise route keys, defaults and the health route", () => {
    const spec = normaliseApp(
      app({
        items: { handler: "src/items.handler", http: ["GET /items/{id}", "POST /items"] },
        web: { handler: "src/web.handler", http: "$default", health: true },
      }),
    );
    assert.equal(spec.http?.stage, "$default");
    assert.equal(spec.http?.payloadFormat, "2.0");
    assert.deepEqual(
      spec.http?.routes.map((r) => [r.routeKey, r.function, r.health ?? false]),
      [
        ["GET /items/{id}", "items", false],
        ["POST /items", "items", false],
        ["$default", "web", false],
        ["GET /health", "web", true],
      ],
    );
    assert.deepEqual(spec.functions.web?.health, {
      path: "/health",
      deepPercent: 0,
      checkerIdVariable: "HEALTH_CHECKER_ID",
      forceFailVariable: "HEALTH_FORCE_FAIL",
    });
    assert.equal(spec.websocket, undefined);
  });

  test("read the api section: stage, payload format and CORS", () => {
    const spec = normaliseApp(
      app(
        { items: { handler: "src/items.handler", http: "ANY /{proxy+}" } },
        {
          api: {
            stage: "prod",
            payloadFormat: "1.0",
            cors: { allowOrigins: ["http://localhost:5173"], maxAge: "5 minutes", allowCredentials: true },
          },
        },
      ),
    );
    assert.equal(spec.http?.stage, "prod");
    assert.equal(spec.http?.payloadFormat, "1.0");
    assert.deepEqual(spec.http?.cors, {
      allowOrigins: ["http://localhost:5173"],
      allowMethods: ["*"],
      allowHeaders: ["*"],
      exposeHeaders: [],
      maxAgeSeconds: 300,
      allowCredentials: true,
    });
  });

  test("report every bad route key, conflict and setting at once", () => {
    const issues = issuesOf(
      app(
        {
          a: { handler: "src/a.handler", http: ["get /x", "GET items", "GET /{proxy+}/more", "GET /x/{id}"] },
          b: { handler: "src/b.handler", http: "GET /x/{name}", health: { deepPercent: 20 } },
          c: { handler: "src/c.handler", http: "GET /health" },
        },
        { api: { payloadFormat: 2, cors: { allowOrigins: ["*"], allowCredentials: true } } },
      ),
    );
    const paths = issues.map((issue) => issue.path);
    assert.ok(paths.includes("functions.a.http[0]"), "lower-case method");
    assert.ok(paths.includes("functions.a.http[1]"), "path without /");
    assert.ok(paths.includes("functions.a.http[2]"), "greedy not last");
    assert.ok(paths.includes("functions.b.http"), "same route as a's with another variable name");
    assert.ok(paths.includes("functions.b.health.deepPercent"), "deep pings without a deep check");
    assert.ok(paths.includes("functions.c.http"), "c's GET /health clashes with b's health route");
    assert.ok(paths.includes("api.payloadFormat"));
    assert.ok(paths.includes("api.cors.allowCredentials"));
    const method = issues.find((issue) => issue.path === "functions.a.http[0]");
    assert.match(method?.fix ?? "", /GET \/x/);
  });

  test("refuse an api section without routes", () => {
    const issues = issuesOf(app({ a: { handler: "src/a.handler" } }, { api: { stage: "prod" } }));
    assert.deepEqual(
      issues.map((i) => i.path),
      ["api"],
    );
  });

  test("check route keys and WebSocket route targets in the type system", () => {
    defineApp({
      name: "typed",
      functions: { a: { handler: "src/a.handler", http: ["GET /a", "$default"] } },
      websocket: { routes: { $connect: "a", custom: "a" } },
    });
    defineApp({
      name: "typed",
      // @ts-expect-error: a route key needs a method and a path starting with /
      functions: { a: { handler: "src/a.handler", http: "GET a" } },
    });
    defineApp({
      name: "typed",
      functions: { a: { handler: "src/a.handler" } },
      // @ts-expect-error: "b" is not a function
      websocket: { routes: { $default: "b" } },
    });
  });
});

describe("WebSocket API definitions", () => {
  test("normalise the route selection expression, stage and routes", () => {
    const spec = normaliseApp(
      app(
        { connect: { handler: "src/c.handler" }, echo: { handler: "src/e.handler" } },
        {
          websocket: { routes: { $connect: "connect", $default: "echo", sendMessage: "echo" } },
        },
      ),
    );
    assert.deepEqual(spec.websocket, {
      stage: "dev",
      routeSelectionExpression: "$request.body.action",
      routes: [
        { routeKey: "$connect", function: "connect" },
        { routeKey: "$default", function: "echo" },
        { routeKey: "sendMessage", function: "echo" },
      ],
    });
    assert.equal(spec.http, undefined);
  });

  test("report unknown functions, reserved keys and bad expressions together", () => {
    const issues = issuesOf(
      app(
        { echo: { handler: "src/e.handler" } },
        {
          websocket: {
            routeSelectionExpression: "$request.header.x",
            stage: "$default",
            routes: { $conect: "echo", $default: "ecoh" },
          },
        },
      ),
    );
    const paths = issues.map((issue) => issue.path).sort();
    assert.deepEqual(paths, [
      "websocket.routeSelectionExpression",
      "websocket.routes.$conect",
      "websocket.routes.$default",
      "websocket.stage",
    ]);
    assert.match(
      issues.find((i) => i.path === "websocket.routes.$default")?.message ?? "",
      /Did you mean "echo"/,
    );
  });
});
