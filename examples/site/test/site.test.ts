/**
 * The site generator's behaviour through `sluice/testing`: Markdown put into the `content` bucket
 * with the S3 client a script would use, the pages read back from the `site` bucket. S3 invokes
 * `render` asynchronously and its reserved concurrency is 1, so renders it throttled are retried
 * by Lambda's asynchronous queue: `clock.advance` passes the retries' delays. `npm test` runs it;
 * `sluice dev`'s side (the website URL, Debian's `aws s3` commands) is tested in
 * test/integration/examples-site.test.ts.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { startApp, type TestApp } from "sluice/testing";

const APP = resolve(import.meta.dirname, "..");

interface Page {
  readonly type: string;
  readonly body: string;
}

describe("examples/site", () => {
  let app: TestApp;
  let s3: S3Client;
  let content: string;
  let site: string;

  beforeEach(async () => {
    app = await startApp(APP, { now: Date.UTC(2026, 0, 1) });
    s3 = new S3Client({
      endpoint: app.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    // Bucket names are physical (`site-content-<account>-<region>`): find them as a script would.
    const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name ?? "") ?? [];
    content = buckets.find((name) => name.startsWith("site-content-")) ?? "";
    site = buckets.find((name) => name.startsWith("site-site-")) ?? "";
    assert.ok(content && site, `the definition's buckets: ${buckets.join(", ")}`);
  });
  afterEach(async () => {
    s3?.destroy();
    await app?.close();
  });

  /** Puts a post and lets its render (and any retry due within a minute) finish. */
  const putPost = async (key: string, markdown: string) => {
    await s3.send(
      new PutObjectCommand({ Bucket: content, Key: key, Body: markdown, ContentType: "text/markdown" }),
    );
    await app.settle();
    // A second apart, so the index's newest-first order is the order of the puts.
    await app.clock.advance("1s");
  };
  const page = async (key: string): Promise<Page | undefined> => {
    try {
      const got = await s3.send(new GetObjectCommand({ Bucket: site, Key: key }));
      return { type: got.ContentType ?? "", body: (await got.Body?.transformToString("utf-8")) ?? "" };
    } catch (error) {
      if ((error as { name?: string }).name === "NoSuchKey") return undefined;
      throw error;
    }
  };
  const renders = () => app.logs("render").filter((line) => /Object(Created|Removed):/.test(line));

  test("a post put in content becomes a page in site, listed on the index", async () => {
    await putPost("posts/hello.md", "# Hello\n\nFirst *post*, with `code`.\n");
    const hello = await page("posts/hello.html");
    assert.ok(hello, "the page of posts/hello.md");
    assert.match(hello.type, /^text\/html/);
    assert.match(hello.body, /<title>Hello<\/title>/);
    assert.match(hello.body, /<h1>Hello<\/h1>\n<p>First <em>post<\/em>, with <code>code<\/code>\.<\/p>/);
    const index = await page("index.html");
    assert.match(index?.body ?? "", /<a href="posts\/hello\.html">Hello<\/a>/);
    assert.match((await page("404.html"))?.body ?? "", /<h1>Not found<\/h1>/, "the error document");
  });

  test("a post whose key has a space gets its page: the function decodes the event's key", async () => {
    await putPost("posts/hello.md", "# Hello\n");
    await putPost("posts/second post.md", "# Second post\n\n- one\n- two\n");
    const second = await page("posts/second post.html");
    assert.match(second?.body ?? "", /<h1>Second post<\/h1>\n<ul><li>one<\/li><li>two<\/li><\/ul>/);
    const index = (await page("index.html"))?.body ?? "";
    assert.match(index, /href="posts\/second%20post\.html"/);
    assert.match(index, /Second post[\s\S]*Hello/, "newest first");
    // S3 sent the key URL-encoded; the function logged it decoded.
    assert.ok(
      renders().some((line) => line.includes("ObjectCreated:Put posts/second post.md")),
      `${renders()}`,
    );
  });

  test("updating a post re-renders its page and its title on the index", async () => {
    await putPost("posts/hello.md", "# Hello\n");
    await putPost("posts/hello.md", "# Hello again\n\nEdited.\n");
    const hello = (await page("posts/hello.html"))?.body ?? "";
    assert.match(hello, /<h1>Hello again<\/h1>/);
    assert.match(hello, /<p>Edited\.<\/p>/);
    assert.match((await page("index.html"))?.body ?? "", />Hello again<\/a>/);
  });

  test("only posts/*.md invoke the function: other keys in the content bucket trigger nothing", async () => {
    await putPost("drafts/later.md", "# Later\n");
    await putPost("posts/notes.txt", "not a post\n");
    assert.deepEqual(renders(), []);
    assert.deepEqual(app.traces({ resource: "function:render" }), []);
    await putPost("posts/third.md", "# Third\n");
    assert.ok(await page("posts/third.html"));
    assert.equal(await page("drafts/later.html"), undefined);
  });

  test("six posts put at once all get their page and reach the index, one render at a time", async () => {
    const names = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
    await Promise.all(
      names.map((name) =>
        s3.send(
          new PutObjectCommand({ Bucket: content, Key: `posts/${name}.md`, Body: `# Batch ${name}\n` }),
        ),
      ),
    );
    // Renders that found `render` busy were throttled; Lambda retries them after a delay.
    await app.clock.advance("5 minutes");
    const index = (await page("index.html"))?.body ?? "";
    for (const name of names) {
      assert.match(index, new RegExp(`href="posts/${name}\\.html">Batch ${name}</a>`));
      assert.ok(await page(`posts/${name}.html`), `the page of posts/${name}.md`);
    }
    assert.equal(
      renders().filter((line) => line.includes("ObjectCreated:Put")).length,
      names.length,
      "every event rendered once",
    );
  });

  test("deleting a post removes its page and drops it from the index", async () => {
    await putPost("posts/hello.md", "# Hello\n");
    await putPost("posts/third.md", "# Third\n");
    await s3.send(new DeleteObjectCommand({ Bucket: content, Key: "posts/hello.md" }));
    await app.settle();
    assert.equal(await page("posts/hello.html"), undefined);
    const index = (await page("index.html"))?.body ?? "";
    assert.doesNotMatch(index, /posts\/hello\.html/);
    assert.match(index, /posts\/third\.html/);
    assert.ok(
      renders().some((line) => line.includes("ObjectRemoved:Delete posts/hello.md")),
      `${renders()}`,
    );
  });

  test("the function stays within its permissions and never fails", async () => {
    await putPost("posts/hello.md", "# Hello\n");
    await s3.send(new DeleteObjectCommand({ Bucket: content, Key: "posts/hello.md" }));
    await app.settle();
    assert.deepEqual(app.traces({ failed: true }), []);
    const trouble = app
      .logs("render")
      .filter((line) => /AccessDenied|denied|\bERROR\b|Task timed out/i.test(line));
    assert.deepEqual(trouble, []);
  });
});
