/**
 * The server artifact (issue 19): what a fleet's instances or tasks download and run with
 * `sluice serve --artifact`. One reproducible zip holding
 * - `app.json`: the spec (deploy passes it normalised for its stage, region and account),
 * - `manifest.json`: the build manifest cut to the fleet's functions, plus the fleet's name,
 * - `bundles/<function>/…`: the very bundles `sluice build` made (and Lambda runs),
 * - `vendor/sluice/…`: this Sluice as `npm pack` would ship it (bin, dist) less its source maps,
 *   which package.json depends on as `file:vendor/sluice`: a server runs exactly the deploying
 *   version, never whatever the registry calls "sluice" (npm installs a folder inside the project
 *   as a link and its dependencies as any others:
 *   https://docs.npmjs.com/cli/v10/commands/npm-install);
 * - `package.json`: that Sluice and the AWS SDK packages the bundles leave external.
 *   Lambda's Node.js runtimes include the SDK v3, so bundles leave `@aws-sdk/*` out
 *   (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-sdk-included);
 *   a server has no such runtime and installs them from this file.
 * Its key in the artifact bucket names its content: `servers/<sha256>.zip`.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { AppSpec } from "../model/app-spec.ts";
import { SluiceError } from "../model/errors.ts";
import { APP_FILE, appFileText } from "./app-file.ts";
import type { BuildManifest, BuildResult, BuiltFunction } from "./build-app.ts";
import { importedPackages } from "./imported-packages.ts";
import { packageRoot } from "./package-root.ts";
import {
  installedVersion,
  type SluicePackage,
  sluicePackage,
  sluicePackedFilesOnce,
} from "./sluice-package.ts";
import { readZip } from "./unzip.ts";
import { type ZipEntry, zip } from "./zip.ts";

export const SERVER_ARTIFACT_PREFIX = "servers/";
export const SERVER_MANIFEST_FILE = "manifest.json";
export const SERVER_PACKAGE_FILE = "package.json";
export const BUNDLES_FOLDER = "bundles";
/** Where the artifact holds this Sluice's packed files, and what its package.json depends on. */
export const VENDORED_SLUICE_FOLDER = "vendor/sluice";
/**
 * The vendored package.json keeps what installing and running the package reads, and `files`
 * (so a vendored Sluice can vendor itself); its scripts (npm runs a linked folder's `prepare`, and
 * Sluice's builds from sources it does not ship) and devDependencies are left out.
 */
const VENDORED_MANIFEST_KEYS = [
  "name",
  "version",
  "description",
  "type",
  "license",
  "engines",
  "bin",
  "exports",
  "files",
  "dependencies",
];
/** The packages a server must install because the bundles leave them to Lambda's runtime. */
const PROVIDED_BY_LAMBDA = "@aws-sdk/";
const SCANNED = /\.(?:mjs|js)$/;
/**
 * Sluice's own source maps stay out of the vendored copy: two thirds of the packed files' bytes
 * (17.5 MB of the zip's vendored part, 5.6 MB without them), and a server runs without them.
 * The app's bundles keep theirs, as `sluice build` made them.
 */
const SOURCE_MAP = /\.map$/;

export interface ServerArtifactOptions {
  readonly build: BuildResult;
  readonly spec: AppSpec;
  /** The fleet (a key of the spec's `servers`). */
  readonly fleet: string;
  readonly outFile: string;
  /**
   * Where an SDK package Sluice does not depend on is looked up (its installed version is pinned).
   * @default the build folder, which `sluice build` puts inside the app
   */
  readonly appDir?: string;
}

export interface ServerArtifact {
  readonly file: string;
  readonly bytes: number;
  /** Hex SHA-256 of the zip. */
  readonly sha256: string;
  /** Its key in the artifact bucket: `servers/<sha256>.zip`. */
  readonly key: string;
}

/** manifest.json of an artifact: the build's, cut to the fleet's functions. */
export interface ServerManifest extends BuildManifest {
  readonly fleet: string;
}

/** What the artifact's entries are made from, with the file system left to the caller. */
export interface ServerArtifactInput {
  readonly spec: AppSpec;
  readonly fleet: string;
  readonly manifest: BuildManifest;
  /** A file of a function's bundle, `path` relative to its bundle folder. */
  readonly readBundleFile: (functionName: string, path: string) => Uint8Array;
  readonly sluice: SluicePackage;
  /** The installed version of a package Sluice does not depend on, if any. */
  readonly installedVersion: (name: string) => string | undefined;
  /** Sluice's packed files but package.json, paths relative to its package root (sluice-package.ts). */
  readonly sluiceFiles: () => readonly ZipEntry[];
}

export function serverArtifactKey(sha256: string): string {
  return `${SERVER_ARTIFACT_PREFIX}${sha256}.zip`;
}

export async function writeServerArtifact(options: ServerArtifactOptions): Promise<ServerArtifact> {
  const { build } = options;
  const lookFrom = resolve(options.appDir ?? build.outDir);
  const entries = serverArtifactEntries({
    spec: options.spec,
    fleet: options.fleet,
    manifest: build.manifest,
    readBundleFile: (fn, path) => readBuiltFile(build, fn, path),
    sluice: sluicePackage(),
    // The app's own copy first, then the one Sluice gives functions locally (provided-sdk.ts).
    installedVersion: (name) => installedVersion(name, lookFrom) ?? installedVersion(name, packageRoot()),
    sluiceFiles: sluicePackedFilesOnce,
  });
  const archive = zip(entries);
  mkdirSync(dirname(options.outFile), { recursive: true });
  writeFileSync(options.outFile, archive);
  const sha256 = createHash("sha256").update(archive).digest("hex");
  return { file: options.outFile, bytes: archive.length, sha256, key: serverArtifactKey(sha256) };
}

