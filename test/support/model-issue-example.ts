import { defineApp } from "../../src/model/define-app.ts";

/** The definition issue 2 gives as its contract, written as a user would (it must type-check). */
export function issueExample() {
  return defineApp({
    name: "pipeline",
    defaults: { runtime: "nodejs22.x", memorySize: 256, timeout: "30 seconds" },
    queues: {
      pages: { visibilityTimeout: "60 seconds", deadLetter: { maxReceiveCount: 3 } },
      renders: { fifo: true, contentBasedDeduplication: true },
    },
    functions: {
      ingest: {
        handler: "src/ingest.handler",
        routes: (error, result: { pages: { site: string }[] }) =>
          error ? [] : result.pages.map((p) => ({ to: "render", data: p, groupId: p.site })),
      },
      render: {
        handler: "src/render.handler",
        consumes: { queue: "renders", batchSize: 1, maxConcurrency: 2, reportBatchItemFailures: true },
        routes: "publish",
      },
      publish: { handler: "src/publish.handler" },
    },
  });
}
