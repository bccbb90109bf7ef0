/**
 * Watches only the folders where a change can matter (WatchedFiles.folders), each on its own,
 * not the app folder recursively. `sluice dev > dev.log` writes into the app folder on every
 * flush, and on Linux a recursive fs.watch is Node's own JavaScript (lib/internal/fs/
 * recursive_watch.js, https://github.com/nodejs/node/pull/45098; as read in Node 20.20): at start it
 * stats and watches every file and folder of the tree, .sluice's state and builds and
 * node_modules included (one inotify watch each, against the user's limit on them), and on each
 * event it stats the path and reads a changed folder again. A plain watch on a folder is one
 * inotify watch (https://nodejs.org/api/fs.html#inode), so a write to dev.log costs one event and
 * a filename check, and dev starts without walking node_modules.
 *
 * The folders are recomputed after every build: a folder imported for the first time is watched
 * from that reload on, one no longer imported is let go. While the app is broken the whole folder
 * is watched recursively, since the fix may be a file in a folder no build has read yet.
 */
import { watch } from "node:fs";
import { join } from "node:path";
import type { WatchedFiles } from "./watched-files.ts";

/** The part of fs.watch used here; tests pass their own. */
export type WatchFolder = (
  path: string,
  options: { readonly recursive: boolean },
  listener: (event: string, filename: string | null) => void,
) => { close(): void; on(event: "error", listener: (error: Error) => void): unknown };

const watchFolder: WatchFolder = (path, options, listener) =>
  watch(path, { recursive: options.recursive }, (event, filename) => listener(event, filename));

/** Key of the recursive watcher on the app folder (never a relative folder name). */
const WHOLE_TREE = "**";

export class FileWatcher {
  private readonly watchers = new Map<string, { close(): void }>();
  private files: WatchedFiles | undefined;
  private closed = false;

  /**
   * @param dir the app folder
   * @param onChange called with the path (relative to `dir`) of each change that matters
   */
  constructor(
    private readonly dir: string,
    private readonly onChange: (rel: string) => void,
    private readonly watchFn: WatchFolder = watchFolder,
  ) {}

  /** Watches what `files` needs: opens watchers for new folders, closes those no longer needed. */
  update(files: WatchedFiles): void {
    // A reload still running when dev closes must not watch again (open watchers keep it alive).
    if (this.closed) return;
    this.files = files;
    const wanted = new Set(files.folders() ?? [WHOLE_TREE]);
    for (const [key, watcher] of this.watchers) {
      if (wanted.has(key)) continue;
      watcher.close();
      this.watchers.delete(key);
    }
    for (const key of wanted) if (!this.watchers.has(key)) this.open(key);
  }

  /** What is watched now, relative to the app folder. */
  watching(): { folders: string[]; recursive: boolean } {
    const keys = [...this.watchers.keys()].sort();
    return keys.includes(WHOLE_TREE)
      ? { folders: [""], recursive: true }
      : { folders: keys, recursive: false };
  }

  close(): void {
    this.closed = true;
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private open(key: string): void {
    const recursive = key === WHOLE_TREE;
    const folder = recursive ? "" : key;
    try {
      const watcher = this.watchFn(join(this.dir, folder), { recursive }, (_event, filename) => {
        if (!filename) return;
        const rel = folder ? join(folder, filename) : filename;
        if (this.files?.matters(rel)) this.onChange(rel);
      });
      // A watched folder that is removed ends its watcher; the removal of its inputs reloads (and
      // fails, so the whole tree is watched), and a later build watches it again if it comes back.
      watcher.on("error", () => {
        watcher.close();
        if (this.watchers.get(key) === watcher) this.watchers.delete(key);
      });
      this.watchers.set(key, watcher);
    } catch {
      // Removed between the build and now: the build after its removal sees that.
    }
  }
}
