/**
 * S3 on `sluice dev`'s endpoint: the definition's buckets exist with their configuration when dev
 * starts, `@aws-sdk/client-s3` works path-style and virtual-hosted, presigned URLs (made by
 * `@aws-sdk/s3-request-presigner` inside a function and in a script) are checked for expiry on
 * dev's clock and, for a function's credentials, for their signature, and `--iam enforce` holds
 * a function's S3 calls to its permissions.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { clientConfig } from "../support/endpoint.ts";
import { controlHeaders } from "../support/request-signing.ts";
import { type S3DevApp, startS3DevApp } from "../support/s3-dev.ts";

const HOUR = 3_600_000;

describe("S3 on sluice dev's endpoint", () => {
  let app: S3DevApp;
  before(async () => {
    app = await startS3DevApp({ iam: "enforce" });
  });
  after(() => app?.close());

  test("the definition's buckets exist at start with their configuration in CloudFormation's names", () => {
    const uploads = app.session.localCloud.s3.bucket(app.buckets.uploads);
    assert.ok(uploads, "uploads bucket made at start");
    const cors = uploads.configuration.CorsConfiguration as { CorsRules: { AllowedOrigins: string[] }[] };
    assert.deepEqual(cors.CorsRules[0]?.AllowedOrigins, ["http://allowed.test", "http://allowed.test:*"]);
    const site = app.session.localCloud.s3.bucket(app.buckets.site);
    assert.deepEqual(site?.configuration.WebsiteConfiguration, {
      IndexDocument: "index.html",
      ErrorDocument: "404.html",
    });
  });

  test("a script's SDK client puts and gets path-style", async () => {
    await app.s3.send(
      new PutObjectCommand({ Bucket: app.buckets.uploads, Key: "path/one.txt", Body: "path style" }),
    );
    const got = await app.s3.send(new GetObjectCommand({ Bucket: app.buckets.uploads, Key: "path/one.txt" }));
    assert.equal(await got.Body?.transformToString(), "path style");
  });

  test("a script's SDK client puts and gets virtual-hosted on <bucket>.localhost", async () => {
    const hosted = app.virtualHosted();
    await hosted.send(
      new PutObjectCommand({ Bucket: app.buckets.uploads, Key: "hosted/two.txt", Body: "virtual" }),
    );
    const got = await hosted.send(
      new GetObjectCommand({ Bucket: app.buckets.uploads, Key: "hosted/two.txt" }),
    );
    assert.equal(await got.Body?.transformToString(), "virtual");
    await hosted.send(new HeadBucketCommand({ Bucket: app.buckets.uploads }));
  });

  test("@aws-sdk/lib-storage's Upload sends a large body as a multipart upload, with S3's multipart ETag", async () => {
    const partSize = 5 * 1024 * 1024; // S3's smallest part but the last
    const body = Buffer.alloc(2 * partSize + 1234);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31) % 251;
    const upload = new Upload({
      client: app.s3,
      params: { Bucket: app.buckets.uploads, Key: "big/blob.bin", Body: body },
      partSize,
      queueSize: 2,
    });
    const parts: number[] = [];
    upload.on("httpUploadProgress", (progress) => {
      if (progress.part !== undefined) parts.push(progress.part);
    });
    const done = await upload.done();
    assert.deepEqual([...new Set(parts)].sort(), [1, 2, 3], "three parts sent");
    // A multipart ETag is the MD5 of the parts' MD5s, then "-<parts>".
    assert.match(done.ETag ?? "", /^"[0-9a-f]{32}-3"$/);
    const head = await app.s3.send(
      new HeadObjectCommand({ Bucket: app.buckets.uploads, Key: "big/blob.bin" }),
    );
    assert.equal(head.ContentLength, body.length);
    assert.equal(head.ETag, done.ETag);
    const got = await app.s3.send(new GetObjectCommand({ Bucket: app.buckets.uploads, Key: "big/blob.bin" }));
    const bytes = await got.Body?.transformToByteArray();
    assert.ok(bytes && Buffer.from(bytes).equals(body), "the same bytes back");
  });

  test("an unsigned request is refused as S3 refuses an anonymous one", async () => {
    const { request } = await import("node:http");
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: app.port,
          path: "/hosted/two.txt",
          headers: { host: `${app.buckets.uploads}.localhost:${app.port}` },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
        },
      );
      req.on("error", reject);
      req.end();
    });
    assert.equal(answer.status, 403);
    assert.match(answer.body, /<Error><Code>AccessDenied<\/Code><Message>Access Denied<\/Message>/);
  });

  test("a function's presigned PUT and GET URLs work from outside", async () => {
    const put = await app.call("presigner", { op: "presign-put", key: "incoming/p.txt", expiresIn: 3600 });
    assert.equal(typeof put.url, "string", JSON.stringify(put));
    const uploaded = await fetch(put.url as string, {
      method: "PUT",
      body: "presigned body",
      headers: { "content-type": "text/plain" },
    });
    assert.equal(uploaded.status, 200, await uploaded.text());
    const get = await app.call("presigner", { op: "presign-get", key: "incoming/p.txt", expiresIn: 3600 });
    const read = await fetch(get.url as string);
    assert.equal(read.status, 200);
    assert.equal(read.headers.get("content-type"), "text/plain");
    assert.equal(await read.text(), "presigned body");
  });

  test("a function's presigned URL altered after signing answers SignatureDoesNotMatch", async () => {
    const get = await app.call("presigner", { op: "presign-get", key: "incoming/p2.txt" });
    await app.s3.send(
      new PutObjectCommand({ Bucket: app.buckets.uploads, Key: "incoming/p2.txt", Body: "x" }),
    );
    await app.s3.send(
      new PutObjectCommand({ Bucket: app.buckets.uploads, Key: "incoming/other.txt", Body: "secret" }),
    );
    const tampered = (get.url as string).replace("incoming/p2.txt", "incoming/other.txt");
    const refused = await fetch(tampered);
    assert.equal(refused.status, 403);
    const body = await refused.text();
    assert.match(body, /<Code>SignatureDoesNotMatch<\/Code>/);
    assert.match(body, /<StringToSign>AWS4-HMAC-SHA256\n/);
    const asPut = await fetch(get.url as string, { method: "PUT", body: "y" });
    assert.equal(asPut.status, 403, "a GET URL does not sign a PUT");
    const untouched = await fetch(get.url as string);
    assert.equal(untouched.status, 200);
    assert.equal(await untouched.text(), "x");
  });

  test("a presigned URL of more than seven days is refused", async () => {
    const script = new S3Client({ ...clientConfig(app.url), forcePathStyle: true });
    try {
      const url = await getSignedUrl(script, new GetObjectCommand({ Bucket: app.buckets.uploads, Key: "k" }));
      const week = new URL(url);
      week.searchParams.set("X-Amz-Expires", "604801");
      const tooLong = await fetch(week);
      assert.equal(tooLong.status, 400);
      assert.match(await tooLong.text(), /<Code>AuthorizationQueryParametersError<\/Code>/);
    } finally {
      script.destroy();
    }
  });

  test("--iam enforce: a function's S3 calls are held to its permissions", async () => {
    assert.deepEqual(await app.call("presigner", { op: "put", key: "incoming/f.txt", body: "ok" }), {
      ok: true,
    });
    assert.deepEqual(await app.call("presigner", { op: "get", key: "incoming/f.txt" }), { ok: "ok" });
    const outside = await app.call("presigner", { op: "put", key: "elsewhere/f.txt" });
    assert.equal(outside.error, "AccessDenied");
    assert.equal(outside.status, 403);
    assert.match(
      String(outside.message),
      /is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::s3dev-uploads-[^/]+\/elsewhere\/f\.txt/,
    );
    assert.match(String(outside.message), /bucket:uploads\/elsewhere\/f\.txt/);
    const list = await app.call("presigner", { op: "list" });
    assert.equal(list.error, "AccessDenied", "ListBucket is not granted");
    const stranger = await app.call("stranger", {
      op: "get",
      key: "incoming/f.txt",
      bucket: app.buckets.uploads,
    });
    assert.equal(stranger.error, "AccessDenied");
    const denied = app.events.filter((e) => e.type === "iam-denied");
    assert.ok(denied.some((e) => e.type === "iam-denied" && e.action === "s3:ListBucket"));
  });

  test("a stranger's presigned URL carries the stranger's identity: denied when used", async () => {
    await app.s3.send(
      new PutObjectCommand({ Bucket: app.buckets.uploads, Key: "incoming/s.txt", Body: "s" }),
    );
    const made = await app.call("stranger", {
      op: "presign-get",
      key: "incoming/s.txt",
      bucket: app.buckets.uploads,
    });
    const used = await fetch(made.url as string);
    assert.equal(used.status, 403);
    assert.match(await used.text(), /<Code>AccessDenied<\/Code>/);
  });

  // Last: the clock only moves forward, and URLs signed after it moved are on the signer's wall clock.
  test("presigned URLs, a function's and a script's, expire on dev's clock (sluice time advance)", async () => {
    await app.s3.send(
      new PutObjectCommand({ Bucket: app.buckets.uploads, Key: "incoming/e.txt", Body: "e" }),
    );
    const fromFunction = (
      await app.call("presigner", { op: "presign-get", key: "incoming/e.txt", expiresIn: 3600 })
    ).url as string;
    const putUrl = (
      await app.call("presigner", { op: "presign-put", key: "incoming/e.txt", expiresIn: 3600 })
    ).url as string;
    const script = new S3Client({ ...clientConfig(app.url), forcePathStyle: true });
    try {
      const fromScript = await getSignedUrl(
        script,
        new GetObjectCommand({ Bucket: app.buckets.uploads, Key: "incoming/e.txt" }),
        {
          expiresIn: 60,
        },
      );
      assert.equal((await fetch(fromFunction)).status, 200);
      assert.equal((await fetch(fromScript)).status, 200);
      // As `sluice time advance 2m` does: through dev's control API.
      const advanced = await fetch(`${app.url}/_sluice/time/advance`, {
        method: "POST",
        headers: { ...controlHeaders(join(app.dir, ".sluice")), "content-type": "application/json" },
        body: JSON.stringify({ ms: 120_000 }),
      });
      assert.equal(advanced.status, 200, await advanced.text());
      const scriptLate = await fetch(fromScript);
      assert.equal(scriptLate.status, 403);
      assert.match(await scriptLate.text(), /Request has expired/);
      assert.equal((await fetch(fromFunction)).status, 200, "an hour's URL is still valid two minutes on");
      app.clock.advance(HOUR);
      const late = await fetch(fromFunction);
      assert.equal(late.status, 403);
      const body = await late.text();
      assert.match(body, /<Code>AccessDenied<\/Code>/);
      assert.match(body, /<Message>Request has expired<\/Message>/);
      assert.match(body, /<X-Amz-Expires>3600<\/X-Amz-Expires>/);
      assert.match(body, /<Expires>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/Expires>/);
      assert.match(body, /<ServerTime>\d{4}-/);
      const latePut = await fetch(putUrl, {
        method: "PUT",
        body: "too late",
        headers: { "content-type": "text/plain" },
      });
      assert.equal(latePut.status, 403);
      const head = await fetch(fromFunction, { method: "HEAD" });
      assert.equal(head.status, 403);
    } finally {
      script.destroy();
    }
  });
});
