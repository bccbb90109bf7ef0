/**
 * examples/site end to end in a real `sluice dev --iam enforce`: Markdown uploaded to the content
 * bucket with Debian's `aws s3 cp` and with @aws-sdk/client-s3 becomes pages on the website URL
 * dev prints; an update re-renders, a delete removes the page (404 with the error document).
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DeleteObjectCommand, ListBucketsCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
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
  const putPost = (key: string, markdown: string) =>
    s3.send(
      new PutObjectCommand({ Bucket: content, Key: key, Body: markdown, ContentType: "text/markdown" }),
    );

  test("a post uploaded with `aws s3 cp` becomes a page on the website, listed on the index", async () => {
    const file = join(cli.home, "hello.md");
    writeFileSync(file, "# Hello\n\nFirst *post*, with `code`.\n");
    const copied = await cli.run("s3", "cp", file, `s3://${content}/posts/hello.md`);
    assert.equal(copied.code, 0, copied.stderr);

    const page = await pageWhen("/posts/hello.html", (p) => p.status === 200, "the page of posts/hello.md");
    assert.match(page.type, /^text\/html/);
    assert.match(page.body, /<title>Hello<\/title>/);
    assert.match(page.body, /<h1>Hello<\/h1>\n<p>First <em>post<\/em>, with <code>code<\/code>\.<\/p>/);

    // The index is written after the page: wait for it too.
    const index = await pageWhen("/", (p) => p.status === 200, "the index");
    assert.match(index.type, /^text\/html/);
    assert.match(index.body, /<a href="posts\/hello\.html">Hello<\/a>/);
  });

  test("a post whose key has a space, put with the SDK, gets its page: the function decodes the event's key", async () => {
    await putPost("posts/second post.md", "# Second post\n\n- one\n- two\n");
    const page = await pageWhen(
      "/posts/second%20post.html",
      (p) => p.status === 200,
      "the page of posts/second post.md",
    );
    assert.match(page.body, /<h1>Second post<\/h1>\n<ul><li>one<\/li><li>two<\/li><\/ul>/);
    const index = await pageWhen(
      "/index.html",
      (p) => p.body.includes("posts/second%20post.html"),
      "the index to list the second post",
    );
    assert.match(index.body, /Second post[\s\S]*Hello/, "newest first");
    // The event carried the key URL-encoded, as S3 sends it; the function logged it decoded.
    await dev.waitForLine(/ObjectCreated:Put posts\/second post\.md/);
  });

  test("updating a post re-renders its page and its title on the index", async () => {
    await putPost("posts/hello.md", "# Hello again\n\nEdited.\n");
    const page = await pageWhen(
      "/posts/hello.html",
      (p) => p.body.includes("<h1>Hello again</h1>"),
      "the page of posts/hello.md to show the edit",
    );
    assert.match(page.body, /<p>Edited\.<\/p>/);
    await pageWhen("/", (p) => p.body.includes(">Hello again</a>"), "the index to show the new title");
  });

  test("only posts/*.md invoke the function: other keys in the content bucket trigger nothing", async () => {
    await putPost("drafts/later.md", "# Later\n");
    await putPost("posts/notes.txt", "not a post\n");
    await putPost("posts/third.md", "# Third\n");
    await pageWhen("/posts/third.html", (p) => p.status === 200, "the page of posts/third.md");
    const render = dev.lines.filter((l) => l.includes("ObjectCreated:"));
    assert.ok(!render.some((l) => /drafts\/later\.md|posts\/notes\.txt/.test(l)), render.join("\n"));
    assert.equal((await get("/drafts/later.html")).status, 404);
  });

  test("a folder of posts uploaded at once (`aws s3 cp --recursive`) all reach the index, one render at a time", async () => {
    const folder = join(cli.home, "batch");
    mkdirSync(folder);
    const names = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
    for (const name of names) writeFileSync(join(folder, `${name}.md`), `# Batch ${name}\n\nText.\n`);
    const copied = await cli.run("s3", "cp", folder, `s3://${content}/posts/`, "--recursive");
    assert.equal(copied.code, 0, copied.stderr);
    // The CLI uploads in parallel; renders that found `render` busy (reserved concurrency 1) are
    // throttled and retried by the asynchronous invocation queue, so every post still lands.
    const index = await pageWhen(
      "/",
      (p) => names.every((name) => p.body.includes(`>Batch ${name}</a>`)),
      "the index to list all six posts",
    );
    for (const name of names) assert.match(index.body, new RegExp(`href="posts/${name}\\.html"`));
    // The index lists what the content bucket holds, so a render for one post can list a post whose
    // own (throttled, retried) render has not run yet: wait for each page too.
    for (const name of names) {
      await pageWhen(`/posts/${name}.html`, (p) => p.status === 200, `the page of posts/${name}.md`);
    }
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

    // Deleting through the SDK too: the last post's page goes the same way.
    await s3.send(new DeleteObjectCommand({ Bucket: content, Key: "posts/third.md" }));
    await pageWhen("/posts/third.html", (p) => p.status === 404, "the page of posts/third.md to go");
    // dev writes function logs in batches (a pipe is not a terminal), so the line may follow the page.
    await dev.waitForLine(/ObjectRemoved:Delete posts\/third\.md/);
  });

  test("the function stayed within its permissions and never failed", () => {
    const trouble = dev.lines.filter((l) =>
      /AccessDenied|denied|\bERROR\b|Task timed out|recursive loop/i.test(l),
    );
    assert.deepEqual(trouble, [], dev.lines.join("\n"));
  });
});
