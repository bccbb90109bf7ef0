/**
 * Sluice's own package.json (its version and the version ranges it depends on), the files `npm
 * pack` would ship of it, and the version of a package installed where Node would resolve it from
 * a folder: what a server artifact vendors and pins.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { packageRoot } from "./package-root.ts";
import type { ZipEntry } from "./zip.ts";

export interface SluicePackage {
  readonly version: string;
  /** Ranges of its dependencies, then of its devDependencies (the SDK clients the runtime imports). */
  readonly dependencies: Readonly<Record<string, string>>;
  /** The package.json itself, which the vendored copy's is cut from. */
  readonly manifest: Readonly<Record<string, unknown>>;
}

let cached: SluicePackage | undefined;

export function sluicePackage(): SluicePackage {
  if (cached) return cached;
  const pkg = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as {
    version: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  cached = {
    version: pkg.version,
    dependencies: { ...pkg.devDependencies, ...pkg.dependencies },
    manifest: pkg,
  };
  return cached;
}

/** Files npm packs whatever `files` says (https://docs.npmjs.com/cli/v10/configuring-npm/package-json#files). */
const ALWAYS_PACKED = /^(?:readme|license|licence)(?:\.[^/]*)?$/i;

/**
 * What `npm pack` would ship of the package at `root` besides its package.json: the folders and
 * files its `files` lists (a `!path` leaves one out), and its README and LICENSE; sorted paths
 * with `/` separators. Only plain paths are understood: a glob in `files` refuses rather than
 * packing something else than npm would. The CLI needs `dist/`, so a checkout that was never
 * built refuses too.
 */
export function sluicePackedFiles(
  root: string = packageRoot(),
  manifest: Readonly<Record<string, unknown>> = sluicePackage().manifest,
): ZipEntry[] {
  const patterns = Array.isArray(manifest.files) ? manifest.files.map(String) : [];
  if (patterns.some((p) => /[*?[\]{}]/.test(p))) {
    throw new Error(
      `Sluice's package.json "files" has a glob (${patterns.join(", ")}); vendoring reads plain paths only`,
    );
  }
  const trim = (p: string) => p.replace(/^\.?\/+/, "").replace(/\/+$/, "");
  const excluded = patterns.filter((p) => p.startsWith("!")).map((p) => trim(p.slice(1)));
  const left = (path: string) => excluded.some((e) => path === e || path.startsWith(`${e}/`));
  const paths = new Set<string>();
  const visit = (path: string): void => {
    if (left(path)) return;
    const stat = statSync(join(root, ...path.split("/")), { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      for (const name of readdirSync(join(root, ...path.split("/")))) visit(`${path}/${name}`);
    } else if (stat?.isFile()) paths.add(path);
  };
  for (const pattern of patterns.filter((p) => !p.startsWith("!"))) visit(trim(pattern));
  for (const name of readdirSync(root)) if (ALWAYS_PACKED.test(name)) visit(name);
  if (!paths.has(CLI_FILE)) {
    throw new Error(
      `${join(root, CLI_FILE)} is missing: build Sluice (npm run build) before packaging a server`,
    );
  }
  return [...paths].sort().map((path) => ({ path, data: readFileSync(join(root, ...path.split("/"))) }));
}

let packed: readonly ZipEntry[] | undefined;

/**
 * sluicePackedFiles() of the running Sluice, read once per process like sluicePackage(): a
 * deploy writes one artifact per fleet, each vendoring the same files.
 */
export function sluicePackedFilesOnce(): readonly ZipEntry[] {
  packed ??= sluicePackedFiles();
  return packed;
}

/** The module bin/sluice.js runs. */
const CLI_FILE = "dist/cli.js";

/** The version of `name` in the first `node_modules` at or above `dir` that holds it. */
export function installedVersion(name: string, dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const file = join(at, "node_modules", ...name.split("/"), "package.json");
    if (existsSync(file)) {
      const version = (JSON.parse(readFileSync(file, "utf8")) as { version?: unknown }).version;
      if (typeof version === "string") return version;
    }
    if (dirname(at) === at) return undefined;
  }
}
