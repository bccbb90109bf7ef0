import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { responseV1 } from "../../src/local/http/response-v1.ts";
import { responseV2 } from "../../src/local/http/response-v2.ts";

const header = (headers: [string, string][], name: string) =>
  headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);

describe("payload format 2.0 responses", () => {
  test("turn a string result into a 200 JSON response with the string as the body", () => {
    const response = responseV2(JSON.stringify("Hello from Lambda!"));
    assert.equal(response?.status, 200);
    assert.deepEqual(header(response?.headers ?? [], "content-type"), ["application/json"]);
    assert.equal(response?.body.toString(), "Hello from Lambda!");
  });

  test("turn an object without statusCode into a 200 JSON response of that object", () => {
    const response = responseV2('{"message":"Hello from Lambda!"}');
    assert.equal(response?.status, 200);
    assert.equal(response?.body.toString(), '{"message":"Hello from Lambda!"}');
  });

  test("send status, headers, one Set-Cookie per cookie, and a decoded base64 body", () => {
    const response = responseV2(
      JSON.stringify({
        statusCode: 201,
        headers: { "x-n": 5 },
        cookies: ["a=1", "b=2"],
        body: Buffer.from([1, 2, 255]).toString("base64"),
        isBase64Encoded: true,
      }),
    );
    assert.equal(response?.status, 201);
    assert.deepEqual(header(response?.headers ?? [], "set-cookie"), ["a=1", "b=2"]);
    assert.deepEqual(header(response?.headers ?? [], "x-n"), ["5"]);
    assert.deepEqual([...(response?.body ?? [])], [1, 2, 255]);
  });

  test("ignore multiValueHeaders, which format 2.0 does not have", () => {
    const response = responseV2(
      JSON.stringify({ statusCode: 200, multiValueHeaders: { "x-a": ["1"] }, body: "" }),
    );
    assert.deepEqual(header(response?.headers ?? [], "x-a"), []);
  });

  test("refuse a malformed result: a body that is not a string, or a bad status", () => {
    assert.equal(responseV2(JSON.stringify({ statusCode: 200, body: { a: 1 } })), undefined);
    assert.equal(responseV2(JSON.stringify({ statusCode: "200" })), undefined);
    assert.equal(responseV2(JSON.stringify({ statusCode: 200, cookies: "a=1" })), undefined);
  });
});

describe("payload format 1.0 responses", () => {
  test("merge headers and multiValueHeaders, the multi-value list winning for a name in both", () => {
    const response = responseV1(
      JSON.stringify({
        statusCode: 200,
        headers: { "x-single": "s", "x-both": "h" },
        multiValueHeaders: { "x-both": ["m1", "m2"], "Set-Cookie": ["c=1", "d=2"] },
        body: "ok",
      }),
    );
    assert.deepEqual(header(response?.headers ?? [], "x-single"), ["s"]);
    assert.deepEqual(header(response?.headers ?? [], "x-both"), ["m1", "m2"]);
    assert.deepEqual(header(response?.headers ?? [], "set-cookie"), ["c=1", "d=2"]);
  });

  test("refuse a result without statusCode, which 2.0 would have accepted", () => {
    assert.equal(responseV1('{"message":"hi"}'), undefined);
    assert.equal(responseV1('"hi"'), undefined);
  });
});
