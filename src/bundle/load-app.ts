import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { AppSpec } from "../model/app-spec.ts";
import { ConfigError } from "../model/config-error.ts";
import { SluiceError } from "../model/errors.ts";
import { missingHandlerFiles } from "./handler-files.ts";
import { compileAndImport } from "./import-compiled.ts";
import { normaliseLoadedApp } from "./state-machine-files.ts";

const CONFIG_FILES = [
  "sluice.config.ts",
  "sluice.config.mts",
  "sluice.config.js",
  "sluice.config.mjs",
] as const;

export interface LoadedApp {
  readonly dir: string;
  readonly configFile: string;
  readonly spec: AppSpec;
  /**
   * The definition as the config module exported it (routing functions included), with each
   * state machine's definition file replaced by its document (see state-machine-files.ts).
   */
  readonly definition: unknown;
  /** Where the app keeps its state and build output. */
  readonly stateDir: string;
  /** Absolute paths of the definition, the files it imports (packages aside) and its state machines' ASL files. */
  readonly inputs: readonly string[];
}

export function findConfigFile(dir: string): string {
  for (const name of CONFIG_FILES) {
    const file = join(dir, name);
    if (existsSync(file)) return file;
  }
  throw new SluiceError(
    "SLUICE_NO_CONFIG",
    `no Sluice application in ${dir}: expected one of ${CONFIG_FILES.join(", ")}. ` +
      "Run `sluice init` to create one, or pass the app's folder with --dir.",
  );
}

/**
 * Bundles the config with esbuild (it is TypeScript and may import helpers) and imports the
 * result. Each load writes a new file so Node's module cache never serves a stale definition.
 */
export async function loadApp(dirArg: string): Promise<LoadedApp> {
  const dir = resolve(dirArg);
  const configFile = findConfigFile(dir);
  const stateDir = join(dir, ".sluice");
  const { exported, inputs } = await compileAndImport(
    configFile,
    join(stateDir, "cache"),
    "SLUICE_CONFIG_BUILD",
  );
  if (exported === undefined) {
    throw new SluiceError(
      "SLUICE_CONFIG_EXPORT",
      `${configFile} has no default export. Export the app: \`export default defineApp({ ... })\`.`,
    );
  }
  const { spec, machines } = await normaliseLoadedApp(dir, exported);
  // A handler naming no file is a definition error, reported before esbuild's "Could not resolve".
  const missing = missingHandlerFiles(spec, dir);
  if (missing.length > 0) throw new ConfigError(missing);
  const definition = machines.definition;
  return { dir, configFile, spec, definition, stateDir, inputs: [...inputs, ...machines.files] };
}
