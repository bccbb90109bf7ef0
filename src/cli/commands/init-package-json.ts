import { readFileSync } from "node:fs";
import { join, sep } from "node:path";
import { packageRoot } from "../../bundle/package-root.ts";
import { SluiceError } from "../../model/errors.ts";
import { DEV_DEPENDENCIES, SCRIPTS } from "./init-templates.ts";

type Json = Record<string, unknown>;

/**
 * Merges what an app needs into its package.json (`existing` undefined: a new one). Every field
 * already there wins: a user's own versions, scripts and `sluice` dependency (typically the
 * tarball or registry spec `npm install` wrote) are kept; only what is missing is added.
 * Returns the merged object and the names of what was added, for the closing lines.
 */
export function mergePackageJson(
  existing: Json | undefined,
  name: string,
  sluiceSpec: string,
): { merged: Json; added: string[] } {
  const merged: Json = existing ? { ...existing } : { name, version: "0.1.0", private: true };
  const added: string[] = [];
  if (merged.type === undefined) {
    merged.type = "module";
    added.push('"type": "module"');
  }
  const scripts = record(merged, "scripts");
  for (const [script, command] of Object.entries(SCRIPTS)) {
    if (scripts[script] !== undefined) continue;
    scripts[script] = command;
    added.push(`script ${script}`);
  }
  const dependencies = existing ? record(existing, "dependencies", false) : {};
  const devDependencies = record(merged, "devDependencies");
  const wanted: Record<string, string> = { sluice: sluiceSpec, ...DEV_DEPENDENCIES };
  for (const [dependency, range] of Object.entries(wanted)) {
    if (dependencies[dependency] !== undefined || devDependencies[dependency] !== undefined) continue;
    devDependencies[dependency] = range;
    added.push(`${dependency}@${range}`);
  }
  merged.scripts = scripts;
  merged.devDependencies = sorted(devDependencies);
  return { merged, added };
}

/** Parses a package.json, or explains which file is broken and how to fix it. */
export function parsePackageJson(file: string, text: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SluiceError(
      "SLUICE_INIT_PACKAGE_JSON",
      `${file} is not valid JSON (${(error as Error).message}); fix it or remove it, then run sluice init again`,
      { cause: error, context: { file } },
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SluiceError(
      "SLUICE_INIT_PACKAGE_JSON",
      `${file} must hold a JSON object; got ${Array.isArray(parsed) ? "an array" : JSON.stringify(parsed)}. Fix it or remove it, then run sluice init again`,
      { context: { file } },
    );
  }
  return parsed as Json;
}

/**
 * How the new app depends on the Sluice that runs `init`: the same version range when it is an
 * installed package, the folder itself when it runs from a clone (`file:` installs link it, so
 * `npm install` in the app works without the package being published).
 */
export function sluiceDependencySpec(): string {
  const root = packageRoot();
  if (root.split(sep).includes("node_modules")) {
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    return `^${version}`;
  }
  return `file:${root}`;
}

function record(owner: Json, key: string, create = true): Record<string, unknown> {
  const value = owner[key];
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return create ? { ...(value as Record<string, unknown>) } : (value as Record<string, unknown>);
  }
  if (value !== undefined) {
    throw new SluiceError(
      "SLUICE_INIT_PACKAGE_JSON",
      `package.json's "${key}" must be an object; got ${JSON.stringify(value)}. Fix it, then run sluice init again`,
      { context: { field: key } },
    );
  }
  return {};
}

function sorted(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)));
}
