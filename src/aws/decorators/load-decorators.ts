import { build } from "esbuild";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { sluiceAlias } from "../../bundle/sluice-alias.ts";
import { SluiceError } from "../../model/errors.ts";
import type { Decorators } from "./decorators.ts";

export const DECORATOR_FILES = [
  "sluice.decorators.ts",
  "sluice.decorators.mts",
  "sluice.decorators.js",
  "sluice.decorators.mjs",
] as const;

/**
 * Loads the app's decorators, if it has a decorators file: compiled with esbuild (it is
 * TypeScript and may import the definition and helpers), imported, and checked for shape.
 */
export async function loadDecorators(dir: string, stateDir: string): Promise<Decorators | undefined> {
  const file = DECORATOR_FILES.map((name) => join(dir, name)).find((path) => existsSync(path));
  if (!file) return undefined;
  const cache = join(stateDir, "cache");
  mkdirSync(cache, { recursive: true });
  const outfile = join(cache, `decorators-${process.pid}-${Date.now()}.mjs`);
  try {
    await build({
      entryPoints: [file],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      plugins: [sluiceAlias()],
      logLevel: "silent",
    });
  } catch (error) {
    throw new SluiceError("SLUICE_DECORATORS_BUILD", `cannot compile ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(outfile).href)) as { default?: unknown };
  } finally {
    rmSync(outfile, { force: true });
  }
  const decorators = module.default;
  if (typeof decorators !== "object" || decorators === null) {
    throw new SluiceError(
      "SLUICE_DECORATORS_EXPORT",
      `${file} must export its decorators as the default export: \`export default defineDecorators<typeof app>({ ... })\``,
    );
  }
  return decorators as Decorators;
}
