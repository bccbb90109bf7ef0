/**
 * The console page (issue 20) in Debian's headless Chromium against a real `sluice dev` of the
 * console fixture app: the page may reach 127.0.0.1's endpoint and nothing else (every other
 * request is aborted and remembered), and its console errors are collected.
 */
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { renderAppSvg } from "../../src/aws/describe/render-html.ts";
import { type DevEvent, DevSession } from "../../src/dev/dev-session.ts";
import type { HopInput } from "../../src/local/traces/index.ts";
import { launchChromium } from "./chromium.ts";
import { ROOT } from "./cli-process.ts";
import { copyApp } from "./temp.ts";

export const CONSOLE_APP = join(ROOT, "test", "fixtures", "apps", "console");

export interface ConsoleRig {
  readonly session: DevSession;
  readonly consoleUrl: string;
  readonly browser: Browser;
  /** Requests the page tried beyond the endpoint's origin (each was aborted). */
  readonly outside: string[];
  /** Console errors and uncaught exceptions of every page opened. */
  readonly errors: string[];
  openPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function startConsoleRig(): Promise<ConsoleRig> {
  const app = copyApp(CONSOLE_APP, "sluice-console-");
  const events: DevEvent[] = [];
  const session = await DevSession.start({
    dir: app.dir,
    watch: false,
    // The drawing `sluice dev` gives the console: describe's, with `data-resource` on each node.
    consoleGraph: renderAppSvg,
    onEvent: (event) => events.push(event),
  });
  const ready = events.find((event) => event.type === "ready");
  if (ready?.type !== "ready" || ready.consoleUrl === undefined)
    throw new Error("dev started without a ready event naming the console's URL");
  const consoleUrl = ready.consoleUrl;
  const origin = new URL(session.url).origin;
  const browser = await launchChromium();
  const outside: string[] = [];
  const errors: string[] = [];
  return {
    session,
    consoleUrl,
    browser,
    outside,
    errors,
    async openPage() {
      const page = await browser.newPage();
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (new URL(url).origin === origin) return route.continue();
        outside.push(url);
        return route.abort();
      });
      page.on("console", (message) => {
        // Chromium asks for /favicon.ico on its own; the endpoint has none, and that is not the page's.
        if (message.type() === "error" && !message.location().url.endsWith("/favicon.ico"))
          errors.push(`${message.text()} (${message.location().url})`);
      });
      page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
      return page;
    },
    async close() {
      await browser.close();
      await session.close();
      app.cleanup();
    },
  };
}

/** Opens the console and waits for its first render (the list, the lists of the forms). */
export async function openConsole(rig: ConsoleRig): Promise<Page> {
  const page = await rig.openPage();
  await page.goto(rig.consoleUrl);
  await page.waitForSelector("body[data-ready=true]");
  return page;
}

/**
 * Records `count` one-hop traces straight into the dev's trace store, as a busy app would have: a
 * tenth of them failed, spread over `functions` targets, one a second of clock time back from now.
 */
export function fillTraces(session: DevSession, count: number, functions: readonly string[]): void {
  const cloud = session.localCloud;
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const startMs = now - (count - i) * 1000;
    const root = `1-${Math.floor(startMs / 1000)
      .toString(16)
      .padStart(8, "0")}-${i.toString(16).padStart(24, "0")}`;
    const hop: HopInput = {
      header: `Root=${root};Parent=${(i + 1).toString(16).padStart(16, "0")};Sampled=0`,
      kind: "invoke",
      source: "client",
      target: `function:${functions[i % functions.length]}`,
      startMs,
      durationMs: 5 + (i % 40),
      outcome: i % 10 === 0 ? "error" : "success",
      payload: JSON.stringify({ i }),
      requestId: `filled-${i}`,
    };
    cloud.traces.record(hop);
  }
}
