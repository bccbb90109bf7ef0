/**
 * `sluice buckets`: each bucket with its object count and local website URL, from a running `dev`
 * (through its control API) or, without one, from the app's state file.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { app, run } from "../support/cli-in-process.ts";
import { startS3DevApp } from "../support/s3-dev.ts";

interface BucketRow {
  bucketName: string;
  name?: string;
  objects: number;
  websiteUrl?: string;
}

async function buckets(dir: string): Promise<Record<string, BucketRow>> {
  const result = await run(["buckets", "--json", "--dir", dir]);
  assert.equal(result.code, 0, result.err);
  return Object.fromEntries((JSON.parse(result.out) as BucketRow[]).map((b) => [b.name ?? b.bucketName, b]));
}

describe("sluice buckets", { timeout: 120_000 }, () => {
  test("without a running dev, lists the definition's buckets from the app's state", async (t) => {
    const dir = app(t, "s3-dev");
    const rows = await buckets(dir);
    assert.deepEqual(Object.keys(rows).sort(), ["site", "uploads"]);
    assert.equal(rows.site?.bucketName, "s3dev-site-000000000000-us-east-1");
    assert.equal(rows.site?.objects, 0);
    assert.equal(rows.site?.websiteUrl, undefined);
    const text = await run(["buckets", dir]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^BUCKET\s+NAME\s+OBJECTS\s+WEBSITE/m);
    assert.match(text.out, /^s3dev-uploads-000000000000-us-east-1\s+uploads\s+0\s+-$/m);
  });

  test("with a running dev, counts objects, shows the website URL and buckets made through the API", async () => {
    const dev = await startS3DevApp();
    try {
      for (const key of ["a.html", "b.html", "c/d.html"]) {
        await dev.s3.send(new PutObjectCommand({ Bucket: dev.buckets.site, Key: key, Body: key }));
      }
      await dev.s3.send(new CreateBucketCommand({ Bucket: "made-by-a-script" }));
      const rows = await buckets(dev.dir);
      assert.equal(rows.site?.objects, 3);
      assert.equal(rows.site?.websiteUrl, dev.session.websiteUrls.site);
      assert.equal(rows.uploads?.websiteUrl, undefined);
      assert.equal(rows["made-by-a-script"]?.objects, 0);
      assert.equal(rows["made-by-a-script"]?.name, undefined);
      const text = await run(["buckets", dev.dir]);
      assert.match(text.out, /^made-by-a-script\s+\(api\)\s+0\s+-$/m);
      assert.match(
        text.out,
        new RegExp(`^s3dev-site-\\S+\\s+site\\s+3\\s+${dev.session.websiteUrls.site}$`, "m"),
      );
    } finally {
      await dev.close();
    }
  });
});
