import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { RouteTable } from "../../src/local/http/route-table.ts";
import type { HttpMethod, HttpRouteSpec } from "../../src/model/http-api.ts";

function routes(...keys: string[]): HttpRouteSpec[] {
  return keys.map((routeKey) => {
    if (routeKey === "$default") return { routeKey, method: "$default", function: "fallback" };
    const [method, path] = routeKey.split(" ") as [HttpMethod, string];
    return { routeKey, method, path, function: routeKey };
  });
}

describe("HTTP API route selection", () => {
  // The example API Gateway's routing documentation walks through.
  const table = new RouteTable(
    routes("GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}", "$default"),
  );
  const selected = (method: string, path: string) => table.match(method, path)?.route.routeKey;

  test("prefers the full match of method and literal path", () => {
    assert.equal(selected("GET", "/pets/dog/1"), "GET /pets/dog/1");
  });

  test("prefers a path variable over a greedy variable", () => {
    assert.equal(selected("GET", "/pets/dog/2"), "GET /pets/dog/{id}");
    assert.deepEqual(table.match("GET", "/pets/dog/2")?.pathParameters, { id: "2" });
  });

  test("falls back to the longest greedy prefix", () => {
    assert.equal(selected("GET", "/pets/cat/1"), "GET /pets/{proxy+}");
    assert.deepEqual(table.match("GET", "/pets/cat/1")?.pathParameters, { proxy: "cat/1" });
  });

  test("uses ANY for a method no route defines", () => {
    assert.equal(selected("POST", "/pets/dog/1"), "ANY /{proxy+}");
  });

  test("sends what nothing else matches to $default, and a greedy variable never matches the root", () => {
    assert.equal(selected("GET", "/"), "$default");
  });

  test("answers nothing without a $default route", () => {
    const noDefault = new RouteTable(routes("GET /items"));
    assert.equal(noDefault.match("GET", "/other"), undefined);
    assert.equal(noDefault.match("POST", "/items"), undefined);
  });

  test("prefers a route's own method over ANY on the same path", () => {
    const t = new RouteTable(routes("ANY /items/{id}", "DELETE /items/{id}"));
    assert.equal(t.match("DELETE", "/items/7")?.route.routeKey, "DELETE /items/{id}");
    assert.equal(t.match("GET", "/items/7")?.route.routeKey, "ANY /items/{id}");
  });

  test("prefers literal segments from the left", () => {
    const t = new RouteTable(routes("GET /{a}/new", "GET /items/{b}"));
    assert.equal(t.match("GET", "/items/new")?.route.routeKey, "GET /items/{b}");
  });

  test("decodes path parameters and does not match an empty segment", () => {
    const t = new RouteTable(routes("GET /files/{name}"));
    assert.deepEqual(t.match("GET", "/files/a%20b")?.pathParameters, { name: "a b" });
    assert.equal(t.match("GET", "/files/"), undefined);
  });

  test("serves every route from one dispatcher with ANY /{proxy+}", () => {
    const t = new RouteTable(routes("ANY /{proxy+}"));
    assert.deepEqual(t.match("PATCH", "/a/b/c")?.pathParameters, { proxy: "a/b/c" });
  });
});
