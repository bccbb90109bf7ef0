/**
 * The site's pages: where a post's page lives in the `site` bucket, and the HTML of a post, the
 * index that lists the posts, and the error document.
 */
import { escapeHtml, renderMarkdown } from "./markdown.ts";

/** Where the posts are in `content`, and their pages in `site`. */
export const POSTS_PREFIX = "posts/";
export const POST_SUFFIX = ".md";
/** The website's index and error documents (the `site` bucket's website configuration). */
export const INDEX_PAGE = "index.html";
export const ERROR_PAGE = "404.html";

/** A post listed on the index page. */
export interface PostSummary {
  /** The post's key in `content`. */
  readonly key: string;
  readonly title: string;
  readonly lastModified: Date;
}

/** `posts/hello world.md` → `posts/hello world.html`; undefined for keys that are not posts. */
export function pageKey(postKey: string): string | undefined {
  if (!postKey.startsWith(POSTS_PREFIX) || !postKey.endsWith(POST_SUFFIX)) return undefined;
  const name = postKey.slice(POSTS_PREFIX.length, -POST_SUFFIX.length);
  return name === "" ? undefined : `${POSTS_PREFIX}${name}.html`;
}

/**
 * The key of an object in an S3 event record: S3 URL-encodes it in the form encoding (a space
 * becomes `+`), so it is decoded before any call uses it.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
export function eventKey(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, " "));
}

/** A page's URL path relative to the site's root, each segment percent-encoded. */
export function href(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}

function layout(title: string, body: string, root: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
</head>
<body>
<nav><a href="${root}">Home</a></nav>
<main>
${body}
</main>
</body>
</html>
`;
}

/** A post's page; links back to the index relative to the page, so the site works under any URL. */
export function postPage(title: string, markdown: string): string {
  return layout(title, `<article>\n${renderMarkdown(markdown)}\n</article>`, "../");
}

/** The index: every post, newest first. */
export function indexPage(posts: readonly PostSummary[]): string {
  const items = [...posts]
    .sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime() || a.key.localeCompare(b.key))
    .map((post) => {
      const page = pageKey(post.key) ?? "";
      const date = post.lastModified.toISOString().slice(0, 10);
      return `<li><a href="${escapeHtml(href(page))}">${escapeHtml(post.title)}</a> <time>${date}</time></li>`;
    });
  const list = items.length > 0 ? `<ul class="posts">\n${items.join("\n")}\n</ul>` : "<p>No posts yet.</p>";
  return layout("Posts", `<h1>Posts</h1>\n${list}`, "./");
}

/** The error document: S3's website serves it with the 4xx status of a failed request. */
export function errorPage(): string {
  return layout("Not found", "<h1>Not found</h1>\n<p>There is no page here.</p>", "/");
}

/** A post's title: its first heading, or its file name. */
export function fallbackTitle(postKey: string): string {
  return postKey.slice(POSTS_PREFIX.length).replace(/\.md$/, "");
}
