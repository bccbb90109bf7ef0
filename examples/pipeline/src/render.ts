import type { SQSEvent } from "aws-lambda";
import type { Page, RenderedPage } from "./page.ts";

/**
 * Renders one page (the mapping's batch size is 1). A path containing "poison" always fails, to
 * show retries, the failures queue and the dead-letter queue.
 */
export async function handler(event: SQSEvent): Promise<RenderedPage> {
  const record = event.Records[0];
  if (!record) throw new Error("empty batch");
  const page = JSON.parse(record.body) as Page;
  if (page.path.includes("poison")) throw new Error(`cannot render ${page.site}${page.path}`);
  const html = `<!doctype html><title>${page.site}${page.path}</title><h1>${page.path}</h1>`;
  console.log(`rendered ${page.site}${page.path}`);
  return { ...page, html };
}
