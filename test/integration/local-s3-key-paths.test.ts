/**
 * Issue 11, "request data is data": S3 object keys are opaque strings. A key made of `.` and `..`
 * segments lands in the bucket the request names, under exactly that key, whether it arrives as
 * raw HTTP or through @aws-sdk/client-s3; another bucket's objects are never touched.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { describe, test } from "node:test";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { REGION, type S3Server, startS3Server } from "../support/s3-server.ts";

const inRegion = { CreateBucketConfiguration: { LocationConstraint: REGION } } as const;

/** One raw request with the exact request target given (no client-side normalisation). */
function raw(
  server: S3Server,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: server.port,
        method,
        path,
        headers: { ...headers, "content-length": Buffer.byteLength(body ?? "") },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function twoBuckets(server: S3Server): Promise<void> {
  const s3 = server.client();
  await s3.send(new CreateBucketCommand({ Bucket: "mine", ...inRegion }));
  await s3.send(new CreateBucketCommand({ Bucket: "other-bucket", ...inRegion }));
  await s3.send(new PutObjectCommand({ Bucket: "other-bucket", Key: "k", Body: "theirs" }));
  await s3.send(new PutObjectCommand({ Bucket: "other-bucket", Key: "b", Body: "theirs too" }));
}

async function keysOf(server: S3Server, bucket: string): Promise<string[]> {
  const listed = await server.client().send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).map((o) => o.Key ?? "");
}

const DOT_KEYS = [
  "../other-bucket/k",
  "./k",
  "a/../../b",
  "..",
  "../other-bucket/../other-bucket/k",
  "a\\..\\..\\b",
];

describe("S3 keys are opaque: dot segments never leave the bucket", () => {
  test("raw PUTs of dot-segment keys land in the named bucket under exactly that key", async (t) => {
    const server = await startS3Server(t);
    await twoBuckets(server);
    for (const key of DOT_KEYS) {
      const put = await raw(server, "PUT", `/mine/${key}`, `body of ${key}`);
      assert.equal(put.status, 200, `PUT ${key}: ${put.body}`);
      const got = server.store.getObject("mine", key);
      assert.equal(got.body.toString(), `body of ${key}`);
    }
    // Percent-encoded dots are dots too, decoded after the bucket is fixed.
    const encoded = await raw(server, "PUT", "/mine/%2e%2e/x", "encoded");
    assert.equal(encoded.status, 200, encoded.body);
    assert.equal(server.store.getObject("mine", "../x").body.toString(), "encoded");
    // Even a bucket segment followed by `..` stays that bucket: `/mine/..` is key `..`.
    const get = await raw(server, "GET", "/mine/../other-bucket/k");
    assert.equal(get.status, 200);
    assert.equal(get.body, "body of ../other-bucket/k");
    assert.equal(server.store.getObject("other-bucket", "k").body.toString(), "theirs");
    assert.equal(server.store.getObject("other-bucket", "b").body.toString(), "theirs too");
    assert.deepEqual(await keysOf(server, "other-bucket"), ["b", "k"]);
    assert.deepEqual((await keysOf(server, "mine")).sort(), [...DOT_KEYS, "../x"].sort());
  });

  test("a raw DELETE of `../other-bucket/k` deletes nothing in the other bucket", async (t) => {
    const server = await startS3Server(t);
    await twoBuckets(server);
    const deleted = await raw(server, "DELETE", "/mine/../other-bucket/k");
    assert.equal(deleted.status, 204);
    assert.equal(server.store.getObject("other-bucket", "k").body.toString(), "theirs");
  });

  test("@aws-sdk/client-s3 puts and gets dot-segment keys in the bucket it names", async (t) => {
    const server = await startS3Server(t);
    await twoBuckets(server);
    const s3 = server.client();
    for (const key of [...DOT_KEYS, "%2e%2e/x"]) {
      await s3.send(new PutObjectCommand({ Bucket: "mine", Key: key, Body: `sdk ${key}` }));
      const got = await s3.send(new GetObjectCommand({ Bucket: "mine", Key: key }));
      assert.equal(await got.Body?.transformToString(), `sdk ${key}`, key);
    }
    const other = await s3.send(new GetObjectCommand({ Bucket: "other-bucket", Key: "k" }));
    assert.equal(await other.Body?.transformToString(), "theirs");
    assert.deepEqual(await keysOf(server, "other-bucket"), ["b", "k"]);
  });

  test("metadata named __proto__ or constructor is stored as sent and pollutes nothing", async (t) => {
    const server = await startS3Server(t);
    await twoBuckets(server);
    const put = await raw(server, "PUT", "/mine/meta", "m", {
      "x-amz-meta-__proto__": "p",
      "x-amz-meta-constructor": "c",
      "x-amz-meta-prototype": "q",
    });
    assert.equal(put.status, 200, put.body);
    // The SDK's own parser drops a `__proto__` member, so the stored object and raw HEAD are read.
    const stored = server.store.headObject("mine", "meta").metadata;
    assert.deepEqual(Object.entries(stored).sort(), [
      ["__proto__", "p"],
      ["constructor", "c"],
      ["prototype", "q"],
    ]);
    const head = await raw(server, "HEAD", "/mine/meta");
    assert.equal(head.status, 200);
    const sdk = await server.client().send(new HeadObjectCommand({ Bucket: "mine", Key: "meta" }));
    assert.equal(sdk.Metadata?.constructor, "c");
    assert.deepEqual(Object.keys(Object.prototype), []);
  });
});
