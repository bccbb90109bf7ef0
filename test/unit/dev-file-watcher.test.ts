import assert from "node:assert/strict";
import { test } from "node:test";
import { FileWatcher, type WatchFolder } from "../../src/dev/file-watcher.ts";
import { WatchedFiles } from "../../src/dev/watched-files.ts";

/** A stand-in for fs.watch that records what is watched and lets a test fire events. */
function fakeWatch() {
  const open = new Map<string, (event: string, filename: string | null) => void>();
  const calls: { path: string; recursive: boolean }[] = [];
  let listenerRuns = 0;
  const watch: WatchFolder = (path, options, listener) => {
    calls.push({ path, recursive: options.recursive });
    const key = `${path}${options.recursive ? "/**" : ""}`;
    open.set(key, (event, filename) => {
      listenerRuns++;
      listener(event, filename);
    });
    return {
      close: () => open.delete(key),
      on: () => undefined,
    };
  };
  return {
    watch,
    calls,
    open,
    fire: (key: string, filename: string) => open.get(key)?.("change", filename),
    listenerRuns: () => listenerRuns,
  };
}

const inputs = (...files: string[]) =>
  WatchedFiles.of(
    "/app",
    files.map((f) => `/app/${f}`),
  );

test("only the folders that hold the build's inputs are watched, none recursively", () => {
  const fs = fakeWatch();
  const changed: string[] = [];
  const watcher = new FileWatcher("/app", (rel) => changed.push(rel), fs.watch);
  watcher.update(inputs("sluice.config.ts", "src/a.ts", "src/lib/b.ts", "node_modules/x/index.js"));
  assert.deepEqual([...fs.open.keys()].sort(), ["/app", "/app/src", "/app/src/lib"]);
  assert.equal(
    fs.calls.some((c) => c.recursive),
    false,
  );
  assert.deepEqual(watcher.watching(), { folders: ["", "src", "src/lib"], recursive: false });

  // A log written in the app's root is one filename check, and no change.
  for (let i = 0; i < 100; i++) fs.fire("/app", "dev.log");
  assert.deepEqual(changed, []);
  fs.fire("/app/src/lib", "b.ts");
  fs.fire("/app", "package.json");
  fs.fire("/app/src", "unused.ts");
  assert.deepEqual(changed, ["src/lib/b.ts", "package.json"]);
  watcher.close();
  assert.equal(fs.open.size, 0);
  // A reload that finishes after dev closed watches nothing again.
  watcher.update(inputs("sluice.config.ts", "src/a.ts"));
  assert.equal(fs.open.size, 0);
});

test("after a reload, a newly imported folder is watched and one no longer imported is not", () => {
  const fs = fakeWatch();
  const changed: string[] = [];
  const watcher = new FileWatcher("/app", (rel) => changed.push(rel), fs.watch);
  watcher.update(inputs("sluice.config.ts", "src/a.ts", "src/old/c.ts"));
  const before = fs.calls.length;
  watcher.update(inputs("sluice.config.ts", "src/a.ts", "src/new/d.ts"));
  assert.deepEqual([...fs.open.keys()].sort(), ["/app", "/app/src", "/app/src/new"]);
  // Folders still needed keep their watcher: only the new one was opened.
  assert.deepEqual(fs.calls.slice(before), [{ path: "/app/src/new", recursive: false }]);
  fs.fire("/app/src/new", "d.ts");
  assert.deepEqual(changed, ["src/new/d.ts"]);
  watcher.close();
});

test("while the app is broken the whole folder is watched, since the fix may be anywhere", () => {
  const fs = fakeWatch();
  const changed: string[] = [];
  const watcher = new FileWatcher("/app", (rel) => changed.push(rel), fs.watch);
  const good = inputs("sluice.config.ts", "src/a.ts");
  watcher.update(good);
  watcher.update(good.broken());
  assert.deepEqual([...fs.open.keys()], ["/app/**"]);
  assert.deepEqual(watcher.watching(), { folders: [""], recursive: true });
  fs.fire("/app/**", "src/new-folder/handler.ts");
  fs.fire("/app/**", "dev.log");
  assert.deepEqual(changed, ["src/new-folder/handler.ts"]);
  // Fixed: back to the folders of the inputs.
  watcher.update(inputs("sluice.config.ts", "src/a.ts", "src/new-folder/handler.ts"));
  assert.deepEqual([...fs.open.keys()].sort(), ["/app", "/app/src", "/app/src/new-folder"]);
  watcher.close();
});

test("a folder that cannot be watched (removed since the build) is skipped, not fatal", () => {
  const fs = fakeWatch();
  const watch: WatchFolder = (path, options, listener) => {
    if (path.endsWith("gone")) throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
    return fs.watch(path, options, listener);
  };
  const watcher = new FileWatcher("/app", () => undefined, watch);
  watcher.update(inputs("sluice.config.ts", "gone/a.ts"));
  assert.deepEqual([...fs.open.keys()], ["/app"]);
  watcher.close();
});
