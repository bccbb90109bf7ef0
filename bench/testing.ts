/**
 * `npm run bench -- testing`: how long `startApp` (sluice/testing) takes from the call to a ready
 * app, for a 10-function app (5 with SQS mappings): the first start in the process (load and
 * bundle), then repeated starts that reuse the build (dev/bundle-cache.ts). Issue 20's target: ≤
 * 100 ms after the first bundle. The baseline, in the same run: opening a bare LocalCloud on the
 * same spec (a new state folder where the kit makes its own, SQLite, queues, pollers), without
 * endpoint or session.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadApp } from "../src/bundle/load-app.ts";
import { ManualClock } from "../src/local/clock/index.ts";
import { LocalCloud } from "../src/local/local-cloud.ts";
import { startApp } from "../src/testing/index.ts";
import { stateRoot } from "../src/testing/state-folder.ts";
import { writeBenchApp } from "./bench-app.ts";
import { median, percentile } from "./stats.ts";

const REPEATS = 20;
const TARGET_MS = 100;

export async function run(): Promise<void> {
  const dir = writeBenchApp(10);
  try {
    let started = performance.now();
    const first = await startApp(dir, { apis: false });
    const firstMs = performance.now() - started;
    await first.close();

    const repeated: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      started = performance.now();
      const app = await startApp(dir);
      repeated.push(performance.now() - started);
      await app.close();
    }

    const { spec } = await loadApp(dir);
    const baseline: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const stateDir = mkdtempSync(join(stateRoot(), "sluice-bench-cloud-"));
      started = performance.now();
      const cloud = new LocalCloud({
        spec,
        stateDir,
        clock: new ManualClock(Date.now()),
        code: () => {
          throw new Error("the baseline invokes nothing");
        },
      });
      cloud.start();
      baseline.push(performance.now() - started);
      await cloud.close();
      rmSync(stateDir, { recursive: true, force: true });
    }

    const med = median(repeated);
    const p95 = percentile(repeated, 95);
    const base = median(baseline);
    console.log(`app: 10 functions (5 with SQS event source mappings), ${REPEATS} repeated starts`);
    console.log(`first startApp (load + bundle):           ${firstMs.toFixed(0)} ms`);
    console.log(`baseline: open a bare LocalCloud in ${stateRoot()}, median: ${base.toFixed(1)} ms`);
    console.log(
      `startApp → ready, repeated: median ${med.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms ` +
        `(${(med / TARGET_MS).toFixed(2)}× the ${TARGET_MS} ms target; ${(med / base).toFixed(1)}× the baseline)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
