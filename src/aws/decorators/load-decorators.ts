import { existsSync } from "node:fs";
import { join } from "node:path";
import { importCompiled } from "../../bundle/import-compiled.ts";
import { SluiceError } from "../../model/errors.ts";
import type { Decorators } from "./decorators.ts";

const DECORATOR_FILES = [
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
  const decorators = await importCompiled(file, join(stateDir, "cache"), "SLUICE_DECORATORS_BUILD");
  if (typeof decorators !== "object" || decorators === null) {
    throw new SluiceError(
      "SLUICE_DECORATORS_EXPORT",
      `${file} must export its decorators as the default export: \`export default defineDecorators<typeof app>({ ... })\``,
    );
  }
  return decorators as Decorators;
}
