/**
 * Which changed files make `dev` reload. Reloading on every write in the app folder turned
 * `sluice dev > dev.log` into an endless loop (each reload logs, each log line is a change), so only
 * files that can change what runs count: the definition and what it imports, each bundle's inputs
 * (esbuild's metafiles), and the files that steer installs and compilation.
 */
import { relative, sep } from "node:path";

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
  static of(dir: string, absolute: Iterable<string>, broken = false): WatchedFiles {
    const inside: string[] = [];
    for (const file of absolute) {
      const rel = relative(dir, file);
      if (!rel.startsWith("..")) inside.push(rel.split(sep).join("/"));
    }
    return new WatchedFiles(inside, broken);
  }

  /** The same files, with every source file counting too until a reload succeeds. */
  broken(): WatchedFiles {
    return new WatchedFiles(this.inputs, true);
  }

  /** Whether a change to `rel` (relative to the app folder, as fs.watch names it) should reload. */
  matters(rel: string): boolean {
    const path = rel.split(sep).join("/");
    if (IGNORED.some((dir) => path === dir || path.startsWith(`${dir}/`))) return false;
    if (PROJECT_FILES.has(path) || this.inputs.has(path)) return true;
    return this.isBroken && SOURCE.test(path);
  }
}
