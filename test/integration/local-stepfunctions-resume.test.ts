import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, test } from "node:test";
import { ROOT } from "../support/cli-process.ts";
import { tempDir } from "../support/temp.ts";

const CHILD = join(ROOT, "test", "fixtures", "stepfunctions-engine", "engine-child.ts");
const ITEMS = 120;
const temp = tempDir("sluice-sfn-kill-");
const state = join(temp.dir, "state.sqlite");
const log = join(temp.dir, "calls.log");
const children: ChildProcess[] = [];

after(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  temp.cleanup();
});

interface Status {
  status: string;
  output?: string;
  error?: string;
  cause?: string;
}

function run(mode: "start" | "resume"): { child: ChildProcess; statuses: Status[] } {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, state, log, mode], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const statuses: Status[] = [];
  if (child.stdout)
    createInterface({ input: child.stdout }).on("line", (line) => statuses.push(JSON.parse(line)));
  return { child, statuses };
}

function calls(): number[] {
  return existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean).map(Number) : [];
}

async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test("kill -9 mid-Map: the restarted engine resumes the RUNNING execution from its last committed state and finishes in item order", async () => {
  const first = run("start");
  await until("a third of the items to run", () => calls().length >= ITEMS / 3);
  first.child.kill("SIGKILL");
  await new Promise((resolve) => first.child.once("exit", resolve));
  const before = calls();
  assert.ok(before.length < ITEMS, "the kill came before the Map ended");

  const second = run("resume");
  await until("the execution to end", () => second.statuses.some((s) => s.status !== "RUNNING"));
  const end = second.statuses.find((s) => s.status !== "RUNNING");
  second.child.kill("SIGKILL");
  assert.equal(end?.status, "SUCCEEDED", `${end?.error}: ${end?.cause}`);
  assert.deepEqual(
    JSON.parse(end?.output ?? ""),
    Array.from({ length: ITEMS }, (_, i) => i),
  );

  const all = calls();
  const counts = new Map<number, number>();
  for (const item of all) counts.set(item, (counts.get(item) ?? 0) + 1);
  for (let i = 0; i < ITEMS; i++) assert.ok(counts.has(i), `item ${i} ran`);
  const again = [...counts].filter(([, n]) => n > 1).map(([item]) => item);
  // Only the (at most MaxConcurrency) calls in flight at the kill run again, through their Retry.
  assert.ok(again.length <= 4, `re-run after the kill: ${again.join(", ")}`);
  for (const item of again) assert.ok(before.includes(item), `${item} was in flight before the kill`);
});
