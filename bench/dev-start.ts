import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeBenchApp } from "./bench-app.ts";
import { median } from "./stats.ts";

const RUNS = 7;
const BIN = resolve(import.meta.dirname, "..", "bin", "sluice.js");

/** Wall time from spawning a process until a line matching `ready` appears on its stdout. */
function timeUntil(args: string[], ready: RegExp | null): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (ready?.test(out)) {
        const ms = performance.now() - started;
        child.once("exit", () => done(ms));
        child.kill("SIGINT");
      }
    });
    child.once("exit", (code) => {
      if (!ready) done(performance.now() - started);
      else if (!ready.test(out)) fail(new Error(`exited (${code}) before ready:\n${out}`));
    });
  });
}

export async function run(): Promise<void> {
  const dir = writeBenchApp(10);
  try {
    const baseline: number[] = [];
    const dev: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      baseline.push(await timeUntil(["-e", ""], null));
      dev.push(await timeUntil([BIN, "dev", dir, "--no-watch"], /ready in \d+ ms/));
    }
    rmSync(join(dir, ".sluice"), { recursive: true, force: true });
    const b = median(baseline);
    const d = median(dev);
    console.log(`app: 10 functions (5 with SQS event source mappings), ${RUNS} runs, medians`);
    console.log(`baseline  node -e "" (process start and exit): ${b.toFixed(0)} ms`);
    console.log(
      `sluice dev, spawn to ready:                   ${d.toFixed(0)} ms  (${(d / b).toFixed(1)}× the baseline; target < 500 ms)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
