import { defineApp } from "sluice";

/**
 * The static-site generator from the reactive-apps article (hugo-lambda): Markdown posts uploaded
 * to the `content` bucket invoke `render`, which writes each post's HTML page and the index that
 * lists them into the `site` bucket, served as a website. Deleting a post removes its page.
 */
export default defineApp({
  name: "site",
  defaults: { runtime: "nodejs22.x", memorySize: 256, timeout: "30 seconds" },
  buckets: {
    content: {
      events: [
        {
          function: "render",
          on: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
          prefix: "posts/",
          suffix: ".md",
        },
      ],
    },
    // The website: `/` serves index.html, a missing page 404.html (both written by `render`).
    site: { website: { index: "index.html", error: "404.html" } },
  },
  functions: {
    render: {
      handler: "src/render.handler",
      // One render at a time: each reads the posts as they are when it starts, so the last one to
      // run always writes the index from the latest state. S3 invokes it asynchronously, and
      // Lambda retries an invocation it throttled, so no event is lost to the limit.
      reservedConcurrency: 1,
      permissions: [
        // ListBucket too, so a post deleted before its render reads as NoSuchKey rather than 403.
        { actions: ["s3:GetObject", "s3:ListBucket"], resources: ["bucket:content"] },
        { actions: ["s3:PutObject", "s3:DeleteObject"], resources: ["bucket:site"] },
      ],
    },
  },
});
