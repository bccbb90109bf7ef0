/**
 * `sluice build`: the same bundles `dev` runs, one reproducible zip per function, a manifest
 * of their sizes and hashes, and `app.json` (the spec they were built for, which `sluice serve`
 * reads: app-file.ts), in `<app>/.sluice/build/`.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { APP_FILE, appFileText } from "./app-file.ts";
import { bundleFunctions } from "./bundle-functions.ts";
import type { LoadedApp } from "./load-app.ts";
import { zip } from "./zip.ts";

export interface BuildOptions {
  /** @default false */
  readonly minify?: boolean;
  /** Packages left out of the bundles. @default ["@aws-sdk/*"] (Lambda provides them) */
  readonly external?: readonly string[];
  /** @default `<app>/.sluice/build` */
  readonly outDir?: string;
}

export interface BuiltFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface BuiltFunction {
  readonly function: string;
  /** Zip file name, relative to the build folder. */
  readonly zip: string;
  readonly bytes: number;
  /** Hex SHA-256 of the zip. */
  readonly sha256: string;
  /** Base64 SHA-256 of the zip: the form Lambda reports as `CodeSha256`. */
  readonly codeSha256: string;
  /** Total size of the files once unzipped (Lambda allows 250 MB). */
  readonly unzippedBytes: number;
  readonly files: readonly BuiltFile[];
}

export interface BuildManifest {
  readonly app: string;
  readonly functions: Readonly<Record<string, BuiltFunction>>;
}

export interface BuildResult {
  readonly outDir: string;
  readonly manifestFile: string;
  readonly manifest: BuildManifest;
  /** `app.json`: `{ "format": 1, "spec": <the AppSpec> }`. */
  readonly appFile: string;
}

const MANIFEST_FILE = "manifest.json";

export async function buildApp(app: LoadedApp, options: BuildOptions = {}): Promise<BuildResult> {
  const outDir = options.outDir ?? join(app.stateDir, "build");
  rmSync(outDir, { recursive: true, force: true });
  const bundleDir = join(outDir, "bundles");
  mkdirSync(bundleDir, { recursive: true });
  const bundles = await bundleFunctions(app.spec, {
    dir: app.dir,
    configFile: app.configFile,
    outDir: bundleDir,
    minify: options.minify,
    external: options.external,
  });
  const functions: Record<string, BuiltFunction> = {};
  for (const bundle of [...bundles].sort((a, b) => (a.function < b.function ? -1 : 1))) {
    const folder = join(bundleDir, bundle.function);
    const entries = listFiles(folder).map((file) => ({
      path: relative(folder, file).split(sep).join("/"),
      data: readFileSync(file),
    }));
    const archive = zip(entries);
    const name = `${bundle.function}.zip`;
    writeFileSync(join(outDir, name), archive);
    const digest = createHash("sha256").update(archive).digest();
    functions[bundle.function] = {
      function: bundle.function,
      zip: name,
      bytes: archive.length,
      sha256: digest.toString("hex"),
      codeSha256: digest.toString("base64"),
      unzippedBytes: entries.reduce((sum, e) => sum + e.data.length, 0),
      files: entries
        .map((e) => ({ path: e.path, bytes: e.data.length, sha256: sha256(e.data) }))
        .sort((a, b) => (a.path < b.path ? -1 : 1)),
    };
  }
  const manifest: BuildManifest = { app: app.spec.name, functions };
  const manifestFile = join(outDir, MANIFEST_FILE);
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  const appFile = join(outDir, APP_FILE);
  writeFileSync(appFile, appFileText(app.spec));
  return { outDir, manifestFile, manifest, appFile };
}

function listFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
