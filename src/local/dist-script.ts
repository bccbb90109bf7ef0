import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SluiceError } from "../model/errors.ts";

const found = new Map<string, string>();

/**
 * A script of Sluice's own build that runs in a worker thread (`dist/local/lambda/worker.js`, the
 * trace store's writer), found by walking up from this module, so it works from dist/ and from src/
 * under tsx alike (tests build first). `relative` is the path below the package root.
 * @example distScriptPath(join("dist", "local", "lambda", "worker.js"))
 */
export function distScriptPath(relative: string): string {
  const cached = found.get(relative);
  if (cached !== undefined) return cached;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) {
      found.set(relative, candidate);
      return candidate;
    }
    if (dirname(dir) === dir) {
      throw new SluiceError(
        "SLUICE_WORKER_MISSING",
        `cannot find ${relative} in any folder above ${start}; build Sluice first (npm run build)`,
        { context: { start } },
      );
    }
  }
}
