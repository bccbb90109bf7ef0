/**
 * The S3 engine's application features through @aws-sdk/client-s3 on a real socket: versioning,
 * conditional requests, ranges, CopyObject, object tagging and the bucket subresources.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCorsCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketCorsCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectVersionsCommand,
  PutBucketCorsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
  type S3ServiceException,
} from "@aws-sdk/client-s3";
import type { ObjectChange } from "../../src/local/s3/object-change.ts";
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

/** 304 Not Modified has no body, so the SDK names no error: only the status says it. */
async function notModified(promise: Promise<unknown>): Promise<void> {
  try {
    await promise;
  } catch (error) {
    assert.equal((error as S3ServiceException).$metadata.httpStatusCode, 304);
    return;
  }
  assert.fail("expected 304 Not Modified");
}

async function bucket(s3: S3Client, name: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: name, ...inRegion }));
}

describe("S3 engine features through @aws-sdk/client-s3", () => {
  test("versions objects, lists versions, and serves delete markers as S3 does", async (t) => {
    const server = await startS3Server(t);
    const s3 = server.client();
    await bucket(s3, "versioned");
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: "versioned" }))).Status, undefined);
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: "versioned", VersioningConfiguration: { Status: "Enabled" } }),
    );
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: "versioned" }))).Status, "Enabled");
    const v1 = await s3.send(new PutObjectCommand({ Bucket: "versioned", Key: "k", Body: "one" }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket: "versioned", Key: "k", Body: "two" }));
    assert.ok(v1.VersionId && v2.VersionId && v1.VersionId !== v2.VersionId);
    const old = await s3.send(
      new GetObjectCommand({ Bucket: "versioned", Key: "k", VersionId: v1.VersionId }),
    );
    assert.equal(await old.Body?.transformToString(), "one");
    assert.equal(old.VersionId, v1.VersionId);
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: "versioned", Key: "k" }));
    assert.equal(deleted.DeleteMarker, true);
    assert.ok(deleted.VersionId);
    await rejects(s3.send(new GetObjectCommand({ Bucket: "versioned", Key: "k" })), "NoSuchKey", 404);
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: "versioned" }));
    assert.deepEqual(
      listed.Versions?.map((v) => [v.VersionId, v.IsLatest]),
      [
        [v2.VersionId, false],
        [v1.VersionId, false],
      ],
    );
    assert.deepEqual(
      listed.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest]),
      [[deleted.VersionId, true]],
    );
    const undone = await s3.send(
      new DeleteObjectCommand({ Bucket: "versioned", Key: "k", VersionId: deleted.VersionId }),
    );
    assert.equal(undone.DeleteMarker, true);
    const back = await s3.send(new GetObjectCommand({ Bucket: "versioned", Key: "k" }));
    assert.equal(await back.Body?.transformToString(), "two");
  });

  test("answers conditional GETs with 304 and 412, and conditional PUTs with 412", async (t) => {
    const server = await startS3Server(t);
    const s3 = server.client();
    await bucket(s3, "cond");
    const put = await s3.send(new PutObjectCommand({ Bucket: "cond", Key: "k", Body: "body" }));
    await notModified(s3.send(new GetObjectCommand({ Bucket: "cond", Key: "k", IfNoneMatch: put.ETag })));
    await rejects(
      s3.send(new GetObjectCommand({ Bucket: "cond", Key: "k", IfMatch: '"other"' })),
      "PreconditionFailed",
      412,
    );
    await notModified(
      s3.send(
        new HeadObjectCommand({ Bucket: "cond", Key: "k", IfModifiedSince: new Date(Date.UTC(2027, 0, 1)) }),
      ),
    );
    const ok = await s3.send(new GetObjectCommand({ Bucket: "cond", Key: "k", IfMatch: put.ETag }));
    assert.equal(await ok.Body?.transformToString(), "body");
    await rejects(
      s3.send(new PutObjectCommand({ Bucket: "cond", Key: "k", Body: "again", IfNoneMatch: "*" })),
      "PreconditionFailed",
      412,
    );
    await s3.send(new PutObjectCommand({ Bucket: "cond", Key: "new", Body: "first", IfNoneMatch: "*" }));
  });

  test("serves ranges with 206 and Content-Range, and 416 InvalidRange past the end", async (t) => {
    const server = await startS3Server(t);
    const s3 = server.client();
    await bucket(s3, "ranges");
    await s3.send(new PutObjectCommand({ Bucket: "ranges", Key: "k", Body: "0123456789" }));
    const part = await s3.send(new GetObjectCommand({ Bucket: "ranges", Key: "k", Range: "bytes=2-4" }));
    assert.equal(part.$metadata.httpStatusCode, 206);
    assert.equal(part.ContentRange, "bytes 2-4/10");
    assert.equal(await part.Body?.transformToString(), "234");
    const tail = await s3.send(new GetObjectCommand({ Bucket: "ranges", Key: "k", Range: "bytes=-3" }));
    assert.equal(await tail.Body?.transformToString(), "789");
    await rejects(
      s3.send(new GetObjectCommand({ Bucket: "ranges", Key: "k", Range: "bytes=10-" })),
      "InvalidRange",
      416,
    );
  });

  test("copies objects (URL-encoded source, versions, metadata directives) and emits ObjectCreated:Copy", async (t) => {
    const server = await startS3Server(t);
    const changes: ObjectChange[] = [];
    server.store.setChangeSink({ record: (c) => changes.push(c) });
    const s3 = server.client();
    await bucket(s3, "copies");
    await s3.send(
      new PutObjectCommand({
        Bucket: "copies",
        Key: "a dir/ü+.txt",
        Body: "hello",
        ContentType: "text/plain",
        Metadata: { m: "1" },
      }),
    );
    const copied = await s3.send(
      new CopyObjectCommand({
        Bucket: "copies",
        Key: "copy.txt",
        CopySource: `copies/${encodeURIComponent("a dir/ü+.txt")}`,
      }),
    );
    assert.ok(copied.CopyObjectResult?.ETag);
    const head = await s3.send(new HeadObjectCommand({ Bucket: "copies", Key: "copy.txt" }));
    assert.equal(head.ContentType, "text/plain");
    assert.deepEqual(head.Metadata, { m: "1" });
    await rejects(
      s3.send(new CopyObjectCommand({ Bucket: "copies", Key: "copy.txt", CopySource: "copies/copy.txt" })),
      "InvalidRequest",
      400,
    );
    await s3.send(
      new CopyObjectCommand({
        Bucket: "copies",
        Key: "copy.txt",
        CopySource: "copies/copy.txt",
        MetadataDirective: "REPLACE",
        ContentType: "text/html",
      }),
    );
    assert.equal(
      (await s3.send(new HeadObjectCommand({ Bucket: "copies", Key: "copy.txt" }))).ContentType,
      "text/html",
    );
    const put = changes[0] as ObjectChange;
    assert.equal(put.eventName, "ObjectCreated:Put");
    assert.equal(put.sourceIp, "127.0.0.1");
    assert.match(put.principalId, /^AWS:/);
    assert.deepEqual(
      changes.map((c) => c.eventName),
      ["ObjectCreated:Put", "ObjectCreated:Copy", "ObjectCreated:Copy"],
    );
  });

  test("tags objects and reports the tag count", async (t) => {
    const server = await startS3Server(t);
    const s3 = server.client();
    await bucket(s3, "tags");
    await s3.send(
      new PutObjectCommand({ Bucket: "tags", Key: "k", Body: "x", Tagging: "a=1&b=two%20words" }),
    );
    assert.equal((await s3.send(new GetObjectCommand({ Bucket: "tags", Key: "k" }))).TagCount, 2);
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: "tags",
        Key: "k",
        Tagging: { TagSet: [{ Key: "c", Value: "3" }] },
      }),
    );
    const got = await s3.send(new GetObjectTaggingCommand({ Bucket: "tags", Key: "k" }));
    assert.deepEqual(got.TagSet, [{ Key: "c", Value: "3" }]);
  });

  test("stores bucket subresources and answers S3's errors for those missing", async (t) => {
    const server = await startS3Server(t);
    const s3 = server.client();
    await bucket(s3, "subs");
    await rejects(
      s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "subs" })),
      "NoSuchLifecycleConfiguration",
      404,
    );
    await rejects(s3.send(new GetBucketCorsCommand({ Bucket: "subs" })), "NoSuchCORSConfiguration", 404);
    await rejects(
      s3.send(new GetBucketWebsiteCommand({ Bucket: "subs" })),
      "NoSuchWebsiteConfiguration",
      404,
    );
    await rejects(s3.send(new GetBucketTaggingCommand({ Bucket: "subs" })), "NoSuchTagSet", 404);
    await rejects(s3.send(new GetBucketPolicyCommand({ Bucket: "subs" })), "NoSuchBucketPolicy", 404);
    await rejects(
      s3.send(new GetPublicAccessBlockCommand({ Bucket: "subs" })),
      "NoSuchPublicAccessBlockConfiguration",
      404,
    );

    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: "subs",
        LifecycleConfiguration: {
          Rules: [
            {
              ID: "tmp",
              Status: "Enabled",
              Filter: { Prefix: "tmp/" },
              Expiration: { Days: 1 },
              NoncurrentVersionExpiration: { NoncurrentDays: 3 },
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 },
            },
          ],
        },
      }),
    );
    assert.deepEqual(server.store.bucket("subs")?.configuration.LifecycleConfiguration, {
      Rules: [
        {
          Id: "tmp",
          Status: "Enabled",
          Prefix: "tmp/",
          ExpirationInDays: 1,
          NoncurrentVersionExpiration: { NoncurrentDays: 3 },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 },
        },
      ],
    });
    const lifecycle = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "subs" }));
    assert.equal(lifecycle.Rules?.[0]?.Expiration?.Days, 1);
    assert.equal(lifecycle.Rules?.[0]?.Filter?.Prefix, "tmp/");

    await s3.send(
      new PutBucketCorsCommand({
        Bucket: "subs",
        CORSConfiguration: {
          CORSRules: [{ AllowedOrigins: ["*"], AllowedMethods: ["GET"], MaxAgeSeconds: 60 }],
        },
      }),
    );
    const cors = await s3.send(new GetBucketCorsCommand({ Bucket: "subs" }));
    assert.deepEqual(cors.CORSRules?.[0]?.AllowedMethods, ["GET"]);
    assert.equal(cors.CORSRules?.[0]?.MaxAgeSeconds, 60);
    await s3.send(new DeleteBucketCorsCommand({ Bucket: "subs" }));
    await rejects(s3.send(new GetBucketCorsCommand({ Bucket: "subs" })), "NoSuchCORSConfiguration", 404);

    await s3.send(
      new PutBucketWebsiteCommand({
        Bucket: "subs",
        WebsiteConfiguration: { IndexDocument: { Suffix: "index.html" }, ErrorDocument: { Key: "404.html" } },
      }),
    );
    assert.deepEqual(server.store.bucket("subs")?.configuration.WebsiteConfiguration, {
      IndexDocument: "index.html",
      ErrorDocument: "404.html",
    });
    const website = await s3.send(new GetBucketWebsiteCommand({ Bucket: "subs" }));
    assert.equal(website.IndexDocument?.Suffix, "index.html");

    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: "subs",
        NotificationConfiguration: {
          QueueConfigurations: [
            {
              Id: "to-queue",
              QueueArn: "arn:aws:sqs:eu-west-1:123456789012:q",
              Events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
              Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "in/" }] } },
            },
          ],
          EventBridgeConfiguration: {},
        },
      }),
    );
    const stored = server.store.bucket("subs")?.configuration.NotificationConfiguration as Record<
      string,
      unknown
    >;
    assert.equal((stored.QueueConfigurations as unknown[]).length, 2);
    assert.deepEqual(stored.EventBridgeConfiguration, { EventBridgeEnabled: true });
    const notification = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: "subs" }));
    assert.equal(notification.QueueConfigurations?.[0]?.Id, "to-queue");
    assert.deepEqual(notification.QueueConfigurations?.[0]?.Events, [
      "s3:ObjectCreated:*",
      "s3:ObjectRemoved:*",
    ]);
    assert.ok(notification.EventBridgeConfiguration);
    await rejects(
      s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: "subs",
          NotificationConfiguration: {
            QueueConfigurations: [
              { QueueArn: "arn:aws:sqs:eu-west-1:123456789012:q", Events: ["s3:Nope" as never] },
            ],
          },
        }),
      ),
      "InvalidArgument",
      400,
    );

    await s3.send(
      new PutBucketTaggingCommand({ Bucket: "subs", Tagging: { TagSet: [{ Key: "team", Value: "a" }] } }),
    );
    assert.deepEqual((await s3.send(new GetBucketTaggingCommand({ Bucket: "subs" }))).TagSet, [
      { Key: "team", Value: "a" },
    ]);
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [] });
    await s3.send(new PutBucketPolicyCommand({ Bucket: "subs", Policy: policy }));
    assert.deepEqual(
      JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: "subs" }))).Policy ?? ""),
      JSON.parse(policy),
    );
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: "subs",
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: true,
        },
      }),
    );
    const pab = await s3.send(new GetPublicAccessBlockCommand({ Bucket: "subs" }));
    assert.equal(pab.PublicAccessBlockConfiguration?.BlockPublicPolicy, false);
    assert.equal(pab.PublicAccessBlockConfiguration?.BlockPublicAcls, true);
  });

  test("DeleteObjects removes versions by id and reports the delete markers it makes", async (t) => {
    const server = await startS3Server(t);
    const s3 = server.client();
    await bucket(s3, "many");
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: "many", VersioningConfiguration: { Status: "Enabled" } }),
    );
    const a = await s3.send(new PutObjectCommand({ Bucket: "many", Key: "a", Body: "a" }));
    await s3.send(new PutObjectCommand({ Bucket: "many", Key: "b", Body: "b" }));
    const result = await s3.send(
      new DeleteObjectsCommand({
        Bucket: "many",
        Delete: { Objects: [{ Key: "a", VersionId: a.VersionId }, { Key: "b" }] },
      }),
    );
    const byKey = new Map(result.Deleted?.map((d) => [d.Key, d]));
    assert.equal(byKey.get("a")?.VersionId, a.VersionId);
    assert.equal(byKey.get("b")?.DeleteMarker, true);
    assert.ok(byKey.get("b")?.DeleteMarkerVersionId);
    const left = await s3.send(new ListObjectVersionsCommand({ Bucket: "many" }));
    assert.equal(left.Versions?.length, 1);
    assert.equal(left.DeleteMarkers?.length, 1);
  });

  test("passes the caller's X-Amzn-Trace-Id and request id to the change it records", async (t) => {
    const server = await startS3Server(t);
    server.store.createBucket("traced", REGION, "123456789012");
    const changes: ObjectChange[] = [];
    server.store.setChangeSink({ record: (c) => changes.push(c) });
    const res = await fetch(`${server.url}/traced/k`, {
      method: "PUT",
      body: "x",
      headers: { "x-amzn-trace-id": "Root=1-5759e988-bd862e3fe1be46a994272793;Lineage=a87bd80c:1" },
    });
    assert.equal(res.status, 200);
    assert.equal(changes.length, 1);
    assert.equal(changes[0]?.traceHeader, "Root=1-5759e988-bd862e3fe1be46a994272793;Lineage=a87bd80c:1");
    assert.equal(changes[0]?.requestId, res.headers.get("x-amz-request-id"));
  });

  test("ListObjects (version 1) pages with Marker and NextMarker over common prefixes", async (t) => {
    const server = await startS3Server(t);
    const s3 = server.client();
    await bucket(s3, "v1list");
    for (const key of ["a", "b/1", "b/2", "c"])
      await s3.send(new PutObjectCommand({ Bucket: "v1list", Key: key, Body: key }));
    const first = await s3.send(new ListObjectsCommand({ Bucket: "v1list", Delimiter: "/", MaxKeys: 2 }));
    assert.deepEqual(
      first.Contents?.map((o) => o.Key),
      ["a"],
    );
    assert.deepEqual(
      first.CommonPrefixes?.map((p) => p.Prefix),
      ["b/"],
    );
    assert.equal(first.IsTruncated, true);
    assert.equal(first.NextMarker, "b/");
    const second = await s3.send(
      new ListObjectsCommand({ Bucket: "v1list", Delimiter: "/", MaxKeys: 2, Marker: first.NextMarker }),
    );
    assert.deepEqual(
      second.Contents?.map((o) => o.Key),
      ["c"],
    );
    assert.equal(second.IsTruncated, false);
    const all = await s3.send(new ListObjectsCommand({ Bucket: "v1list", Marker: "b/1" }));
    assert.deepEqual(
      all.Contents?.map((o) => o.Key),
      ["b/2", "c"],
    );
  });
});
