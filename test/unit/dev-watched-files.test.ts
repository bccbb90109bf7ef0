import assert from "node:assert/strict";
import { test } from "node:test";
import { WatchedFiles } from "../../src/dev/watched-files.ts";

const dir = "/app";
const watched = WatchedFiles.of(dir, [
  "/app/sluice.config.ts",
  "/app/src/a.ts",
  "/app/node_modules/x/index.js",
  "/elsewhere/b.ts",
]);

test("only the build's inputs and the project files reload dev", () => {
  for (const file of ["sluice.config.ts", "src/a.ts", "package.json", "tsconfig.json", "package-lock.json"])
    assert.equal(watched.matters(file), true, file);
  for (const file of [
    "dev.log",
    "data/out.json",
    "src/unused.ts",
    "notes.md",
    ".sluice/state.sqlite",
    "node_modules/x/index.js",
  ])
    assert.equal(watched.matters(file), false, file);
});

test("after a failed reload any source file reloads, since the fix may be one no build read yet", () => {
  const broken = watched.broken();
  assert.equal(broken.matters("src/new-handler.ts"), true);
  assert.equal(broken.matters("dev.log"), false);
  assert.equal(broken.matters(".sluice/dev/g1/a/index.mjs"), false);
});
