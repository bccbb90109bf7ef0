/**
 * Whole-process wall time of `sluice synth` for apps of 1, 10 and 50 functions, each consuming
 * its own queue through an event source mapping, beside the same app synthesised with aws-cdk-lib
 * (bench/cdk-app.mjs) in the same run; and `sluice build` of the 50-function app.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { median } from "./stats.ts";

const RUNS = 5;
const SIZES = [1, 10, 50];
const ROOT = resolve(import.meta.dirname, "..");
const BIN = join(ROOT, "bin", "sluice.js");
const CDK_APP = join(ROOT, "bench", "cdk-app.mjs");

function writeApp(functions: number): string {
  const dir = mkdtempSync(join(tmpdir(), "sluice-bench-synth-"));
  mkdirSync(join(dir, "src"));
  writeFileSync(
    join(dir, "src", "handler.ts"),
    "export async function handler(event: unknown) {\n  return event;\n}\n",
  );
  const queues = Array.from({ length: functions }, (_, i) => `q${i}: { visibilityTimeout: "60 seconds" }`);
  const fns = Array.from(
    { length: functions },
    (_, i) => `f${i}: { handler: "src/handler.handler", consumes: { queue: "q${i}", batchSize: 10 } }`,
  );
  writeFileSync(
    join(dir, "sluice.config.ts"),
    `import { defineApp } from "sluice";\nexport default defineApp({\n  name: "bench",\n  queues: { ${queues.join(",\n    ")} },\n  functions: {\n    ${fns.join(",\n    ")}\n  },\n});\n`,
  );
  return dir;
}

function wall(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
  return ms;
}

export async function run(): Promise<void> {
  console.log(
    `whole-process wall time, median of ${RUNS} runs; each app: N functions, N queues, N event source mappings`,
  );
  console.log("functions   sluice synth   cdk synth   cdk ÷ sluice");
  let buildDir = "";
  const cleanup: string[] = [];
  try {
    for (const size of SIZES) {
      const dir = writeApp(size);
      cleanup.push(dir);
      if (size === 50) buildDir = dir;
      const out = mkdtempSync(join(tmpdir(), "sluice-bench-out-"));
      cleanup.push(out);
      const sluice: number[] = [];
      const cdk: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        sluice.push(wall([BIN, "synth", dir, "--out", join(out, "template.json")]));
        cdk.push(wall([CDK_APP, String(size), join(out, `cdk-${i}`)]));
      }
      const s = median(sluice);
      const c = median(cdk);
      console.log(
        `${String(size).padStart(9)}   ${`${s.toFixed(0)} ms`.padStart(12)}   ${`${c.toFixed(0)} ms`.padStart(9)}   ${`${(c / s).toFixed(1)}×`.padStart(12)}${size === 50 ? "  (target ≥ 10×)" : ""}`,
      );
    }
    const builds: number[] = [];
    for (let i = 0; i < RUNS; i++) builds.push(wall([BIN, "build", buildDir]));
    console.log(`sluice build, 50 functions: ${median(builds).toFixed(0)} ms (target < 3000 ms)`);
  } finally {
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  }
}
