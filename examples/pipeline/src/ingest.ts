import type { SQSEvent } from "aws-lambda";
import type { CrawlRequest, Page } from "./page.ts";

/** Turns crawl requests into one page each; the routing function in the definition fans them out. */
export async function handler(event: SQSEvent): Promise<{ pages: Page[] }> {
  const pages: Page[] = [];
  for (const record of event.Records) {
    const request = JSON.parse(record.body) as CrawlRequest;
    for (const path of request.paths) pages.push({ site: request.site, path });
  }
  console.log(`ingested ${pages.length} page(s)`);
  return { pages };
}
