import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { S3Error } from "../../src/local/s3/errors.ts";
import type { ObjectChange } from "../../src/local/s3/object-change.ts";
import { S3Store } from "../../src/local/s3/s3-store.ts";
import { openStore } from "../../src/local/store/store.ts";

const OWNER = "123456789012";
const DAY = 86_400_000;
const ORIGIN = {
  principalId: "AWS:AKIDCALLER",
  sourceIp: "10.0.0.7",
  requestId: "req-1",
  traceHeader: "Root=1-a-b",
};

function setup(t: TestContext, versioning?: "Enabled" | "Suspended") {
  const dir = mkdtempSync(join(tmpdir(), "sluice-s3-versions-"));
  const db = openStore(join(dir, "state.db"));
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 15));
  const changes: ObjectChange[] = [];
  const s3 = new S3Store(db, clock, { sink: { record: (c) => changes.push(c) } });
  s3.createBucket("bkt", "us-east-1", OWNER);
  if (versioning) s3.setBucketProperty("bkt", "VersioningConfiguration", { Status: versioning });
  return { s3, clock, changes, db };
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof S3Error, String(error));
    return error.code;
  }
  assert.fail("expected an S3Error");
}

describe("S3Store versioning", () => {
  test("keeps every version, adds a delete marker on delete, and serves versions by id", (t) => {
    const { s3 } = setup(t, "Enabled");
    const v1 = s3.putObject("bkt", "k", Buffer.from("one")).versionId as string;
    const v2 = s3.putObject("bkt", "k", Buffer.from("two")).versionId as string;
    assert.match(v1, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(v1, v2);
    assert.equal(s3.getObject("bkt", "k").body.toString(), "two");
    assert.equal(s3.getObject("bkt", "k", v1).body.toString(), "one");
    const deleted = s3.deleteObject("bkt", "k");
    assert.equal(deleted.deleteMarker, true);
    let error: S3Error | undefined;
    try {
      s3.getObject("bkt", "k");
    } catch (e) {
      error = e as S3Error;
    }
    assert.equal(error?.code, "NoSuchKey");
    assert.equal(error?.headers["x-amz-delete-marker"], "true");
    assert.equal(
      code(() => s3.getObject("bkt", "k", deleted.versionId)),
      "MethodNotAllowed",
    );
    assert.equal(s3.listObjectsV2("bkt").contents.length, 0);
    const listed = s3.listObjectVersions("bkt");
    assert.deepEqual(
      listed.versions.map((v) => [v.versionId, v.isLatest, v.deleteMarker]),
      [
        [deleted.versionId, true, true],
        [v2, false, false],
        [v1, false, false],
      ],
    );
    // Removing the delete marker by id brings the newest version back.
    s3.deleteObject("bkt", "k", { versionId: deleted.versionId as string });
    assert.equal(s3.getObject("bkt", "k").body.toString(), "two");
    s3.deleteObject("bkt", "k", { versionId: v2 });
    assert.equal(s3.getObject("bkt", "k").body.toString(), "one");
    assert.equal(
      code(() => s3.getObject("bkt", "k", "A".repeat(32))),
      "NoSuchVersion",
    );
    assert.equal(
      code(() => s3.getObject("bkt", "k", "bad id")),
      "InvalidArgument",
    );
  });

  test("writes the null version while suspended, replacing the earlier null version", (t) => {
    const { s3 } = setup(t, "Enabled");
    const kept = s3.putObject("bkt", "k", Buffer.from("kept")).versionId as string;
    s3.setBucketProperty("bkt", "VersioningConfiguration", { Status: "Suspended" });
    assert.equal(s3.putObject("bkt", "k", Buffer.from("n1")).versionId, "null");
    assert.equal(s3.putObject("bkt", "k", Buffer.from("n2")).versionId, "null");
    assert.deepEqual(
      s3.listObjectVersions("bkt").versions.map((v) => v.versionId),
      ["null", kept],
    );
    assert.equal(s3.deleteObject("bkt", "k").versionId, "null");
    assert.deepEqual(
      s3.listObjectVersions("bkt").versions.map((v) => [v.versionId, v.deleteMarker]),
      [
        ["null", true],
        [kept, false],
      ],
    );
  });

  test("pages ListObjectVersions with key and version id markers", (t) => {
    const { s3 } = setup(t, "Enabled");
    for (const key of ["a", "a", "bkt", "c/1", "c/2"]) s3.putObject("bkt", key, Buffer.from(key));
    const first = s3.listObjectVersions("bkt", { maxKeys: 1, delimiter: "/" });
    assert.equal(first.versions[0]?.key, "a");
    assert.equal(first.isTruncated, true);
    const rest = s3.listObjectVersions("bkt", {
      delimiter: "/",
      keyMarker: first.nextKeyMarker as string,
      versionIdMarker: first.nextVersionIdMarker as string,
    });
    assert.deepEqual(
      rest.versions.map((v) => [v.key, v.isLatest]),
      [
        ["a", false],
        ["bkt", true],
      ],
    );
    assert.deepEqual(rest.commonPrefixes, ["c/"]);
  });

  test("a key marker resumes in UTF-8 byte order, S3's, past keys UTF-16 would sort first", (t) => {
    // U+FF01 is EF BC 81 in UTF-8 and U+1F600 F0 9F 98 80, but U+1F600 is D83D DE00 in UTF-16.
    const { s3 } = setup(t, "Enabled");
    for (const key of ["\u{1F600}", "\uFF01"]) s3.putObject("bkt", key, Buffer.from(key));
    const first = s3.listObjectVersions("bkt", { maxKeys: 1 });
    assert.equal(first.versions[0]?.key, "\uFF01");
    const rest = s3.listObjectVersions("bkt", {
      keyMarker: first.nextKeyMarker as string,
      versionIdMarker: first.nextVersionIdMarker as string,
    });
    assert.deepEqual(
      rest.versions.map((v) => v.key),
      ["\u{1F600}"],
    );
    assert.deepEqual(
      s3.listObjectVersions("bkt", { keyMarker: "\uFF01" }).versions.map((v) => v.key),
      ["\u{1F600}"],
    );
  });
});

describe("S3Store object changes", () => {
  test("records each change with increasing sequencers and the caller's identity", async (t) => {
    const { s3, changes, clock } = setup(t);
    s3.putObject("bkt", "k", Buffer.from("hello"), {}, { origin: ORIGIN });
    await clock.advance(1000);
    s3.copyObject({ bucket: "bkt", key: "k" }, { bucket: "bkt", key: "copy" }, { origin: ORIGIN });
    s3.deleteObject("bkt", "k", { origin: ORIGIN });
    s3.deleteObject("bkt", "missing", { origin: ORIGIN });
    assert.deepEqual(
      changes.map((c) => [c.eventName, c.key]),
      [
        ["ObjectCreated:Put", "k"],
        ["ObjectCreated:Copy", "copy"],
        ["ObjectRemoved:Delete", "k"],
        ["ObjectRemoved:Delete", "missing"],
      ],
    );
    const put = changes[0] as ObjectChange;
    assert.equal(put.size, 5);
    assert.equal(put.eTag, "5d41402abc4b2a76b9719d911017c592");
    assert.equal(put.principalId, "AWS:AKIDCALLER");
    assert.equal(put.sourceIp, "10.0.0.7");
    assert.equal(put.requestId, "req-1");
    assert.equal(put.traceHeader, "Root=1-a-b");
    assert.equal(put.versionId, undefined);
    assert.match(put.sequencer, /^[0-9A-F]{18}$/);
    const sequencers = changes.map((c) => c.sequencer);
    assert.deepEqual([...sequencers].sort(), sequencers);
    assert.equal(new Set(sequencers).size, sequencers.length);
  });

  test("records delete markers, multipart completions and tagging in versioned buckets", (t) => {
    const { s3, changes } = setup(t, "Enabled");
    const upload = s3.createMultipartUpload("bkt", "big");
    const part = s3.uploadPart("bkt", "big", upload, 1, Buffer.from("x"));
    s3.completeMultipartUpload("bkt", "big", upload, [{ partNumber: 1, etag: part.etag }]);
    s3.setObjectTags("bkt", "big", { a: "1" });
    s3.setObjectTags("bkt", "big", undefined);
    const marker = s3.deleteObject("bkt", "big");
    assert.deepEqual(
      changes.map((c) => c.eventName),
      [
        "ObjectCreated:CompleteMultipartUpload",
        "ObjectTagging:Put",
        "ObjectTagging:Delete",
        "ObjectRemoved:DeleteMarkerCreated",
      ],
    );
    assert.equal(changes.at(-1)?.versionId, marker.versionId);
    assert.match(changes[0]?.eTag ?? "", /-1$/);
  });

  test("a sink that throws aborts the write", (t) => {
    const { s3 } = setup(t);
    s3.setChangeSink({
      record: () => {
        throw new Error("outbox full");
      },
    });
    assert.throws(() => s3.putObject("bkt", "k", Buffer.from("x")), /outbox full/);
    s3.setChangeSink(undefined);
    assert.equal(
      code(() => s3.headObject("bkt", "k")),
      "NoSuchKey",
    );
  });
});

describe("S3Store conditional writes and copies", () => {
  test("refuses If-None-Match * over an object and If-Match with another ETag", (t) => {
    const { s3 } = setup(t);
    s3.putObject("bkt", "k", Buffer.from("a"), {}, { conditions: { ifNoneMatch: "*" } });
    assert.equal(
      code(() => s3.putObject("bkt", "k", Buffer.from("bkt"), {}, { conditions: { ifNoneMatch: "*" } })),
      "PreconditionFailed",
    );
    assert.equal(
      code(() => s3.putObject("bkt", "k", Buffer.from("bkt"), {}, { conditions: { ifMatch: '"nope"' } })),
      "PreconditionFailed",
    );
    assert.equal(
      code(() => s3.putObject("bkt", "new", Buffer.from("bkt"), {}, { conditions: { ifMatch: '"x"' } })),
      "NoSuchKey",
    );
    const etag = s3.headObject("bkt", "k").etag;
    s3.putObject("bkt", "k", Buffer.from("c"), {}, { conditions: { ifMatch: etag } });
    assert.equal(s3.getObject("bkt", "k").body.toString(), "c");
  });

  test("copies metadata by default, replaces it with REPLACE, and refuses a copy onto itself that changes nothing", (t) => {
    const { s3 } = setup(t);
    s3.putObject("bkt", "src", Buffer.from("body"), {
      contentType: "text/plain",
      metadata: { a: "1" },
      tags: { t: "v" },
    });
    s3.copyObject({ bucket: "bkt", key: "src" }, { bucket: "bkt", key: "dst" });
    const copied = s3.headObject("bkt", "dst");
    assert.equal(copied.contentType, "text/plain");
    assert.deepEqual({ ...copied.metadata }, { a: "1" });
    assert.deepEqual({ ...copied.tags }, { t: "v" });
    assert.equal(
      code(() => s3.copyObject({ bucket: "bkt", key: "src" }, { bucket: "bkt", key: "src" })),
      "InvalidRequest",
    );
    s3.copyObject(
      { bucket: "bkt", key: "src" },
      { bucket: "bkt", key: "src" },
      { metadataDirective: "REPLACE", meta: { contentType: "text/html", metadata: { b: "2" } } },
    );
    const replaced = s3.headObject("bkt", "src");
    assert.equal(replaced.contentType, "text/html");
    assert.deepEqual({ ...replaced.metadata }, { b: "2" });
    assert.equal(
      code(() =>
        s3.copyObject(
          { bucket: "bkt", key: "src" },
          { bucket: "bkt", key: "x" },
          { sourceConditions: { ifMatch: '"other"' } },
        ),
      ),
      "PreconditionFailed",
    );
  });
});

describe("S3Store versioning state", () => {
  test("a configuration without versioning leaves a versioned bucket's versioning as it was", (t) => {
    // Once versioned, a bucket never returns to unversioned; CloudFormation leaves versioning
    // untouched when VersioningConfiguration is left out.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
    const { s3 } = setup(t, "Enabled");
    s3.putObject("bkt", "k", Buffer.from("1"));
    s3.putObject("bkt", "k", Buffer.from("2"));
    s3.setBucketConfiguration("bkt", {});
    s3.setBucketProperty("bkt", "VersioningConfiguration", undefined);
    assert.equal(s3.versioning("bkt"), "Enabled");
    s3.putObject("bkt", "k", Buffer.from("3"));
    assert.equal(s3.listObjectVersions("bkt").versions.length, 3, "no version is overwritten");
    s3.setBucketConfiguration("bkt", { VersioningConfiguration: { Status: "Suspended" } });
    s3.setBucketConfiguration("bkt", {});
    assert.equal(s3.versioning("bkt"), "Suspended");
  });
});

describe("S3Store lifecycle", () => {
  const rules = (rule: Record<string, unknown>) => ({ Rules: [{ Id: "r", Status: "Enabled", ...rule }] });

  test("expires current versions into delete markers and noncurrent versions for good", async (t) => {
    const { s3, clock, changes } = setup(t, "Enabled");
    s3.putObject("bkt", "tmp/a", Buffer.from("1"));
    s3.putObject("bkt", "tmp/a", Buffer.from("2"));
    s3.putObject("bkt", "keep/a", Buffer.from("3"));
    s3.setBucketProperty(
      "bkt",
      "LifecycleConfiguration",
      rules({ Prefix: "tmp/", ExpirationInDays: 1, NoncurrentVersionExpiration: { NoncurrentDays: 2 } }),
    );
    // Created at 15:00 UTC: one day later is not yet due; S3 rounds up to the next midnight.
    await clock.advance(DAY);
    assert.equal(s3.expire(), 0);
    await clock.advance(9 * 3_600_000);
    changes.length = 0;
    assert.equal(s3.expire(), 1);
    assert.deepEqual(
      changes.map((c) => [c.eventName, c.principalId]),
      [["LifecycleExpiration:DeleteMarkerCreated", "AmazonS3"]],
    );
    assert.equal(
      code(() => s3.headObject("bkt", "tmp/a")),
      "NoSuchKey",
    );
    await clock.advance(2 * DAY);
    assert.equal(s3.expire(), 2);
    assert.deepEqual(
      s3.listObjectVersions("bkt", { prefix: "tmp/" }).versions.map((v) => v.deleteMarker),
      [true],
    );
    assert.equal(s3.headObject("bkt", "keep/a").size, 1);
  });

  test("a rule filtered on size, as PutBucketLifecycleConfiguration stores it, expires nothing", async (t) => {
    // The wire (lifecycle-xml.ts) and CloudFormation keep ObjectSizeGreaterThan on the rule itself.
    const { s3, clock } = setup(t);
    s3.putObject("bkt", "small", Buffer.from("1"));
    s3.setBucketProperty(
      "bkt",
      "LifecycleConfiguration",
      rules({ ObjectSizeGreaterThan: "1024", ExpirationInDays: 1 }),
    );
    await clock.advance(2 * DAY);
    assert.equal(s3.expire(), 0);
    assert.equal(s3.headObject("bkt", "small").size, 1);
  });

  test("NewerNoncurrentVersions keeps that many newer noncurrent versions", async (t) => {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_NoncurrentVersionExpiration.html
    const { s3, clock } = setup(t, "Enabled");
    for (const body of ["1", "2", "3", "4"]) s3.putObject("bkt", "k", Buffer.from(body));
    s3.setBucketProperty(
      "bkt",
      "LifecycleConfiguration",
      rules({ NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 2 } }),
    );
    await clock.advance(2 * DAY);
    assert.equal(s3.expire(), 1);
    assert.deepEqual(
      s3.listObjectVersions("bkt").versions.map((v) => v.size),
      [1, 1, 1],
    );
    assert.deepEqual(
      s3.listObjectVersions("bkt").versions.map((v) => s3.getObject("bkt", "k", v.versionId).body.toString()),
      ["4", "3", "2"],
    );
  });

  test("deletes in unversioned buckets and aborts incomplete multipart uploads", async (t) => {
    const { s3, clock, changes } = setup(t);
    s3.putObject("bkt", "a", Buffer.from("1"));
    const upload = s3.createMultipartUpload("bkt", "u");
    s3.setBucketProperty(
      "bkt",
      "LifecycleConfiguration",
      rules({ ExpirationInDays: 1, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
    );
    await clock.advance(2 * DAY);
    changes.length = 0;
    assert.equal(s3.expire(), 1);
    assert.deepEqual(
      changes.map((c) => c.eventName),
      ["LifecycleExpiration:Delete"],
    );
    assert.equal(
      code(() => s3.uploadPart("bkt", "u", upload, 1, Buffer.from("x"))),
      "NoSuchUpload",
    );
  });
});
