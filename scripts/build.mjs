// Builds dist/ with esbuild: fast enough to run before every test run and in `prepare`.
// Type-checking is tsc's job (npm run typecheck); this only transpiles and bundles.
import { build } from "esbuild";
import { existsSync } from "node:fs";

const entries = {
  index: "src/index.ts",
  cli: "src/cli/main.ts",
  "runtime/index": "src/runtime/index.ts",
  "aws/index": "src/aws/index.ts",
  "local/lambda/worker": "src/local/lambda/worker/worker.ts",
};
const entryPoints = Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));

await build({
  entryPoints,
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});
