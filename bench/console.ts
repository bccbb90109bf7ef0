/**
 * `npm run bench -- console`: the console page in headless Chromium against a real `sluice dev` of
 * the console fixture, with 0 traces recorded and then with 10,000 (recorded straight into dev's
 * trace store), in the same run: time from navigation to the first list render, and from choosing
 * a filter to the filtered list rendered. Each figure is the median of RUNS page loads / filter
 * changes; the 0-trace figures are the baseline.
 */
import type { Page } from "playwright-core";
import { type ConsoleRig, fillTraces, openConsole, startConsoleRig } from "../test/support/console-page.ts";
import { fmt, median } from "./stats.ts";

const RUNS = 7;
const TRACES = 10_000;

interface PageDocument {
  readonly body: { getAttribute(name: string): string | null };
  getElementById(id: string): { value: string; dispatchEvent(event: Event): boolean };
}

interface Figures {
  readonly firstList: number;
  readonly filter: number;
  readonly rows: number;
}

/** Navigation to the list's first render (the page marks it), then on to every part loaded. */
async function timeFirstList(rig: ConsoleRig): Promise<{ ms: number; page: Page }> {
  const page = await rig.openPage();
  const started = performance.now();
  await page.goto(rig.consoleUrl);
  await page.waitForSelector("body[data-listed=true]");
  const ms = performance.now() - started;
  await page.waitForSelector("body[data-ready=true]");
  return { ms, page };
}

/** Choosing "failed" (and back) to the list rendered again, timed inside the page. */
async function timeFilter(page: Page, outcome: "failed" | "all"): Promise<number> {
  return page.evaluate(async (value) => {
    // Only what this reads of the DOM: this project's types have no DOM lib.
    const doc = (globalThis as unknown as { document: PageDocument }).document;
    const view = globalThis as unknown as { requestAnimationFrame(run: () => void): void };
    const select = doc.getElementById("filter-outcome");
    const started = performance.now();
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    // The list is loading from the change event on; it settles when the render has run. (No
    // named functions in here: the bundler would wrap them in a helper the page does not have.)
    while (doc.body.getAttribute("data-loading") !== "")
      await new Promise((done) => view.requestAnimationFrame(() => done(undefined)));
    return performance.now() - started;
  }, outcome);
}

async function measure(rig: ConsoleRig): Promise<Figures> {
  const loads: number[] = [];
  const filters: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const { ms, page } = await timeFirstList(rig);
    loads.push(ms);
    rows = await page.locator("#traces-body tr").count();
    filters.push(await timeFilter(page, "failed"));
    filters.push(await timeFilter(page, "all"));
    await page.close();
  }
  return { firstList: median(loads), filter: median(filters), rows };
}

export async function run(): Promise<void> {
  const rig = await startConsoleRig();
  try {
    await (await openConsole(rig)).close(); // warm: the first page pays Chromium's own start
    const empty = await measure(rig);
    const filled = performance.now();
    fillTraces(rig.session, TRACES, ["work", "greet"]);
    const fillMs = performance.now() - filled;
    const full = await measure(rig);
    console.log(`console fixture in sluice dev, headless Chromium, ${RUNS} page loads each, medians`);
    console.log(`recording ${TRACES} one-hop traces straight into the store: ${fmt(fillMs)}`);
    console.log("| | first list render | filter applied | rows rendered |");
    console.log("| --- | --- | --- | --- |");
    console.log(`| baseline: 0 traces | ${fmt(empty.firstList)} | ${fmt(empty.filter)} | ${empty.rows} |`);
    console.log(
      `| ${TRACES} traces | ${fmt(full.firstList)} (${(full.firstList / empty.firstList).toFixed(1)}×) | ${fmt(full.filter)} (${(full.filter / Math.max(empty.filter, 0.001)).toFixed(1)}×) | ${full.rows} |`,
    );
    if (rig.errors.length > 0) console.log(`console errors: ${rig.errors.join("; ")}`);
    if (rig.outside.length > 0) console.log(`requests beyond the endpoint: ${rig.outside.join(", ")}`);
  } finally {
    await rig.close();
  }
}
