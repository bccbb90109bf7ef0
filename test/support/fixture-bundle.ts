/**
 * A fixture's handler module bundled as Sluice bundles a function (one ESM file for Node 20, the
 * AWS SDK left to the runtime that provides it), in a temporary folder of its own.
 */
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { ROOT } from "./cli-process.ts";
import { tempDir } from "./temp.ts";

export interface FixtureBundle {
  /** The bundle, `handlers.mjs` in the folder. */
  readonly file: string;
  readonly dir: string;
  readonly cleanup: () => void;
}

/**
 * `nodeModules`: link the repository's node_modules beside the bundle, so what the bundle leaves
 * external (the AWS SDK) resolves as Lambda's runtime would provide it. @default false
 */
export async function bundleFixture(
  entry: string,
  prefix: string,
  options: { readonly nodeModules?: boolean } = {},
): Promise<FixtureBundle> {
  const temp = tempDir(prefix);
  if (options.nodeModules) symlinkSync(join(ROOT, "node_modules"), join(temp.dir, "node_modules"), "dir");
  const file = join(temp.dir, "handlers.mjs");
  await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: ["@aws-sdk/*"],
    logLevel: "silent",
  });
  return { file, dir: temp.dir, cleanup: temp.cleanup };
}
