import type { RenderedPage } from "./page.ts";

/** Invoked asynchronously with each rendered page (publish consumes no queue). */
export async function handler(page: RenderedPage): Promise<{ published: string }> {
  const url = `https://${page.site}${page.path}`;
  console.log(`published ${url} (${page.html.length} bytes)`);
  return { published: url };
}
