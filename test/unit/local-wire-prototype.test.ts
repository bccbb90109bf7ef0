/**
 * Issue 11, "request data is data": every parser of wire input keeps `__proto__`, `constructor`
 * and `prototype` as plain keys. After each, Object.prototype has no new keys and the parsed
 * value holds exactly what was sent.
 */
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { describe, test } from "node:test";
import { decodeAwsChunked } from "../../src/local/s3/aws-chunked.ts";
import { userMetadata } from "../../src/local/s3/s3-objects.ts";
import { s3Target } from "../../src/local/s3/wire/s3-request.ts";
import { decodeAttributes, encodeAttributes } from "../../src/local/sqs/stored-attributes.ts";
import { messageAttributes, stringMap } from "../../src/local/sqs/wire/input.ts";
import { parseJsonObject } from "../../src/local/wire/aws-json.ts";
import { asString, field, indexed, own, queryTree } from "../../src/local/wire/query-params.ts";
import { isAwsRegion } from "../../src/model/regions.ts";
import { readHandler } from "../../src/model/validate/handler.ts";
import { Issues } from "../../src/model/validate/values.ts";

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
const HOSTILE = ["__proto__", "constructor", "prototype"] as const;

function assertClean(): void {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), PROTOTYPE_KEYS);
  assert.equal(({} as Record<string, unknown>).X, undefined);
  assert.equal(({} as Record<string, unknown>).DelaySeconds, undefined);
}

function fakeRequest(url: string, headers: Record<string, string> = {}): IncomingMessage {
  return { url, headers, method: "GET" } as unknown as IncomingMessage;
}

describe("query protocol parameters", () => {
  test("__proto__.DelaySeconds and friends become branches of the tree, not of Object.prototype", () => {
    const tree = queryTree(
      new URLSearchParams(
        "Action=SendMessage&__proto__.DelaySeconds=900&constructor.prototype.X=1&prototype.X=2&Attribute.__proto__.X=3&X.__proto__.Y=4",
      ),
    );
    assertClean();
    assert.equal(asString(field(tree, "Action")), "SendMessage");
    assert.equal(asString(field(field(tree, "__proto__"), "DelaySeconds")), "900");
    assert.equal(asString(field(field(field(tree, "constructor"), "prototype"), "X")), "1");
    assert.equal(asString(field(field(field(tree, "X"), "__proto__"), "Y")), "4");
    assert.equal(Object.getPrototypeOf(tree), null);
  });

  test("field and own see own members only: inherited names are absent", () => {
    const tree = queryTree(new URLSearchParams("Action=x"));
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      assert.equal(field(tree, name), undefined, name);
      assert.equal(own({ a: 1 }, name), undefined, name);
    }
    assert.deepEqual(indexed(field(queryTree(new URLSearchParams("L.__proto__=a&L.1=b")), "L")), ["b"]);
  });

  test("hostile names as flattened map keys and values stay data", () => {
    for (const name of HOSTILE) {
      const tree = queryTree(new URLSearchParams(`Attribute.1.Name=${name}&Attribute.1.Value=v&${name}=top`));
      assertClean();
      const entry = indexed(field(tree, "Attribute"))[0];
      assert.equal(asString(field(entry, "Name")), name);
      assert.equal(asString(field(tree, name)), "top");
    }
  });
});

