/**
 * examples/site end to end in a real `sluice dev --iam enforce`: Markdown uploaded to the content
 * bucket with Debian's `aws s3 cp` becomes a page on the website URL dev prints; `aws s3 rm`
 * removes it (404 with the error document). What the app does with each post (decoded keys,
 * updates, the index, throttled renders, permissions) is tested with `sluice/testing` in
 * examples/site/test/site.test.ts; here, dev's website serving and the AWS CLI against dev.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { type AwsCli, awsCli } from "../support/aws-cli.ts";
import { type DevProcess, ROOT, startDev } from "../support/cli-process.ts";
import { clientConfig } from "../support/endpoint.ts";
import { eventually } from "../support/poll.ts";
import { copyApp } from "../support/temp.ts";

interface Page {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

describe("examples/site end to end in a real `sluice dev`", () => {
  let app: ReturnType<typeof copyApp>;
  let dev: DevProcess;
  let website: string;
  let s3: S3Client;
  let cli: AwsCli;
  let content: string;
  let site: string;

  before(async () => {
    app = copyApp(join(ROOT, "examples", "site"));
    dev = await startDev(app.dir, { args: ["--iam", "enforce"] });
    // The banner's lines may arrive after the "ready" line startDev waits for.
    await dev.waitForLine(/AWS endpoint\s+http/);
    await dev.waitForLine(/website.*http:\/\//i);
    const text = dev.lines.join("\n");
    const endpoint = /AWS endpoint\s+(http:\/\/\S+)/.exec(text)?.[1] ?? "";
    // The banner names the website bucket and its URL on one line.
    website = (/website.*?(http:\/\/[^\s)]+)/i.exec(text)?.[1] ?? "").replace(/\/$/, "");
    assert.ok(endpoint && website, `dev prints the AWS endpoint and the website URL:\n${text}`);
    s3 = new S3Client(clientConfig(endpoint));
    cli = awsCli(endpoint);
    const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name ?? "") ?? [];
    content = buckets.find((name) => name.startsWith("site-content-")) ?? "";
    site = buckets.find((name) => name.startsWith("site-site-")) ?? "";
    assert.ok(content && site, `dev makes the definition's buckets: ${buckets.join(", ")}`);
  });

  after(async () => {
    s3?.destroy();
    cli?.cleanup();
    await dev?.stop();
    app?.cleanup();
  });

  const get = async (path: string): Promise<Page> => {
    const response = await fetch(`${website}${path}`, { redirect: "manual" });
    return {
      status: response.status,
      type: response.headers.get("content-type") ?? "",
      body: await response.text(),
    };
  };
  /** The page at `path` once `ready` holds for it (pages appear after the asynchronous render). */
  const pageWhen = (path: string, ready: (page: Page) => boolean, what: string) =>
    eventually(
      async () => {
        const page = await get(path);
        return ready(page) ? page : undefined;
      },
      what,
      { detail: () => dev.lines.slice(-30).join("\n") },
    );

  test("a post uploaded with `aws s3 cp` becomes a page on the website, listed on the index", async () => {
    const file = join(cli.home, "hello.md");
    writeFileSync(file, "# Hello\n\nFirst *post*, with `code`.\n");
    const copied = await cli.run("s3", "cp", file, `s3://${content}/posts/hello.md`);
    assert.equal(copied.code, 0, copied.stderr);

    const page = await pageWhen("/posts/hello.html", (p) => p.status === 200, "the page of posts/hello.md");
    assert.match(page.type, /^text\/html/);
    assert.match(page.body, /<h1>Hello<\/h1>/);

    // The index is written after the page: wait for it too.
    const index = await pageWhen("/", (p) => p.status === 200, "the index");
    assert.match(index.type, /^text\/html/);
    assert.match(index.body, /<a href="posts\/hello\.html">Hello<\/a>/);
  });

  test("deleting a post with `aws s3 rm` removes its page: 404 with the error document, gone from the index", async () => {
    const removed = await cli.run("s3", "rm", `s3://${content}/posts/hello.md`);
    assert.equal(removed.code, 0, removed.stderr);
    const gone = await pageWhen(
      "/posts/hello.html",
      (p) => p.status === 404,
      "the page of posts/hello.md to go",
    );
    assert.match(gone.type, /^text\/html/);
    assert.match(gone.body, /<h1>Not found<\/h1>/, "the bucket's error document, 404.html");
    await pageWhen("/", (p) => !p.body.includes("posts/hello.html"), "the index to drop the deleted post");
    // dev writes function logs in batches (a pipe is not a terminal), so the line may follow the page.
    await dev.waitForLine(/ObjectRemoved:Delete posts\/hello\.md/);
  });
});
