import { mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { SluiceError } from "../model/errors.ts";
import { metafileInputs, withEsbuildService } from "./esbuild-service.ts";
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
  return (await compileAndImport(file, cacheDir, buildErrorCode)).exported;
}

export interface CompiledModule {
  /** The module's default export. */
  readonly exported: unknown;
  /** Absolute paths of the files compiled into it (the module and what it imports, packages aside). */
  readonly inputs: readonly string[];
}

/** importCompiled, also saying which files went in (esbuild's metafile), so `dev` can watch them. */
export async function compileAndImport(
  file: string,
  cacheDir: string,
  buildErrorCode: string,
): Promise<CompiledModule> {
  mkdirSync(cacheDir, { recursive: true });
  const outfile = join(
    cacheDir,
    `module-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.mjs`,
  );
  let inputs: string[];
  try {
    const { metafile } = await withEsbuildService(() =>
      build({
        entryPoints: [file],
        outfile,
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node20",
        packages: "external",
        plugins: [sluiceAlias()],
        logLevel: "silent",
        metafile: true,
        absWorkingDir: dirname(file),
      }),
    );
    inputs = metafileInputs(metafile.inputs, dirname(file));
  } catch (error) {
    throw new SluiceError(buildErrorCode, `cannot compile ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    const module = (await import(pathToFileURL(outfile).href)) as { default?: unknown };
    return { exported: module.default, inputs };
  } finally {
    rmSync(outfile, { force: true });
  }
}
