// Runs Biome's native binary. The registry reachable here serves only Biome's Linux builds, and
// `npm ci` rejects a lock file that lacks the other platforms' packages of `@biomejs/biome`, so we
// depend on the Linux binaries directly (as optional dependencies) and launch them from here.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const candidates = [`@biomejs/cli-${process.platform}-${process.arch}`];
let binary;
for (const name of candidates) {
  try {
    const path = join(
      dirname(require.resolve(`${name}/package.json`)),
      process.platform === "win32" ? "biome.exe" : "biome",
    );
    if (existsSync(path)) binary = path;
  } catch {}
}
if (!binary) {
  console.error(
    `Biome has no binary for ${process.platform}-${process.arch} here; install ${candidates[0]} or run \`npx @biomejs/biome check .\`.`,
  );
  process.exit(1);
}
const result = spawnSync(binary, process.argv.slice(2), { stdio: "inherit" });
process.exit(result.status ?? 1);
