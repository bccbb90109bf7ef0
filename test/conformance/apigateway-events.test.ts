/**
 * The API Gateway conformance suite: the events an HTTP API hands a function, in payload formats
 * 2.0 and 1.0, as the function returns them over the wire (checked against Powertools' schemas),
 * from the apps test/fixtures/apps/conformance/http and http-v1, on the local target or on AWS.
 * Responses, CORS and the gateway's own answers stay in test/integration/local-http-*.test.ts.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import {
  APIGatewayProxyEventSchema,
  APIGatewayProxyEventV2Schema,
} from "@aws-lambda-powertools/parser/schemas";
import { startTarget } from "../support/conformance/target.ts";

// biome-ignore lint/suspicious/noExplicitAny: events are read field by field, as JSON.
type Json = Record<string, any>;

const [v2, v1] = await Promise.all([startTarget("http"), startTarget("http-v1")]);
after(() => Promise.all([v2?.close(), v1?.close()]));

async function received(path: string, init?: RequestInit): Promise<Json> {
  const response = await fetch(`${v2.httpUrl}${path}`, init);
  assert.equal(response.status, 200, await response.clone().text());
  const event = (await response.json()) as Json;
  // Every event a test reads must pass the oracle, not just the ones a test looks at closely.
  APIGatewayProxyEventV2Schema.parse(event);
  return event;
}

describe("HTTP API events (payload format 2.0)", { timeout: 60_000 }, () => {
  test("carry the request as API Gateway presents it, valid for Powertools", async () => {
    const event = await received("/items/42?tag=a&tag=b", {
      headers: { "X-Custom": "one", cookie: "session=abc; theme=dark", "user-agent": "sluice-test" },
    });
    APIGatewayProxyEventV2Schema.parse(event);
    assert.equal(event.routeKey, "GET /items/{id}");
    assert.equal(event.rawPath, "/items/42");
    assert.equal(event.rawQueryString, "tag=a&tag=b");
    assert.deepEqual(event.queryStringParameters, { tag: "a,b" });
    assert.deepEqual(event.pathParameters, { id: "42" });
    assert.deepEqual(event.cookies, ["session=abc", "theme=dark"]);
    assert.equal(event.headers["x-custom"], "one");
    assert.equal(event.requestContext.http.userAgent, "sluice-test");
    assert.equal(event.requestContext.stage, "$default");
    assert.equal(event.requestContext.accountId, v2.accountId);
    assert.match(event.requestContext.requestId, /^[A-Za-z0-9+/]{15}=$/);
  });

  test("pass a JSON body as text and a binary body base64-encoded", async () => {
    const json = await received("/echo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"a":1}',
    });
    assert.equal(json.body, '{"a":1}');
    assert.equal(json.isBase64Encoded, false);
    const binary = await received("/echo", {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: new Uint8Array([0, 1, 254, 255]),
    });
    APIGatewayProxyEventV2Schema.parse(binary);
    assert.equal(binary.isBase64Encoded, true);
    assert.deepEqual([...Buffer.from(binary.body, "base64")], [0, 1, 254, 255]);
  });

  test("take a greedy path and any method on ANY /{proxy+}", async () => {
    const event = await received("/echo/a/b/c", { method: "DELETE" });
    assert.equal(event.routeKey, "ANY /echo/{proxy+}");
    assert.deepEqual(event.pathParameters, { proxy: "a/b/c" });
    assert.equal(event.requestContext.http.method, "DELETE");
  });
});

describe("HTTP API events (payload format 1.0)", { timeout: 60_000 }, () => {
  test("carry the REST-style event with multi-value headers and query, valid for Powertools", async () => {
    const response = await fetch(`${v1.httpUrl}/items/7?tag=a&tag=b`, {
      headers: { "X-Custom": "one", "User-Agent": "sluice-test" },
    });
    assert.equal(response.status, 200);
    const event = (await response.json()) as Json;
    APIGatewayProxyEventSchema.parse(event);
    assert.equal(event.version, "1.0");
    assert.equal(event.resource, "/items/{id}");
    assert.equal(event.path, "/items/7");
    assert.equal(event.httpMethod, "GET");
    assert.deepEqual(event.queryStringParameters, { tag: "b" });
    assert.deepEqual(event.multiValueQueryStringParameters, { tag: ["a", "b"] });
    assert.deepEqual(event.pathParameters, { id: "7" });
    assert.equal(event.headers["X-Custom"], "one");
    assert.deepEqual(event.multiValueHeaders["X-Custom"], ["one"]);
    assert.equal(event.requestContext.stage, "$default");
    assert.equal(event.requestContext.resourcePath, "/items/{id}");
    assert.equal(event.requestContext.identity.userAgent, "sluice-test");
  });
});
