/**
 * Whole-process wall time of `sluice deploy examples/pipeline` against `sluice cloud` (a local AWS
 * account in its own process, reached with --endpoint-url): the first deploy (a new stack), a
 * redeploy with nothing changed, and a redeploy after one function's code changed. The baseline,
 * measured in the same run, is what any deploy must do before it talks to AWS: `sluice build`
 * followed by `sluice synth` of the same app, as two processes.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { median } from "./stats.ts";

const RUNS = 5;
const ROOT = resolve(import.meta.dirname, "..");
const BIN = join(ROOT, "bin", "sluice.js");
const REGION = "us-east-1";

const ENV = {
  ...process.env,
  AWS_ACCESS_KEY_ID: "AKIDSLUICEBENCH",
  AWS_SECRET_ACCESS_KEY: "bench-secret",
  // How often the CLI polls stack events and function states; AWS's pace is 2 s, the local cloud needs none.
  SLUICE_POLL_INTERVAL_MS: "20",
};

function wall(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env: ENV });
  const ms = performance.now() - started;
  if (result.status !== 0)
    throw new Error(`sluice ${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
  return ms;
}

function startCloud(state: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, "cloud", "--port", "0", "--state", state, "--json"], {
    cwd: ROOT,
    env: ENV,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((done, fail) => {
    let buffer = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      const line = buffer.split("\n").find((l) => l.startsWith('{"type":"ready"'));
      if (line) done({ url: (JSON.parse(line) as { url: string }).url, child });
    });
    child.once("exit", (code) => fail(new Error(`sluice cloud exited with ${code}`)));
  });
}

export async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "sluice-bench-deploy-"));
  const app = join(work, "app");
  cpSync(join(ROOT, "examples", "pipeline"), app, {
    recursive: true,
    filter: (src) => !src.includes(".sluice"),
  });
  const { url, child } = await startCloud(join(work, "cloud"));
  try {
    const at = ["--endpoint-url", url, "--region", REGION];
    wall(["bootstrap", ...at]);
    const baseline: number[] = [];
    const created: number[] = [];
    const unchanged: number[] = [];
    const changed: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      baseline.push(wall(["build", app]) + wall(["synth", app]));
      const stage = `b${i}`;
      const deploy = ["deploy", app, "--stage", stage, "--yes", ...at];
      created.push(wall(deploy));
      unchanged.push(wall(deploy));
      appendFileSync(join(app, "src", "publish.ts"), `\n// bench change ${i}\n`);
      changed.push(wall(deploy));
    }
    const base = median(baseline);
    console.log(
      `examples/pipeline (4 functions, 5 queues, an HTTP API), whole-process wall time, median of ${RUNS} runs`,
    );
    console.log(`baseline: sluice build + sluice synth   ${base.toFixed(0)} ms`);
    for (const [label, samples] of [
      ["deploy, new stack", created],
      ["deploy, nothing changed", unchanged],
      ["deploy, one function changed", changed],
    ] as const) {
      const ms = median(samples);
      console.log(`${label.padEnd(36)} ${ms.toFixed(0)} ms   ${(ms / base).toFixed(2)}× the baseline`);
    }
  } finally {
    child.kill("SIGINT");
    await new Promise((done) => child.once("exit", done));
    rmSync(work, { recursive: true, force: true });
  }
}
