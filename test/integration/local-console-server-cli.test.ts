/**
 * `sluice dev` (the built CLI, from dist/) prints the console's URL in its banner, and the page
 * and its drawing load from it: dist holds the page's files (scripts/build.mjs copies them) and
 * the bundled module finds them.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CONSOLE_CSP } from "../../src/local/console/index.ts";
import { startDev } from "../support/cli-process.ts";
import { CONSOLE_APP } from "../support/console-page.ts";
import { copyApp } from "../support/temp.ts";

describe("sluice dev's console URL", { timeout: 120_000 }, () => {
  test("the banner prints it, and the page and its graph answer there", async (t) => {
    const app = copyApp(CONSOLE_APP);
    const dev = await startDev(app.dir);
    t.after(async () => {
      await dev.stop();
      app.cleanup();
    });
    const line = await dev.waitForLine(
      /^ {2}console {11}http:\/\/127\.0\.0\.1:\d+\/_sluice\/console\/[\w-]{43}\/$/,
    );
    const url = line.trim().split(/\s+/)[1] as string;
    const page = await fetch(url, { headers: { "sec-fetch-site": "none" } });
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("content-security-policy"), CONSOLE_CSP);
    assert.match(await page.text(), /<html/i);
    const svg = await (await fetch(`${url}graph.svg`)).text();
    assert.match(svg, /data-resource="function:work"/);
    const script = await fetch(`${url}console.js`);
    assert.equal(script.status, 200);
  });
});
