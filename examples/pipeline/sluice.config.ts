import { defineApp } from "sluice";
import type { Page } from "./src/page.ts";

/**
 * A content pipeline: crawl requests arrive on `pages`; `ingest` splits them into pages and
 * routes each to `render` through the FIFO `renders` queue (one message group per site, so a
 * site's pages render in order); `render` runs at most 2 at a time and routes its result to
 * `publish`. A page that fails to render is recorded in `failures` on every attempt and, after
 * 3 receives, parked in the renders dead-letter queue for `sluice redrive`. `submit` takes crawl
 * requests over HTTP (`POST /crawls`) and queues them on `pages` with the plain AWS SDK.
 */
export default defineApp({
  name: "pipeline",
  defaults: { runtime: "nodejs22.x", memorySize: 256, timeout: "30 seconds" },
  queues: {
    pages: { visibilityTimeout: "60 seconds", deadLetter: { maxReceiveCount: 3 } },
    renders: {
      fifo: true,
      contentBasedDeduplication: true,
      visibilityTimeout: "30 seconds",
      deadLetter: { maxReceiveCount: 3 },
    },
    failures: { retention: "14 days" },
  },
  functions: {
    ingest: {
      handler: "src/ingest.handler",
      consumes: { queue: "pages", batchSize: 10 },
      routes: (error, result: { pages: Page[] }) =>
        error ? [] : result.pages.map((page) => ({ to: "render", data: page, groupId: page.site })),
      // Where the routing function may send: its role reaches only these (synth warns without it).
      routesTo: ["render"],
    },
    render: {
      handler: "src/render.handler",
      consumes: { queue: "renders", batchSize: 1, maxConcurrency: 2, reportBatchItemFailures: true },
      routes: (error, result) =>
        error
          ? [
              {
                to: "failures",
                data: { stage: "render", error: error.message, at: new Date().toISOString() },
              },
            ]
          : [{ to: "publish", data: result }],
      routesTo: ["failures", "publish"],
    },
    publish: { handler: "src/publish.handler", reservedConcurrency: 5 },
    submit: {
      handler: "src/submit.handler",
      http: "POST /crawls",
      permissions: [{ actions: ["sqs:SendMessage"], resources: ["queue:pages"] }],
    },
  },
});
