/** examples/site's renderer and page helpers, pure: what its function writes into the `site` bucket. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderMarkdown, titleOf } from "../../examples/site/src/markdown.ts";
import { eventKey, href, indexPage, pageKey, postPage } from "../../examples/site/src/pages.ts";

describe("examples/site Markdown", () => {
  test("renders headings, paragraphs, emphasis, code, lists, quotes and rules", () => {
    const html = renderMarkdown(
      [
        "# Title",
        "",
        "Some *soft* and **bold** text",
        "over two lines with `a < b`.",
        "",
        "- one",
        "- two",
        "",
        "1. first",
        "2. second",
        "",
        "> quoted",
        "",
        "---",
        "",
        "```ts",
        "const x = <T>(y: T) => y;",
        "```",
      ].join("\n"),
    );
    assert.equal(
      html,
      [
        "<h1>Title</h1>",
        "<p>Some <em>soft</em> and <strong>bold</strong> text over two lines with <code>a &lt; b</code>.</p>",
        "<ul><li>one</li><li>two</li></ul>",
        "<ol><li>first</li><li>second</li></ol>",
        "<blockquote><p>quoted</p></blockquote>",
        "<hr>",
        '<pre><code class="language-ts">const x = &lt;T&gt;(y: T) =&gt; y;</code></pre>',
      ].join("\n"),
    );
  });

  test("escapes HTML and refuses links that could run script", () => {
    const html = renderMarkdown(
      '<script>alert(1)</script> [ok](https://example.com/?a=1&b="2") [bad](javascript:alert(1)) [rel](other.html)',
    );
    assert.ok(!html.includes("<script>"), html);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /<a href="https:\/\/example\.com\/\?a=1&amp;b=&quot;2&quot;">ok<\/a>/);
    assert.ok(!/href="javascript/i.test(html), html);
    assert.match(html, / bad /);
    assert.match(html, /<a href="other\.html">rel<\/a>/);
  });

  test("a post's title is its first heading", () => {
    assert.equal(titleOf("intro\n\n## Second post ##\n# later"), "Second post");
    assert.equal(titleOf("no heading"), undefined);
  });
});

describe("examples/site pages", () => {
  test("only posts/*.md have pages, at posts/*.html", () => {
    assert.equal(pageKey("posts/hello.md"), "posts/hello.html");
    assert.equal(pageKey("posts/a b/c.md"), "posts/a b/c.html");
    assert.equal(pageKey("posts/.md"), undefined);
    assert.equal(pageKey("drafts/hello.md"), undefined);
    assert.equal(pageKey("posts/notes.txt"), undefined);
  });

  test("decodes keys as S3 encodes them in events (form encoding: a space is +)", () => {
    assert.equal(eventKey("posts/second+post.md"), "posts/second post.md");
    assert.equal(eventKey("posts/c%2B%2B+%26+caf%C3%A9.md"), "posts/c++ & café.md");
  });

  test("the index lists posts newest first, linking each page by its encoded path", () => {
    const html = indexPage([
      { key: "posts/old.md", title: "Old", lastModified: new Date("2026-01-01T00:00:00Z") },
      { key: "posts/new one.md", title: "New <one>", lastModified: new Date("2026-02-01T00:00:00Z") },
    ]);
    assert.match(
      html,
      /<a href="posts\/new%20one\.html">New &lt;one&gt;<\/a> <time>2026-02-01<\/time>[\s\S]*Old/,
    );
    assert.equal(href("posts/a b+c.html"), "posts/a%20b%2Bc.html");
    assert.match(indexPage([]), /No posts yet/);
  });

  test("a post's page carries its title and links home relative to itself", () => {
    const html = postPage("Hello & welcome", "# Hello & welcome\n\nText.");
    assert.match(html, /<title>Hello &amp; welcome<\/title>/);
    assert.match(html, /<a href="\.\.\/">Home<\/a>/);
    assert.match(html, /<h1>Hello &amp; welcome<\/h1>\n<p>Text\.<\/p>/);
  });
});
