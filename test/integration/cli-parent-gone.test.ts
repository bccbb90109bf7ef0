/**
 * `sluice dev` and `sluice cloud` started with an IPC channel (by a test harness, an editor's task
 * runner, a script) close when the process that started them dies, even by SIGKILL, which cannot
 * stop them itself: a server nobody runs must not keep its port, its lock and its CPU. The parent
 * here starts the command, reports the child's pid once it serves, and is killed with SIGKILL.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ROOT } from "../support/cli-process.ts";
import { copyAppWithSdk } from "../support/endpoint.ts";
import { eventually } from "../support/poll.ts";
import { alive } from "../support/process-alive.ts";

const work = mkdtempSync(join(tmpdir(), "sluice-parent-gone-"));
const apps: { cleanup(): void }[] = [];
after(() => {
  for (const app of apps) app.cleanup();
  rmSync(work, { recursive: true, force: true });
});

/** A parent that starts `sluice <args>` with an IPC channel and prints `child <pid>` once `ready` shows. */
function startParent(args: readonly string[], ready: RegExp): Promise<{ parent: ChildProcess; pid: number }> {
  const script = join(work, `parent-${args[0]}.mjs`);
  writeFileSync(
    script,
    [
      'import { spawn } from "node:child_process";',
      `const child = spawn(process.execPath, ${JSON.stringify([join(ROOT, "bin", "sluice.js"), ...args])}, { stdio: ["ignore", "pipe", "pipe", "ipc"] });`,
      "let seen = '';",
      "const look = (chunk) => {",
      "  seen += chunk;",
      `  if (${ready}.test(seen)) { process.stdout.write("child " + child.pid + "\\n"); seen = ''; }`,
      "};",
      "child.stdout.on('data', look);",
      "child.stderr.on('data', look);",
      "setInterval(() => {}, 1000);",
    ].join("\n"),
  );
  const parent = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      parent.kill("SIGKILL");
      reject(new Error(`the child never got ready: ${out}`));
    }, 60_000);
    parent.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const match = /child (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ parent, pid: Number(match[1]) });
      }
    });
  });
}

/** Kills the parent with SIGKILL; the child must close by itself (else it is ended here, and the test fails). */
async function orphan(parent: ChildProcess, pid: number, what: string): Promise<void> {
  parent.kill("SIGKILL");
  try {
    await eventually(() => (alive(pid) ? undefined : true), `${what} to close after its parent's SIGKILL`, {
      timeoutMs: 30_000,
    });
  } catch (error) {
    if (alive(pid)) process.kill(pid, "SIGKILL");
    throw error;
  }
}

test("sluice dev closes, as on Ctrl-C, when the process that started it is killed", {
  timeout: 120_000,
}, async () => {
  const app = copyAppWithSdk(join(ROOT, "test", "fixtures", "apps", "events"));
  apps.push(app);
  const { parent, pid } = await startParent(["dev", app.dir, "--no-watch"], /AWS endpoint/);
  const state = join(app.dir, ".sluice", "dev.json");
  assert.ok(existsSync(state), "dev wrote its state file while it ran");
  await orphan(parent, pid, "sluice dev");
  // The graceful close ran (it removes the file); a killed dev would have left it behind.
  assert.equal(existsSync(state), false, "dev closed its session, removing .sluice/dev.json");
});

test("sluice cloud closes when the process that started it is killed", { timeout: 120_000 }, async () => {
  const stateDir = join(work, "cloud-state");
  const { parent, pid } = await startParent(
    ["cloud", "--port", "0", "--state", stateDir, "--json"],
    /"type":"ready"/,
  );
  await orphan(parent, pid, "sluice cloud");
});
