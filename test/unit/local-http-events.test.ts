import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  APIGatewayProxyEventSchema,
  APIGatewayProxyEventV2Schema,
} from "@aws-lambda-powertools/parser/schemas";
import { eventV1 } from "../../src/local/http/event-v1.ts";
import { eventV2 } from "../../src/local/http/event-v2.ts";
import type { EventInput, GatewayRequest } from "../../src/local/http/gateway-request.ts";
import { isTextBody } from "../../src/local/http/gateway-request.ts";

// biome-ignore lint/suspicious/noExplicitAny: events are read field by field, as JSON.
type Json = Record<string, any>;

function input(overrides: Partial<GatewayRequest> = {}, routeKey = "GET /items/{id}"): EventInput {
  const request: GatewayRequest = {
    method: "GET",
    rawPath: "/items/42",
    rawQueryString: "tag=a&tag=b&q=hello%20world&flag",
    headers: [
      ["Host", "127.0.0.1:3000"],
      ["User-Agent", "curl/8.5.0"],
      ["X-Custom", "one"],
      ["x-custom", "two"],
      ["Cookie", "session=abc; theme=dark"],
    ],
    body: undefined,
    sourceIp: "127.0.0.1",
    userAgent: "curl/8.5.0",
    protocol: "HTTP/1.1",
    domainName: "127.0.0.1:3000",
    port: 3000,
    timeEpoch: Date.UTC(2026, 2, 12, 19, 3, 58, 390),
    requestId: "JKJaXmPLvHcESHA=",
    traceId: "Root=1-6a0c3a5e-0123456789abcdef01234567",
    ...overrides,
  };
  return {
    request,
    context: { accountId: "000000000000", apiId: "abcdefghij", stage: "$default" },
    match: {
      route: { routeKey, method: "GET", path: "/items/{id}", function: "items" },
      pathParameters: { id: "42" },
    },
  };
}

