import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SluiceError } from "../../model/errors.ts";

const RELATIVE = join("dist", "local", "lambda", "worker.js");
let cached: string | undefined;

/**
 * The built worker script. Execution environments always run `dist/local/lambda/worker.js` of
 * Sluice's package, found by walking up from this module, so it works from dist/ and from src/
 * under tsx alike (tests build first).
 */
export function workerScriptPath(): string {
  if (cached) return cached;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, RELATIVE);
    if (existsSync(candidate)) {
      cached = candidate;
      return candidate;
    }
    if (dirname(dir) === dir) {
      throw new SluiceError(
        "SLUICE_WORKER_MISSING",
        `cannot find ${RELATIVE} in any folder above ${start}; build Sluice first (npm run build)`,
        { context: { start } },
      );
    }
  }
}