describe("AWS JSON bodies", () => {
  test("JSON keys __proto__, constructor and prototype are own keys of null-prototype objects", () => {
    for (const name of HOSTILE) {
      const input = parseJsonObject(Buffer.from(`{"${name}":{"X":1},"Nested":{"${name}":{"X":2}}}`));
      assertClean();
      assert.equal(Object.getPrototypeOf(input), null);
      assert.deepEqual(Object.keys(input), [name, "Nested"]);
      assert.equal((input[name] as Record<string, unknown>).X, 1);
      const nested = input.Nested as Record<string, unknown>;
      assert.equal(Object.getPrototypeOf(nested), null);
      assert.equal((nested[name] as Record<string, unknown>).X, 2);
    }
    // Inherited members are not members: a body without `constructor` has none.
    assert.equal(parseJsonObject(Buffer.from("{}")).constructor, undefined);
    assert.equal(parseJsonObject(Buffer.alloc(0)).toString, undefined);
  });

  test("SQS maps copy hostile names as names: stringMap and messageAttributes", () => {
    const input = parseJsonObject(
      Buffer.from(
        '{"Attributes":{"__proto__":"a","constructor":"b"},"MessageAttributes":{"__proto__":{"DataType":"String","StringValue":"p"},"prototype":{"DataType":"Number","StringValue":"1"}}}',
      ),
    );
    const map = stringMap(input, "Attributes");
    assertClean();
    assert.deepEqual(Object.entries(map), [
      ["__proto__", "a"],
      ["constructor", "b"],
    ]);
    const attributes = messageAttributes(input, "MessageAttributes") ?? {};
    assert.deepEqual(Object.keys(attributes), ["__proto__", "prototype"]);
    assert.equal(Object.entries(attributes)[0]?.[1].stringValue, "p");
    // Stored and read back by the SQS engine, the names survive.
    const stored = decodeAttributes(encodeAttributes(attributes));
    assertClean();
    assert.deepEqual(Object.keys(stored), ["__proto__", "prototype"]);
    assert.throws(() => messageAttributes(parseJsonObject(Buffer.from('{"M":{"a":"str"}}')), "M"), {
      code: "InvalidParameterValue",
    });
  });
});

describe("S3 paths and headers", () => {
  test("keys keep `.` and `..` segments and the bucket is the first segment", () => {
    const cases: [string, string, string][] = [
      ["/mine/../other-bucket/k", "mine", "../other-bucket/k"],
      ["/mine/./k", "mine", "./k"],
      ["/mine/a/../../b", "mine", "a/../../b"],
      ["/mine/%2e%2e/x", "mine", "../x"],
      ["/mine/..", "mine", ".."],
      ["/mine/a\\..\\b?x-id=PutObject", "mine", "a\\..\\b"],
      ["http://127.0.0.1:4566/mine/../k?x-id=GetObject", "mine", "../k"],
    ];
    for (const [url, bucket, key] of cases) {
      const target = s3Target(fakeRequest(url));
      assert.equal(target.bucket, bucket, url);
      assert.equal(target.key, key, url);
    }
    const hosted = s3Target(fakeRequest("/../other/k", { host: "mine.localhost:4566" }));
    assert.deepEqual([hosted.bucket, hosted.key], ["mine", "../other/k"]);
    assert.equal(s3Target(fakeRequest("/b/k?uploadId=1&partNumber=2")).query.get("partNumber"), "2");
  });

  test("x-amz-meta-* and aws-chunked trailer names are stored as sent", () => {
    const metadata = userMetadata(
      fakeRequest("/b/k", {
        "x-amz-meta-__proto__": "p",
        "x-amz-meta-constructor": "c",
        "x-amz-meta-prototype": "q",
      }),
    );
    assertClean();
    assert.deepEqual(Object.entries(metadata).sort(), [
      ["__proto__", "p"],
      ["constructor", "c"],
      ["prototype", "q"],
    ]);
    const chunked = Buffer.from('3\r\nabc\r\n0\r\n__proto__:{"X":1}\r\nconstructor:c\r\n\r\n', "latin1");
    const { body, trailers } = decodeAwsChunked(chunked);
    assertClean();
    assert.equal(body.toString(), "abc");
    assert.deepEqual(Object.keys(trailers), ["__proto__", "constructor"]);
  });
});

describe("names that would be paths", () => {
  test("only AWS's Region codes are regions", () => {
    for (const region of ["us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1"])
      assert.equal(isAwsRegion(region), true, region);
    for (const region of [
      "..",
      ".",
      "../x",
      "us-east-1/../..",
      "moon-1",
      "US-EAST-1",
      "",
      "__proto__",
      "constructor",
    ])
      assert.equal(isAwsRegion(region), false, region);
  });

  test("a definition's handler may not leave the app: `..`, absolute paths and empty segments are refused", () => {
    for (const handler of [
      "../outside.handler",
      "src/../../x.handler",
      "/etc/passwd.handler",
      "src//x.handler",
      "./../x.handler",
    ]) {
      const issues = new Issues();
      assert.equal(readHandler(issues, "functions.f.handler", handler), undefined, handler);
      assert.equal(issues.list.length, 1, handler);
    }
    const ok = new Issues();
    assert.deepEqual(readHandler(ok, "functions.f.handler", "./src/a.handler"), {
      module: "src/a",
      export: "handler",
    });
  });
});