describe("payload format 2.0 events", () => {
  test("match API Gateway's shape and pass the Powertools schema", () => {
    const event = eventV2(input());
    APIGatewayProxyEventV2Schema.parse(event);
    assert.equal(event.version, "2.0");
    assert.equal(event.routeKey, "GET /items/{id}");
    assert.equal(event.rawQueryString, "tag=a&tag=b&q=hello%20world&flag");
    assert.deepEqual(event.pathParameters, { id: "42" });
    assert.equal(event.requestContext.time, "12/Mar/2026:19:03:58 +0000");
    assert.equal(event.requestContext.http.sourceIp, "127.0.0.1");
    assert.equal(event.requestContext.domainPrefix, "127");
    assert.equal(event.body, undefined);
    assert.equal(event.isBase64Encoded, false);
  });

  test("lower-case header names, join repeats with commas and move cookies to their field", () => {
    const event = eventV2(input());
    assert.equal(event.headers["x-custom"], "one,two");
    assert.equal(event.headers.cookie, undefined);
    assert.deepEqual(event.cookies, ["session=abc", "theme=dark"]);
    assert.equal(event.headers["x-forwarded-for"], "127.0.0.1");
    assert.equal(event.headers["x-forwarded-port"], "3000");
    assert.match(event.headers["x-amzn-trace-id"] ?? "", /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });

  test("decode query parameters and join repeats with commas", () => {
    assert.deepEqual(eventV2(input()).queryStringParameters, { tag: "a,b", q: "hello world", flag: "" });
    assert.equal(eventV2(input({ rawQueryString: "" })).queryStringParameters, undefined);
  });

  test("carry text bodies as text and binary ones base64-encoded", () => {
    const json = eventV2(
      input({
        method: "POST",
        body: Buffer.from('{"a":1}'),
        headers: [["content-type", "application/json"]],
      }),
    );
    assert.equal(json.body, '{"a":1}');
    assert.equal(json.isBase64Encoded, false);
    assert.equal(json.headers["content-length"], "7");
    const png = eventV2(
      input({ method: "POST", body: Buffer.from([0x89, 0x50]), headers: [["content-type", "image/png"]] }),
    );
    assert.equal(png.body, "iVA=");
    assert.equal(png.isBase64Encoded, true);
    APIGatewayProxyEventV2Schema.parse(png);
  });
});

describe("payload format 1.0 events", () => {
  test("match the REST-style shape and pass the Powertools schema", () => {
    const event = eventV1(input()) as Json;
    APIGatewayProxyEventSchema.parse(event);
    assert.equal(event.version, "1.0");
    assert.equal(event.resource, "/items/{id}");
    assert.equal(event.path, "/items/42");
    assert.equal(event.httpMethod, "GET");
    assert.equal(event.requestContext.resourcePath, "/items/{id}");
    assert.equal(event.requestContext.identity.sourceIp, "127.0.0.1");
    assert.equal(event.body, null);
  });

  test("keep the client's header spelling, the last value, and every value in multiValueHeaders", () => {
    const event = eventV1(input()) as Json;
    assert.equal(event.headers["User-Agent"], "curl/8.5.0");
    assert.equal(event.headers.Cookie, "session=abc; theme=dark");
    assert.deepEqual(event.multiValueHeaders["X-Custom"], ["one"]);
    assert.deepEqual(event.multiValueHeaders["x-custom"], ["two"]);
    assert.equal(event.headers["X-Forwarded-Proto"], "http");
  });

  test("give the last query value and every value in multiValueQueryStringParameters, null when none", () => {
    const event = eventV1(input()) as Json;
    assert.deepEqual(event.queryStringParameters, { tag: "b", q: "hello world", flag: "" });
    assert.deepEqual(event.multiValueQueryStringParameters, {
      tag: ["a", "b"],
      q: ["hello world"],
      flag: [""],
    });
    const none = eventV1(input({ rawQueryString: "" })) as Json;
    assert.equal(none.queryStringParameters, null);
    assert.equal(none.multiValueQueryStringParameters, null);
  });
});

describe("which bodies HTTP APIs base64-encode", () => {
  test("pass text, JSON, XML and JavaScript as text, and everything else as base64", () => {
    assert.equal(isTextBody("text/plain; charset=utf-8", undefined), true);
    assert.equal(isTextBody("application/json", undefined), true);
    assert.equal(isTextBody("application/xml", undefined), true);
    assert.equal(isTextBody("application/javascript", undefined), true);
    assert.equal(isTextBody("application/x-www-form-urlencoded", undefined), false);
    assert.equal(isTextBody("application/octet-stream", undefined), false);
    assert.equal(isTextBody(undefined, undefined), false);
    assert.equal(isTextBody("application/json", "gzip"), false);
  });
});

describe("names that are special to JavaScript objects", () => {
  test("a `__proto__` header or query parameter is passed on like any other, in both formats", () => {
    const overrides = {
      rawQueryString: "__proto__=1&__proto__=2&constructor=x",
      headers: [
        ["Host", "127.0.0.1:3000"],
        ["__proto__", "header"],
      ] as [string, string][],
    };
    // What the function gets: the event as JSON, read back as own properties.
    const mine = (object: Json, name: string) => Object.getOwnPropertyDescriptor(object, name)?.value;
    const v1 = JSON.parse(JSON.stringify(eventV1(input(overrides)))) as Json;
    assert.equal(mine(v1.headers, "__proto__"), "header");
    assert.deepEqual(mine(v1.multiValueHeaders, "__proto__"), ["header"]);
    assert.equal(mine(v1.queryStringParameters, "__proto__"), "2");
    assert.deepEqual(mine(v1.multiValueQueryStringParameters, "__proto__"), ["1", "2"]);
    assert.equal(mine(v1.queryStringParameters, "constructor"), "x");
    const v2 = JSON.parse(JSON.stringify(eventV2(input(overrides)))) as Json;
    assert.equal(mine(v2.headers, "__proto__"), "header");
    assert.equal(mine(v2.queryStringParameters, "__proto__"), "1,2");
    assert.equal(mine(v2.queryStringParameters, "constructor"), "x");
  });
});
