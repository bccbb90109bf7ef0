/**
 * Debian's `aws s3` against `sluice dev`'s endpoint, unmodified: cp, ls, sync and rm on the
 * definition's bucket, and a website that serves what `aws s3 sync` uploaded.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type AwsCli, awsCli } from "../support/aws-cli.ts";
import { type S3DevApp, startS3DevApp } from "../support/s3-dev.ts";

describe("aws s3 against sluice dev", () => {
  let app: S3DevApp;
  let aws: AwsCli;
  before(async () => {
    app = await startS3DevApp();
    aws = awsCli(app.url);
  });
  after(async () => {
    aws?.cleanup();
    await app?.close();
  });

  test("cp up and down, ls, rm", async () => {
    const file = join(aws.home, "note.txt");
    writeFileSync(file, "a note");
    const up = await aws.run("s3", "cp", file, `s3://${app.buckets.uploads}/notes/note.txt`);
    assert.equal(up.code, 0, up.stderr);
    const listed = await aws.run("s3", "ls", `s3://${app.buckets.uploads}/notes/`);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /\s6 note\.txt/);
    const buckets = await aws.run("s3", "ls");
    assert.match(buckets.stdout, new RegExp(app.buckets.uploads));
    assert.match(buckets.stdout, new RegExp(app.buckets.site));
    const back = join(aws.home, "back.txt");
    const down = await aws.run("s3", "cp", `s3://${app.buckets.uploads}/notes/note.txt`, back);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(readFileSync(back, "utf8"), "a note");
    const removed = await aws.run("s3", "rm", `s3://${app.buckets.uploads}/notes/note.txt`);
    assert.equal(removed.code, 0, removed.stderr);
    const empty = await aws.run("s3", "ls", `s3://${app.buckets.uploads}/notes/`);
    assert.doesNotMatch(empty.stdout, /note\.txt/);
  });

  test("sync a folder to the website bucket, then serve it; sync --delete and rm --recursive", async () => {
    const folder = join(aws.home, "public");
    mkdirSync(join(folder, "blog"), { recursive: true });
    writeFileSync(join(folder, "index.html"), "<h1>synced</h1>");
    writeFileSync(join(folder, "blog", "index.html"), "<h1>blog</h1>");
    writeFileSync(join(folder, "404.html"), "<h1>lost</h1>");
    const synced = await aws.run("s3", "sync", folder, `s3://${app.buckets.site}/`);
    assert.equal(synced.code, 0, synced.stderr);
    const site = app.session.websiteUrls.site ?? "";
    const home = await fetch(site);
    assert.equal(await home.text(), "<h1>synced</h1>");
    assert.equal(
      home.headers.get("content-type"),
      "text/html",
      "the CLI guesses the type from the extension",
    );
    assert.equal(await (await fetch(`${site}blog/`)).text(), "<h1>blog</h1>");
    writeFileSync(join(folder, "index.html"), "<h1>again</h1>");
    const again = await aws.run("s3", "sync", folder, `s3://${app.buckets.site}/`, "--delete");
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await (await fetch(site)).text(), "<h1>again</h1>");
    const all = await aws.run("s3", "rm", `s3://${app.buckets.site}/`, "--recursive");
    assert.equal(all.code, 0, all.stderr);
    assert.equal((await fetch(site)).status, 404);
  });
});
