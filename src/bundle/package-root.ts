import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder holding Sluice's own package.json, whether we run from dist/ or from src/: the
 * repository has src/runtime, the published package (which ships no src/) dist/runtime.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (
      existsSync(join(dir, "package.json")) &&
      (existsSync(join(dir, "src", "runtime")) || existsSync(join(dir, "dist", "runtime")))
    )
      return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`cannot find Sluice's package root above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
