/**
 * Builds kept for the life of the process, by app folder: the test kit starts the same app again
 * and again (one `startApp` per test), and loading the definition and bundling ten functions with
 * esbuild costs far more than the 100 ms a start may take. A build is reused only while every file
 * it read (the definition, what it imports, each bundle's inputs) has the size and mtime it had.
 *
 * The builds live in `<app>/.sluice/test-builds/<pid>-…/`, beside the app so that bundles resolve
 * the app's own packages as dev's do, and are removed when the process exits.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { FunctionBundle } from "../bundle/bundle-functions.ts";
import type { LoadedApp } from "../bundle/load-app.ts";

export interface CachedBuild {
  readonly app: LoadedApp;
  readonly bundles: readonly FunctionBundle[];
}

interface Entry extends CachedBuild {
  /** `size:mtimeMs` of each file the build read, by absolute path. */
  readonly stamps: ReadonlyMap<string, string>;
}

const builds = new Map<string, Entry>();
const folders = new Set<string>();
let cleanupArmed = false;

/** The build of the app in `dir` when none of its inputs changed since it was made. */
export function cachedBuild(dir: string): CachedBuild | undefined {
  const entry = builds.get(resolve(dir));
  if (!entry) return undefined;
  for (const [file, stamp] of entry.stamps) {
    if (stampOf(file) !== stamp) {
      builds.delete(resolve(dir));
      return undefined;
    }
  }
  return entry;
}

/** Remembers a build for the next start of the same app in this process. */
export function rememberBuild(app: LoadedApp, bundles: readonly FunctionBundle[]): void {
  const files = new Set([...app.inputs, ...bundles.flatMap((b) => b.inputs)]);
  const stamps = new Map([...files].map((file) => [file, stampOf(file)]));
  builds.set(resolve(app.dir), { app, bundles, stamps });
}

/**
 * A new folder for one build of the app (two tests may bundle the same app at once), under the
 * root that dev's SDK link (provideAwsSdk) goes in, removed when the process exits.
 */
export function buildFolder(appDir: string): { root: string; outDir: string } {
  const root = join(resolve(appDir), ".sluice", "test-builds");
  mkdirSync(root, { recursive: true });
  const outDir = mkdtempSync(join(root, `${process.pid}-`));
  folders.add(outDir);
  if (!cleanupArmed) {
    cleanupArmed = true;
    process.once("exit", () => {
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    });
  }
  return { root, outDir };
}

function stampOf(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return "missing";
  }
}
