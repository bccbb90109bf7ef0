/**
 * Which changed files make `dev` reload. Reloading on every write in the app folder turned
 * `sluice dev > dev.log` into an endless loop (each reload logs, each log line is a change), so only
 * files that can change what runs count: the definition and what it imports, each bundle's inputs
 * (esbuild's metafiles), and the files that steer installs and compilation.
 */
import { posix, relative, sep } from "node:path";

/** Files at the app root that change how code resolves or compiles, whatever imports them. */
const PROJECT_FILES = new Set([
  "package.json",
  "tsconfig.json",
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "bun.lock",
  "bun.lockb",
]);
/** Folders whose changes never reload: state, dependencies, version control. */
const IGNORED = [".sluice", "node_modules", ".git"];
/** What a handler path can name; used while the app is broken (below). */
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx|json)$/;

export class WatchedFiles {
  private readonly inputs: ReadonlySet<string>;

  /**
   * @param inputs paths (relative to `dir`, `/`-separated) of every file the last good build read
   * @param broken the last reload failed: then any source file counts too, since the fix may be
   *   a file no build has read yet (the handler that did not exist, a new import)
   */
  constructor(
    inputs: Iterable<string>,
    private readonly isBroken = false,
  ) {
    this.inputs = new Set(inputs);
  }

  /** Builds the set from absolute paths, leaving out those outside the app. */
  static of(dir: string, absolute: Iterable<string>): WatchedFiles {
    const inside: string[] = [];
    for (const file of absolute) {
      const rel = relative(dir, file);
      if (!rel.startsWith("..")) inside.push(rel.split(sep).join("/"));
    }
    return new WatchedFiles(inside);
  }

  /** The same files, with every source file counting too until a reload succeeds. */
  broken(): WatchedFiles {
    return new WatchedFiles(this.inputs, true);
  }

  /**
   * The folders (relative, `/`-separated, "" for the app folder) where a change can matter, so
   * that only they are watched: the app folder (its project files) and each folder holding an
   * input. Undefined while broken, when a source file anywhere may be the fix.
   */
  folders(): readonly string[] | undefined {
    if (this.isBroken) return undefined;
    const folders = new Set([""]);
    for (const path of this.inputs) {
      if (isIgnored(path)) continue;
      const folder = posix.dirname(path);
      folders.add(folder === "." ? "" : folder);
    }
    return [...folders].sort();
  }

  /** Whether a change to `rel` (relative to the app folder, as fs.watch names it) should reload. */
  matters(rel: string): boolean {
    const path = rel.split(sep).join("/");
    if (isIgnored(path)) return false;
    if (PROJECT_FILES.has(path) || this.inputs.has(path)) return true;
    return this.isBroken && SOURCE.test(path);
  }
}

function isIgnored(path: string): boolean {
  return IGNORED.some((dir) => path === dir || path.startsWith(`${dir}/`));
}
