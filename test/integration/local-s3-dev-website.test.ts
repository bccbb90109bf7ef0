/**
 * A website bucket on `sluice dev`: served on its own local URL that the banner prints, index
 * documents for folders, the error document with 404, Content-Type from the object, GET and
 * HEAD only, an upload served at once; a bucket dropped from the definition keeps its objects.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { printEvent } from "../../src/cli/commands/dev.ts";
import type { Output } from "../../src/cli/output.ts";
import { type S3DevApp, startS3DevApp } from "../support/s3-dev.ts";

describe("website buckets on sluice dev", () => {
  let app: S3DevApp;
  let site: string;
  const put = (key: string, body: string, contentType = "text/html") =>
    app.s3.send(
      new PutObjectCommand({ Bucket: app.buckets.site, Key: key, Body: body, ContentType: contentType }),
    );

  before(async () => {
    app = await startS3DevApp();
    site = app.session.websiteUrls.site ?? "";
  });
  after(() => app?.close());

  test("the banner prints each bucket and the website's local URL", () => {
    assert.match(site, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const ready = app.events.find((e) => e.type === "ready");
    assert.ok(ready);
    const lines: string[] = [];
    const output: Output = { out: (text) => lines.push(text), err: (text) => lines.push(text), color: false };
    printEvent(output, ready);
    assert.ok(
      lines.some((l) => /^ {2}bucket {3}uploads {8}s3dev-uploads-000000000000-us-east-1$/.test(l)),
      lines.join("\n"),
    );
    assert.ok(lines.includes(`  website  site           ${site}`), lines.join("\n"));
  });

  test("serves the index document, folders' index documents, and objects with their Content-Type", async () => {
    await put("index.html", "<h1>home</h1>");
    await put("posts/index.html", "<h1>posts</h1>");
    await put("style.css", "body{}", "text/css");
    const home = await fetch(site);
    assert.equal(home.status, 200);
    assert.equal(home.headers.get("content-type"), "text/html");
    assert.equal(await home.text(), "<h1>home</h1>");
    const folder = await fetch(`${site}posts/`);
    assert.equal(await folder.text(), "<h1>posts</h1>");
    const noSlash = await fetch(`${site}posts`, { redirect: "manual" });
    assert.equal(noSlash.status, 302);
    assert.equal(noSlash.headers.get("location"), "/posts/");
    const css = await fetch(`${site}style.css`);
    assert.equal(css.headers.get("content-type"), "text/css");
    const head = await fetch(`${site}style.css`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), "6");
  });

  test("a missing page answers 404 with the error document, or S3's own page before there is one", async () => {
    const bare = await fetch(`${site}nowhere.html`);
    assert.equal(bare.status, 404);
    assert.match(bare.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(await bare.text(), /<li>Code: NoSuchKey<\/li>[\s\S]*<li>Key: nowhere.html<\/li>/);
    await put("404.html", "<h1>not here</h1>");
    const missing = await fetch(`${site}nowhere.html`);
    assert.equal(missing.status, 404);
    assert.equal(await missing.text(), "<h1>not here</h1>");
  });

  test("an upload is served at once", async () => {
    await put("live.html", "v1");
    assert.equal(await (await fetch(`${site}live.html`)).text(), "v1");
    await put("live.html", "v2");
    assert.equal(await (await fetch(`${site}live.html`)).text(), "v2");
  });

  test("only GET and HEAD; a foreign Host is refused", async () => {
    const post = await fetch(`${site}index.html`, { method: "POST", body: "x" });
    assert.equal(post.status, 405);
    assert.match(await post.text(), /MethodNotAllowed/);
    const del = await fetch(`${site}index.html`, { method: "DELETE" });
    assert.equal(del.status, 405);
    const port = new URL(site).port;
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port, path: "/", headers: { host: `evil.test:${port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    assert.equal(status, 403);
  });

  // Last: it reloads the definition without the website.
  test("a bucket dropped from the definition keeps its objects and is reported; its website stops", async () => {
    await put("kept.html", "still here");
    const config = join(app.dir, "sluice.config.ts");
    const text = readFileSync(config, "utf8");
    writeFileSync(config, text.replace(/\n {4}site: \{ website: [^\n]*\n/, "\n"));
    await app.session.reload([config]);
    assert.equal(app.session.spec.buckets?.site, undefined, "the definition no longer has the site bucket");
    const kept = app.events.find((e) => e.type === "bucket-kept");
    assert.ok(kept && kept.type === "bucket-kept");
    assert.equal(kept.bucketName, app.buckets.site);
    assert.ok(kept.objects >= 1);
    const store = app.session.localCloud.s3;
    assert.equal(store.getObject(app.buckets.site, "kept.html").body.toString(), "still here");
    assert.equal(store.bucket(app.buckets.site)?.configuration.WebsiteConfiguration, undefined);
    assert.equal(app.session.websiteUrls.site, undefined);
    await assert.rejects(fetch(site));
    const lines: string[] = [];
    printEvent({ out: (t) => lines.push(t), err: (t) => lines.push(t), color: false }, kept);
    assert.match(
      lines.join("\n"),
      /bucket s3dev-site-\S+ is no longer in the definition; its \d+ objects are kept/,
    );
  });
});
