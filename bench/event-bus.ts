/**
 * PutEvents → handler latency: an event put on the default bus, matched by a rule, delivered to
 * a function by asynchronous invoke, until the handler's START line. The baseline, in the same
 * run and the same cloud, is a direct asynchronous invoke of the same function.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalCloud } from "../src/local/local-cloud.ts";
import { openCloud } from "./cloud.ts";
import { fmt, percentile } from "./stats.ts";

const SAMPLES = 300;
const WARMUP = 20;

function writeApp(): string {
  const dir = mkdtempSync(join(tmpdir(), "sluice-bench-events-"));
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src", "handler.ts"), "export async function handler() {\n  return null;\n}\n");
  writeFileSync(
    join(dir, "sluice.config.ts"),
    `import { defineApp } from "sluice";
export default defineApp({
  name: "bench",
  functions: { sink: { handler: "src/handler.handler" } },
  rules: {
    ${Array.from({ length: 99 }, (_, i) => `other${i}: { pattern: { source: ["other-${i}"] }, targets: [{ function: "sink" }] },`).join("\n    ")}
    orders: { pattern: { source: ["shop"], detail: { total: [{ numeric: [">", 0] }] } }, targets: [{ function: "sink" }] },
  },
});
`,
  );
  return dir;
}

/** Milliseconds from `send()` to the handler's START, `SAMPLES` times, one at a time. */
async function measure(cloud: LocalCloud, send: () => void): Promise<number[]> {
  const samples: number[] = [];
  let resolveStart: (() => void) | undefined;
  const stop = cloud.lambda.onLog((line) => {
    if (line.text.startsWith("START")) resolveStart?.();
  });
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const started = new Promise<void>((resolve) => {
      resolveStart = resolve;
    });
    const t0 = performance.now();
    send();
    await started;
    if (i >= WARMUP) samples.push(performance.now() - t0);
    // Let the invocation finish so the next sample finds the environment free.
    await new Promise((r) => setTimeout(r, 2));
  }
  stop();
  return samples;
}

export async function run(): Promise<void> {
  const dir = writeApp();
  let cloud: LocalCloud | undefined;
  try {
    cloud = await openCloud(dir);
    const c = cloud;
    const direct = await measure(c, () => c.invokeAsync("sink", '{"total":5}'));
    const put = await measure(c, () => {
      const out = c.events.putEvents([{ Source: "shop", DetailType: "order", Detail: '{"total":5}' }]);
      if (out.FailedEntryCount > 0) throw new Error(JSON.stringify(out));
    });
    console.log(
      `${SAMPLES} events one at a time, 100 rules on the default bus, to the handler's START (durable)`,
    );
    for (const [label, samples] of [
      ["baseline  direct async invoke", direct],
      ["PutEvents → rule → async invoke", put],
    ] as const) {
      console.log(
        `${label.padEnd(34)} p50 ${fmt(percentile(samples, 50))}  p99 ${fmt(percentile(samples, 99))}`,
      );
    }
    console.log(
      `ratio PutEvents ÷ direct: p50 ${(percentile(put, 50) / percentile(direct, 50)).toFixed(2)}×, p99 ${(percentile(put, 99) / percentile(direct, 99)).toFixed(2)}×`,
    );
  } finally {
    await cloud?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
