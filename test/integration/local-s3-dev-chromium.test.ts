/**
 * A page in headless Chromium on an origin the bucket's CORS rules allow (http://allowed.test:<port>,
 * resolved to 127.0.0.1) uploads and reads an object through a function's presigned URLs, as a
 * browser does against S3: Chromium sends its own preflight and checks the answer. The same page
 * cannot write with a URL presigned by any other key, nor unsigned; a page on another origin
 * cannot use even the function's URL.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { Browser } from "playwright-core";
import { launchChromium } from "../support/chromium.ts";
import { clientConfig } from "../support/endpoint.ts";
import { type S3DevApp, startS3DevApp } from "../support/s3-dev.ts";

const PAGE_TIMEOUT_MS = 30_000;

interface Urls {
  readonly put: string;
  readonly get: string;
  readonly forged: string;
  readonly unsigned: string;
}

describe("a page uploading to S3 on sluice dev in headless Chromium", () => {
  let app: S3DevApp;
  let browser: Browser;
  let pages: Server;
  let port = 0;
  let urls: Urls;

  before(async () => {
    app = await startS3DevApp();
    const script = new S3Client({ ...clientConfig(app.url), forcePathStyle: true });
    urls = {
      put: (await app.call("presigner", { op: "presign-put", key: "incoming/browser.txt" })).url as string,
      get: (await app.call("presigner", { op: "presign-get", key: "incoming/browser.txt" })).url as string,
      forged: await getSignedUrl(
        script,
        new PutObjectCommand({ Bucket: app.buckets.uploads, Key: "incoming/forged.txt" }),
      ),
      unsigned: `${app.url}/${app.buckets.uploads}/incoming/unsigned.txt`,
    };
    script.destroy();
    pages = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(uploadPage(urls));
    });
    await new Promise<void>((resolve) => pages.listen(0, "127.0.0.1", resolve));
    port = (pages.address() as AddressInfo).port;
    browser = await launchChromium([
      "--host-resolver-rules=MAP allowed.test 127.0.0.1, MAP other.test 127.0.0.1",
    ]);
  });

  after(async () => {
    await browser?.close();
    pages?.closeAllConnections();
    await new Promise<void>((resolve) => (pages ? pages.close(() => resolve()) : resolve()));
    await app?.close();
  });

  const results = async (origin: string): Promise<Record<string, string>> => {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}:${port}/`);
      await page.waitForFunction(
        () => (globalThis as unknown as { done?: boolean }).done === true,
        undefined,
        {
          timeout: PAGE_TIMEOUT_MS,
        },
      );
      return await page.evaluate(
        () => (globalThis as unknown as { results: Record<string, string> }).results,
      );
    } finally {
      await page.close();
    }
  };

  test("an allowed origin uploads and reads with a function's presigned URLs, and nothing else", async () => {
    const seen = await results("http://allowed.test");
    assert.match(seen.put ?? "", /^200 etag "[0-9a-f]{32}"$/, JSON.stringify(seen));
    assert.equal(seen.get, "200 from chromium");
    assert.match(seen.forged ?? "", /TypeError/, "a URL presigned by another key is refused");
    assert.match(seen.unsigned ?? "", /TypeError/);
    const stored = await app.s3.send(
      new GetObjectCommand({ Bucket: app.buckets.uploads, Key: "incoming/browser.txt" }),
    );
    assert.equal(await stored.Body?.transformToString(), "from chromium");
    const forged = await app.s3
      .send(new GetObjectCommand({ Bucket: app.buckets.uploads, Key: "incoming/forged.txt" }))
      .catch((e: Error) => e);
    assert.ok(forged instanceof Error && forged.name === "NoSuchKey");
  });

  test("another origin cannot use even the function's URLs", async () => {
    await app.s3.send(
      new PutObjectCommand({ Bucket: app.buckets.uploads, Key: "incoming/browser.txt", Body: "kept" }),
    );
    const seen = await results("http://other.test");
    assert.match(seen.put ?? "", /TypeError/);
    assert.match(seen.get ?? "", /TypeError/);
    const stored = await app.s3.send(
      new GetObjectCommand({ Bucket: app.buckets.uploads, Key: "incoming/browser.txt" }),
    );
    assert.equal(await stored.Body?.transformToString(), "kept");
  });
});

/** Tries each URL in turn (the GET after the PUT) and records its status or the error. */
function uploadPage(urls: Urls): string {
  return `<!doctype html><html><body><script>
window.results = {};
const record = (name) => (text) => { window.results[name] = text; };
const failed = (e) => String(e);
(async () => {
  await fetch(${JSON.stringify(urls.put)}, { method: "PUT", headers: { "content-type": "text/plain" }, body: "from chromium" })
    .then((r) => r.status + " etag " + r.headers.get("etag"), failed).then(record("put"));
  await fetch(${JSON.stringify(urls.get)}).then(async (r) => r.status + " " + (await r.text()), failed).then(record("get"));
  await fetch(${JSON.stringify(urls.forged)}, { method: "PUT", headers: { "content-type": "text/plain" }, body: "forged" })
    .then((r) => String(r.status), failed).then(record("forged"));
  await fetch(${JSON.stringify(urls.unsigned)}, { method: "PUT", headers: { "content-type": "text/plain" }, body: "unsigned" })
    .then((r) => String(r.status), failed).then(record("unsigned"));
  window.done = true;
})();
</script></body></html>`;
}
