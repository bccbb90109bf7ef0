/**
 * Browsers and S3 on `sluice dev`'s endpoint: a CORS preflight on an object URL is answered from
 * the bucket's CORS rules; a cross-site request goes through only when the rules allow its origin
 * and method AND it is a presigned URL signed with a function's credentials (so its signature and
 * expiry were verified). Everything else a page sends is refused as before (docs/security.md).
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, test } from "node:test";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { clientConfig } from "../support/endpoint.ts";
import { signedHeaders } from "../support/request-signing.ts";
import { type S3DevApp, startS3DevApp } from "../support/s3-dev.ts";

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const ALLOWED = "http://allowed.test";
const page = (origin: string) => ({ origin, "sec-fetch-site": "cross-site", "sec-fetch-mode": "cors" });

describe("CORS and cross-site requests to S3 on sluice dev", () => {
  let app: S3DevApp;
  let objectUrl: string;
  before(async () => {
    app = await startS3DevApp();
    objectUrl = `${app.url}/${app.buckets.uploads}/incoming/c.txt`;
  });
  after(() => app?.close());

  test("a preflight the bucket's rules allow is answered with them", async () => {
    const answer = await send(objectUrl, "OPTIONS", {
      ...page(ALLOWED),
      "access-control-request-method": "PUT",
      "access-control-request-headers": "content-type",
    });
    assert.equal(answer.status, 200, answer.body);
    assert.equal(answer.headers["access-control-allow-origin"], ALLOWED);
    assert.equal(answer.headers["access-control-allow-methods"], "GET, PUT");
    assert.equal(answer.headers["access-control-allow-headers"], "content-type");
    assert.equal(answer.headers["access-control-max-age"], "600");
  });

  test("a preflight the rules do not allow answers S3's 403; a bucket without rules, and other paths, are refused", async () => {
    const evil = await send(objectUrl, "OPTIONS", {
      ...page("http://evil.test"),
      "access-control-request-method": "PUT",
    });
    assert.equal(evil.status, 403);
    assert.match(evil.body, /<Code>AccessForbidden<\/Code>/);
    assert.equal(evil.headers["access-control-allow-origin"], undefined);
    const method = await send(objectUrl, "OPTIONS", {
      ...page(ALLOWED),
      "access-control-request-method": "DELETE",
    });
    assert.equal(method.status, 403);
    const header = await send(objectUrl, "OPTIONS", {
      ...page(ALLOWED),
      "access-control-request-method": "PUT",
      "access-control-request-headers": "x-amz-acl",
    });
    assert.equal(header.status, 403);
    const noRules = await send(`${app.url}/${app.buckets.site}/index.html`, "OPTIONS", {
      ...page(ALLOWED),
      "access-control-request-method": "GET",
    });
    assert.equal(noRules.status, 403);
    assert.match(noRules.body, /CORS is not enabled for this bucket/);
    const lambda = await send(`${app.url}/2015-03-31/functions/s3dev-presigner/invocations`, "OPTIONS", {
      ...page(ALLOWED),
      "access-control-request-method": "POST",
    });
    assert.equal(lambda.status, 403);
    assert.equal(lambda.headers["access-control-allow-origin"], undefined);
  });

  test("a page on an allowed origin PUTs and GETs through a function's presigned URLs", async () => {
    const putUrl = (await app.call("presigner", { op: "presign-put", key: "incoming/c.txt" })).url as string;
    const put = await send(putUrl, "PUT", { ...page(ALLOWED), "content-type": "text/plain" }, "from a page");
    assert.equal(put.status, 200, put.body);
    assert.equal(put.headers["access-control-allow-origin"], ALLOWED);
    assert.equal(put.headers["access-control-expose-headers"], "etag");
    const getUrl = (await app.call("presigner", { op: "presign-get", key: "incoming/c.txt" })).url as string;
    const get = await send(getUrl, "GET", page(ALLOWED));
    assert.equal(get.status, 200);
    assert.equal(get.body, "from a page");
    // An <img> or a followed link sends no Origin: the URL is the authority its function gave out.
    const image = await send(getUrl, "GET", { "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors" });
    assert.equal(image.status, 200);
  });

  test("a page on another origin, or with a URL it altered, is refused and changes nothing", async () => {
    await app.s3.send(
      new PutObjectCommand({ Bucket: app.buckets.uploads, Key: "incoming/d.txt", Body: "original" }),
    );
    const putUrl = (await app.call("presigner", { op: "presign-put", key: "incoming/d.txt" })).url as string;
    const evil = await send(
      putUrl,
      "PUT",
      { ...page("http://evil.test"), "content-type": "text/plain" },
      "evil",
    );
    assert.equal(evil.status, 403);
    assert.match(evil.body, /<Error><Code>AccessDenied<\/Code><Message>a web page on another origin/);
    const deleteIt = await send(putUrl, "DELETE", page(ALLOWED));
    assert.equal(deleteIt.status, 403, "DELETE is not an allowed method");
    const altered = await send(
      putUrl.replace("incoming/d.txt", "incoming/e.txt"),
      "PUT",
      page(ALLOWED),
      "altered",
    );
    assert.equal(altered.status, 403);
    assert.match(altered.body, /SignatureDoesNotMatch/);
    const got = await app.s3.send(
      new GetObjectCommand({ Bucket: app.buckets.uploads, Key: "incoming/d.txt" }),
    );
    assert.equal(await got.Body?.transformToString(), "original");
  });

  test("a cross-site request signed with any other key (one a page could make up) is refused", async () => {
    const script = new S3Client({ ...clientConfig(app.url), forcePathStyle: true });
    try {
      const url = await getSignedUrl(
        script,
        new PutObjectCommand({ Bucket: app.buckets.uploads, Key: "incoming/f.txt" }),
      );
      const presigned = await send(url, "PUT", page(ALLOWED), "forged");
      assert.equal(presigned.status, 403);
      const headerSigned = await send(
        objectUrl,
        "PUT",
        { ...page(ALLOWED), ...signedHeaders("s3") },
        "forged",
      );
      assert.equal(headerSigned.status, 403);
      const same = await send(url, "PUT", { origin: ALLOWED, "sec-fetch-site": "same-site" }, "forged");
      assert.equal(same.status, 403);
    } finally {
      script.destroy();
    }
    const listed = await app.s3
      .send(new GetObjectCommand({ Bucket: app.buckets.uploads, Key: "incoming/f.txt" }))
      .catch((e: Error) => e);
    assert.ok(listed instanceof Error && listed.name === "NoSuchKey");
  });

  test("an HTML object opened from a presigned link runs no script on the endpoint's origin", async () => {
    // A script there would send same-origin calls signed with any made-up key: the administrator.
    await app.s3.send(
      new PutObjectCommand({
        Bucket: app.buckets.uploads,
        Key: "incoming/page.html",
        Body: "<script>fetch('/')</script>",
        ContentType: "text/html",
      }),
    );
    const getUrl = (await app.call("presigner", { op: "presign-get", key: "incoming/page.html" }))
      .url as string;
    const opened = await send(getUrl, "GET", {
      "sec-fetch-site": "cross-site",
      "sec-fetch-mode": "navigate",
    });
    assert.equal(opened.status, 200);
    assert.equal(opened.headers["content-security-policy"], "sandbox");
  });

  test("a page holding a function's access key id cannot make up a signature for it", async () => {
    const putUrl = (await app.call("presigner", { op: "presign-put", key: "incoming/g.txt" })).url as string;
    const forged = new URL(putUrl.replace("incoming/g.txt", "incoming/h.txt"));
    forged.searchParams.set("X-Amz-Signature", "0".repeat(64));
    // A credential scope with a segment more than SigV4's five.
    const longScope = new URL(forged);
    longScope.searchParams.set("X-Amz-Credential", `${forged.searchParams.get("X-Amz-Credential")}/x`);
    const scoped = await send(longScope.href, "PUT", page(ALLOWED), "forged");
    assert.notEqual(scoped.status, 200, scoped.body);
    // The issued key in the URL for the cross-site exception, a made-up one in an Authorization header.
    const twoWays = await send(forged.href, "PUT", { ...page(ALLOWED), ...signedHeaders("s3") }, "forged");
    assert.notEqual(twoWays.status, 200, twoWays.body);
    const got = await app.s3
      .send(new GetObjectCommand({ Bucket: app.buckets.uploads, Key: "incoming/h.txt" }))
      .catch((e: Error) => e);
    assert.ok(got instanceof Error && got.name === "NoSuchKey");
  });
});