export function serverArtifactEntries(input: ServerArtifactInput): ZipEntry[] {
  const { spec, manifest } = input;
  const fleet =
    spec.servers !== undefined && Object.hasOwn(spec.servers, input.fleet)
      ? spec.servers[input.fleet]
      : undefined;
  if (fleet === undefined) {
    const fleets = Object.keys(spec.servers ?? {});
    throw failure(
      `${spec.name} has no fleet "${input.fleet}"; ` +
        (fleets.length > 0 ? `its fleets are ${fleets.join(", ")}` : "it defines no servers"),
    );
  }
  if (manifest.app !== spec.name) {
    throw failure(`the build is of app "${manifest.app}", not "${spec.name}"; run \`sluice build\` again`);
  }
  const functions: Record<string, BuiltFunction> = {};
  const entries: ZipEntry[] = [];
  const importers = new Map<string, string[]>();
  for (const name of fleet.functions) {
    const built = manifest.functions[name];
    if (built === undefined) {
      throw failure(
        `the build has no bundle of function ${name}, which fleet ${fleet.name} serves; run \`sluice build\` again`,
      );
    }
    functions[name] = built;
    for (const file of built.files) {
      const data = input.readBundleFile(name, file.path);
      entries.push({ path: `${BUNDLES_FOLDER}/${name}/${file.path}`, data });
      if (!SCANNED.test(file.path)) continue;
      for (const pkg of scan(name, file.path, data)) {
        if (pkg.startsWith(PROVIDED_BY_LAMBDA)) importers.set(pkg, [...(importers.get(pkg) ?? []), name]);
      }
    }
  }
  const served: ServerManifest = { app: manifest.app, fleet: fleet.name, functions };
  entries.push(
    { path: APP_FILE, data: Buffer.from(appFileText(spec)) },
    { path: SERVER_MANIFEST_FILE, data: json(served) },
    { path: SERVER_PACKAGE_FILE, data: json(packageJson(input, fleet.name, importers)) },
    { path: `${VENDORED_SLUICE_FOLDER}/package.json`, data: json(vendoredManifest(input.sluice)) },
  );
  for (const file of input.sluiceFiles()) {
    if (SOURCE_MAP.test(file.path)) continue;
    entries.push({ path: `${VENDORED_SLUICE_FOLDER}/${file.path}`, data: file.data });
  }
  return entries;
}

function packageJson(
  input: ServerArtifactInput,
  fleet: string,
  importers: ReadonlyMap<string, readonly string[]>,
): Record<string, unknown> {
  const dependencies: Record<string, string> = {};
  for (const name of [...importers.keys()].sort()) {
    const version = input.sluice.dependencies[name] ?? input.installedVersion(name);
    if (version === undefined) {
      throw failure(
        `function ${[...new Set(importers.get(name))].join(", ")} imports ${name}, which Lambda provides but ` +
          "a server must install, and neither Sluice nor the app has it; " +
          `add it to the app's dependencies (npm install ${name})`,
      );
    }
    dependencies[name] = version;
  }
  dependencies.sluice = `file:${VENDORED_SLUICE_FOLDER}`;
  return { name: `${input.spec.name}-${fleet}-server`, private: true, type: "module", dependencies };
}

function vendoredManifest(sluice: SluicePackage): Record<string, unknown> {
  const kept = VENDORED_MANIFEST_KEYS.filter((key) => sluice.manifest[key] !== undefined);
  return Object.fromEntries(kept.map((key) => [key, sluice.manifest[key]]));
}

function scan(fn: string, path: string, data: Uint8Array): string[] {
  try {
    return importedPackages(Buffer.from(data).toString("utf8"));
  } catch (error) {
    throw failure(
      `cannot read the imports of ${fn}'s bundle file ${path}: ${(error as Error).message}`,
      error,
    );
  }
}

/** A bundle file as the build wrote it; one changed since (another build?) refuses. */
function readBuiltFile(build: BuildResult, fn: string, path: string): Uint8Array {
  const file = join(build.outDir, BUNDLES_FOLDER, fn, ...path.split("/"));
  const data = readFileSync(file);
  const expected = build.manifest.functions[fn]?.files.find((f) => f.path === path)?.sha256;
  if (createHash("sha256").update(data).digest("hex") !== expected) {
    throw failure(`${file} changed since the build recorded it; run \`sluice build\` again`);
  }
  return data;
}

/**
 * Unzips a server artifact into `dir` (absent or empty), refusing a zip with names that could
 * escape it or with symbolic links (unzip.ts). Files are created exclusively, so nothing already
 * on disk, a link planted there included, is followed or overwritten.
 */
export function unzipServerArtifact(zipFile: string, dir: string): { readonly files: readonly string[] } {
  const entries = readZip(readFileSync(zipFile));
  const root = resolve(dir);
  if (existsSync(root) && readdirSync(root).length > 0) {
    throw failure(`cannot unzip ${zipFile} into ${root}: the folder is not empty`);
  }
  for (const entry of entries) {
    const target = join(root, ...entry.path.split("/"));
    const inside = relative(root, target);
    if (inside === "" || inside.startsWith(`..${sep}`) || inside === "..") {
      throw failure(`cannot unzip ${zipFile}: ${JSON.stringify(entry.path)} is outside ${root}`);
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, entry.data, { flag: "wx" });
  }
  return { files: entries.map((e) => e.path) };
}

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
}

function failure(message: string, cause?: unknown): SluiceError {
  return new SluiceError("SLUICE_SERVER_ARTIFACT", message, cause === undefined ? {} : { cause });
}
