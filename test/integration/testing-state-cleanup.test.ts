/**
 * A test process that ends without `app.close()` (an assertion threw, `process.exit`) leaves no
 * state folder in /dev/shm and no bundles in `<app>/.sluice/test-builds/<pid>-…` behind.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { copyApp } from "../support/temp.ts";

const FIXTURE = resolve(import.meta.dirname, "..", "fixtures", "testing-runners", "app");
const KIT = pathToFileURL(resolve(import.meta.dirname, "..", "..", "src", "testing", "index.ts")).href;
const STATE = pathToFileURL(
  resolve(import.meta.dirname, "..", "..", "src", "testing", "state-folder.ts"),
).href;

test("a process that exits without close removes its state folder and its build folder", () => {
  const app = copyApp(FIXTURE, "sluice-kit-exit-");
  try {
    const script = join(app.dir, "exits.mjs");
    writeFileSync(
      script,
      [
        `import { startApp } from ${JSON.stringify(KIT)};`,
        `import { stateRoot } from ${JSON.stringify(STATE)};`,
        "import { readdirSync, readFileSync } from 'node:fs';",
        "import { join } from 'node:path';",
        "const before = new Set(readdirSync(stateRoot()));",
        `const app = await startApp(${JSON.stringify(app.dir)}, { apis: false });`,
        "await app.invoke('greet', { name: 'x' });",
        // Other test processes make state folders in the same root meanwhile: this process's own
        // is the one whose dev.json names its pid.
        "const ours = (name) => { try { return JSON.parse(readFileSync(join(stateRoot(), name, 'dev.json'), 'utf8')).pid === process.pid; } catch { return false; } };",
        "const made = readdirSync(stateRoot()).filter((name) => !before.has(name) && name.startsWith('sluice-test-') && ours(name));",
        "console.log(JSON.stringify({ root: stateRoot(), made, pid: process.pid }));",
        "process.exit(3);",
      ].join("\n"),
    );
    const run = spawnSync(process.execPath, ["--import", "tsx", script], {
      cwd: resolve(import.meta.dirname, "..", ".."),
      encoding: "utf8",
      timeout: 120_000,
    });
    assert.equal(run.status, 3, run.stderr);
    const { root, made, pid } = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}") as {
      root: string;
      made: string[];
      pid: number;
    };
    assert.equal(made.length, 1, run.stdout);
    for (const name of made)
      assert.equal(existsSync(join(root, name)), false, `${root}/${name} removed at exit`);
    const builds = join(app.dir, ".sluice", "test-builds");
    const left = existsSync(builds) ? readdirSync(builds).filter((name) => name.startsWith(`${pid}-`)) : [];
    assert.deepEqual(left, [], "the process's build folders removed at exit");
  } finally {
    app.cleanup();
  }
});
