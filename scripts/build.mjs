// Builds dist/: esbuild bundles the JavaScript (fast enough to run before every test run and in
// `prepare`), then tsc writes the declaration files the published package's `exports` point at
// (tsconfig.build.json), so dependents type-check against dist/*.d.ts and never read src/*.ts.
// Type-checking is `npm run typecheck`'s job: the declaration emit skips it (`noCheck`), so an
// edit in progress elsewhere in the tree never fails a build.
//
// `--clean` (run by `prepack`) also removes what earlier builds left in dist/ that this one did
// not write (chunks whose hash changed, declarations of removed sources), so the tarball holds
// only the current build. Plain builds keep them: a running `sluice dev` started from an earlier
// build may still import its own chunks lazily.

import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { build } from "esbuild";

const entries = {
  index: "src/index.ts",
  cli: "src/cli/main.ts",
  "runtime/index": "src/runtime/index.ts",
  "aws/index": "src/aws/index.ts",
  // `sluice/testing` (issue 20): the test kit.
  "testing/index": "src/testing/index.ts",
  "local/lambda/worker": "src/local/lambda/worker/worker.ts",
  // The trace store's writer thread (src/local/traces/trace-store.ts).
  "local/traces/trace-writer": "src/local/traces/trace-writer.ts",
};
const entryPoints = Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));
const clean = process.argv.includes("--clean");

const result = await build({
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
  metafile: true,
});

const tsc = join(createRequire(import.meta.url).resolve("typescript/package.json"), "..", "bin", "tsc");
// A clean build starts the declarations afresh: tsc's incremental state would skip files it
// believes are still in dist/.
if (clean) rmSync("dist/.tsbuildinfo", { force: true });
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { stdio: "inherit" });

if (clean) {
  const written = new Set(Object.keys(result.metafile.outputs).map((file) => resolve(file)));
  for (const file of listFiles("dist")) {
    const path = relative("dist", file);
    const stale = path.endsWith(".d.ts")
      ? !existsSync(join("src", path.replace(/\.d\.ts$/, ".ts")))
      : path !== ".tsbuildinfo" && !written.has(resolve(file));
    if (stale) rmSync(file);
  }
}

// The console's page is plain files read at run time (local/console/console-assets.ts): copied
// after the clean-up above, which removes whatever esbuild did not write.
const consoleAssets = "src/local/console/assets";
if (existsSync(consoleAssets)) {
  rmSync("dist/local/console/assets", { recursive: true, force: true });
  cpSync(consoleAssets, "dist/local/console/assets", { recursive: true });
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
