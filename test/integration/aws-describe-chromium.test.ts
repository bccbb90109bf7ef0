import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { CHROMIUM, launchChromium } from "../support/chromium.ts";
import { ROOT, sluice } from "../support/cli-process.ts";
import { copyApp } from "../support/temp.ts";

const PIPELINE_NODES = [
  "queue:pages",
  "dlq:pages-dlq",
  "queue:renders",
  "dlq:renders-dlq",
  "queue:failures",
  "function:ingest",
  "function:render",
  "function:publish",
  "function:submit",
];
/** The HTTP API and its one route, with the labels they are drawn with. */
const API_NODES = [
  ["api:http", "HTTP API"],
  ["route:http:POST /crawls", "POST /crawls"],
] as const;

describe("sluice describe in headless Chromium", () => {
  let browser: Browser;
  let out: string;
  const app = copyApp(join(ROOT, "examples", "pipeline"));

  before(async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `${CHROMIUM} is missing: install Debian's Chromium with \`apt-get install -y chromium\` (.ci/run does)`,
    );
    out = mkdtempSync(join(tmpdir(), "sluice-describe-"));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    app.cleanup();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  test("draws every function, queue and dead-letter queue and every edge, offline, with the template", async (t) => {
    const html = join(out, "pipeline.html");
    const result = await sluice(["describe", app.dir, "--out", html]);
    assert.equal(result.code, 0, result.stderr);
    const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(html).href);

    const svg = await page.locator("section.diagram svg").boundingBox();
    assert.ok(svg && svg.width > 0 && svg.height > 0, "the diagram is drawn");
    for (const id of PIPELINE_NODES) {
      const node = page.locator(`[data-node-id="${id}"]`);
      assert.equal(await node.count(), 1, `${id} is drawn once`);
      const box = await node.boundingBox();
      assert.ok(box && box.width > 100 && box.height > 30, `${id} has a visible box`);
      assert.ok(
        box.x >= svg.x && box.x + box.width <= svg.x + svg.width + 1,
        `${id} lies inside the diagram`,
      );
      assert.ok(
        box.y >= svg.y && box.y + box.height <= svg.y + svg.height + 1,
        `${id} lies inside the diagram`,
      );
      const label = id.slice(id.indexOf(":") + 1);
      assert.equal(await node.locator("text.label").textContent(), label);
    }
    for (const [id, label] of API_NODES) {
      const node = page.locator(`[data-node-id="${id}"]`);
      assert.equal(await node.count(), 1, `${id} is drawn once`);
      assert.equal(await node.locator("text.label").textContent(), label);
    }
    const nodes = await page.locator("[data-node-id]").count();
    assert.equal(nodes, PIPELINE_NODES.length + API_NODES.length, "nothing else is drawn");

    const edge = (from: string, to: string, kind: string) =>
      page.locator(`g.edge[data-edge-from="${from}"][data-edge-to="${to}"][data-kind="${kind}"] path`);
    for (const [from, to, kind] of [
      ["queue:pages", "function:ingest", "consumes"],
      ["queue:renders", "function:render", "consumes"],
      ["queue:pages", "dlq:pages-dlq", "dead-letter"],
      ["queue:renders", "dlq:renders-dlq", "dead-letter"],
      ["function:ingest", "queue:renders", "may-route"],
      ["function:render", "function:publish", "may-route"],
      ["function:render", "queue:failures", "may-route"],
      ["api:http", "route:http:POST /crawls", "serves"],
      ["route:http:POST /crawls", "function:submit", "invokes"],
    ] as const) {
      const path = edge(from, to, kind);
      assert.equal(await path.count(), 1, `edge ${from} → ${to} (${kind})`);
      const box = await path.boundingBox();
      assert.ok(box && box.width + box.height > 20, `edge ${from} → ${to} is visible`);
    }

    await page.locator("#template summary").click();
    const template = page.locator("#template pre");
    assert.ok(await template.isVisible(), "the template opens");
    const text = (await template.textContent()) ?? "";
    assert.ok(text.includes('"Type": "AWS::Lambda::EventSourceMapping"'));
    assert.ok(JSON.parse(text).Resources.RenderFunction, "the template shown is the whole JSON template");

    assert.deepEqual(
      requests.filter((url) => !url.startsWith("file:")),
      [],
      "the page loads nothing from the network",
    );
    await page.locator("#template summary").click();
    // Kept only when asked for (to look at it); otherwise it goes with the temp folder.
    const screenshot = join(process.env.SLUICE_SCREENSHOT_DIR ?? out, "describe-pipeline.png");
    await page.screenshot({ path: screenshot, fullPage: true });
    t.diagnostic(`screenshot: ${screenshot}`);
    await page.close();
  });
});
