/**
 * The console's page: plain files (no build step) in `assets/` beside this module, which
 * scripts/build.mjs copies to dist, so the same path works from src (tsx) and from dist. They are
 * read once, when the server starts: a request never touches the file system, and a package
 * missing them fails at start with a message saying so rather than with 404s in the browser.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SluiceError } from "../../model/errors.ts";

/**
 * The files the page is made of, by the name it asks for them under: a constant table, so no part
 * of a request's path ever becomes a file path. console.js is the entry module; it imports the
 * other scripts (`<script type="module">`); the stylesheets are linked in this order.
 */
export const CONSOLE_FILES = {
  "console.html": "text/html; charset=utf-8",
  "console.css": "text/css; charset=utf-8",
  "traces.css": "text/css; charset=utf-8",
  "actions.css": "text/css; charset=utf-8",
  "console.js": "text/javascript; charset=utf-8",
  "api.js": "text/javascript; charset=utf-8",
  "dom.js": "text/javascript; charset=utf-8",
  "graph.js": "text/javascript; charset=utf-8",
  "list.js": "text/javascript; charset=utf-8",
  "timeline.js": "text/javascript; charset=utf-8",
  "actions.js": "text/javascript; charset=utf-8",
} as const;

export type ConsoleFile = keyof typeof CONSOLE_FILES;

export type ConsoleAssets = Readonly<Record<ConsoleFile, Buffer>>;

/**
 * The folder beside this module: src/local/console/assets when run from source. From dist this
 * module is bundled into an entry (dist/cli.js) or a chunk (dist/chunks/), and the build copies
 * the folder to dist/local/console/assets: the first of these that exists.
 */
export function consoleAssetsDir(): string {
  const candidates = ["./assets/", "./local/console/assets/", "../local/console/assets/"].map((path) =>
    fileURLToPath(new URL(path, import.meta.url)),
  );
  return candidates.find((dir) => existsSync(join(dir, "console.html"))) ?? (candidates[0] as string);
}

/** Reads every file of the page; throws SLUICE_CONSOLE_ASSETS_MISSING naming the ones it lacks. */
export function loadConsoleAssets(dir = consoleAssetsDir()): ConsoleAssets {
  const files: Partial<Record<ConsoleFile, Buffer>> = {};
  const missing: string[] = [];
  for (const name of Object.keys(CONSOLE_FILES) as ConsoleFile[]) {
    try {
      files[name] = readFileSync(join(dir, name));
    } catch {
      missing.push(name);
    }
  }
  if (missing.length > 0) {
    throw new SluiceError(
      "SLUICE_CONSOLE_ASSETS_MISSING",
      `the console's files ${missing.join(", ")} are missing from ${dir}: this Sluice package is incomplete (a build copies src/local/console/assets to dist; rebuild or reinstall it)`,
    );
  }
  return files as ConsoleAssets;
}
