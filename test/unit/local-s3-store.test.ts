import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { decodeAwsChunked } from "../../src/local/s3/aws-chunked.ts";
import { bucketNameProblem } from "../../src/local/s3/bucket-name.ts";
import { S3Store } from "../../src/local/s3/s3-store.ts";
import { parseS3Url } from "../../src/local/s3/s3-url.ts";
import { openStore } from "../../src/local/store/store.ts";

const OWNER = "123456789012";
const DAY = 86_400_000;

function store(t: TestContext): { s3: S3Store; clock: ManualClock } {
  const dir = mkdtempSync(join(tmpdir(), "sluice-s3-unit-"));
  const db = openStore(join(dir, "state.db"));
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 15));
  return { s3: new S3Store(db, clock), clock };
}

describe("S3Store", () => {
  test("accepts names that follow S3's bucket naming rules and explains each one it refuses", () => {
    for (const ok of ["abc", "my.bucket-1", "a".repeat(63), "1bucket"])
      assert.equal(bucketNameProblem(ok), undefined, ok);
    const refused = {
      ab: /3 to 63/,
      ["a".repeat(64)]: /3 to 63/,
      Upper: /lowercase/,
      under_score: /lowercase/,
      "-start": /begin and end/,
      "end.": /begin and end/,
      "two..dots": /adjacent periods/,
      "10.0.0.1": /IP address/,
      "xn--bucket": /xn--/,
      "sthree-bucket": /sthree-/,
      "amzn-s3-demo-x": /amzn-s3-demo-/,
      "name-s3alias": /-s3alias/,
      "name--ol-s3": /--ol-s3/,
      "name.mrap": /\.mrap/,
      "name--x-s3": /--x-s3/,
    };
    for (const [name, why] of Object.entries(refused)) assert.match(bucketNameProblem(name) ?? "", why, name);
  });

  test("refuses another account's bucket name with BucketAlreadyExists", (t) => {
    const { s3 } = store(t);
    s3.createBucket("shared-name", "eu-west-1", OWNER);
    assert.throws(() => s3.createBucket("shared-name", "eu-west-1", "999999999999"), {
      code: "BucketAlreadyExists",
      statusCode: 409,
    });
    assert.throws(() => s3.createBucket("shared-name", "eu-west-1", OWNER), {
      code: "BucketAlreadyOwnedByYou",
      statusCode: 409,
    });
  });

  test("keeps the configuration CloudFormation sets on a bucket", (t) => {
    const { s3 } = store(t);
    s3.createBucket("configured", "eu-west-1", OWNER);
    const configuration = {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true },
      Tags: [{ Key: "app", Value: "demo" }],
    };
    s3.setBucketConfiguration("configured", configuration);
    assert.deepEqual(s3.bucket("configured")?.configuration, configuration);
    assert.throws(() => s3.setBucketConfiguration("absent", {}), { code: "NoSuchBucket" });
  });

  test("expires objects at the midnight UTC after their lifecycle rule's days have passed", async (t) => {
    const { s3, clock } = store(t);
    s3.createBucket("artifacts", "eu-west-1", OWNER);
    s3.setBucketConfiguration("artifacts", {
      LifecycleConfiguration: { Rules: [{ Status: "Enabled", ExpirationInDays: 2, Prefix: "old/" }] },
    });
    s3.putObject("artifacts", "old/a", Buffer.from("a"));
    s3.putObject("artifacts", "keep/b", Buffer.from("b"));
    // Created 2026-01-01T15:00Z + 2 days = 01-03T15:00Z, rounded up to 01-04T00:00Z.
    await clock.advance(2 * DAY + 8 * 3_600_000);
    assert.equal(s3.expire(), 0);
    await clock.advance(3_600_000);
    assert.equal(s3.expire(), 1);
    assert.throws(() => s3.headObject("artifacts", "old/a"), { code: "NoSuchKey" });
    assert.equal(s3.headObject("artifacts", "keep/b").size, 1);
  });

  test("refuses user metadata over 2 KB with MetadataTooLarge", (t) => {
    const { s3 } = store(t);
    s3.createBucket("meta", "eu-west-1", OWNER);
    assert.throws(
      () => s3.putObject("meta", "k", Buffer.from("x"), { metadata: { big: "v".repeat(2048) } }),
      {
        code: "MetadataTooLarge",
        statusCode: 400,
      },
    );
  });

  test("resumes a listing after a common prefix without repeating keys under it", (t) => {
    const { s3 } = store(t);
    s3.createBucket("pages", "eu-west-1", OWNER);
    for (const key of ["a/", "a/x", "a/y/1", "a/y/2", "a/z"]) s3.putObject("pages", key, Buffer.from(key));
    const first = s3.listObjectsV2("pages", { prefix: "a/", delimiter: "/", maxKeys: 2 });
    assert.deepEqual(
      first.contents.map((c) => c.key),
      ["a/", "a/x"],
    );
    const second = s3.listObjectsV2("pages", {
      prefix: "a/",
      delimiter: "/",
      maxKeys: 1,
      continuationToken: first.nextContinuationToken as string,
    });
    assert.deepEqual(second.commonPrefixes, ["a/y/"]);
    const third = s3.listObjectsV2("pages", {
      prefix: "a/",
      delimiter: "/",
      continuationToken: second.nextContinuationToken as string,
    });
    assert.deepEqual(
      third.contents.map((c) => c.key),
      ["a/z"],
    );
    assert.equal(third.isTruncated, false);
    assert.throws(() => s3.listObjectsV2("pages", { continuationToken: "not-a-token" }), {
      code: "InvalidArgument",
    });
  });

  test("decodes signed aws-chunked bodies and their trailers", () => {
    const encoded = Buffer.from(
      "5;chunk-signature=abc\r\nhello\r\n6;chunk-signature=def\r\n world\r\n0;chunk-signature=0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n",
    );
    const decoded = decodeAwsChunked(encoded);
    assert.equal(decoded.body.toString(), "hello world");
    assert.deepEqual(decoded.trailers, { "x-amz-checksum-crc32": "DUoRhQ==" });
    assert.throws(() => decodeAwsChunked(Buffer.from("9\r\nshort\r\n")), { code: "IncompleteBody" });
  });
});

describe("parseS3Url", () => {
  test("reads bucket and key from every URL form CloudFormation accepts and the local endpoint's", () => {
    const cases: Record<string, [string, string] | undefined> = {
      "s3://bucket/dir/t.json": ["bucket", "dir/t.json"],
      "https://bucket.s3.amazonaws.com/t.json": ["bucket", "t.json"],
      "https://my.bucket.s3.eu-west-1.amazonaws.com/a/b%20c.json": ["my.bucket", "a/b c.json"],
      "https://bucket.s3-eu-west-1.amazonaws.com/t.json": ["bucket", "t.json"],
      "https://s3.amazonaws.com/bucket/t.json": ["bucket", "t.json"],
      "https://s3.cn-north-1.amazonaws.com.cn/bucket/t.json": ["bucket", "t.json"],
      "http://127.0.0.1:4566/bucket/dir/t.json": ["bucket", "dir/t.json"],
      "http://bucket.s3.eu-west-1.localhost:4566/t.json": ["bucket", "t.json"],
      "https://s3.amazonaws.com/bucket-only": undefined,
      "not a url": undefined,
    };
    for (const [url, expected] of Object.entries(cases)) {
      const parsed = parseS3Url(url);
      assert.deepEqual(parsed && [parsed.bucket, parsed.key], expected, url);
    }
  });
});
