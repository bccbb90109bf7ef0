/**
 * Handler paths that name no file. esbuild would only say `Could not resolve "./src/nope"` while
 * bundling; this says which function's handler is wrong and which existing file was probably meant.
 */
import { type Dirent, existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { AppSpec } from "../model/app-spec.ts";
import type { ConfigIssue } from "../model/config-error.ts";
import { closest } from "../model/validate/suggest.ts";

/** The extensions esbuild tries for an extensionless import, in its order, plus Node's ESM/CJS ones. */
const EXTENSIONS = [".tsx", ".ts", ".jsx", ".js", ".mts", ".cts", ".mjs", ".cjs"] as const;
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
/** Folders that hold no handler of the app's own. */
const SKIPPED = new Set(["node_modules", ".sluice", ".sluice-cloud", ".git", "dist", "cdk.out"]);
/** Enough to find the app's sources without walking a huge tree. */
const MAX_FILES = 5_000;

/** One issue per function whose handler module does not exist under `dir`. */
export function missingHandlerFiles(spec: AppSpec, dir: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  let candidates: string[] | undefined;
  for (const fn of Object.values(spec.functions)) {
    const { module } = fn.handler;
    if (resolves(join(dir, module))) continue;
    candidates ??= sourceFiles(dir);
    const nearest = closest(module, candidates.map(withoutExtension));
    const nearestFile = candidates.find((file) => withoutExtension(file) === nearest);
    issues.push({
      path: `functions.${fn.name}.handler`,
      value: `${module}.${fn.handler.export}`,
      message: `no file ${module}.ts (nor .js, .mjs, .tsx or ${module}/index.*) exists in the app`,
      allowed: "the path, from the app root and without extension, of an existing .ts or .js file",
      fix:
        nearest !== undefined && nearestFile !== undefined
          ? `the nearest existing file is ${nearestFile}: write handler: "${nearest}.${fn.handler.export}", or create ${module}.ts`
          : `create ${module}.ts exporting ${fn.handler.export}, or point handler at an existing file` +
            (candidates.length > 0 ? ` (the app has ${listed(candidates)})` : ""),
    });
  }
  return issues;
}

function resolves(base: string): boolean {
  const isFile = (path: string) => existsSync(path) && statSync(path).isFile();
  return EXTENSIONS.some((ext) => isFile(base + ext) || isFile(join(base, `index${ext}`)));
}

/** The app's .ts/.js files, relative to `dir` with forward slashes, declaration files aside. */
function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (files.length >= MAX_FILES) return;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name)) walk(path);
      } else if (
        SOURCE.test(entry.name) &&
        !/\.d\.[cm]?ts$/.test(entry.name) &&
        !/^sluice\.config\./.test(entry.name)
      ) {
        files.push(relative(dir, path).split(sep).join("/"));
      }
    }
  };
  walk(dir);
  return files.sort();
}

function withoutExtension(file: string): string {
  return file.replace(SOURCE, "");
}

function listed(files: readonly string[]): string {
  const shown = files.slice(0, 5).join(", ");
  return files.length > 5 ? `${shown} and ${files.length - 5} more` : shown;
}
