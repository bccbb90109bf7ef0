import { build } from "esbuild";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { SluiceError } from "../model/errors.ts";
import { sluiceAlias } from "./sluice-alias.ts";

/**
 * Compiles a user's TypeScript module (the definition, the decorators) with esbuild and imports
 * it, returning its default export. Each call writes a new file, so Node's module cache never
 * serves a stale version after an edit; the file is removed once imported.
 */
export async function importCompiled(
  file: string,
  cacheDir: string,
  buildErrorCode: string,
): Promise<unknown> {
  mkdirSync(cacheDir, { recursive: true });
  const outfile = join(
    cacheDir,
    `module-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.mjs`,
  );
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
    throw new SluiceError(buildErrorCode, `cannot compile ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    const module = (await import(pathToFileURL(outfile).href)) as { default?: unknown };
    return module.default;
  } finally {
    rmSync(outfile, { force: true });
  }
}
