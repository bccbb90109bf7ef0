import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { request } from "node:http";
import { Readable } from "node:stream";
import { describe, test } from "node:test";
import {
  AbortMultipartUploadCommand,
  type BucketLocationConstraint,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { REGION, startS3Server } from "../support/s3-server.ts";

const inRegion = { CreateBucketConfiguration: { LocationConstraint: REGION } } as const;

async function rejects(promise: Promise<unknown>, name: string, status: number): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (error) {
    const e = error as S3ServiceException;
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    assert.equal(e.$metadata.httpStatusCode, status);
    return e;
  }
  assert.fail(`expected ${name}`);
}

describe("S3 through @aws-sdk/client-s3", () => {
  test("creates a bucket, puts, heads, gets and deletes an object with metadata and an MD5 ETag", async (t) => {
    const s3 = (await startS3Server(t)).client();
    await s3.send(new CreateBucketCommand({ Bucket: "artifacts", ...inRegion }));
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: "artifacts",
        Key: "fns/a b+c.zip",
        Body: Buffer.from("zip bytes"),
        ContentType: "application/zip",
        Metadata: { sha: "abc" },
      }),
    );
    const md5 = createHash("md5").update("zip bytes").digest("hex");
    assert.equal(put.ETag, `"${md5}"`);
    const headed = await s3.send(new HeadObjectCommand({ Bucket: "artifacts", Key: "fns/a b+c.zip" }));
    assert.equal(headed.ContentLength, 9);
    assert.equal(headed.ETag, `"${md5}"`);
    assert.deepEqual(headed.Metadata, { sha: "abc" });
    assert.equal(headed.ContentType, "application/zip");
    const got = await s3.send(new GetObjectCommand({ Bucket: "artifacts", Key: "fns/a b+c.zip" }));
    assert.equal(await got.Body?.transformToString(), "zip bytes");
    assert.ok(got.LastModified instanceof Date);
    await s3.send(new DeleteObjectCommand({ Bucket: "artifacts", Key: "fns/a b+c.zip" }));
    await rejects(
      s3.send(new HeadObjectCommand({ Bucket: "artifacts", Key: "fns/a b+c.zip" })),
      "NotFound",
      404,
    );
  });

  test("serves the default addressing style against 127.0.0.1 (path style) the same way", async (t) => {
    const s3 = (await startS3Server(t)).client({ forcePathStyle: false });
    await s3.send(new CreateBucketCommand({ Bucket: "plain", ...inRegion }));
    await s3.send(new PutObjectCommand({ Bucket: "plain", Key: "k", Body: "v" }));
    const got = await s3.send(new GetObjectCommand({ Bucket: "plain", Key: "k" }));
    assert.equal(await got.Body?.transformToString(), "v");
  });

  test("decodes an aws-chunked streaming upload and verifies its trailing CRC32", async (t) => {
    const server = await startS3Server(t);
    const s3 = server.client();
    await s3.send(new CreateBucketCommand({ Bucket: "streams", ...inRegion }));
    const parts = [Buffer.alloc(70_000, "a"), Buffer.alloc(70_000, "b"), Buffer.from("end")];
    await s3.send(
      new PutObjectCommand({
        Bucket: "streams",
        Key: "s",
        Body: Readable.from(parts),
        ContentLength: 140_003,
      }),
    );
    const stored = server.store.getObject("streams", "s");
    assert.equal(stored.size, 140_003);
    assert.ok(stored.body.equals(Buffer.concat(parts)));
    assert.equal(stored.checksum?.algorithm, "CRC32");
  });

  test("stores and returns a 5 MB object intact, and serves a byte range of it", async (t) => {
    const s3 = (await startS3Server(t)).client();
    await s3.send(new CreateBucketCommand({ Bucket: "big", ...inRegion }));
    const body = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31) & 0xff;
    await s3.send(new PutObjectCommand({ Bucket: "big", Key: "five", Body: body }));
    const got = await s3.send(new GetObjectCommand({ Bucket: "big", Key: "five", ChecksumMode: "ENABLED" }));
    const bytes = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
    assert.ok(bytes.equals(body));
    const part = await s3.send(new GetObjectCommand({ Bucket: "big", Key: "five", Range: "bytes=100-199" }));
    assert.equal(part.ContentRange, `bytes 100-199/${body.length}`);
    assert.ok(Buffer.from((await part.Body?.transformToByteArray()) ?? []).equals(body.subarray(100, 200)));
  });

  test("lists with a prefix and delimiter, grouping common prefixes, page by page", async (t) => {
    const s3 = (await startS3Server(t)).client();
    await s3.send(new CreateBucketCommand({ Bucket: "listing", ...inRegion }));
    const keys = ["a/1", "a/2", "a/b/3", "a/c/4", "a/c/5", "a/d", "b/1", "a/é", "a/z"];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: "listing", Key, Body: Key }));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: "listing",
          Prefix: "a/",
          Delimiter: "/",
          MaxKeys: 2,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      pages++;
      assert.ok((page.KeyCount ?? 0) <= 2);
      for (const c of page.Contents ?? []) seen.push(c.Key as string);
      for (const p of page.CommonPrefixes ?? []) seen.push(p.Prefix as string);
      token = page.NextContinuationToken;
      assert.equal(page.IsTruncated, token !== undefined);
    } while (token);
    // UTF-8 binary order: "é" (0xC3 0xA9) sorts after "z".
    assert.deepEqual(seen, ["a/1", "a/2", "a/b/", "a/c/", "a/d", "a/z", "a/é"]);
    assert.equal(pages, 4);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: "listing", StartAfter: "a/z" }));
    assert.deepEqual(
      after.Contents?.map((c) => c.Key),
      ["a/é", "b/1"],
    );
    assert.equal(after.KeyCount, 2);
  });

  test("answers every error as S3 does: code, status and the SDK's exception", async (t) => {
    const server = await startS3Server(t);
    const s3 = server.client();
    await rejects(
      s3.send(new CreateBucketCommand({ Bucket: "Bad_Name", ...inRegion })),
      "InvalidBucketName",
      400,
    );
    await rejects(
      s3.send(new CreateBucketCommand({ Bucket: "192.168.5.4", ...inRegion })),
      "InvalidBucketName",
      400,
    );
    await s3.send(new CreateBucketCommand({ Bucket: "mine", ...inRegion }));
    await rejects(
      s3.send(new CreateBucketCommand({ Bucket: "mine", ...inRegion })),
      "BucketAlreadyOwnedByYou",
      409,
    );
    // The SDK fills LocationConstraint from its region; a bare PUT to a regional endpoint has none.
    const bare = await fetch(`${server.url}/nowhere`, { method: "PUT" });
    assert.equal(bare.status, 400);
    assert.match(await bare.text(), /<Code>IllegalLocationConstraintException<\/Code>/);
    const missingKey = await rejects(
      s3.send(new GetObjectCommand({ Bucket: "mine", Key: "nope" })),
      "NoSuchKey",
      404,
    );
    assert.equal(missingKey.message, "The specified key does not exist.");
    await rejects(s3.send(new GetObjectCommand({ Bucket: "absent", Key: "k" })), "NoSuchBucket", 404);
    await rejects(
      s3.send(new PutObjectCommand({ Bucket: "absent", Key: "k", Body: "x" })),
      "NoSuchBucket",
      404,
    );
    await rejects(s3.send(new HeadBucketCommand({ Bucket: "absent" })), "NotFound", 404);
    await rejects(s3.send(new ListObjectsV2Command({ Bucket: "absent" })), "NoSuchBucket", 404);
    await rejects(
      s3.send(
        new PutObjectCommand({ Bucket: "mine", Key: "k", Body: "x", ContentMD5: "AAAAAAAAAAAAAAAAAAAAAA==" }),
      ),
      "BadDigest",
      400,
    );
    await rejects(
      s3.send(new PutObjectCommand({ Bucket: "mine", Key: "k".repeat(1025), Body: "x" })),
      "KeyTooLongError",
      400,
    );
    await s3.send(new PutObjectCommand({ Bucket: "mine", Key: "k", Body: "x" }));
    await rejects(
      s3.send(new GetObjectCommand({ Bucket: "mine", Key: "k", Range: "bytes=5-9" })),
      "InvalidRange",
      416,
    );
    await rejects(s3.send(new DeleteBucketCommand({ Bucket: "mine" })), "BucketNotEmpty", 409);
    // DeleteObject is idempotent.
    await s3.send(new DeleteObjectCommand({ Bucket: "mine", Key: "never-there" }));
    await s3.send(new DeleteObjectCommand({ Bucket: "mine", Key: "k" }));
    await s3.send(new DeleteBucketCommand({ Bucket: "mine" }));
    await rejects(s3.send(new DeleteBucketCommand({ Bucket: "mine" })), "NoSuchBucket", 404);
  });

  test("re-creating your own bucket in us-east-1 succeeds, as S3's legacy behaviour there", async (t) => {
    const s3 = (await startS3Server(t, "us-east-1")).client({ region: "us-east-1" });
    await s3.send(new CreateBucketCommand({ Bucket: "legacy" }));
    await s3.send(new CreateBucketCommand({ Bucket: "legacy" }));
    const location = await s3.send(new GetBucketLocationCommand({ Bucket: "legacy" }));
    assert.equal(location.LocationConstraint, undefined);
    await rejects(
      s3.send(
        new CreateBucketCommand({
          Bucket: "explicit",
          CreateBucketConfiguration: { LocationConstraint: "us-east-1" as BucketLocationConstraint },
        }),
      ),
      "InvalidLocationConstraint",
      400,
    );
  });

  test("lists buckets and reports a bucket's region from HeadBucket", async (t) => {
    const s3 = (await startS3Server(t)).client();
    await s3.send(new CreateBucketCommand({ Bucket: "one", ...inRegion }));
    await s3.send(new CreateBucketCommand({ Bucket: "two", ...inRegion }));
    const list = await s3.send(new ListBucketsCommand({}));
    assert.deepEqual(
      list.Buckets?.map((b) => b.Name),
      ["one", "two"],
    );
    const head = await s3.send(new HeadBucketCommand({ Bucket: "one" }));
    assert.equal(head.BucketRegion, REGION);
  });

  test("keeps buckets and objects across a restart of the store", async (t) => {
    const server = await startS3Server(t);
    await server.client().send(new CreateBucketCommand({ Bucket: "durable", ...inRegion }));
    await server.client().send(new PutObjectCommand({ Bucket: "durable", Key: "k", Body: "kept" }));
    server.reopen();
    const got = await server.client().send(new GetObjectCommand({ Bucket: "durable", Key: "k" }));
    assert.equal(await got.Body?.transformToString(), "kept");
  });

  test("serves virtual-hosted requests addressed to <bucket>.localhost", async (t) => {
    const server = await startS3Server(t);
    await server.client().send(new CreateBucketCommand({ Bucket: "hosted", ...inRegion }));
    server.store.putObject("hosted", "dir/file.txt", Buffer.from("virtual"), {});
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: server.port,
          path: "/dir/file.txt",
          headers: { host: `hosted.s3.${REGION}.localhost:${server.port}` },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve(`${res.statusCode} ${Buffer.concat(chunks).toString()}`));
        },
      );
      req.on("error", reject);
      req.end();
    });
    assert.equal(body, "200 virtual");
  });

  test("deletes many objects at once with DeleteObjects, including keys that need escaping", async (t) => {
    const server = await startS3Server(t);
    const s3 = server.client();
    await s3.send(new CreateBucketCommand({ Bucket: "many", ...inRegion }));
    const keys = ["a&b", "c<d>", "plain", "keep"];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: "many", Key, Body: Key }));
    const out = await s3.send(
      new DeleteObjectsCommand({
        Bucket: "many",
        Delete: { Objects: [{ Key: "a&b" }, { Key: "c<d>" }, { Key: "plain" }, { Key: "never" }] },
      }),
    );
    assert.deepEqual(out.Deleted?.map((d) => d.Key).sort(), ["a&b", "c<d>", "never", "plain"]);
    const left = server.store.listObjectsV2("many");
    assert.deepEqual(
      left.contents.map((c) => c.key),
      ["keep"],
    );
  });

  test("assembles a multipart upload, with S3's multipart ETag, and refuses bad part lists", async (t) => {
    const server = await startS3Server(t);
    const s3 = server.client();
    await s3.send(new CreateBucketCommand({ Bucket: "multi", ...inRegion }));
    const first = Buffer.alloc(5 * 1024 * 1024, 1);
    const second = Buffer.from("tail");
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: "multi", Key: "big.zip", ContentType: "application/zip" }),
    );
    const p1 = await s3.send(
      new UploadPartCommand({ Bucket: "multi", Key: "big.zip", UploadId, PartNumber: 1, Body: first }),
    );
    const p2 = await s3.send(
      new UploadPartCommand({ Bucket: "multi", Key: "big.zip", UploadId, PartNumber: 2, Body: second }),
    );
    const complete = (Parts: { PartNumber: number; ETag: string | undefined }[]) =>
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: "multi",
          Key: "big.zip",
          UploadId,
          MultipartUpload: { Parts },
        }),
      );
    await rejects(
      complete([
        { PartNumber: 2, ETag: p2.ETag },
        { PartNumber: 1, ETag: p1.ETag },
      ]),
      "InvalidPartOrder",
      400,
    );
    await rejects(
      complete([{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }]),
      "InvalidPart",
      400,
    );
    const done = await complete([
      { PartNumber: 1, ETag: p1.ETag },
      { PartNumber: 2, ETag: p2.ETag },
    ]);
    const md5 = (b: Buffer) => createHash("md5").update(b).digest();
    const expected = createHash("md5")
      .update(Buffer.concat([md5(first), md5(second)]))
      .digest("hex");
    assert.equal(done.ETag, `"${expected}-2"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: "multi", Key: "big.zip" }));
    assert.equal(got.ContentType, "application/zip");
    assert.ok(
      Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(Buffer.concat([first, second])),
    );
    await rejects(
      s3.send(new UploadPartCommand({ Bucket: "multi", Key: "big.zip", UploadId, PartNumber: 3, Body: "x" })),
      "NoSuchUpload",
      404,
    );
  });

  test("refuses a small part that is not the last, and aborts an upload", async (t) => {
    const s3 = (await startS3Server(t)).client();
    await s3.send(new CreateBucketCommand({ Bucket: "small", ...inRegion }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: "small", Key: "k" }));
    const parts = [];
    for (const PartNumber of [1, 2]) {
      const { ETag } = await s3.send(
        new UploadPartCommand({ Bucket: "small", Key: "k", UploadId, PartNumber, Body: "tiny" }),
      );
      parts.push({ PartNumber, ETag });
    }
    await rejects(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: "small",
          Key: "k",
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      ),
      "EntityTooSmall",
      400,
    );
    await s3.send(new AbortMultipartUploadCommand({ Bucket: "small", Key: "k", UploadId }));
    await rejects(
      s3.send(new AbortMultipartUploadCommand({ Bucket: "small", Key: "k", UploadId })),
      "NoSuchUpload",
      404,
    );
    await rejects(s3.send(new HeadObjectCommand({ Bucket: "small", Key: "k" })), "NotFound", 404);
  });

  test("answers an unsupported operation with NotImplemented naming it", async (t) => {
    const server = await startS3Server(t);
    const res = await fetch(`${server.url}/bucket?accelerate`, { method: "GET" });
    assert.equal(res.status, 501);
    const xml = await res.text();
    assert.match(xml, /<Code>NotImplemented<\/Code>/);
    assert.match(xml, /&quot;accelerate&quot; subresource/);
    assert.ok(res.headers.get("x-amz-request-id"));
  });
});
